import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ledger } from '../../src/ledger/ledger.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { exportEnv, fingerprint, sha256, type ExportEnv } from '../support/export-env.js';
import { control, expectedOrderFile, exportableOrders, openSandbox } from '../support/sandbox.js';

describe('a full export of 20 dossiers × 50 documents plus documents and CODA', () => {
  let sandbox: Sandbox;
  let env: ExportEnv;
  before(async () => {
    sandbox = await openSandbox({ dossiers: 20, docsPerDossier: 50, otherDocsPerDossier: 3, codaDays: 10 });
    env = exportEnv(sandbox, { dossierConcurrency: 4 });
  });
  after(() => sandbox.close());

  test('the first sync exports everything once, byte-identical, and marks every order exported', async () => {
    const summary = await env.sync();
    assert.equal(summary.status, 'ok', JSON.stringify(env.events.filter((e) => e.level !== 'info').slice(0, 3)));
    const world = sandbox.world;
    const exportable = exportableOrders(sandbox);
    const expectedCount = exportable.length + world.documents.size + world.codaFiles.size;
    assert.equal(world.orders.size, 1000);
    assert.ok(exportable.length < 1000, 'some orders were rejected by the entrepreneur');
    assert.equal(summary.counts.exported, expectedCount);
    assert.equal(env.files().length, expectedCount, 'one file per document, nothing else');
    assert.ok(exportable.every((o) => o.exportedToConnector), 'every order marked exported in Billit');
    assert.ok([...world.orders.values()].filter((o) => o.approvalStatus === 'Rejected').every((o) => !o.exportedToConnector), 'rejected orders stay out');

    const ledger = Ledger.open(env.ledgerFile);
    try {
      const rows = ledger.documents.listByState(['acknowledged']);
      assert.equal(rows.length, expectedCount);
      const paths = new Set<string>();
      for (const row of rows) {
        assert.ok(row.finalPath && existsSync(row.finalPath), `ledger path of ${row.source} ${row.billitId} exists`);
        assert.equal(sha256(readFileSync(row.finalPath)), row.sha256, 'ledger and disk agree');
        paths.add(row.finalPath);
        if (row.source === 'orders') {
          const order = world.orders.get(Number(row.billitId))!;
          const folder = order.direction === 'Cost' ? 'Purchases' : 'Sales';
          assert.ok(row.finalPath.includes(`/${folder}/`), `${row.finalPath} is in ${folder}`);
          assert.deepEqual(readFileSync(row.finalPath), expectedOrderFile(sandbox, order), 'what Billit served, SBDH removed, Billit\'s PDF embedded where the UBL had none');
          assert.doesNotMatch(readFileSync(row.finalPath, 'utf8'), /StandardBusinessDocument/);
        } else if (row.source === 'coda') {
          assert.ok(row.finalPath.includes('/FinancialTransactions/'));
          assert.match(row.finalPath, /\/BE\d{14}_\d{4}-\d{2}-\d{2}_\d{3}\.cod$/);
          assert.deepEqual(readFileSync(row.finalPath), world.files.get(row.billitId)!.produce());
        } else {
          assert.ok(row.finalPath.includes('/Documents/'));
        }
      }
      assert.equal(paths.size, expectedCount, 'no two documents share a file');
    } finally {
      ledger.close();
    }
  });

  test('a second sync downloads and writes nothing', async () => {
    const before = new Map(env.files().map((f) => [f, fingerprint(join(env.root, f))]));
    await control(sandbox, 'DELETE', 'stats');
    const summary = await env.sync();
    assert.equal(summary.status, 'ok');
    assert.equal(summary.counts.exported, 0);
    const stats = await control(sandbox, 'GET', 'stats');
    assert.equal(stats.byRoute['GET /v1/files/{id}'] ?? 0, 0, 'no downloads');
    assert.equal(stats.byRoute['GET /v1/orders/{id}'] ?? 0, 0, 'no order reads');
    assert.equal(stats.byRoute['PATCH /v1/orders/{id}'] ?? 0, 0, 'nothing re-acknowledged');
    assert.deepEqual(new Map(env.files().map((f) => [f, fingerprint(join(env.root, f))])), before);
  });

  test('new documents added in Billit are exported by the next sync, and only they', async () => {
    const party = [...sandbox.world.dossiers.keys()][3]!;
    const { orderIds } = await control(sandbox, 'POST', 'documents', { partyId: party, count: 3, approvalStatus: 'Approved' });
    await control(sandbox, 'DELETE', 'stats');
    const early = await env.sync();
    assert.equal(early.counts.exported, 0, 'not yet: created less than 10 minutes ago');
    const summary = await env.sync({}, undefined, () => new Date(Date.now() + 11 * 60_000));
    assert.equal(summary.counts.exported, 3);
    const stats = await control(sandbox, 'GET', 'stats');
    const withoutPdf = orderIds.filter((id: number) => !sandbox.world.orders.get(id)!.embedPdf).length;
    assert.equal(stats.byRoute['GET /v1/files/{id}'], 3 + withoutPdf, 'the UBL of each, and Billit\'s PDF where the UBL has none');
    for (const id of orderIds) assert.equal(sandbox.world.orders.get(id)!.exportedToConnector, true);
  });
});
