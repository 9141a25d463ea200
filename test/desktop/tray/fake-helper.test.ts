import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AgentStatus } from '../../../src/app/agent-status.js';
import { parseConfig } from '../../../src/config/load-config.js';
import { startTray, type TrayActions, type TrayHandle } from '../../../src/desktop/tray/tray-controller.js';
import { Ledger } from '../../../src/ledger/ledger.js';
import { RecordingOpener } from '../../../src/platform/open-target.js';
import type { RunRequest } from '../../../src/sync/run-queue.js';
import { alive, waitUntil } from '../../support/desktop.js';

/*
 * The tray controller and systray2 against the fake helper (test/support/fake-tray): real systray2,
 * real child process and protocol, no X. systray2 runs ./traybin/<helper> from the working directory
 * first, so this file chdir()s there (node:test gives each test file its own process).
 */

const FAKE_TRAY = fileURLToPath(new URL('../../support/fake-tray/', import.meta.url));
const ICONS = fileURLToPath(new URL('../../../icons/', import.meta.url));
const NOW = new Date('2026-12-03T10:00:00Z'); // 11:00 in Brussels
const RUN: RunRequest = { trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false };

process.chdir(FAKE_TRAY);

interface Message {
  type?: string;
  pid?: number;
  icon?: string;
  tooltip?: string;
  items?: Array<{ title: string; hidden?: boolean; items?: Array<{ title: string; hidden?: boolean }> }>;
  item?: { title: string; __id: number };
  menu?: { icon: string; tooltip: string };
}

