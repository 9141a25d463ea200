import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BillitHttpError, odataAnd, odataDateTime } from '../../src/billit/index.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { clientFor, control, firstDossier, openSandbox } from '../support/sandbox.js';

describe('paging through Billit lists', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 1, docsPerDossier: 400 }); });
  after(() => sandbox.close());

  test('all orders of a dossier arrive over more than 3 pages, each order once', async () => {
    const client = clientFor(sandbox);
    const party = firstDossier(sandbox);
    await control(sandbox, 'DELETE', 'stats');
    const pages = [];
    for await (const page of client.orderPages(party, { orderBy: 'LastModified asc' })) pages.push(page);
    const ids = pages.flatMap((p) => p.items.map((o) => o.OrderID));
    assert.equal(pages.length, 4);
    assert.deepEqual(pages.map((p) => p.items.length), [120, 120, 120, 40]);
    assert.equal(new Set(ids).size, 400);
    assert.deepEqual(new Set(ids), new Set(sandbox.world.companyOrders(party).map((o) => o.orderId)));
    const stats = await control(sandbox, 'GET', 'stats');
    assert.equal(stats.byRoute['GET /v1/orders'], 4, 'one request per page, no more');
  });

  test('orders come sorted by LastModified when asked', async () => {
    const client = clientFor(sandbox);
    const stamps: string[] = [];
    for await (const order of client.orders(firstDossier(sandbox), { orderBy: 'LastModified asc' })) stamps.push(order.LastModified);
    assert.deepEqual(stamps, [...stamps].sort());
  });

  test('a LastModified watermark and direction filter return only the matching orders', async () => {
    const client = clientFor(sandbox);
    const party = firstDossier(sandbox);
    const since = new Date('2026-10-01T00:00:00+02:00');
    const filter = odataAnd(`LastModified ge ${odataDateTime(since)}`, "OrderDirection eq 'Cost'", 'ExportedToConnector eq false');
    const got: number[] = [];
    for await (const order of client.orders(party, { filter })) got.push(order.OrderID);
    const expected = sandbox.world.companyOrders(party)
      .filter((o) => o.lastModified >= '2026-10-01T00:00:00.000' && o.direction === 'Cost' && !o.exportedToConnector)
      .map((o) => o.orderId);
    assert.ok(expected.length > 10, 'the filter selects a meaningful subset');
    assert.ok(expected.length < 400);
    assert.deepEqual(got.sort(), expected.sort());
  });

  test('an unsupported filter property is answered 400 GenericError, as Billit does', async () => {
    const client = clientFor(sandbox);
    await assert.rejects(async () => {
      for await (const _ of client.orders(firstDossier(sandbox), { filter: "VATNumber eq 'BE0123456749'" })) { /* drain */ }
    }, (error: unknown) => {
      assert.ok(error instanceof BillitHttpError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'GenericError');
      assert.match(error.message, /Could not find a property named 'VATNumber'/);
      return true;
    });
  });
});
