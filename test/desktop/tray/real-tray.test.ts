import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AgentStatus } from '../../../src/app/agent-status.js';
import { parseConfig } from '../../../src/config/load-config.js';
import { startTray, type TrayHandle } from '../../../src/desktop/tray/tray-controller.js';
import { Ledger } from '../../../src/ledger/ledger.js';
import { RecordingOpener } from '../../../src/platform/open-target.js';
import { canRunXSession, missingHelperLibraries, startXSession } from '../../support/xsession.js';
import { alive, waitUntil } from '../../support/desktop.js';

/*
 * The real systray2 helper (GTK + libayatana-appindicator) in a private Xvfb and D-Bus session,
 * read and clicked over D-Bus the way a desktop panel does. This test fails, never skips, when the
 * packages are missing: CI installs them (xvfb, dbus, libglib2.0-bin, imagemagick,
 * notification-daemon, libgtk-3-0, libayatana-appindicator3-1).
 */

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

test('the real helper shows the status over D-Bus, takes clicks, follows changes and leaves nothing behind', async (t) => {
  const check = canRunXSession();
  assert.ok(check.ok, `the tray test needs: ${check.problems.join('; ')}`);
  assert.deepEqual(await missingHelperLibraries(), [], 'the systray2 helper needs libgtk-3-0 and libayatana-appindicator3-1');

  // One after-hook, undoing in reverse order: the tray first, the X session last.
  const cleanups: Array<() => unknown> = [];
  t.after(async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.reverse()) await Promise.resolve().then(cleanup).catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
  });
  const session = await startXSession();
  cleanups.push(() => session.close());
  // systray2 spawns the helper with this process's environment; no ./traybin here, so it runs the real one.
  const saved = { cwd: process.cwd(), env: { ...process.env } };
  process.chdir(REPO);
  Object.assign(process.env, session.env);
  cleanups.push(() => {
    process.chdir(saved.cwd);
    for (const key of Object.keys(session.env)) {
      if (saved.env[key] === undefined) delete process.env[key];
      else process.env[key] = saved.env[key];
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'billsync-real-tray-'));
  const ledger = Ledger.open(join(dir, 'ledger.sqlite'));
  cleanups.push(() => {
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });
  ledger.dossiers.upsert({ partyId: 201, name: 'Jansen_BV', vatNumber: null, enterpriseNumber: null, folder: 'Jansen_BV' });
  const exportRoot = join(dir, 'venice');
  const status = new AgentStatus(ledger, () => parseConfig({ billit: { apiKey: 'k' }, exportRoot }), () => new Date());
  const calls: string[] = [];
  const opener = new RecordingOpener();
  const lines: string[] = [];
  let handle: TrayHandle | null = null;
  cleanups.push(() => handle?.close());
  handle = await startTray({
    status, statusPageUrl: () => null, env: process.env,
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m) },
    actions: {
      syncNow: () => calls.push('syncNow'), pause: (length) => calls.push(`pause:${length}`), resume: () => calls.push('resume'),
      open: opener.open, exportRoot, logDir: join(dir, 'logs'), quit: () => calls.push('quit'),
      saveDiagnostics: async () => { calls.push('diagnostics'); return join(dir, 'diagnostics', 'report.txt'); },
    },
  });
  assert.ok(handle, `the tray started (log: ${lines.join(' | ')})`);

  const tray = await waitUntil('the tray menu on the session bus', () => session.trayMenu());
  const labels = await session.menuLabels();
  assert.equal(labels[0], status.snapshot().line, 'the first line is the status line');
  assert.equal(labels[0], 'Up to date · no sync yet');
  assert.ok(labels.includes('Jansen_BV'), `the dossier's name keeps its underscore on the panel: ${labels.join(', ')}`);
  assert.equal(tray.root.children[0]!.enabled, false, 'the status line is not clickable');

  await session.clickLabel('Sync now');
  await waitUntil('syncNow from a D-Bus click', () => calls.includes('syncNow'));
  await session.clickLabel('Jansen_BV');
  await waitUntil('the dossier folder', () => opener.opened.length === 1);
  assert.deepEqual(opener.opened, [join(exportRoot, 'Jansen_BV')]);
  assert.ok(labels.includes('Copy diagnostics'), labels.join(', '));

  status.runStarted({ trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false });
  const syncing = status.snapshot().line;
  assert.match(syncing, /^Syncing… \(started \d\d:\d\d\)$/);
  await waitUntil('the syncing line on D-Bus', async () => (await session.menuLabels())[0] === syncing);

  const screenshot = join(dir, 'tray.png');
  await session.screenshot(screenshot);
  const png = readFileSync(screenshot);
  assert.ok(png.length > PNG_SIGNATURE.length, 'the screenshot is not empty');
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, 'the screenshot is a PNG');
  if (process.env.BILLSYNC_TEST_ARTIFACTS) {
    mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
    copyFileSync(screenshot, join(REPO, 'test-artifacts', 'tray.png'));
    assert.ok(statSync(join(REPO, 'test-artifacts', 'tray.png')).size > 0);
  }

  assert.ok(alive(tray.pid), 'the helper runs');
  await handle.close();
  handle = null;
  assert.equal(alive(tray.pid), false, 'the helper process is gone when close() resolves');
  assert.equal(await session.trayMenu(), null, 'and its menu is gone from the bus');
  assert.deepEqual(lines, [], 'nothing was logged');
});
