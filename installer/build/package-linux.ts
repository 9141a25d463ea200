import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { unpackedPackage } from './npm-cache.js';
import { readPackageJson } from './runtime-packages.js';
import { BUNDLE_TARGET, cacheDir, NODE_VERSION, PINS } from './runtime-pins.js';
import { stageRelease } from './stage.js';

const run = promisify(execFile);
const INSTALLER_DIR = fileURLToPath(new URL('../', import.meta.url));

export interface LinuxPackage {
  tarball: string;
  dir: string;
  tarballBytes: number;
}

/**
 * `npm run package:linux`: the same bundle as on Windows (better-sqlite3 13 on Node 22), with Node's
 * linux-x64 runtime, the `billsync` launcher, install-user.sh and the autostart/ files, packed as
 * `<outDir>/billsync-<version>-linux-x64.tar.gz`. Unpacked anywhere, `./billsync run` starts it.
 */
export async function packageLinux(root: string, outDir: string, cache = cacheDir()): Promise<LinuxPackage> {
  const version = readPackageJson(root).version;
  const name = `billsync-${version}-linux-x64`;
  const node = await unpackedPackage(PINS.nodeLinux, cache);
  const sqlite = await unpackedPackage(PINS.betterSqlite3, cache);
  const dir = join(outDir, name);
  await stageRelease({
    root, dir, platform: 'linux', target: BUNDLE_TARGET,
    node: { binary: join(node, 'bin', 'node'), dir: node, version: NODE_VERSION },
    sqlite: { dir: sqlite, addon: join(sqlite, 'prebuilds', 'linux-x64.node') },
  });
  const copies: Array<[string, string, number]> = [
    ['linux/billsync', 'billsync', 0o755],
    ['linux/install-user.sh', 'install-user.sh', 0o755],
    ['linux/billsync.desktop', 'autostart/billsync.desktop', 0o644],
    ['linux/billsync.service', 'autostart/billsync.service', 0o644],
    ['README-install.md', 'INSTALL.md', 0o644],
  ];
  for (const [from, to, mode] of copies) {
    await mkdir(dirname(join(dir, to)), { recursive: true });
    await copyFile(join(INSTALLER_DIR, from), join(dir, to));
    await chmod(join(dir, to), mode);
  }
  const tarball = join(outDir, `${name}.tar.gz`);
  await rm(tarball, { force: true });
  await run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-czf', tarball, '-C', outDir, name]);
  return { tarball, dir, tarballBytes: (await stat(tarball)).size };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const outDir = resolve(process.argv[2] ?? join(root, 'release'));
  const started = Date.now();
  const result = await packageLinux(root, outDir);
  console.log(`${result.tarball} (${(result.tarballBytes / 1e6).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
