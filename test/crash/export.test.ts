import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, before, describe, test } from 'node:test';
import { toBrusselsLocal } from '../../src/core/brussels-time.js';
import { Random } from '../../src/sandbox/data/random.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { expectedHashes, expectedOrderHashes } from '../support/invariants.js';
import { control, exportableOrders, openSandbox } from '../support/sandbox.js';
import { assertFinal, crashEnv, discard, killDuringRun, KillTally, killLeftovers, prepareCli, readLedger, runClean } from './crash-harness.js';

/*
 * Crash suite, phase (a): `billsync sync` SIGKILLed at 40 seeded random instants while new documents
 * keep arriving in Billit (before runs and during them). Each next start is the restart that must
 * reconcile what the kill left; after every kill Venice may see only whole documents; after a final
 * clean run, every document is on disk exactly once and the ledger agrees with the disk and Billit.
 */

const KILLS = 40;
/**
 * Kills come 0…WINDOW_MS after the k-th API answer (k in 1…MAX_REQUESTS) once the run's ledger row
 * appears. Every run here lists 3 dossiers × (orders, deleted orders, documents, bank transactions)
 * after that row, besides downloading what arrived, so such a kill lands inside the run however fast
 * the machine; the small window spreads kills over the file writes between answers.
 */
const WINDOW_MS = 60;
const MAX_REQUESTS = 12;
/** Every 10th kill is blind: 0…1500 ms after the spawn, to land in start-up (the first one: creating the ledger). */
const BLIND_EVERY = 10;

