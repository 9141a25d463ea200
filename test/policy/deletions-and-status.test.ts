import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { statusReport } from '../../src/app/commands/status.js';
import { Ledger } from '../../src/ledger/ledger.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { exportEnv } from '../support/export-env.js';
import { control, openSandbox } from '../support/sandbox.js';

describe('deletions in Billit and what status shows', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 1, docsPerDossier: 0, otherDocsPerDossier: 0, codaDays: 0 }); });
  after(() => sandbox.close());

  test('an order deleted in Billit is recorded and reported, and its file stays; approvals waiting are counted', async () => {
    const party = [...sandbox.world.dossiers.keys()][0]!;
    const created = '2026-11-02T09:00:00';
    const add = async (approvalStatus: string) => (await control(sandbox, 'POST', 'documents', {
      partyId: party, count: 1, orderDate: '2026-11-02', approvalStatus, direction: 'Cost', created,
    })).orderIds[0] as number;
    const kept = await add('Approved');
    await add('Pending');
    await add('ToApproveByMe');
    const env = exportEnv(sandbox, { policy: { frequency: 'after-10-minutes', requireApproval: true } });
    await env.sync();
    assert.equal(env.files().length, 1);
    const ledger = Ledger.open(env.ledgerFile);
    const path = ledger.documents.find('orders', String(kept))!.finalPath!;
    let report = statusReport(ledger);
    assert.equal(report.dossiers[0]!.awaitingApproval, 2);
    assert.equal(report.dossiers[0]!.exported, 1);
    ledger.close();

    await control(sandbox, 'POST', `orders/${kept}/delete`);
    await env.sync();
    assert.ok(existsSync(path), 'the exported file is never deleted');
    const events = env.events.filter((e) => e.type === 'deleted-in-billit');
    assert.equal(events.length, 1);
    assert.match(events[0]!.message, /was deleted in Billit; its file stays at/);
    await env.sync();
    assert.equal(env.events.filter((e) => e.type === 'deleted-in-billit').length, 1, 'reported once');

    // A Billit that refuses the LastModified filter on deleted orders (not documented as filterable):
    // the list is read unfiltered, and a second deletion is still seen, the first not reported again.
    const second = await add('Approved');
    await env.sync();
    await control(sandbox, 'POST', `orders/${second}/delete`);
    await control(sandbox, 'POST', 'faults', { kind: 'status', status: 400, route: '/v1/orders/deleted', method: 'GET', count: 1 });
    const refused = await env.sync();
    assert.equal(refused.status, 'ok', JSON.stringify(env.events.filter((e) => e.level === 'error').map((e) => e.message)));
    assert.ok(env.events.some((e) => e.type === 'deleted-unfiltered'));
    assert.deepEqual(env.events.filter((e) => e.type === 'deleted-in-billit').map((e) => (e.data as { orderId: number }).orderId), [kept, second]);
    const reopened = Ledger.open(env.ledgerFile);
    try {
      assert.ok(reopened.documents.find('orders', String(kept))!.deletedInBillitAt);
      report = statusReport(reopened);
      assert.equal(report.dossiers[0]!.deletedInBillit, 2);
      assert.equal(report.dossiers[0]!.exported, 2, 'still counted as exported');
    } finally {
      reopened.close();
    }
  });
});
