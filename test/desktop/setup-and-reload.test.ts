import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openApp } from '../../src/app/app-context.js';
import { startDesktopAgent } from '../../src/app/desktop-agent.js';
import { RecordingNotifier } from '../../src/platform/notify.js';
import { RecordingOpener } from '../../src/platform/open-target.js';
import { openSandbox } from '../support/sandbox.js';
import { pdfBytes, sha256, uploads, waitFor } from './watchers/watch-helpers.js';

const quietLog = { info() {}, warn() {}, error() {}, close: async () => {} };

/** Saves a configuration file the way an editor does: a new file renamed over the old one. */
function writeConfig(file: string, config: object): void {
  writeFileSync(`${file}.new`, JSON.stringify(config, null, 2));
  renameSync(`${file}.new`, file);
}

test('a fresh install starts without a key, says setup is needed, and starts working once the settings file has them; a later root move reaches the Outbox', async (t) => {
  const sandbox = await openSandbox({ dossiers: 2 });
  t.after(() => sandbox.close());
  const base = mkdtempSync(join(tmpdir(), 'billsync-setup-'));
  const [first, second] = [join(base, 'venice-1'), join(base, 'venice-2')];
  mkdirSync(first);
  mkdirSync(second);
  const configFile = join(base, 'config.json');
  writeFileSync(configFile, '{}\n');
  process.env.BILLSYNC_DATA_DIR = join(base, 'data');

  const app = await openApp(configFile);
  const desktop = await startDesktopAgent(app, { log: quietLog, notifier: new RecordingNotifier(), opener: new RecordingOpener().open, headless: true, onQuit: () => undefined, watchers: { stabilityMs: 300 } });
  t.after(async () => { await desktop.stop(3000); app.close(); });
  const { agent } = desktop;
  assert.equal(agent.configured, false);
  assert.deepEqual([agent.status.snapshot().state, agent.status.snapshot().line], ['error', 'Setup needed · set the API key and export folder under Settings']);
  assert.ok(desktop.statusUrl, 'the status page runs, so that the settings can be entered');

  const billit = { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ratePerSecond: 100 };
  writeConfig(configFile, { billit, exportRoot: first, policy: { frequency: 'never' } });
  await waitFor('the agent configured from the file', () => agent.configured);
  // The first run learns the dossiers and creates the root's marker; then the Outbox is watched.
  await waitFor('the dossiers learned', async () => { await agent.queue.idle(); return app.ledger.dossiers.list().length === 2; });
  const [dossier] = app.ledger.dossiers.list();
  const dropFirst = join(first, dossier!.folder, 'Outbox');
  mkdirSync(dropFirst, { recursive: true });
  writeFileSync(join(dropFirst, 'one.pdf'), pdfBytes('one'));
  await waitFor('the first upload', async () => (await uploads(sandbox)).length === 1);

  // Settings move the export root (through the file here; the status page saves the same way and
  // also calls the same reload): new Outbox files at the new root are uploaded, with the agent's client.
  writeFileSync(join(second, '.billsync'), '');
  writeConfig(configFile, { billit, exportRoot: second, policy: { frequency: 'never' } });
  const dropSecond = join(second, dossier!.folder, 'Outbox');
  mkdirSync(dropSecond, { recursive: true });
  writeFileSync(join(dropSecond, 'two.pdf'), pdfBytes('two'));
  const all = await waitFor('the upload from the new root', async () => { const list = await uploads(sandbox); return list.length === 2 ? list : null; });
  assert.deepEqual(all.map((u) => u.sha256).sort(), [sha256(pdfBytes('one')), sha256(pdfBytes('two'))].sort());
  assert.equal(agent.status.snapshot().state === 'error', false);
});
