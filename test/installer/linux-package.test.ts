import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';

const INSTALLER = fileURLToPath(new URL('../../installer/', import.meta.url));
const read = (path: string) => readFileSync(join(INSTALLER, path), 'utf8');

/** `[Section]` → key → values of an INI-style file (.desktop, systemd units); comments dropped. */
function parseIni(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) { current = new Map(); sections.set(header[1]!, current); continue; }
    const eq = line.indexOf('=');
    assert.ok(current && eq > 0, `not key=value inside a section: ${line}`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

/** A folder shaped like the unpacked tarball: launcher, install-user.sh, autostart/, a fake node. */
const made: string[] = [];
after(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

function fakePackage(): { dir: string; home: string; log: string; env: NodeJS.ProcessEnv } {
  const base = mkdtempSync(join(tmpdir(), 'billsync-linux-'));
  made.push(base);
  const dir = join(base, 'opt', 'billsync 1.0');
  mkdirSync(join(dir, 'autostart'), { recursive: true });
  copyFileSync(join(INSTALLER, 'linux', 'billsync'), join(dir, 'billsync'));
  copyFileSync(join(INSTALLER, 'linux', 'install-user.sh'), join(dir, 'install-user.sh'));
  copyFileSync(join(INSTALLER, 'linux', 'billsync.desktop'), join(dir, 'autostart', 'billsync.desktop'));
  copyFileSync(join(INSTALLER, 'linux', 'billsync.service'), join(dir, 'autostart', 'billsync.service'));
  const log = join(base, 'calls.log');
  writeFileSync(join(dir, 'node'), `#!/bin/sh\necho "node $*" >> "${log}"\n`);
  const fakeBin = join(base, 'fakebin');
  mkdirSync(fakeBin);
  writeFileSync(join(fakeBin, 'systemctl'), `#!/bin/sh\necho "systemctl $*" >> "${log}"\n`);
  for (const file of [join(dir, 'billsync'), join(dir, 'install-user.sh'), join(dir, 'node'), join(fakeBin, 'systemctl')]) chmodSync(file, 0o755);
  const home = join(base, 'home');
  mkdirSync(home);
  return { dir, home, log, env: { PATH: `${fakeBin}:${process.env.PATH}`, HOME: home } };
}

test('the systemd user unit runs billsync headless and stops restarting on a configuration error', () => {
  const unit = parseIni(read('linux/billsync.service'));
  assert.deepEqual(unit.get('Service')!.get('ExecStart'), ['"@BILLSYNC_DIR@/billsync" run --headless']);
  assert.deepEqual(unit.get('Service')!.get('Restart'), ['on-failure']);
  assert.deepEqual(unit.get('Service')!.get('RestartPreventExitStatus'), ['2']);
  assert.deepEqual(unit.get('Install')!.get('WantedBy'), ['default.target']);
});

test('systemd accepts the unit once install-user.sh has filled in the folder', { skip: spawnSync('systemd-analyze', ['--version']).status === 0 ? false : 'systemd-analyze is not installed' }, () => {
  const { dir } = fakePackage();
  const unit = join(dir, 'billsync.service');
  writeFileSync(unit, read('linux/billsync.service').replaceAll('@BILLSYNC_DIR@', dir));
  const result = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});

test('the XDG autostart entry starts billsync with its tray icon at login', () => {
  const entry = parseIni(read('linux/billsync.desktop')).get('Desktop Entry')!;
  assert.deepEqual(entry.get('Type'), ['Application']);
  assert.deepEqual(entry.get('Exec'), ['"@BILLSYNC_DIR@/billsync" run'], 'the tray needs the desktop session, so no --headless here');
  assert.deepEqual(entry.get('Icon'), ['@BILLSYNC_DIR@/icons/billsync.png']);
  assert.ok(existsSync(fileURLToPath(new URL('../../icons/billsync.png', import.meta.url))), 'the icon the entry names is shipped');
  assert.deepEqual(entry.get('Terminal'), ['false']);
  assert.deepEqual(entry.get('X-GNOME-Autostart-enabled'), ['true']);
});

test('the launchd agent runs billsync at login, again after a crash but not after Quit', () => {
  const doc = new DOMParser().parseFromString(read('macos/billsync.plist'), 'text/xml');
  const dict = doc.getElementsByTagName('dict')[0]!;
  const values = new Map<string, Element>();
  const children = Array.from(dict.childNodes as ArrayLike<Node>).filter((n): n is Element => n.nodeType === 1);
  for (let i = 0; i < children.length; i += 2) {
    assert.equal(children[i]!.tagName, 'key');
    values.set(children[i]!.textContent!, children[i + 1]!);
  }
  assert.equal(values.get('Label')!.textContent, 'billsync.agent');
  assert.deepEqual(Array.from(values.get('ProgramArguments')!.getElementsByTagName('string')).map((s) => s.textContent), ['@NODE@', '@BILLSYNC_JS@', 'run']);
  assert.equal(values.get('RunAtLoad')!.tagName, 'true');
  const keepAlive = values.get('KeepAlive')!;
  assert.equal(keepAlive.getElementsByTagName('key')[0]!.textContent, 'SuccessfulExit');
  assert.equal(keepAlive.getElementsByTagName('false').length, 1);
  assert.equal(values.get('LimitLoadToSessionType')!.textContent, 'Aqua');
});

test('the launcher runs the bundle with the node beside it, also through a symlink', () => {
  const { dir, home, log } = fakePackage();
  const link = join(home, 'billsync');
  execFileSync('ln', ['-s', join(dir, 'billsync'), link]);
  execFileSync(link, ['doctor', '--config', 'a b.json']);
  assert.equal(readFileSync(log, 'utf8'), `node ${join(dir, 'billsync.cjs')} doctor --config a b.json\n`);
});

test('install-user.sh sets up autostart or the service, switches between them, and removes both', () => {
  const { dir, home, log, env } = fakePackage();
  const run = (...args: string[]) => execFileSync(join(dir, 'install-user.sh'), args, { env, encoding: 'utf8' });
  const desktop = join(home, '.config', 'autostart', 'billsync.desktop');
  const unit = join(home, '.config', 'systemd', 'user', 'billsync.service');
  const command = join(home, '.local', 'bin', 'billsync');

  run();
  assert.match(readFileSync(desktop, 'utf8'), new RegExp(`^Exec="${dir.replace(/[.]/g, '\\.')}/billsync" run$`, 'm'));
  assert.ok(lstatSync(command).isSymbolicLink());
  assert.equal(readlinkSync(command), join(dir, 'billsync'));

  run('--service');
  assert.ok(!existsSync(desktop), 'the service replaces the autostart entry: one agent per user');
  assert.match(readFileSync(unit, 'utf8'), new RegExp(`^ExecStart="${dir.replace(/[.]/g, '\\.')}/billsync" run --headless$`, 'm'));
  assert.match(readFileSync(log, 'utf8'), /^systemctl --user enable --now billsync\.service$/m);

  run('--remove');
  assert.ok(!existsSync(unit) && !existsSync(desktop) && !existsSync(command));
  assert.match(readFileSync(log, 'utf8'), /^systemctl --user disable --now billsync\.service$/m);
  assert.ok(existsSync(join(dir, 'billsync')), 'the program folder itself stays');
});
