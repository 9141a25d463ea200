import assert from 'node:assert/strict';
import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { startWatchers, type Watchers } from '../../../src/desktop/watchers/index.js';
import type { DocumentRow } from '../../../src/ledger/document-row.js';
import { Ledger } from '../../../src/ledger/ledger.js';
import type { Sandbox } from '../../../src/sandbox/server.js';
import type { SyncEvent } from '../../../src/sync/sync-context.js';
import { exportEnv, type ExportEnv } from '../../support/export-env.js';
import { clientFor, openSandbox } from '../../support/sandbox.js';
import { waitFor } from './watch-helpers.js';

interface PickupEnv {
  env: ExportEnv;
  sandbox: Sandbox;
  ledger: Ledger;
  events: SyncEvent[];
  start(): Promise<Watchers>;
  close(): Promise<void>;
}

/** A real sync into a fresh export root; the ledger it wrote, opened again for the watchers. */
async function syncedEnv(polling: { forcePolling: boolean; pollIntervalMs?: number } = { forcePolling: false }): Promise<PickupEnv> {
  const sandbox = await openSandbox();
  const env = exportEnv(sandbox);
  await env.sync();
  const ledger = Ledger.open(env.ledgerFile);
  const events: SyncEvent[] = [];
  let watchers: Watchers | null = null;
  return {
    env, sandbox, ledger, events,
    async start() {
      watchers = await startWatchers({
        exportRoot: env.root, configFile: join(env.dataDir, 'config', 'billsync.json'), ledger, client: clientFor(sandbox),
        onEvent: (event) => events.push(event), onConfig: () => undefined, onError: () => undefined, stabilityMs: 800, ...polling,
      });
      return watchers;
    },
    async close() {
      await watchers?.close();
      ledger.close();
      await sandbox.close();
    },
  };
}

const states = (ledger: Ledger): Map<number, string> => new Map(ledger.documents.listByState(['seen', 'fetched', 'placed', 'acknowledged', 'quarantined', 'picked_up']).map((row) => [row.id, row.state]));

function placedPurchase(ledger: Ledger): DocumentRow {
  const row = ledger.documents.listByState(['acknowledged', 'placed']).find((r) => r.kind === 'purchase' && r.finalPath !== null);
  assert.ok(row, 'the sync placed at least one purchase invoice');
  return row;
}

describe('files Venice takes out of its folders', () => {
  test('deleting an exported file records picked_up for exactly that document; untracked and temporary files change nothing', async (t) => {
    const p = await syncedEnv();
    t.after(() => p.close());
    const target = placedPurchase(p.ledger);
    const folder = dirname(target.finalPath!);
    const untracked = join(folder, 'handmatig toegevoegd.xml');
    const temp = join(folder, '.billsync-0123456789ab.partial');
    writeFileSync(untracked, '<Invoice/>');
    writeFileSync(temp, 'half');
    const before = states(p.ledger);
    const watchers = await p.start();

    // The untracked and temporary files go first, in the same folder: by the time the tracked
    // deletion is recorded, the earlier ones have been through the same serial queue.
    unlinkSync(untracked);
    unlinkSync(temp);
    await sleep(200);
    unlinkSync(target.finalPath!);
    await waitFor('the document to be picked up', () => p.ledger.documents.get(target.id)!.state === 'picked_up');
    await sleep(300);
    await watchers.idle();

    const after = states(p.ledger);
    const changed = [...after].filter(([id, state]) => before.get(id) !== state);
    assert.deepEqual(changed, [[target.id, 'picked_up']]);
    const pickedUp = p.events.filter((e) => e.type === 'picked-up');
    assert.equal(pickedUp.length, 1);
    assert.equal(pickedUp[0]!.documentId, target.id);
    assert.equal(pickedUp[0]!.dossierPartyId, target.dossierPartyId);
    assert.equal(pickedUp[0]!.level, 'info');
    assert.match(pickedUp[0]!.message, new RegExp(`${basename(target.finalPath!).replace(/[.()[\]+]/g, '\\$&')} was taken out of Purchases`));
    assert.equal(p.ledger.events.list({ limit: 5, type: 'picked-up' })[0]?.documentId, target.id, 'the audit trail has it');
  });

  test('polling (a network share): a file taken is recorded as picked_up, and only that one', async (t) => {
    const p = await syncedEnv({ forcePolling: true, pollIntervalMs: 200 });
    t.after(() => p.close());
    const target = placedPurchase(p.ledger);
    const neighbours = p.ledger.documents.listByState(['acknowledged', 'placed']).filter((r) => r.id !== target.id && dirname(r.finalPath ?? '') === dirname(target.finalPath!));
    assert.ok(neighbours.length > 0, 'other documents share the folder, so the folder check has more than one to look at');
    const before = states(p.ledger);
    const watchers = await p.start();
    assert.ok(p.events.some((e) => e.type === 'watch-polling'), 'the watchers say they poll');
    unlinkSync(target.finalPath!);
    await waitFor('the document to be picked up', () => p.ledger.documents.get(target.id)!.state === 'picked_up');
    await watchers.idle();
    const changed = [...states(p.ledger)].filter(([id, state]) => before.get(id) !== state);
    assert.deepEqual(changed, [[target.id, 'picked_up']]);
  });

  test('a file taken while billsync was stopped is recorded at the next start', async (t) => {
    const p = await syncedEnv();
    t.after(() => p.close());
    const target = placedPurchase(p.ledger);
    unlinkSync(target.finalPath!);
    const watchers = await p.start();
    await watchers.idle();
    assert.equal(p.ledger.documents.get(target.id)!.state, 'picked_up');
    assert.deepEqual(p.events.filter((e) => e.type === 'picked-up').map((e) => e.documentId), [target.id]);
  });

  test('without the export root marker (a share that dropped off), disappearing files are not recorded', async (t) => {
    const p = await syncedEnv();
    t.after(() => p.close());
    const target = placedPurchase(p.ledger);
    const watchers = await p.start();
    rmSync(join(p.env.root, '.billsync'));
    unlinkSync(target.finalPath!);
    await waitFor('the warning', () => p.events.find((e) => e.type === 'pickup-paused'));
    await watchers.idle();
    assert.notEqual(p.ledger.documents.get(target.id)!.state, 'picked_up');
    assert.equal(p.events.filter((e) => e.type === 'picked-up').length, 0);
  });
});