/** One tray under test: its files, recorders and the fake helper's log. */
async function setUp(t: TestContext, options: { iconDir?: string; readyTimeoutMs?: number; mode?: string; failDiagnostics?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'billsync-tray-'));
  const exportRoot = join(dir, 'venice');
  const logFile = join(dir, 'fake-tray.jsonl');
  const clicksFile = join(dir, 'clicks.txt');
  writeFileSync(clicksFile, '');
  // systray2 spawns the helper with process.env: that is how the fake gets its files.
  process.env.FAKE_TRAY_LOG = logFile;
  process.env.FAKE_TRAY_CLICKS = clicksFile;
  if (options.mode) process.env.FAKE_TRAY_MODE = options.mode;
  else delete process.env.FAKE_TRAY_MODE;

  const ledger = Ledger.open(join(dir, 'ledger.sqlite'), { now: () => NOW });
  ledger.dossiers.upsert({ partyId: 101, name: 'Bakkerij Peeters', vatNumber: 'BE0123456749', enterpriseNumber: null, folder: 'Bakkerij Peeters' });
  ledger.dossiers.upsert({ partyId: 102, name: 'Garage Janssens', vatNumber: null, enterpriseNumber: null, folder: 'Garage Janssens' });
  const status = new AgentStatus(ledger, () => parseConfig({ billit: { apiKey: 'k' }, exportRoot }), () => NOW);
  const calls: string[] = [];
  const opener = new RecordingOpener();
  const actions: TrayActions = {
    syncNow: () => calls.push('syncNow'),
    pause: (length) => calls.push(`pause:${length}`),
    resume: () => calls.push('resume'),
    open: opener.open,
    exportRoot,
    logDir: join(dir, 'logs'),
    saveDiagnostics: async () => {
      calls.push('diagnostics');
      if (options.failDiagnostics) throw new Error('ENOSPC: no space left on device');
      mkdirSync(join(dir, 'diagnostics'), { recursive: true });
      writeFileSync(join(dir, 'diagnostics', 'report.txt'), 'report');
      return join(dir, 'diagnostics', 'report.txt');
    },
    quit: () => calls.push('quit'),
  };
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };
  let handle: TrayHandle | null = null;
  const tray = {
    dir, exportRoot, ledger, status, calls, opener, lines,
    async start(env: NodeJS.ProcessEnv = { DISPLAY: ':fake' }) {
      handle = await startTray({
        status, actions, log, env, platform: 'linux', statusPageUrl: () => null,
        ...(options.iconDir ? { iconDir: options.iconDir } : {}),
        ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
      });
      return handle;
    },
    messages(): Message[] {
      if (!existsSync(logFile)) return [];
      return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Message);
    },
    click(name: string) {
      appendFileSync(clicksFile, `${name}\n`);
    },
    pids(): number[] {
      return tray.messages().filter((m) => m.type === 'fake-started').map((m) => m.pid!);
    },
  };
  t.after(async () => {
    await (handle as TrayHandle | null)?.close();
    // Whatever happened, no fake helper outlives the test.
    for (const pid of tray.pids()) if (alive(pid)) process.kill(pid, 'SIGKILL');
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return tray;
}

const base64 = (file: string): string => readFileSync(file).toString('base64');
const visibleTitles = (items: Array<{ title: string; hidden?: boolean }> = []): string[] => items.filter((i) => !i.hidden).map((i) => i.title);

test('the helper gets the menu and icon, follows the status, and its clicks become actions', async (t) => {
  const tray = await setUp(t);
  const handle = await tray.start();
  assert.ok(handle, 'the tray started');
  assert.deepEqual(tray.lines, [], 'nothing logged when all is well');

  const menu = await waitUntil('the first menu', () => tray.messages().find((m) => m.type === undefined && m.items));
  assert.deepEqual(menu.items!.map((i) => i.title), [
    'Up to date · no sync yet', '<SEPARATOR>', 'Sync now', 'Pause', '<SEPARATOR>', 'Open export folder', 'Dossiers',
    'Approvals waiting (0)', '<SEPARATOR>', 'Open status page', 'Open log folder', 'Copy diagnostics', '<SEPARATOR>', 'Quit',
  ]);
  assert.deepEqual(visibleTitles(menu.items![6]!.items), ['Bakkerij Peeters', 'Garage Janssens']);
  assert.deepEqual(visibleTitles(menu.items![7]!.items), ['Nothing waiting']);
  assert.equal(menu.icon, base64(join(ICONS, 'up-to-date.png')), 'the default icon folder is the package\'s icons/');
  assert.equal(menu.tooltip, 'billsync: Up to date · no sync yet');

  tray.status.runStarted(RUN);
  const syncing = await waitUntil('the syncing line', () => tray.messages().find((m) => m.type === 'update-item' && m.item!.__id === 1));
  assert.equal(syncing.item!.title, 'Syncing… (started 11:00)');
  const icon = await waitUntil('the syncing icon', () => tray.messages().find((m) => m.type === 'update-menu'));
  assert.equal(icon.menu!.icon, base64(join(ICONS, 'syncing.png')));
  assert.equal(icon.menu!.tooltip, 'billsync: Syncing… (started 11:00)');

  tray.click('Sync now');
  await waitUntil('syncNow', () => tray.calls.includes('syncNow'));
  tray.click('Garage Janssens');
  await waitUntil('the dossier folder to open', () => tray.opener.opened.length === 1);
  assert.deepEqual(tray.opener.opened, [join(tray.exportRoot, 'Garage Janssens')]);
  tray.click('Pause 1 hour');
  await waitUntil('pause', () => tray.calls.some((c) => c.startsWith('pause')));
  tray.click('Open export folder');
  tray.click('Open log folder');
  await waitUntil('two more folders', () => tray.opener.opened.length === 3);
  assert.deepEqual(tray.opener.opened.slice(1), [tray.exportRoot, join(tray.dir, 'logs')]);
  tray.click('Copy diagnostics');
  await waitUntil('the diagnostics folder', () => tray.opener.opened.length === 4);
  assert.equal(tray.opener.opened[3], join(tray.dir, 'diagnostics'), 'the folder of the saved report is shown');
  tray.click('Resume');
  tray.click('Quit');
  await waitUntil('quit', () => tray.calls.includes('quit'));
  assert.deepEqual(tray.calls, ['syncNow', 'pause:3600000', 'diagnostics', 'quit'], 'one call per click; Resume is disabled while not paused');

  const [pid] = tray.pids();
  assert.ok(pid !== undefined && alive(pid));
  await handle.close();
  const messages = tray.messages();
  assert.ok(messages.some((m) => m.type === 'exit'), 'the helper was asked to exit');
  assert.equal(messages.at(-1)!.type, 'fake-exiting');
  assert.equal(alive(pid), false, 'the helper process is gone when close() resolves');
});

test('diagnostics that cannot be saved are logged with the reason, and no folder is opened', async (t) => {
  const tray = await setUp(t, { failDiagnostics: true });
  const handle = await tray.start();
  assert.ok(handle);
  await waitUntil('the first menu', () => tray.messages().find((m) => m.type === undefined && m.items));
  tray.click('Copy diagnostics');
  await waitUntil('the warning', () => tray.lines.length > 0);
  assert.deepEqual(tray.lines, ['warn The diagnostics could not be saved: ENOSPC: no space left on device']);
  assert.deepEqual(tray.opener.opened, []);
  await handle.close();
});

test('a burst of status changes is coalesced and ends with the latest state', async (t) => {
  const tray = await setUp(t);
  const handle = await tray.start();
  assert.ok(handle);
  const before = tray.messages().length;
  for (let i = 0; i < 20; i++) {
    tray.status.runStarted(RUN);
    tray.status.runFinished(RUN, null, null);
  }
  tray.status.runStarted(RUN);
  await waitUntil('the final syncing line', () => tray.messages().slice(before).some((m) => m.item?.title === 'Syncing… (started 11:00)'));
  tray.status.runFinished(RUN, null, null);
  const last = await waitUntil('the final up-to-date line', () => tray.messages().slice(before).findLast((m) => m.item?.__id === 1 && m.item.title === 'Up to date · last sync 11:00'));
  assert.ok(last);
  const statusUpdates = tray.messages().slice(before).filter((m) => m.type === 'update-item' && m.item!.__id === 1);
  assert.ok(statusUpdates.length <= 3, `41 changes in a burst gave ${statusUpdates.length} status updates`);
  assert.equal(statusUpdates.at(-1)!.item!.title, tray.status.snapshot().line);
});

test('a new dossier past the submenu\'s room restarts the helper with the new shape; no helper is left over', async (t) => {
  const iconDir = mkdtempSync(join(tmpdir(), 'billsync-icons-'));
  t.after(() => rmSync(iconDir, { recursive: true, force: true }));
  // Another picture under the same name shows that iconDir is used.
  copyFileSync(join(ICONS, 'error.png'), join(iconDir, 'up-to-date.png'));
  const tray = await setUp(t, { iconDir });
  const handle = await tray.start();
  assert.ok(handle);
  const menu = await waitUntil('the first menu', () => tray.messages().find((m) => m.type === undefined && m.items));
  assert.equal(menu.icon, base64(join(iconDir, 'up-to-date.png')));
  for (const [partyId, name] of [[103, 'Apotheek Claes'], [104, 'Drukkerij Vos'], [105, 'Frituur Stijn']] as const) {
    tray.ledger.dossiers.upsert({ partyId, name, vatNumber: null, enterpriseNumber: null, folder: name });
  }
  tray.status.changed();
  const [first, second] = await waitUntil('a second helper', () => (tray.pids().length === 2 ? tray.pids() : null));
  await waitUntil('the first helper to exit', () => !alive(first!));
  const menus = await waitUntil('the second menu', () => {
    const found = tray.messages().filter((m) => m.type === undefined && m.items);
    return found.length === 2 ? found : null;
  });
  assert.deepEqual(visibleTitles(menus[1]!.items![6]!.items), ['Apotheek Claes', 'Bakkerij Peeters', 'Drukkerij Vos', 'Frituur Stijn', 'Garage Janssens']);
  tray.click('Frituur Stijn');
  await waitUntil('the new dossier\'s folder', () => tray.opener.opened.length === 1);
  assert.deepEqual(tray.opener.opened, [join(tray.exportRoot, 'Frituur Stijn')]);
  await handle.close();
  assert.equal(alive(second!), false);
});

test('a helper that dies later is logged once and billsync runs on without it', async (t) => {
  const tray = await setUp(t);
  const handle = await tray.start();
  assert.ok(handle);
  tray.click('!exit 3');
  await waitUntil('the warning', () => tray.lines.length > 0);
  assert.deepEqual(tray.lines, ['warn The tray icon stopped (the tray helper exited with code 3); billsync keeps running without it.']);
  tray.status.runStarted(RUN); // no listener left to write to a dead helper
  await handle.close();
  assert.equal(tray.lines.length, 1);
});

test('without a display startTray returns null and logs exactly one line', async (t) => {
  const tray = await setUp(t);
  assert.equal(await tray.start({}), null);
  assert.deepEqual(tray.lines, ['info billsync runs without a tray icon: there is no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set).']);
  assert.deepEqual(tray.pids(), [], 'no helper was started');
});

test('a helper that never says ready is killed after the timeout: null and one line', async (t) => {
  const tray = await setUp(t, { mode: 'never-ready', readyTimeoutMs: 600 });
  assert.equal(await tray.start(), null);
  assert.deepEqual(tray.lines, ['warn billsync runs without a tray icon: the tray helper did not report ready within 600 ms.']);
  const [pid] = tray.pids();
  assert.ok(pid !== undefined);
  await waitUntil('the helper to be killed', () => !alive(pid));
});

test('a helper that exits before ready (no display for GTK) gives null and its reason at once', async (t) => {
  const tray = await setUp(t, { mode: 'exit-before-ready' });
  assert.equal(await tray.start(), null);
  assert.equal(tray.lines.length, 1);
  // The reason is the exit, not the ready timeout (which would say "did not report ready within").
  assert.match(tray.lines[0]!, /^warn billsync runs without a tray icon: the tray helper exited with code 1 before it was ready: .*cannot open display/);
});

test('a helper that cannot be executed gives null and the spawn error', async (t) => {
  const tray = await setUp(t);
  // systray2 takes ./traybin/<helper> from the working directory: give it one without an x bit.
  const cwd = join(tray.dir, 'cwd');
  mkdirSync(join(cwd, 'traybin'), { recursive: true });
  writeFileSync(join(cwd, 'traybin', 'tray_linux_release'), '#!/bin/sh\n', { mode: 0o644 });
  process.chdir(cwd);
  t.after(() => process.chdir(FAKE_TRAY));
  assert.equal(await tray.start(), null);
  assert.equal(tray.lines.length, 1);
  assert.match(tray.lines[0]!, /^warn billsync runs without a tray icon: the tray helper could not be started \(spawn traybin\/tray_linux_release EACCES\)\.$/);
});
