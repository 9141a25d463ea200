import { chmod, copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { bundle } from './bundle.js';
import { componentOf, thirdPartyNotices, type Component } from './notices.js';
import { findPackageDir, readPackageJson, stageRuntimePackages } from './runtime-packages.js';

export type ReleasePlatform = 'win32' | 'linux';

export interface StageOptions {
  /** Repository root. */
  root: string;
  /** The release folder; emptied first. */
  dir: string;
  platform: ReleasePlatform;
  /** The Node runtime to ship (node.exe or node), its licence folder and version; tests leave it out. */
  node?: { binary: string; dir: string; version: string };
  /** better-sqlite3 package whose JavaScript is bundled, and the matching addon for `platform`. */
  sqlite: { dir: string; addon: string };
  /** esbuild target, e.g. node22. */
  target: string;
}

export interface StageResult {
  bundleBytes: number;
  runtimePackages: string[];
}

const TRAY_HELPER: Record<ReleasePlatform, string> = { win32: 'tray_windows_release.exe', linux: 'tray_linux_release' };

/**
 * node-notifier's helpers of other systems: toasts (snoreToast, notifu) are Windows-only, mac.noindex
 * macOS-only. systray2's helpers: the bundled systray2 runs the one in traybin/ beside the bundle; the
 * copy in node_modules only answers require.resolve (the tray's chmod check), so it needs none.
 */
function skipForeignHelpers(platform: ReleasePlatform) {
  return (name: string, path: string): boolean => {
    if (name === 'systray2') return path.startsWith('traybin');
    if (name !== 'node-notifier') return false;
    if (path.startsWith('vendor/mac.noindex')) return true;
    return platform !== 'win32' && (path.startsWith('vendor/snoreToast') || path.startsWith('vendor/notifu'));
  };
}

/**
 * Lays out the release folder the way the bundle expects it (see bundle.ts): the bundle and its
 * package.json, the addon as better_sqlite3.node, icons/ and traybin/ beside it, node_modules/ with
 * the packages loaded at run time, the Node runtime, and THIRD-PARTY-NOTICES.txt. The same layout is
 * the Windows install folder and the Linux tarball; the platform scripts add their launchers.
 */
export async function stageRelease(options: StageOptions): Promise<StageResult> {
  const { root, dir, platform } = options;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });

  const bundled = await bundle({ root, outDir: dir, sqliteDir: options.sqlite.dir, target: options.target });
  const pkg = readPackageJson(root) as ReturnType<typeof readPackageJson> & { description?: string };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, description: pkg.description, license: pkg.license, private: true }, null, 2)}\n`);
  await copyFile(options.sqlite.addon, join(dir, 'better_sqlite3.node'));

  await mkdir(join(dir, 'icons'));
  for (const name of await readdir(join(root, 'icons'))) {
    if (/\.(png|ico)$/.test(name)) await copyFile(join(root, 'icons', name), join(dir, 'icons', name));
  }

  const systray = findPackageDir('systray2', root, root);
  if (!systray) throw new Error('systray2 is not installed: run npm ci');
  await mkdir(join(dir, 'traybin'));
  const helper = join(dir, 'traybin', TRAY_HELPER[platform]);
  await copyFile(join(systray, 'traybin', TRAY_HELPER[platform]), helper);
  await chmod(helper, 0o755); // systray2 ships its helpers without the executable bit

  const runtimeDirs = await stageRuntimePackages(root, bundled.runtimePackages, dir, skipForeignHelpers(platform));

  const components: Component[] = [];
  if (options.node) {
    const nodeFile = join(dir, basename(options.node.binary));
    await copyFile(options.node.binary, nodeFile);
    await chmod(nodeFile, 0o755);
    components.push({ name: 'Node.js', version: options.node.version, license: 'MIT and bundled licences', dir: options.node.dir });
  }
  components.push(
    componentOf(options.sqlite.dir),
    componentOf(systray),
    ...bundled.bundledPackageDirs.filter((d) => !d.endsWith('better-sqlite3')).map(componentOf),
    ...runtimeDirs.map(componentOf),
  );
  await writeFile(join(dir, 'THIRD-PARTY-NOTICES.txt'), thirdPartyNotices(components));
  return { bundleBytes: bundled.bytes, runtimePackages: bundled.runtimePackages };
}
