import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildInstaller } from '../../installer/build/package-win.js';
import { numericVersion, programListNsh } from '../../installer/build/nsis.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const hasMakensis = spawnSync('makensis', ['-VERSION']).status === 0;
const has7z = spawnSync('7z', ['i']).status === 0;
// CI installs nsis (.ci/run); elsewhere the compile tests are skipped rather than failed.
const needMakensis = hasMakensis || process.env.CI ? {} : { skip: 'makensis is not installed (apt-get install nsis)' };

const made: string[] = [];
after(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

/** A payload shaped like release/win-x64 with stand-in files, so makensis runs in a second, not two minutes. */
function stubPayload(): { payload: string; outDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'billsync-nsis-'));
  made.push(dir);
  const payload = join(dir, 'win-x64');
  for (const sub of ['icons', 'traybin', 'node_modules/node-notifier/vendor/snoreToast']) mkdirSync(join(payload, sub), { recursive: true });
  for (const file of ['node.exe', 'billsync.cjs', 'better_sqlite3.node', 'package.json', 'THIRD-PARTY-NOTICES.txt', 'traybin/tray_windows_release.exe', 'node_modules/node-notifier/vendor/snoreToast/snoretoast-x64.exe']) {
    writeFileSync(join(payload, file), `stand-in for ${file}\n`);
  }
  copyFileSync(join(ROOT, 'icons', 'billsync.ico'), join(payload, 'icons', 'billsync.ico'));
  return { payload, outDir: dir };
}

/** An NSIS installer: a PE executable ("MZ", then "PE\0\0" at e_lfanew) carrying NSIS's first header. */
function assertNsisExecutable(file: string): void {
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'MZ', `${file} is not a Windows executable`);
  const peOffset = bytes.readUInt32LE(0x3c);
  assert.equal(bytes.subarray(peOffset, peOffset + 4).toString('latin1'), 'PE\0\0');
  const signature = Buffer.concat([Buffer.from([0xef, 0xbe, 0xad, 0xde]), Buffer.from('NullsoftInst', 'latin1')]);
  assert.ok(bytes.indexOf(signature) > 0, `${file} carries no NSIS header (0xDEADBEEF NullsoftInst)`);
}

test('the uninstall list names exactly the payload: files deleted, folders removed whole', async () => {
  const { payload } = stubPayload();
  const nsh = await programListNsh(payload);
  assert.match(nsh, /!macro BILLSYNC_REMOVE_PROGRAM_DIRS\n {2}RMDir \/r "\$INSTDIR\\icons"\n {2}RMDir \/r "\$INSTDIR\\node_modules"\n {2}RMDir \/r "\$INSTDIR\\traybin"\n!macroend/);
  for (const file of ['node.exe', 'billsync.cjs', 'better_sqlite3.node', 'package.json', 'THIRD-PARTY-NOTICES.txt']) assert.ok(nsh.includes(`Delete "$INSTDIR\\${file}"`), file);
  assert.ok(!/RMDir \/r "\$INSTDIR"\n/.test(nsh), 'the install folder itself is never removed recursively');
  writeFileSync(join(payload, 'bad$name.txt'), '');
  await assert.rejects(programListNsh(payload), /cannot be written into the NSIS script/);
});

test('version info takes four numbers', () => {
  assert.equal(numericVersion('0.1.0'), '0.1.0.0');
  assert.equal(numericVersion('2.10.3-beta.4'), '2.10.3.0');
  assert.throws(() => numericVersion('next'), /not x\.y\.z/);
});

test('the NSIS script compiles to a Nullsoft installer with the launcher and the payload inside', needMakensis, async () => {
  const { payload, outDir } = stubPayload();
  const installer = await buildInstaller(ROOT, payload, outDir, '1.2.3-beta.1');
  assert.equal(installer, join(outDir, 'billsync-setup-1.2.3-beta.1.exe'));
  assertNsisExecutable(installer);
  assertNsisExecutable(join(payload, 'billsync.exe'));
  assert.equal(readFileSync(join(payload, 'billsync.cmd'), 'utf8').split('\r\n')[2], '"%~dp0node.exe" "%~dp0billsync.cjs" %*', 'billsync.cmd has CRLF lines');
  if (has7z) {
    const listing = execFileSync('7z', ['l', installer], { encoding: 'utf8' });
    for (const entry of ['billsync.exe', 'billsync.cjs', 'billsync.cmd', 'node.exe', 'better_sqlite3.node', 'icons/billsync.ico', 'traybin/tray_windows_release.exe', 'node_modules/node-notifier/vendor/snoreToast/snoretoast-x64.exe', 'uninstall.exe']) {
      assert.match(listing, new RegExp(` ${entry.replace(/[.$]/g, '\\$&')}\\n`), `${entry} missing from the installer`);
    }
  }
});

test('the install script keeps the data: per-user, autostart the user can untick, data deleted only when asked', () => {
  const nsi = readFileSync(join(ROOT, 'installer', 'windows', 'billsync.nsi'), 'utf8');
  assert.match(nsi, /^RequestExecutionLevel user$/m);
  assert.match(nsi, /^InstallDir "\$LOCALAPPDATA\\Programs\\billsync"$/m);
  assert.match(nsi, /^Section "Start billsync when I sign in to Windows" SecAutostart\n {2}WriteRegStr HKCU "\$\{RUN_KEY\}"/m, 'autostart is its own, untickable section');
  assert.match(nsi, /^Section \/o "un\.Also delete my settings, ledger and logs/m, 'deleting data is off unless ticked');
  // Only the data section touches the data folders; program removal goes by the generated list.
  const dataLines = nsi.split('\n').filter((line) => /\$(APPDATA|LOCALAPPDATA)\\billsync"/.test(line));
  assert.deepEqual(dataLines.map((l) => l.trim()), ['RMDir /r "$APPDATA\\billsync"', 'RMDir /r "$LOCALAPPDATA\\billsync"']);
  assert.ok(!/RMDir \/r "\$INSTDIR"/.test(nsi), 'never removes the install folder recursively');
  assert.match(nsi, /WriteRegStr HKCU "\$\{UNINSTALL_KEY\}" "DisplayVersion" "\$\{VERSION\}"/);
  assert.match(nsi, /CreateShortcut "\$SMPROGRAMS\\billsync\.lnk" "\$INSTDIR\\billsync\.exe"/);
  // MUI applies a PRE function to the next page inserted: an upgrade skips the folder page and still
  // shows the components page, where autostart is ticked or unticked.
  const pages = nsi.split('\n').filter((line) => /^!(insertmacro MUI_PAGE_|define MUI_PAGE_CUSTOMFUNCTION_PRE)/.test(line));
  const hook = pages.indexOf('!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipDirectoryOnUpgrade');
  assert.equal(pages[hook + 1], '!insertmacro MUI_PAGE_DIRECTORY', `the upgrade skip hooks the folder page: ${pages.join(' | ')}`);
});
