import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ListQuery } from '../../src/billit/client.js';
import { parseConfig } from '../../src/config/load-config.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { realFileSystem } from '../../src/platform/fs/file-system.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { runSync } from '../../src/sync/run-sync.js';
import { clientFor, control, openSandbox } from '../support/sandbox.js';

/*
 * The orders listing re-reads 70 minutes below its watermark (late-visible orders, Billit's clock,
 * the autumn's repeated hour). Once listings with that overlap have run for 70 minutes while the
 * watermark stood still, it is left out: an after-10-minutes dossier whose last change was a bulk
 * export no longer re-reads those orders every minute forever. A new change brings the overlap back.
 */
describe('the orders watermark overlap', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 1, docsPerDossier: 0, otherDocsPerDossier: 0, codaDays: 0 }); });
  after(() => sandbox.close());

  test('is used for 70 minutes after the watermark last moved, then left out until the next change', async () => {
    const party = [...sandbox.world.dossiers.keys()][0]!;
    const start = new Date('2026-11-10T09:00:00Z');
    await control(sandbox, 'POST', 'clock', { set: start.toISOString() });
    await control(sandbox, 'POST', 'documents', { partyId: party, count: 6, orderDate: '2026-11-09', direction: 'Cost', created: '2026-11-09T10:00:00', approvalStatus: 'Approved' });

    const base = mkdtempSync(join(tmpdir(), 'billsync-overlap-'));
    const root = join(base, 'export');
    mkdirSync(root);
    const config = parseConfig({ billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey }, exportRoot: root, policy: { frequency: 'after-10-minutes' } });
    const client = clientFor(sandbox);
    // What each orders listing asked for and got (the client itself, listened to).
    const listings: Array<{ filter: string; orders: number }> = [];
    const listOrders = client.orderPages.bind(client);
    client.orderPages = async function* (partyId: number, query: ListQuery = {}) {
      let orders = 0;
      for await (const page of listOrders(partyId, query)) { orders += page.items.length; yield page; }
      listings.push({ filter: query.filter ?? '', orders });
    };
    const ledger = Ledger.open(join(base, 'data', 'ledger.sqlite'));
    after(() => ledger.close());
    const pass = async (minutes: number) => {
      const now = new Date(start.getTime() + minutes * 60_000);
      await control(sandbox, 'POST', 'clock', { set: now.toISOString() });
      listings.length = 0;
      const summary = await runSync({ client, ledger, fs: realFileSystem, config, exportRoot: root, dataDir: join(base, 'data'), now: () => now }, { trigger: 'after-10-minutes', kinds: ['purchase', 'sales', 'document'], skipDeleted: true });
      assert.equal(summary.status, 'ok');
      assert.equal(listings.length, 1, 'one orders listing per pass');
      return { ...listings[0]!, exported: summary.counts.exported };
    };

    const first = await pass(0);
    assert.equal(first.exported, 6);
    // Marking them exported changed their LastModified to about 10:00 Brussels; the next listing (with the
    // overlap) sees that and moves the watermark there.
    const withOverlap = "LastModified ge DateTime'2026-11-10T08:50:00'";
    const atWatermark = "LastModified ge DateTime'2026-11-10T10:00:00'";
    assert.deepEqual(await pass(1), { filter: "LastModified ge DateTime'2026-11-10T08:50:00'", orders: 6, exported: 0 });
    const watermark = ledger.watermarks.get(party, 'orders');
    assert.match(watermark ?? '', /^2026-11-10T10:00:00/);

    // From minute 2 the watermark stands still; listings keep the overlap until 70 minutes of them have run.
    for (const minutes of [2, 40, 71, 72]) {
      assert.deepEqual(await pass(minutes), { filter: withOverlap, orders: 6, exported: 0 }, `minute ${minutes}: the overlap re-reads the six`);
    }
    for (const minutes of [73, 200]) {
      const listing = await pass(minutes);
      assert.equal(listing.filter, atWatermark, `minute ${minutes}: from the watermark itself`);
      assert.equal(listing.exported, 0);
    }

    // Something changes: the new order is listed and exported, the watermark moves, the overlap is back.
    await control(sandbox, 'POST', 'clock', { set: new Date(start.getTime() + 201 * 60_000).toISOString() });
    const [added] = (await control(sandbox, 'POST', 'documents', { partyId: party, count: 1, orderDate: '2026-11-09', direction: 'Cost', created: '2026-11-09T10:00:00', approvalStatus: 'Approved' })).orderIds as number[];
    const afterChange = await pass(202);
    assert.equal(afterChange.filter, atWatermark);
    assert.equal(afterChange.exported, 1);
    assert.ok(ledger.documents.find('orders', String(added))?.finalPath, 'the new order was exported');
    const moved = ledger.watermarks.get(party, 'orders')!;
    assert.ok(moved > watermark!, `the watermark moved (${moved})`);
    const next = await pass(203);
    // Local wall-clock arithmetic is safe here: no daylight-saving change on 10 November.
    const seventyBelow = new Date(Date.parse(`${moved.slice(0, 19)}Z`) - 70 * 60_000).toISOString().slice(0, 19);
    assert.equal(next.filter, `LastModified ge DateTime'${seventyBelow}'`, 'the overlap again: 70 minutes below the new watermark');
  });
});