describe('crash suite: export', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ seed: 'crash-export', dossiers: 3, docsPerDossier: 8, otherDocsPerDossier: 2, codaDays: 3 }); });
  after(async () => { await killLeftovers(); await sandbox.close(); });

  test(`${KILLS} SIGKILLs during billsync sync while documents arrive: whole files only, then nothing lost, nothing twice, ledger equal to disk`, async () => {
    const started = Date.now();
    const cli = await prepareCli();
    console.log(`# crash suite: billsync runs as ${cli.kind}: ${cli.why}`);
    const env = crashEnv(sandbox, 'export');
    const dossiers = [...sandbox.world.dossiers.keys()];
    const rnd = new Random('crash-suite/export');
    // Every API call takes a little while, as over the internet: a run lasts long enough, even on a
    // fast machine, for a kill 0…WINDOW_MS after its start to land inside it.
    await control(sandbox, 'POST', 'faults', { kind: 'latency', route: '/v1/**', latencyMs: 15 });

    let expected = expectedHashes(sandbox);
    const arrive = async () => {
      // Created 20 minutes ago, so the after-10-minutes policy sends them now; never rejected.
      const { orderIds } = await control(sandbox, 'POST', 'documents', {
        partyId: rnd.pick(dossiers), count: rnd.int(1, 4), approvalStatus: rnd.chance(0.5) ? 'Approved' : null,
        created: toBrusselsLocal(new Date(Date.now() - 20 * 60_000)), ...(rnd.chance(0.5) ? { direction: 'Income' } : {}),
      }) as { orderIds: number[] };
      // Only the new ones: hashing the whole world again after every arrival would cost seconds.
      expected = new Set([...expected, ...expectedOrderHashes(sandbox, orderIds)]);
    };

    // Some orders the entrepreneur rejects: they must stay out of the folders, and 'seen' in the ledger.
    const rejected = new Set<number>();
    const reject = async () => {
      const { orderIds } = await control(sandbox, 'POST', 'documents', {
        partyId: rnd.pick(dossiers), count: 2, approvalStatus: 'Rejected', created: toBrusselsLocal(new Date(Date.now() - 20 * 60_000)),
      }) as { orderIds: number[] };
      for (const id of orderIds) rejected.add(id);
    };

    const tally = new KillTally('export');
    // Until KILLS processes were really killed (a run may end before its kill comes): the suite counts 100 in all.
    for (let i = 0; tally.kills < KILLS && i < KILLS * 2; i++) {
      if (i > 0) await arrive();
      if (i % 13 === 1) await reject();
      const blind = i % BLIND_EVERY === 0;
      const delayMs = blind ? rnd.int(0, 1500) : rnd.int(0, WINDOW_MS);
      const afterRequests = blind ? {} : { afterRequests: { served: () => sandbox.stats.total, count: rnd.int(1, MAX_REQUESTS) } };
      // Now and then documents arrive while the run is under way, too.
      const during = rnd.chance(0.3) ? rnd.int(0, 400) : null;
      tally.add(await killDuringRun(cli, env, ['sync', '--json'], {
        delayMs, blind, label: `after kill ${i} (${blind ? 'blind, ' : ''}${delayMs} ms)`, expected: () => expected, ...afterRequests,
        ...(during === null ? {} : { duringRun: async () => { await new Promise((resolve) => setTimeout(resolve, during)); await arrive(); } }),
      }));
    }

    // The restart after the last kill, run to its end.
    await control(sandbox, 'DELETE', 'faults');
    await runClean(cli, env, ['sync', '--json']);
    expected = expectedHashes(sandbox);
    // Rejected orders are not expected: one on disk would be reported as not a whole expected document.
    const report = await assertFinal(env, expected);
    const rejectedStates = readLedger(env.ledgerFile, (db) => db.prepare(`SELECT billit_id AS id, state FROM documents WHERE source = 'orders'`).all() as Array<{ id: string; state: string }>)!
      .filter((row) => rejected.has(Number(row.id))).map((row) => row.state);
    assert.deepEqual(rejectedStates, [...rejected].map(() => 'seen'), 'orders the entrepreneur rejected stay seen, never exported');
    assert.equal(report.files.length, expected.size);
    const unacknowledged = exportableOrders(sandbox).filter((order) => !order.exportedToConnector).map((order) => order.orderId);
    assert.deepEqual(unacknowledged, [], 'every exported order was marked exported in Billit');

    tally.print(`${expected.size} documents, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    tally.assertMostlyMidRun(KILLS);
    discard(env);
  });
});

describe('crash suite: export, the instant between placing a document and removing its staged copy', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ seed: 'crash-staged', dossiers: 1, docsPerDossier: 4, otherDocsPerDossier: 0, codaDays: 0 }); });
  after(async () => { await killLeftovers(); await sandbox.close(); });

  test('a kill after the ledger says placed and before the staged copy is removed leaves nothing behind after the next start', async () => {
    const cli = await prepareCli();
    const env = crashEnv(sandbox, 'staged');
    await runClean(cli, env, ['sync', '--json']);
    // What such a kill leaves (a window too narrow to hit reliably at random): the file in its folder,
    // the ledger row 'placed' with its staged path, the staged copy still in the data dir, Billit not told.
    const row = readLedger(env.ledgerFile, (db) => db.prepare(`SELECT id, billit_id AS billitId, final_path AS finalPath FROM documents
      WHERE source = 'orders' AND state = 'acknowledged' ORDER BY id LIMIT 1`).get() as { id: number; billitId: string; finalPath: string })!;
    const staged = join(env.dataDir, 'staging', `${row.id}.xml`);
    copyFileSync(row.finalPath, staged);
    const db = new Database(env.ledgerFile);
    db.prepare(`UPDATE documents SET state = 'placed', staged_path = ?, acknowledged_at = NULL WHERE id = ?`).run(staged, row.id);
    db.close();
    sandbox.world.orders.get(Number(row.billitId))!.exportedToConnector = false;

    await runClean(cli, env, ['sync', '--json']);
    assert.equal(existsSync(staged), false, 'the staged copy is gone');
    await assertFinal(env, expectedHashes(sandbox));
    assert.equal(sandbox.world.orders.get(Number(row.billitId))!.exportedToConnector, true, 'Billit was told at the restart');
    discard(env);
  });
});
