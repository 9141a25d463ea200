import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  BillitHttpError, BillitUnreachableError, DownloadIntegrityError, type AttemptEvent,
} from '../../src/billit/index.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { clientFor, control, firstDossier, openSandbox } from '../support/sandbox.js';

describe('recovering from Billit faults', () => {
  let sandbox: Sandbox;
  let party: number;
  let ublFileId: string;
  let ublSha: string;

  before(async () => {
    sandbox = await openSandbox();
    party = firstDossier(sandbox);
    const order = sandbox.world.companyOrders(party)[0]!;
    ublFileId = order.ublFileId;
    ublSha = createHash('sha256').update(sandbox.world.files.get(ublFileId)!.produce()).digest('hex');
  });
  after(() => sandbox.close());
  beforeEach(async () => {
    await control(sandbox, 'DELETE', 'faults');
    await control(sandbox, 'DELETE', 'stats');
  });

  test('a 429 with Retry-After in seconds is honoured', async () => {
    await control(sandbox, 'POST', 'faults', { kind: 'status', status: 429, retryAfter: 2, count: 1, route: '/v1/account/accountInformation' });
    const events: Array<AttemptEvent & { at: number }> = [];
    const client = clientFor(sandbox, { onAttempt: (event) => events.push({ ...event, at: performance.now() }) });
    const started = performance.now();
    const info = await client.accountInformation();
    const elapsed = performance.now() - started;
    assert.equal(info.Companies.length, 2);
    assert.equal(events[0]?.outcome, 'retry');
    assert.equal(events[0]?.status, 429);
    assert.ok(events[0]!.delayMs! >= 2000 && events[0]!.delayMs! <= 2400, `planned delay ${events[0]!.delayMs} ms for Retry-After 2 s`);
    // The plan above is the client's decision; the wait is only checked not to be cut short (a loaded
    // machine may wake it late).
    assert.ok(elapsed >= 1600, `waited ${Math.round(elapsed)} ms for Retry-After 2 s`);
    const stats = await control(sandbox, 'GET', 'stats');
    assert.deepEqual(stats.byRouteStatus['GET /v1/account/accountInformation'], { 200: 1, 429: 1 });
  });

  test('a 503 with Retry-After as an HTTP date is honoured', async () => {
    const date = new Date(Date.now() + 3000).toUTCString();
    await control(sandbox, 'POST', 'faults', { kind: 'status', status: 503, retryAfter: date, count: 1, route: '/v1/orders' });
    const started = Date.now();
    const expectedWait = Date.parse(date) - started;
    const events: AttemptEvent[] = [];
    for await (const _ of clientFor(sandbox, { onAttempt: (event) => events.push(event) }).orders(party)) { /* drain */ }
    const elapsed = Date.now() - started;
    // The delay is planned from the date, measured when the 503 arrives (a few ms after the start).
    assert.equal(events[0]?.status, 503);
    assert.ok(events[0]!.delayMs! >= expectedWait - 200 && events[0]!.delayMs! <= expectedWait + 100, `planned ${events[0]!.delayMs} ms for a Retry-After ${expectedWait} ms away`);
    assert.ok(elapsed >= expectedWait * 0.8, `waited ${elapsed} ms for a Retry-After ${expectedWait} ms away`);
  });

  test('500 and 503 answers are retried until Billit answers', async () => {
    await control(sandbox, 'POST', 'faults', { rules: [
      { kind: 'status', status: 500, count: 1, route: '/v1/orders/*' },
      { kind: 'status', status: 503, count: 1, route: '/v1/orders/*' },
    ] });
    const client = clientFor(sandbox);
    const orderId = sandbox.world.companyOrders(party)[0]!.orderId;
    const order = await client.order(party, orderId);
    assert.equal(order.OrderID, orderId);
    const stats = await control(sandbox, 'GET', 'stats');
    assert.deepEqual(stats.byRouteStatus['GET /v1/orders/{id}'], { 200: 1, 500: 1, 503: 1 });
  });

  test('a connection cut in the middle of a download is retried and the file arrives whole', async () => {
    await control(sandbox, 'POST', 'faults', { kind: 'cut', count: 2, route: '/v1/files/*' });
    const client = clientFor(sandbox);
    const file = await client.file(party, ublFileId);
    assert.equal(file.sha256, ublSha);
    const stats = await control(sandbox, 'GET', 'stats');
    assert.equal(stats.byRoute['GET /v1/files/{id}'], 3);
    assert.equal(stats.faultsInjected.cut, 2);
  });

  test('a server that stays down ends in an error naming the call, after the configured attempts', async () => {
    await control(sandbox, 'POST', 'faults', { kind: 'status', status: 503, route: '/v1/orders/*' });
    const client = clientFor(sandbox);
    await assert.rejects(client.order(party, 1), (error: unknown) => {
      assert.ok(error instanceof BillitHttpError);
      assert.equal(error.status, 503);
      assert.match(error.message, /GET \/v1\/orders\/1/);
      return true;
    });
    const stats = await control(sandbox, 'GET', 'stats');
    assert.equal(stats.byRoute['GET /v1/orders/{id}'], 4);
  });

  test('corrupted base64 is rejected with an error naming the file, and nothing is returned', async () => {
    await control(sandbox, 'POST', 'faults', { kind: 'corrupt-base64', route: '/v1/files/*' });
    const client = clientFor(sandbox);
    await assert.rejects(client.file(party, ublFileId), (error: unknown) => {
      assert.ok(error instanceof DownloadIntegrityError);
      assert.equal(error.fileId, ublFileId);
      assert.match(error.message, new RegExp(`${ublFileId}.*invalid character`));
      assert.match(error.message, /\.xml"/);
      return true;
    });
  });

  test('truncated base64 is rejected with an error naming the file', async () => {
    await control(sandbox, 'POST', 'faults', { kind: 'truncate-base64', route: '/v1/files/*' });
    await assert.rejects(clientFor(sandbox).file(party, ublFileId), (error: unknown) => {
      assert.ok(error instanceof DownloadIntegrityError);
      assert.match(error.message, /not a multiple of 4/);
      assert.match(error.message, new RegExp(ublFileId));
      return true;
    });
  });

  test('a damaged download that heals on retry is accepted', async () => {
    await control(sandbox, 'POST', 'faults', { kind: 'corrupt-base64', count: 1, route: '/v1/files/*' });
    const file = await clientFor(sandbox).file(party, ublFileId);
    assert.equal(file.sha256, ublSha);
  });

  test('a feed item whose SHA-256 does not match is rejected with an error naming the file', async () => {
    const client = clientFor(sandbox);
    await client.createFeed('hash-check');
    await control(sandbox, 'POST', 'feeds/export', { partyId: party });
    const [item] = await client.feedItems('hash-check');
    assert.ok(item);
    await control(sandbox, 'POST', 'faults', { kind: 'wrong-sha', route: '/v1/accountant/feeds/*/*' });
    await assert.rejects(client.feedItemFile('hash-check', item), (error: unknown) => {
      assert.ok(error instanceof DownloadIntegrityError);
      assert.match(error.message, /SHA-256 [0-9a-f]{64} does not match/);
      assert.match(error.message, /\.xml"/);
      return true;
    });
    await control(sandbox, 'DELETE', 'faults');
    const file = await client.feedItemFile('hash-check', item);
    assert.ok(file.bytes.length > 0);
    await client.confirmFeedItem('hash-check', item, { remoteServerName: 'test', remotePath: 'X:/x.xml' });
    assert.ok(!(await client.feedItems('hash-check')).some((i) => i.FeedItemID === item.FeedItemID));
    await client.deleteFeed('hash-check');
  });

  test('added latency is waited out, and an unreachable host gives an unreachable error', async () => {
    await control(sandbox, 'POST', 'faults', { kind: 'latency', latencyMs: 300, count: 1, route: '/v1/account/accountInformation' });
    const slow = clientFor(sandbox, { timeoutMs: 150 });
    const info = await slow.accountInformation();
    assert.equal(info.Companies.length, 2, 'the first attempt timed out and the retry succeeded');
    const closed = clientFor({ ...sandbox, baseUrl: `http://127.0.0.1:${await closedPort()}` } as Sandbox, { retry: { attempts: 2, baseDelayMs: 5 } });
    await assert.rejects(closed.accountInformation(), (error: unknown) => {
      assert.ok(error instanceof BillitUnreachableError);
      assert.match(error.message, /connection refused/);
      assert.doesNotMatch(error.message, new RegExp(sandbox.apiKey));
      return true;
    });
  });

  test('above the sandbox rate limit every call still succeeds through 429 retries', async () => {
    await control(sandbox, 'POST', 'rate-limit', { ratePerSecond: 20, burst: 2 });
    try {
      const client = clientFor(sandbox, { ratePerSecond: 100, burst: 100, maxConcurrent: 4, retry: { attempts: 8, baseDelayMs: 20 } });
      const orders = sandbox.world.companyOrders(party).slice(0, 10);
      const got = await Promise.all(orders.map((o) => client.order(party, o.orderId)));
      assert.deepEqual(got.map((o) => o.OrderID), orders.map((o) => o.orderId));
      const stats = await control(sandbox, 'GET', 'stats');
      assert.ok((stats.byStatus['429'] ?? 0) >= 1, 'the limit was actually hit');
    } finally {
      await control(sandbox, 'POST', 'rate-limit', { ratePerSecond: null });
    }
  });
});

/** A loopback port that was just free: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
