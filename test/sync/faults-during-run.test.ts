import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ledger } from '../../src/ledger/ledger.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { exportEnv, sha256 } from '../support/export-env.js';
import { clientFor, control, expectedOrderFile, exportableOrders, openSandbox } from '../support/sandbox.js';

/** sha256 → what Billit's document should look like on disk. */
function expectedFiles(sandbox: Sandbox): Set<string> {
  const world = sandbox.world;
  const out = new Set<string>();
  for (const order of exportableOrders(sandbox)) out.add(sha256(expectedOrderFile(sandbox, order)));
  for (const document of world.documents.values()) out.add(sha256(world.files.get(document.fileId)!.produce()));
  for (const coda of world.codaFiles.values()) out.add(sha256(world.files.get(coda.codaFileId)!.produce()));
  return out;
}

const FAULTS = [
  { kind: 'status', status: 429, retryAfter: 0, probability: 0.05 },
  { kind: 'status', status: 500, probability: 0.05 },
  { kind: 'status', status: 503, probability: 0.05 },
  { kind: 'cut', probability: 0.05 },
  { kind: 'corrupt-base64', route: '/v1/files/*', probability: 0.05 },
  { kind: 'truncate-base64', route: '/v1/files/*', probability: 0.05 },
];

describe('a full run under Billit faults', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ seed: 'faults', dossiers: 6, docsPerDossier: 25, otherDocsPerDossier: 3, codaDays: 10 }); });
  after(() => sandbox.close());

  test('finishes, writes only intact files, and a later run completes the export exactly once', async () => {
    const env = exportEnv(sandbox);
    await control(sandbox, 'POST', 'faults', { rules: FAULTS });
    let first;
    try {
      first = await env.sync();
    } finally {
      const injected = (await control(sandbox, 'GET', 'faults')).injected;
      await control(sandbox, 'DELETE', 'faults');
      const total = Object.values(injected as Record<string, number>).reduce((a, b) => a + b, 0);
      console.log(`# faults injected during the run: ${total} ${JSON.stringify(injected)}`);
      assert.ok(total >= 10, 'the faults really happened');
    }
    assert.ok(first.status === 'ok' || first.status === 'partial');
    const expected = expectedFiles(sandbox);
    for (const file of env.files()) assert.ok(expected.has(sha256(readFileSync(join(env.root, file)))), `${file} is an intact document`);

    const second = await env.sync();
    assert.equal(second.status, 'ok');
    const onDisk = env.files().map((file) => sha256(readFileSync(join(env.root, file))));
    assert.equal(onDisk.length, expected.size, 'every document, once');
    assert.deepEqual(new Set(onDisk), expected);
    assert.ok(exportableOrders(sandbox).every((o) => o.exportedToConnector));
    const ledger = Ledger.open(env.ledgerFile);
    try {
      assert.equal(ledger.documents.listByState(['acknowledged']).length, expected.size);
    } finally {
      ledger.close();
    }
  });

  test('an order list Billit keeps refusing fails its dossier, not the run, and the next run catches up', async () => {
    const env = exportEnv(sandbox);
    const victim = [...sandbox.world.dossiers.keys()][0]!;
    // Every order listing fails while the rule is on.
    const rule = { kind: 'status', status: 500, route: '/v1/orders', method: 'GET' };
    await control(sandbox, 'POST', 'faults', rule);
    let summary;
    try {
      summary = await env.sync({ dossiers: [victim, [...sandbox.world.dossiers.keys()][1]!] });
    } finally {
      await control(sandbox, 'DELETE', 'faults');
    }
    assert.equal(summary.status, 'partial');
    const failed = env.events.filter((e) => e.type === 'dossier-failed');
    assert.equal(failed.length, 2, 'each dossier reports its own failure');
    assert.ok(failed.every((e) => /\(invoices\): .*500/.test(e.message)), failed.map((e) => e.message).join(' | '));
    // The dossiers' other sources still ran: their documents and bank statements went.
    const delivered = env.files().filter((f) => /\/(Documents|FinancialTransactions)\//.test(f));
    assert.ok(delivered.length > 0, 'documents and CODA files despite the failing invoice listing');
    assert.equal(env.files().filter((f) => /\/(Purchases|Sales)\//.test(f)).length, 0);
    const again = await env.sync({ dossiers: [victim] });
    assert.equal(again.status, 'ok', 'the next run catches up');
    assert.ok(again.counts.exported > 0);
  });

  test('in feed mode, a wrong SHA-256 or a cut download is retried or reported, never written', async () => {
    const env = exportEnv(sandbox, { billit: { mode: 'feed', feedName: 'faulty' } });
    await clientFor(sandbox).createFeed('faulty');
    await control(sandbox, 'POST', 'feeds/export', { orderIds: [...sandbox.world.orders.keys()].slice(0, 40) });
    await control(sandbox, 'POST', 'faults', { rules: [
      { kind: 'wrong-sha', route: '/v1/accountant/feeds/*/*', probability: 0.3 },
      { kind: 'cut', route: '/v1/accountant/feeds/*/*', probability: 0.1 },
    ] });
    try {
      await env.sync({ kinds: ['purchase', 'sales'] });
    } finally {
      await control(sandbox, 'DELETE', 'faults');
    }
    const expected = expectedFiles(sandbox);
    for (const file of env.files()) assert.ok(expected.has(sha256(readFileSync(join(env.root, file)))), `${file} is intact`);
    const remaining = sandbox.world.feeds.get('faulty')!.size;
    assert.equal(env.files().length + remaining, 40, 'each item is either placed and confirmed or still queued');
  });
});
