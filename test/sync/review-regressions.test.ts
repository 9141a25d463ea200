import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { BillitClient } from '../../src/billit/index.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { exportEnv } from '../support/export-env.js';
import { control, exportableOrders, openSandbox } from '../support/sandbox.js';

describe('listings that change while billsync works through them', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 1, docsPerDossier: 400, otherDocsPerDossier: 0, codaDays: 0 }); });
  after(() => sandbox.close());

  test('400 orders of one dossier (4 pages) are all exported in one run, although each export changes the listing', async () => {
    const env = exportEnv(sandbox, { policy: { frequency: 'after-10-minutes', lockAfterExport: true } });
    const summary = await env.sync();
    assert.equal(summary.status, 'ok');
    const exportable = exportableOrders(sandbox);
    assert.ok(exportable.length > 360);
    assert.equal(summary.counts.exported, exportable.length);
    assert.ok(exportable.every((o) => o.exportedToConnector));
  });
});

describe('monthly runs missed for more than a month', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 1, docsPerDossier: 0, otherDocsPerDossier: 0, codaDays: 0 }); });
  after(() => sandbox.close());

  test('a catch-up after October and November were missed exports both months, and not the current one', async () => {
    const party = [...sandbox.world.dossiers.keys()][0]!;
    const add = async (orderDate: string) => (await control(sandbox, 'POST', 'documents', { partyId: party, count: 1, orderDate, approvalStatus: 'Approved', direction: 'Cost', created: orderDate })).orderIds[0] as number;
    const october = await add('2026-10-10T10:00:00');
    const november = await add('2026-11-20T10:00:00');
    const december = await add('2026-12-01T09:00:00');
    const august = await add('2026-08-20T10:00:00');
    const env = exportEnv(sandbox, { policy: { frequency: 'last-month', exportFrom: '2026-09-01' } });
    await env.sync({}, undefined, () => new Date('2026-12-02T10:00:00Z'));
    const exported = (id: number) => sandbox.world.orders.get(id)!.exportedToConnector;
    assert.equal(exported(october), true);
    assert.equal(exported(november), true);
    assert.equal(exported(december), false, 'the current month waits');
    assert.equal(exported(august), false, 'before exportFrom');
  });
});

describe('a company renamed in Billit', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 1, docsPerDossier: 2, otherDocsPerDossier: 0, codaDays: 0 }); });
  after(() => sandbox.close());

  test('keeps its folder, and the rename is reported', async () => {
    const env = exportEnv(sandbox);
    await env.sync();
    const company = [...sandbox.world.dossiers.values()][0]!;
    const folder = env.files()[0]!.split('/')[0]!;
    const oldName = company.name;
    company.name = `${oldName.replace(/ (BV|NV|SRL|SA|CommV|VOF)$/, '')} Holding NV`;
    await control(sandbox, 'POST', 'documents', { partyId: company.partyId, count: 1, approvalStatus: 'Approved', created: '2026-01-01T00:00:00' });
    await env.sync();
    assert.ok(env.files().every((f) => f.startsWith(`${folder}/`)), 'every document in the first folder');
    const renamed = env.events.filter((e) => e.type === 'dossier-renamed');
    assert.equal(renamed.length, 1);
    assert.match(renamed[0]!.message, /is now called .* Holding NV in Billit; its documents keep going to/);
  });
});

describe('a Billit list without NextPageLink or Count', () => {
  let server: Server;
  let baseUrl: string;
  before(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const skip = Number(url.searchParams.get('$skip') ?? 0);
      const top = Number(url.searchParams.get('$top') ?? 120);
      const items = Array.from({ length: Math.max(0, Math.min(top, 300 - skip)) }, (_, i) => ({ OrderID: skip + i + 1, OrderType: 'Invoice', OrderDirection: 'Cost', LastModified: '2026-11-01T10:00:00' }));
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ Items: items }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('is read to the end by $skip while pages are full', async () => {
    const client = new BillitClient({ baseUrl, credentials: { kind: 'apiKey', apiKey: 'k' }, ratePerSecond: 100 });
    const ids: number[] = [];
    for await (const order of client.orders(1)) ids.push(order.OrderID);
    assert.equal(ids.length, 300);
    assert.equal(new Set(ids).size, 300);
  });
});

describe('a Billit that will not take the exported mark', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 2, docsPerDossier: 6, otherDocsPerDossier: 0, codaDays: 0 }); });
  after(() => sandbox.close());

  test('a 400 to PATCH ExportedToConnector leaves the files delivered and the orders done, reported once per dossier', async () => {
    await control(sandbox, 'POST', 'faults', { kind: 'status', route: '/v1/orders/*', method: 'PATCH', status: 400 });
    try {
      const env = exportEnv(sandbox, { policy: { frequency: 'after-10-minutes', lockAfterExport: true } });
      const first = await env.sync();
      const exportable = exportableOrders(sandbox);
      assert.equal(first.status, 'ok');
      assert.equal(first.counts.exported, exportable.length);
      assert.equal(first.counts.acknowledged, exportable.length, 'done in the ledger, so not retried');
      assert.equal(first.counts.failed, 0);
      assert.ok(exportable.every((o) => !o.exportedToConnector), 'Billit did not take the mark');
      const refused = env.events.filter((e) => e.type === 'lock-refused');
      assert.deepEqual(new Set(refused.map((e) => e.dossierPartyId)), new Set(sandbox.world.dossiers.keys()));
      assert.equal(refused.length, 2, 'one report per dossier, not one per order');
      assert.match(refused[0]!.message, /the entrepreneur can still change it in Billit/);
      const patches = sandbox.stats.byRoute['PATCH /v1/orders/{id}'] ?? 0;
      assert.equal(patches, exportable.length, 'each order was asked once');
      const second = await env.sync();
      assert.equal(second.counts.exported, 0, 'nothing is delivered twice');
      assert.equal(second.counts.failed, 0);
      assert.equal(sandbox.stats.byRoute['PATCH /v1/orders/{id}'] ?? 0, patches, 'and the refused mark is not asked again');
    } finally {
      await control(sandbox, 'DELETE', 'faults');
    }
  });
});
