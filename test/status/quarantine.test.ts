import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Sandbox } from '../../src/sandbox/server.js';
import { quarantineRoutes } from '../../src/status/pages/quarantine.js';
import { control, openSandbox } from '../support/sandbox.js';
import { openStatusPage, type StatusPageEnv } from '../support/status-page.js';

describe('quarantine page', () => {
  let sandbox: Sandbox;
  let env: StatusPageEnv;
  let party: number;
  let bad: number;
  let documentId: number;

  before(async () => {
    sandbox = await openSandbox({ docsPerDossier: 3 });
    party = [...sandbox.world.dossiers.keys()][0]!;
    const { orderIds } = await control(sandbox, 'POST', 'documents', { partyId: party, count: 1, approvalStatus: 'Approved', direction: 'Cost', orderDate: '2026-10-20', created: '2026-10-20T09:00:00' });
    bad = (orderIds as number[])[0]!;
    await control(sandbox, 'POST', `orders/${bad}/damage`, { damaged: true });
    env = await openStatusPage(sandbox, quarantineRoutes, { policy: { frequency: 'after-10-minutes' } });
    // A real sync quarantines the damaged invoice (its totals do not add up: BR-CO-16).
    env.agent.syncNow();
    await env.agent.queue.idle();
    const row = env.app.ledger.documents.find('orders', String(bad));
    assert.equal(row?.state, 'quarantined');
    documentId = row.id;
  });
  after(async () => {
    await env.close();
    await sandbox.close();
  });

  test('lists the quarantined document under its dossier, with its report escaped in a <pre>', async () => {
    const response = await env.get('/quarantine');
    const body = await response.text();
    assert.equal(response.status, 200);
    const order = sandbox.world.orders.get(bad)!;
    const dossierName = env.app.ledger.dossiers.get(party)!.name;
    assert.ok(body.includes(dossierName.replace(/&/g, '&amp;').replace(/'/g, '&#39;')), 'the dossier is named');
    assert.ok(body.includes(order.plan.number), 'the invoice number is shown');
    assert.match(body, /<pre>billsync quarantine report\r?\ndocument: orders \d+/);
    assert.match(body, /BR-CO-16/);
    assert.ok(body.includes(`action="/quarantine/${documentId}/retry"`));
    assert.ok(body.includes(`action="/quarantine/${documentId}/open"`));
    assert.match(body, /Opnieuw proberen/);
  });

  test('"Open folder" opens the dossier\'s quarantine folder in the data dir', async () => {
    const response = await env.post(`/quarantine/${documentId}/open`, {});
    assert.equal(response.status, 303);
    assert.deepEqual(env.opener.opened, [join(env.app.paths.dataDir, 'quarantine', String(party))]);
    const page = await (await env.get(response.headers.get('location')!)).text();
    assert.match(page, /De quarantainemap van .* is geopend/);
  });

  test('"Try again" reopens the document and a run exports the corrected version', async () => {
    await control(sandbox, 'POST', `orders/${bad}/damage`, { damaged: false });
    const response = await env.post(`/quarantine/${documentId}/retry`, {});
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `/quarantine?retried=${documentId}&date=2026-10-20`);
    assert.notEqual(env.app.ledger.documents.get(documentId)!.state, 'quarantined', 'reopened at once');
    const reopened = env.app.ledger.events.list({ limit: 50, type: 'document.reopened' }).filter((e) => e.documentId === documentId);
    assert.equal(reopened.length, 1);
    await env.agent.queue.idle();
    const row = env.app.ledger.documents.get(documentId)!;
    assert.equal(row.state, 'acknowledged');
    assert.ok(row.finalPath !== null && existsSync(row.finalPath), 'the file is in the Venice folder');
    const page = await (await env.get(response.headers.get('location')!)).text();
    assert.match(page, /gaat opnieuw mee: billsync exporteert nu de documenten van .* van 20\/10\/2026/);
    assert.ok(!page.includes(`/quarantine/${documentId}/retry`), 'no longer listed');
    assert.match(page, /Er staat niets in quarantaine/);
  });

  test('"Try again" on a document that is not in quarantine changes nothing', async () => {
    const before = env.app.ledger.documents.get(documentId)!;
    const response = await env.post(`/quarantine/${documentId}/retry`, {});
    assert.equal(response.headers.get('location'), '/quarantine?gone=1');
    assert.deepEqual(env.app.ledger.documents.get(documentId), before);
    assert.equal((await env.post('/quarantine/999999/retry', {})).headers.get('location'), '/quarantine?gone=1');
  });

  test('a mass quarantine shows 100 documents with their reports and says how many more the folder holds', async () => {
    const other = [...sandbox.world.dossiers.keys()][1]!;
    const ids: number[] = [];
    for (let i = 0; i < 120; i++) {
      const row = env.app.ledger.documents.ensureSeen({ source: 'documents', billitId: `mass-${i}`, dossierPartyId: other, kind: 'document', title: `scan-${i}.pdf` });
      env.app.ledger.documents.markQuarantined(row.id, 'not a PDF');
      ids.push(row.id);
    }
    try {
      const body = await (await env.get('/quarantine')).text();
      assert.equal((body.match(/<article class="card"/g) ?? []).length, 100, 'one card per document, up to 100');
      const total = env.app.ledger.documents.listByState(['quarantined']).length;
      const hidden = [...body.matchAll(/Nog (\d+) documenten van dit dossier worden hier niet getoond \(de pagina toont er 100\)/g)].map((m) => Number(m[1]));
      assert.equal(hidden.reduce((a, b) => a + b, 0), total - 100, `the ${total - 100} not shown are counted (${total} in quarantine)`);
    } finally {
      for (const id of ids) env.app.ledger.documents.reopen(id);
    }
  });
});
