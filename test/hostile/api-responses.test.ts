import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  BillitClient, BillitError, BillitUnreachableError, DownloadIntegrityError, MalformedResponseError,
  type BillitClientOptions, type FeedItem, type Page,
} from '../../src/billit/index.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { startHostileBillit, type HostileAnswer, type HostileBillit } from '../support/hostile-billit.js';
import { openSandbox } from '../support/sandbox.js';
import { assertContained, bounded, hostileCase, hostileEnv, rejection, reportCaseCount, type HostileEnv } from './hostile-support.js';

/**
 * Billit (or whatever answers in its place: a captive portal, a broken proxy, an attacker) answers
 * every endpoint billsync reads with what no documentation promises. Every case must end, quickly,
 * in a BillitError that names the endpoint and what was wrong, without crashing the process and
 * without writing anything under the export root.
 */

reportCaseCount();

const PARTY = 4711;
const ATTEMPTS = 3;
const CASE_MS = 10_000;
const API_KEY = 'hostile-test-key';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const sha = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
const UBL_TEXT = '<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>';
const FEED_ITEM: FeedItem = { FeedItemID: 77, EntityID: 1001, EntityType: 'Order', PartyID: PARTY };

const ORDER_SUMMARY = {
  OrderID: 1001, CompanyID: PARTY, OrderNumber: 'F2026-0001', OrderType: 'Invoice', OrderDirection: 'Cost',
  OrderDate: '2026-10-01T00:00:00', Created: '2026-10-01T10:00:00', LastModified: '2026-10-01T10:00:00',
  ApprovalStatus: 'Approved', ExportedToConnector: false, TotalIncl: 121, Currency: 'EUR',
  CounterParty: { Name: 'Leverancier BV', VATNumber: 'BE0403199702' },
};

async function drain<T>(pages: AsyncGenerator<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) {
    items.push(...page.items);
    // A safety net of the test itself: a runaway listing must fail the case, not eat the memory.
    if (items.length > 1_000_000) throw new Error(`runaway listing: ${items.length} items and counting`);
  }
  return items;
}

interface Endpoint {
  /** The path Billit serves (what error messages must name). */
  path: string;
  /** A well-formed answer, as documented. */
  valid: unknown;
  call: (client: BillitClient) => Promise<unknown>;
  /** Proves that a call which should succeed read the well-formed fields. */
  check: (result: unknown) => void;
  /** Where a list lives in the answer: the Items of a page, or the body itself. */
  list: 'page' | 'array' | null;
}

const first = (result: unknown): Record<string, unknown> => {
  assert.ok(Array.isArray(result) && result.length > 0, `expected a non-empty list, got ${typeof result}`);
  return result[0] as Record<string, unknown>;
};

const ENDPOINTS: Record<string, Endpoint> = {
  'account information': {
    path: '/v1/account/accountInformation', list: null,
    valid: { Email: 'office@example.be', Companies: [{ PartyID: PARTY, Name: 'Dossier BV', VATNumber: 'BE0403199702' }] },
    call: (c) => c.accountInformation(),
    check: (r) => assert.equal((r as { Companies: Array<{ PartyID: number }> }).Companies[0]?.PartyID, PARTY),
  },
  'orders list': {
    path: '/v1/orders', list: 'page',
    valid: { Items: [ORDER_SUMMARY], NextPageLink: null, Count: 1 },
    call: (c) => drain(c.orderPages(PARTY)),
    check: (r) => assert.equal(first(r).OrderID, 1001),
  },
  'deleted orders list': {
    path: '/v1/orders/deleted', list: 'page',
    valid: { Items: [{ OrderID: 1002, LastModified: '2026-10-02T09:00:00' }], NextPageLink: null, Count: 1 },
    call: (c) => drain(c.deletedOrderPages(PARTY)),
    check: (r) => assert.equal(first(r).OrderID, 1002),
  },
  order: {
    path: '/v1/orders/1001', list: null,
    valid: { ...ORDER_SUMMARY, OrderPDF: { FileID: 'pdf-1', FileName: 'F2026-0001.pdf' }, Attachments: [{ FileID: 'ubl-1', FileName: 'F2026-0001.xml' }] },
    call: (c) => c.order(PARTY, 1001),
    check: (r) => assert.equal((r as { Attachments: Array<{ FileID: string }> }).Attachments[0]?.FileID, 'ubl-1'),
  },
  file: {
    path: '/v1/files/ubl-1', list: null,
    valid: { FileID: 'ubl-1', FileName: 'F2026-0001.xml', MimeType: 'text/xml', FileContent: b64(UBL_TEXT) },
    call: (c) => c.file(PARTY, 'ubl-1'),
    check: (r) => assert.equal((r as { bytes: Buffer }).bytes.toString('utf8'), UBL_TEXT),
  },
  'documents list': {
    path: '/v1/documents', list: 'page',
    valid: { Items: [{ DocumentID: 500001, Name: 'Huurcontract', DocumentDate: '2026-09-01T00:00:00', File: { FileID: 'doc-1', FileName: 'huur.pdf' } }], Count: 1 },
    call: (c) => drain(c.documentPages(PARTY)),
    check: (r) => assert.equal(first(r).DocumentID, 500001),
  },
  'financial transactions': {
    path: '/v1/financialTransactions', list: 'page',
    valid: { Items: [{ BankAccountTransactionID: 7001, IBAN: 'BE68539007547034', CodaFileID: 'coda-1', ValueDate: '2026-10-05T00:00:00' }], Count: 1 },
    call: (c) => drain(c.transactionPages(PARTY)),
    check: (r) => assert.equal(first(r).CodaFileID, 'coda-1'),
  },
  'feeds list': {
    path: '/v1/accountant/feeds', list: 'array',
    valid: [{ Name: 'billsync' }],
    call: (c) => c.feeds(),
    check: (r) => assert.equal(first(r).Name, 'billsync'),
  },
  'feed items': {
    path: '/v1/accountant/feeds/billsync', list: 'array',
    valid: [FEED_ITEM],
    call: (c) => c.feedItems('billsync'),
    check: (r) => assert.equal(first(r).FeedItemID, 77),
  },
  'feed item download': {
    path: '/v1/accountant/feeds/billsync/77', list: null,
    valid: { FileName: 'F2026-0001.xml', FileContent: b64(UBL_TEXT), FileContentSHA256Hash: sha(UBL_TEXT) },
    call: (c) => c.feedItemFile('billsync', FEED_ITEM),
    check: (r) => assert.equal((r as { bytes: Buffer }).bytes.toString('utf8'), UBL_TEXT),
  },
};

let server: HostileBillit;
let elsewhere: HostileBillit;
before(async () => {
  server = await startHostileBillit();
  elsewhere = await startHostileBillit();
});
after(async () => {
  await server.close();
  await elsewhere.close();
});

function clientOf(overrides: Partial<BillitClientOptions> = {}): BillitClient {
  return new BillitClient({
    baseUrl: server.baseUrl, credentials: { kind: 'apiKey', apiKey: API_KEY }, accountantPartyId: 1,
    ratePerSecond: 10_000, burst: 10_000, timeoutMs: 3_000,
    retry: { attempts: ATTEMPTS, baseDelayMs: 1, maxDelayMs: 2 }, sleep: async () => undefined,
    ...overrides,
  });
}

interface Expectation {
  error: new (...args: never[]) => Error;
  /** What the message must say besides the endpoint. */
  message: RegExp;
  /** Most requests the case may cost (retries included). @default ATTEMPTS */
  maxRequests?: number;
  /** What the message must name instead of the endpoint (a download names its file). @default the endpoint */
  names?: string;
}

/** Serves `answer` on the endpoint, calls it, and checks the refusal: class, endpoint, reason, bounds. */
async function refused(endpoint: Endpoint, answer: HostileAnswer, expected: Expectation, client = clientOf(), ms = CASE_MS): Promise<Error> {
  server.reset();
  server.answer(endpoint.path, answer);
  const error = await bounded(`GET ${endpoint.path}`, ms, () => rejection(`GET ${endpoint.path}`, () => endpoint.call(client)));
  assertClear(error, endpoint.path, expected);
  const hits = server.hits(endpoint.path);
  assert.ok(hits >= 1 && hits <= (expected.maxRequests ?? ATTEMPTS), `${hits} requests to ${endpoint.path}; retries must be bounded`);
  return error;
}

function assertClear(error: Error, path: string, expected: Expectation): void {
  assert.ok(error instanceof expected.error, `expected ${expected.error.name}, got ${error.name}: ${error.message.slice(0, 300)}`);
  assert.ok(error instanceof BillitError, `${error.name} is not a BillitError: ${error.message.slice(0, 300)}`);
  const named = expected.names ?? path;
  assert.ok(error.message.includes(named), `the message names ${named}: ${error.message.slice(0, 300)}`);
  assert.match(error.message, expected.message);
  assert.ok(error.message.length < 2_000, `the message stays readable (${error.message.length} characters)`);
}

/** Serves `answer` and expects the call to succeed with the well-formed fields read. */
async function tolerated(endpoint: Endpoint, answer: HostileAnswer, ms = CASE_MS): Promise<void> {
  server.reset();
  server.answer(endpoint.path, answer);
  const result = await bounded(`GET ${endpoint.path}`, ms, () => endpoint.call(clientOf()));
  endpoint.check(result);
}

const json = (value: unknown): HostileAnswer => ({ body: JSON.stringify(value) });
const NOT_JSON: Expectation = { error: MalformedResponseError, message: /not JSON/ };
const SHAPE = (field: RegExp): Expectation => ({ error: MalformedResponseError, message: field, maxRequests: 1 });

/** `{Items: [x]}` or `[x]` or x, with one field of the (first) entity changed. */
function withField(endpoint: Endpoint, field: string, value: unknown): unknown {
  const edit = (entity: unknown): unknown => {
    const copy = { ...(entity as Record<string, unknown>) };
    if (value === undefined) delete copy[field];
    else copy[field] = value;
    return copy;
  };
  if (endpoint.list === 'page') {
    const page = endpoint.valid as { Items: unknown[] };
    return { ...page, Items: [edit(page.Items[0]), ...page.Items.slice(1)] };
  }
  if (endpoint.list === 'array') return [edit((endpoint.valid as unknown[])[0]), ...(endpoint.valid as unknown[]).slice(1)];
  return edit(endpoint.valid);
}

const DEEP = 100_000;
const deepArrays = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
const TEN_MB = 'A'.repeat(10 * 1024 * 1024);

describe('every endpoint billsync reads, answered with what is not its documented shape', () => {
  for (const [name, endpoint] of Object.entries(ENDPOINTS)) {
    const text = JSON.stringify(endpoint.valid);

    hostileCase(`${name}: an HTML error page with status 200 is refused as not JSON`, () =>
      refused(endpoint, { headers: { 'Content-Type': 'text/html' }, body: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>' }, NOT_JSON));

    hostileCase(`${name}: an empty body with status 200 is refused as not JSON`, () =>
      refused(endpoint, { body: '' }, NOT_JSON));

    hostileCase(`${name}: JSON cut off half-way is refused as not JSON`, () =>
      refused(endpoint, { body: text.slice(0, Math.floor(text.length / 2)) }, NOT_JSON));

    hostileCase(`${name}: a bare JSON null is refused, naming the body`, () =>
      refused(endpoint, { body: 'null' }, SHAPE(/\(body\)/)));

    hostileCase(`${name}: 100,000 nested arrays as the whole body are refused without a stack overflow`, () =>
      refused(endpoint, { body: deepArrays }, SHAPE(/expected (object|array)/)));

    hostileCase(`${name}: a status 200 carrying Billit's error shape is refused and says what Billit reported`, () =>
      refused(endpoint, json({ errors: [{ Code: 'GenericError', Description: 'Could not find a property named VATNumber' }] }),
        SHAPE(/GenericError.*Could not find a property named VATNumber/)));

    hostileCase(`${name}: a body announced longer than sent, then a cut connection, is a network failure`, () =>
      refused(endpoint, {
        handle: (_request, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(text.length * 4) });
          res.write(text.slice(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
        },
      }, { error: BillitUnreachableError, message: /cut/ }));

    hostileCase(`${name}: a redirect to itself ends as an error instead of a loop`, () =>
      refused(endpoint, { status: 302, headers: { Location: endpoint.path }, body: '' }, { error: BillitError, message: /redirect|30[1278]/i, maxRequests: ATTEMPTS * 21 }));

    hostileCase(`${name}: a redirect to another host never carries the API key there`, async () => {
      elsewhere.reset();
      elsewhere.answer('*', json(endpoint.valid));
      server.reset();
      server.answer(endpoint.path, { status: 302, headers: { Location: `${elsewhere.baseUrl}/stolen${endpoint.path}` }, body: '' });
      await bounded(`GET ${endpoint.path}`, CASE_MS, () => endpoint.call(clientOf()).catch(() => undefined));
      const leaked = elsewhere.requests.filter((r) => r.headers.apikey !== undefined || r.headers.partyid !== undefined || r.headers.contextpartyid !== undefined);
      assert.deepEqual(leaked.map((r) => r.path), [], 'the other host received Billit credentials or party headers');
    });

    hostileCase(`${name}: 100,000 nested arrays in an unknown field are tolerated`, () =>
      tolerated(endpoint, { body: text.replace(/\{/, `{"Nested":${deepArrays},`) }));

    hostileCase(`${name}: a 10 MB string in an unknown field is tolerated`, () =>
      tolerated(endpoint, { body: text.replace(/\{/, `{"Huge":"${TEN_MB}",`) }));

    hostileCase(`${name}: valid JSON labelled text/html is read by its content`, () =>
      tolerated(endpoint, { headers: { 'Content-Type': 'text/html; charset=iso-8859-1' }, body: text }));
  }
});

describe('OAuth token requests', () => {
  hostileCase('a token request redirected (307) to another host never sends the client secret or refresh token there', async () => {
    elsewhere.reset();
    elsewhere.answer('*', json({ access_token: 'a', refresh_token: 'r2', expires_in: 3600, token_type: 'Bearer' }));
    server.reset();
    server.answer('/OAuth2/token', { status: 307, headers: { Location: `${elsewhere.baseUrl}/OAuth2/token` }, body: '' });
    server.answer('/v1/account/accountInformation', json(ENDPOINTS['account information']!.valid));
    const client = clientOf({
      credentials: { kind: 'oauth', clientId: 'billsync', clientSecret: 'hostile-client-secret', store: { load: async () => 'hostile-refresh-token', save: async () => undefined } },
    });
    const outcome = await bounded('the OAuth call', CASE_MS, () => client.accountInformation().then(() => null, (error: unknown) => error as Error));
    assert.deepEqual(elsewhere.requests.map((r) => `${r.method} ${r.path}`), [], 'the token request (client secret, refresh token) went to the other host');
    assert.ok(outcome instanceof BillitError, `the call is refused with a BillitError, got ${outcome === null ? 'success' : `${outcome.name}: ${outcome.message}`}`);
  });
});

describe('wrong types and missing fields', () => {
  const cases: Array<[string, string, string, unknown, RegExp]> = [
    ['account information', 'Companies is null', 'Companies', null, /Companies: .*expected array/],
    ['account information', 'Companies is a string', 'Companies', 'all of them', /Companies: .*expected array/],
    ['account information', 'Companies is missing', 'Companies', undefined, /Companies: .*expected array/],
    ['orders list', 'Items is null', 'Items', null, /Items: .*expected array/],
    ['orders list', 'Items is an object', 'Items', { 0: ORDER_SUMMARY }, /Items: .*expected array/],
    ['orders list', 'Count is a string', 'Count', '1000000000', /Count: .*expected number/],
    ['orders list', 'NextPageLink is a number', 'NextPageLink', 2, /NextPageLink: .*expected string/],
    ['feeds list', 'a feed name is a number', 'Name', 12, /\[0\]\.Name: .*expected string/],
    ['feed items', 'FeedItemID is a string', 'FeedItemID', '77', /\[0\]\.FeedItemID: .*expected number/],
    ['feed items', 'PartyID is missing', 'PartyID', undefined, /\[0\]\.PartyID: .*expected number/],
    ['feed items', 'EntityType is null', 'EntityType', null, /\[0\]\.EntityType: .*expected string/],
    ['order', 'OrderID is a string', 'OrderID', '1001', /OrderID: .*expected number/],
    ['order', 'OrderID is a fraction', 'OrderID', 1001.5, /OrderID: .*expected int/],
    ['order', 'OrderDirection is missing', 'OrderDirection', undefined, /OrderDirection: .*expected string/],
    ['order', 'LastModified is a number', 'LastModified', 20261001, /LastModified: .*expected string/],
    ['order', 'Attachments is an object', 'Attachments', { FileID: 'ubl-1' }, /Attachments: .*expected array/],
    ['order', 'an attachment has a numeric FileID', 'Attachments', [{ FileID: 42, FileName: 'x.xml' }], /Attachments\[0\]\.FileID: .*expected string/],
    ['order', 'OrderPDF is a string', 'OrderPDF', 'pdf-1', /OrderPDF: .*expected object/],
    ['order', 'CounterParty.Name is an object', 'CounterParty', { Name: { nl: 'x' } }, /CounterParty\.Name: .*expected string/],
    ['order', 'ExportedToConnector is the string "true"', 'ExportedToConnector', 'true', /ExportedToConnector: .*expected boolean/],
    ['order', 'TotalIncl is a word', 'TotalIncl', 'veel', /TotalIncl: .*expected number/],
    ['file', 'FileContent is missing', 'FileContent', undefined, /FileContent: .*expected string/],
    ['file', 'FileContent is a number', 'FileContent', 42, /FileContent: .*expected string/],
    ['file', 'FileName is null', 'FileName', null, /FileName: .*expected string/],
    ['documents list', 'DocumentID is a string', 'DocumentID', '500001', /Items\[0\]\.DocumentID: .*expected number/],
    ['documents list', 'File is a string', 'File', 'doc-1', /Items\[0\]\.File: .*expected object/],
    ['documents list', 'Name is an object', 'Name', { evil: true }, /Items\[0\]\.Name: .*expected string/],
    ['financial transactions', 'the transaction id is missing', 'BankAccountTransactionID', undefined, /Items\[0\]\.BankAccountTransactionID: .*expected number/],
    ['financial transactions', 'CodaFileID is a number', 'CodaFileID', 12345, /Items\[0\]\.CodaFileID: .*expected string/],
    ['deleted orders list', 'OrderID is null', 'OrderID', null, /Items\[0\]\.OrderID: .*expected number/],
    ['feed item download', 'the SHA-256 is missing', 'FileContentSHA256Hash', undefined, /FileContentSHA256Hash: .*expected string/],
  ];
  for (const [endpointName, label, field, value, pattern] of cases) {
    const endpoint = ENDPOINTS[endpointName]!;
    hostileCase(`${endpointName}: ${label} is refused, naming the field`, () => {
      const answer = endpointName === 'orders list' && (field === 'Items' || field === 'Count' || field === 'NextPageLink')
        ? { ...(endpoint.valid as object), [field]: value }
        : withField(endpoint, field, value);
      return refused(endpoint, json(answer), SHAPE(pattern));
    });
  }
});

describe('damaged downloads', () => {
  const file = ENDPOINTS.file!;
  const feedFile = ENDPOINTS['feed item download']!;
  // A damaged download names its file (name and id) rather than the endpoint: that is what the user looks for.
  const integrity = (names: string): Expectation => ({ error: DownloadIntegrityError, message: /damaged/, names });
  const damaged: Array<[string, Endpoint, Record<string, unknown>, RegExp, string]> = [
    ['file: base64 with characters outside the alphabet', file, { FileContent: '!!!!' + b64(UBL_TEXT) }, /invalid character "!"/, '(file ubl-1)'],
    ['file: base64 cut to a length that is not a multiple of 4', file, { FileContent: b64(UBL_TEXT).slice(0, -1) }, /not a multiple of 4/, '(file ubl-1)'],
    ['file: an empty FileContent', file, { FileContent: '' }, /empty/, '(file ubl-1)'],
    ['file: base64 with padding in the middle', file, { FileContent: `QQ==${b64(UBL_TEXT)}` }, /padding|invalid character/, '(file ubl-1)'],
    ['feed item download: a hash that does not match the content', feedFile, { FileContentSHA256Hash: sha('something else') }, /does not match/, '(file feed item 77)'],
    ['feed item download: invalid base64', feedFile, { FileContent: 'Zm9v!' }, /invalid character|multiple of 4/, '(file feed item 77)'],
  ];
  for (const [label, endpoint, change, pattern, names] of damaged) {
    hostileCase(`${label} is refused as damaged and retried a bounded number of times`, async () => {
      const error = await refused(endpoint, json({ ...(endpoint.valid as object), ...change }), integrity(names));
      assert.match(error.message, pattern);
      assert.match(error.message, /nothing was written/);
    });
  }

  hostileCase('file: 10 MB of valid base64 (7.5 MB decoded) downloads intact', async () => {
    const content = Buffer.alloc(7_500_000, 0x41);
    server.reset();
    server.answer(file.path, json({ FileID: 'ubl-1', FileName: 'big.pdf', MimeType: 'application/pdf', FileContent: content.toString('base64') }));
    const result = await bounded('GET /v1/files/ubl-1', CASE_MS, () => clientOf().file(PARTY, 'ubl-1'));
    assert.equal(result.bytes.length, content.length);
    assert.equal(result.sha256, createHash('sha256').update(content).digest('hex'));
  });

  for (const [label, endpoint] of [['file', file], ['feed item download', feedFile]] as const) {
    // Timing out per attempt is fine; refusing the announced size at once is better.
    hostileCase(`${label}: 300 MB announced in Content-Length but never sent ends in a timeout or a size refusal`, () =>
      refused(endpoint, {
        handle: (_request, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(300 * 1024 * 1024) });
          res.write('{"FileName":"big.xml","FileContent":"');
        },
      }, { error: BillitError, message: /no complete answer within|larger than|too large/ }, clientOf({ timeoutMs: 300 }), 5_000));
  }

  hostileCase('file: an answer that trickles one byte every 50 ms is cut off by the per-attempt timeout', () =>
    refused(file, {
      handle: (_request, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const timer = setInterval(() => { if (!res.write(' ')) clearInterval(timer); }, 50);
        res.on('close', () => clearInterval(timer));
      },
    }, { error: BillitUnreachableError, message: /no complete answer within/ }, clientOf({ timeoutMs: 300 }), 5_000));

  hostileCase('file: a gzip answer that inflates to 300 MB of blanks is refused (as not JSON, or as too large)', () =>
    refused(file, { headers: { 'Content-Encoding': 'gzip' }, body: gzipBomb(300) }, { error: MalformedResponseError, message: /not JSON|larger than|too large/ }, clientOf({ timeoutMs: 20_000, retry: { attempts: 1 } }), 25_000),
  { timeout: 40_000 });

  hostileCase('file: a gzip answer that inflates to 700 MB is refused as too large, not blamed on the network', () =>
    refused(file, { headers: { 'Content-Encoding': 'gzip' }, body: gzipBomb(700) }, { error: BillitError, message: /too large|larger than|exceeds/i }, clientOf({ timeoutMs: 20_000, retry: { attempts: 1 } }), 25_000),
  { timeout: 40_000 });
});

/** `mb` megabytes of blanks as concatenated gzip members: ~1 KB on the wire per MB inflated. */
function gzipBomb(mb: number): Buffer {
  const member = gzipSync(Buffer.alloc(1024 * 1024, 0x20), { level: 9 });
  return Buffer.concat(Array.from({ length: mb }, () => member));
}

describe('paging that never ends', () => {
  const orders = ENDPOINTS['orders list']!;
  const full = (offset = 0) => Array.from({ length: 120 }, (_, i) => ({ ...ORDER_SUMMARY, OrderID: 2_000_000 + offset + i }));

  hostileCase('a page claiming 10^9 items that ignores $skip and repeats itself is refused, not listed forever', () =>
    refused(orders, json({ Items: full(), Count: 1_000_000_000 }), { error: MalformedResponseError, message: /repeat/i, maxRequests: 3 }));

  hostileCase('a NextPageLink that changes on every page but serves the same items is refused, not followed forever', () => {
    let n = 0;
    return refused(orders, { body: () => JSON.stringify({ Items: full(), NextPageLink: `/v1/orders?page=${++n}` }) }, { error: MalformedResponseError, message: /repeat/i, maxRequests: 3 });
  });

  hostileCase('a NextPageLink pointing to the page itself does not list its items twice', async () => {
    server.reset();
    server.answer(orders.path, json({ Items: full().slice(0, 3), NextPageLink: '/v1/orders' }));
    const outcome = await bounded('GET /v1/orders', CASE_MS, () => drain(clientOf().orderPages(PARTY)).then((items) => items, (error: unknown) => error as Error));
    if (outcome instanceof Error) {
      assertClear(outcome, orders.path, { error: MalformedResponseError, message: /repeat/i });
    } else {
      const ids = outcome.map((o) => o.OrderID);
      assert.deepEqual(ids, [...new Set(ids)], 'no order listed twice');
    }
    assert.ok(server.hits(orders.path) <= 2);
  });

  hostileCase('a NextPageLink to another host is followed on the configured host only: no request goes there', async () => {
    elsewhere.reset();
    elsewhere.answer('*', json({ Items: [] }));
    server.reset();
    server.answer(orders.path, { body: (request) => JSON.stringify(request.query.get('page') === '2'
      ? { Items: [], NextPageLink: null }
      : { Items: full().slice(0, 1), NextPageLink: `${elsewhere.baseUrl}/v1/orders?page=2` }) });
    const items = await bounded('GET /v1/orders', CASE_MS, () => drain(clientOf().orderPages(PARTY)));
    assert.equal(items.length, 1);
    assert.equal(server.hits(orders.path), 2, 'page 2 was asked of the configured host');
    assert.equal(elsewhere.requests.length, 0, 'no request reached the other host');
  });

  hostileCase('a NextPageLink to a file: URL is refused', async () => {
    server.reset();
    server.answer(orders.path, json({ Items: full().slice(0, 1), NextPageLink: 'file:///etc/passwd' }));
    const error = await bounded('GET /v1/orders', CASE_MS, () => rejection('GET /v1/orders', () => drain(clientOf().orderPages(PARTY))));
    assert.ok(error instanceof BillitError, `${error.name}: ${error.message}`);
    assert.match(error.message, /another host|refus/i);
    assert.doesNotMatch(error.message, /root:/);
  });

  hostileCase('a short page claiming 10^9 items ends after that page', async () => {
    server.reset();
    server.answer(orders.path, json({ Items: full().slice(0, 5), Count: 1_000_000_000 }));
    const items = await bounded('GET /v1/orders', CASE_MS, () => drain(clientOf().orderPages(PARTY)));
    assert.equal(items.length, 5);
    assert.equal(server.hits(orders.path), 1);
  });

  hostileCase('a page of 100,000 orders (Billit sends at most 120) is read in bounded time', async () => {
    server.reset();
    const huge = JSON.stringify({ Items: Array.from({ length: 100_000 }, (_, i) => ({ OrderID: i + 1, OrderDirection: 'Cost', LastModified: '2026-10-01T10:00:00' })) });
    // A full page makes the client ask for the next one ($skip); that one is empty.
    server.answer(orders.path, { body: (request) => (request.query.has('$skip') ? '{"Items":[]}' : huge) });
    const items = await bounded('GET /v1/orders', CASE_MS, () => drain(clientOf().orderPages(PARTY)));
    assert.equal(items.length, 100_000);
  });

  hostileCase('an Items array of 300,000 nulls is refused with a short message', async () => {
    const error = await refused(orders, { body: `{"Items":[${Array.from({ length: 300_000 }, () => 'null').join(',')}]}` }, SHAPE(/Items\[0\]: .*expected object/));
    assert.match(error.message, /and 299995 more/);
  });

  hostileCase('an answer of 20 MB of nested objects in Items is refused without a stack overflow', () =>
    refused(orders, { body: `{"Items":[${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}]}` }, SHAPE(/Items\[0\]\.OrderID/)));
});

describe('a whole sync against hostile answers writes nothing it should not', () => {
  let sandbox: Sandbox;
  let proxy: HostileBillit;
  let baseline: string[] = [];
  let order: { id: number; full: Record<string, unknown>; ublFileId: string };
  let partyId: number;

  before(async () => {
    sandbox = await openSandbox({ dossiers: 1, docsPerDossier: 3, otherDocsPerDossier: 1, codaDays: 3 });
    proxy = await startHostileBillit({ upstream: sandbox.baseUrl });
    partyId = [...sandbox.world.dossiers.keys()][0]!;
    const listed = [...sandbox.world.orders.values()].find((o) => o.approvalStatus !== 'Rejected' && o.type === 'Invoice')!;
    const answer = await fetch(`${sandbox.baseUrl}/v1/orders/${listed.orderId}`, { headers: { ApiKey: sandbox.apiKey, PartyID: String(partyId) } });
    order = { id: listed.orderId, full: await answer.json() as Record<string, unknown>, ublFileId: listed.ublFileId };
    const env = envOf();
    const summary = await env.sync();
    assert.equal(summary.status, 'ok');
    baseline = env.files();
    assert.ok(baseline.length >= 3, `the baseline exports something: ${baseline.join(', ')}`);
    env.dispose();
  });
  const envs: HostileEnv[] = [];
  after(async () => {
    await proxy.close();
    await sandbox.close();
    // Also the environments of cases that failed before reaching their own dispose().
    for (const env of envs) env.dispose();
  });

  const envOf = (config: Parameters<typeof hostileEnv>[1] = {}, client: Parameters<typeof hostileEnv>[2] = {}): HostileEnv => {
    const env = hostileEnv({ baseUrl: proxy.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId }, config, client);
    envs.push(env);
    return env;
  };

  /** Runs a sync with `answers` in place, bounded; returns the env and the outcome (summary or error). */
  async function syncWith(answers: Array<[string, HostileAnswer]>, config: Parameters<typeof hostileEnv>[1] = {}, client: Parameters<typeof hostileEnv>[2] = {}) {
    proxy.reset();
    for (const [path, answer] of answers) proxy.answer(path, answer);
    const env = envOf(config, client);
    const outcome = await bounded('a sync', 20_000, () => env.sync().then((summary) => ({ summary }), (error: unknown) => ({ error: error as Error })));
    assertContained(env, 'the sync');
    const stray = env.files().filter((f) => !baseline.includes(f));
    for (const event of env.events) assert.ok(event.message.length < 10_000, `event ${event.type} carries a ${event.message.length}-character message`);
    return { env, outcome, stray };
  }

  function assertEvent(env: HostileEnv, type: string, pattern: RegExp): void {
    const found = env.events.filter((e) => e.type === type);
    assert.ok(found.some((e) => pattern.test(e.message)), `a ${type} event matching ${pattern}; got: ${env.events.map((e) => `${e.type}: ${e.message.slice(0, 200)}`).join(' | ')}`);
  }

  const orderFile = (env: HostileEnv) => env.files().filter((f) => f.includes(String((order.full as { OrderNumber: string }).OrderNumber)));

  hostileCase('sync: account information as an HTML page fails the run with a clear error and exports nothing', async () => {
    const { env, outcome } = await syncWith([['/v1/account/accountInformation', { headers: { 'Content-Type': 'text/html' }, body: '<html>Proxy login required</html>' }]]);
    assert.ok('error' in outcome, 'the run fails');
    assertClear(outcome.error, '/v1/account/accountInformation', NOT_JSON);
    assertEvent(env, 'run-failed', /accountInformation.*not JSON/);
    assert.deepEqual(env.files(), []);
    env.dispose();
  });

  hostileCase('sync: account information with status 200 and Billit\'s error shape fails the run and exports nothing', async () => {
    const { env, outcome } = await syncWith([['/v1/account/accountInformation', json({ errors: [{ Code: 'InvalidAccessToken', Description: 'Token expired' }] })]]);
    assert.ok('error' in outcome, 'the run fails');
    assert.ok(outcome.error instanceof MalformedResponseError, outcome.error.message);
    assert.match(outcome.error.message, /accountInformation/);
    assert.deepEqual(env.files(), []);
    env.dispose();
  });

  hostileCase('sync: a truncated orders list fails the dossier, names the endpoint, and exports no order', async () => {
    const { env, outcome, stray } = await syncWith([['/v1/orders', { body: '{"Items":[{"OrderID":1' }]]);
    assert.ok('summary' in outcome && outcome.summary.status === 'partial', JSON.stringify(outcome));
    assertEvent(env, 'dossier-failed', /GET \/v1\/orders .*not JSON/);
    assert.deepEqual(stray, []);
    assert.ok(env.files().every((f) => !/\/(Purchases|Sales)\//.test(f)), `no invoice exported: ${env.files().join(', ')}`);
    env.dispose();
  });

  hostileCase('sync: an order whose attachment list is an object fails that document only', async () => {
    const { env, outcome, stray } = await syncWith([[`/v1/orders/${order.id}`, json({ ...order.full, Attachments: { FileID: order.ublFileId } })]]);
    assert.ok('summary' in outcome && outcome.summary.counts.failed === 1, JSON.stringify(outcome));
    assertEvent(env, 'document-failed', new RegExp(`/v1/orders/${order.id}.*Attachments`));
    assert.deepEqual(stray, []);
    assert.deepEqual(orderFile(env), []);
    env.dispose();
  });

  hostileCase('sync: a UBL download with invalid base64 fails that document, writes nothing for it, and says it is damaged', async () => {
    const { env, outcome, stray } = await syncWith([[`/v1/files/${order.ublFileId}`, json({ FileID: order.ublFileId, FileName: 'x.xml', MimeType: 'text/xml', FileContent: '%%%%' })]]);
    assert.ok('summary' in outcome && outcome.summary.counts.failed === 1, JSON.stringify(outcome));
    assertEvent(env, 'document-failed', /damaged: base64/);
    assert.deepEqual(stray, []);
    assert.deepEqual(orderFile(env), []);
    env.dispose();
  });

  hostileCase('sync: a UBL download that is a billion-laughs document is quarantined, not exported', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><Invoice>&lol9;</Invoice>`;
    const { env, outcome, stray } = await syncWith([[`/v1/files/${order.ublFileId}`, json({ FileID: order.ublFileId, FileName: 'x.xml', MimeType: 'text/xml', FileContent: b64(laughs) })]]);
    assert.ok('summary' in outcome && outcome.summary.counts.quarantined === 1, JSON.stringify(outcome));
    assertEvent(env, 'quarantined', /UBL-XML-UNSAFE/);
    assert.deepEqual(stray, []);
    assert.deepEqual(orderFile(env), []);
    env.dispose();
  });

  hostileCase('sync: a file download announced as 300 MB and never sent fails that document in bounded time', async () => {
    const { env, outcome, stray } = await syncWith([[`/v1/files/${order.ublFileId}`, {
      handle: (_request, res) => { res.writeHead(200, { 'Content-Length': String(300 * 1024 * 1024) }); res.write('{'); },
    }]], {}, { timeoutMs: 300 });
    assert.ok('summary' in outcome && outcome.summary.counts.failed === 1, JSON.stringify(outcome));
    assertEvent(env, 'document-failed', /\/v1\/files\/.*(no complete answer|larger than|too large)/);
    assert.deepEqual(stray, []);
    assert.deepEqual(orderFile(env), []);
    env.dispose();
  });

  hostileCase('sync: a documents list whose Name is an object fails the dossier naming Items[0].Name', async () => {
    const { env, stray } = await syncWith([['/v1/documents', json({ Items: [{ DocumentID: 1, Name: { evil: true }, File: { FileID: 'x' } }] })]]);
    assertEvent(env, 'dossier-failed', /\/v1\/documents.*Items\[0\]\.Name/);
    assert.deepEqual(stray, []);
    assert.ok(env.files().every((f) => !f.includes('/Documents/')), env.files().join(', '));
    env.dispose();
  });

  hostileCase('sync: transactions whose CodaFileID is a number fail the dossier naming the field', async () => {
    const { env, stray } = await syncWith([['/v1/financialTransactions', json({ Items: [{ BankAccountTransactionID: 1, CodaFileID: 7 }] })]]);
    assertEvent(env, 'dossier-failed', /\/v1\/financialTransactions.*Items\[0\]\.CodaFileID/);
    assert.deepEqual(stray, []);
    env.dispose();
  });

  hostileCase('sync: an orders list repeating its full page for every $skip fails the dossier instead of looping', async () => {
    const summaries = Array.from({ length: 120 }, (_, i) => ({ ...ORDER_SUMMARY, OrderID: 3_000_000 + i, OrderDirection: 'Other' }));
    const { env, stray } = await syncWith([['/v1/orders', json({ Items: summaries, Count: 1_000_000_000 })]]);
    assertEvent(env, 'dossier-failed', /\/v1\/orders.*repeat/i);
    assert.deepEqual(stray, []);
    env.dispose();
  });

  hostileCase('sync: traversal in the order number and VAT number stays inside the dossier folder, renamed and reported', async () => {
    const { env, outcome } = await syncWith([[`/v1/orders/${order.id}`, json({ ...order.full, OrderNumber: '../../../../etc/passwd', CounterParty: { Name: 'x', VATNumber: '..\\..\\Windows' } })]]);
    assert.ok('summary' in outcome && outcome.summary.counts.failed === 0, JSON.stringify(outcome));
    const written = env.files().filter((f) => f.includes('etc'));
    assert.equal(written.length, 1, env.files().join(', '));
    assert.match(written[0]!, /^[^/]+\/(Purchases|Sales)\/[^/]+\.xml$/);
    assertEvent(env, 'name-sanitized', /etc\/passwd/);
    env.dispose();
  });

  hostileCase('sync: a 1 MB order number gives a short file name and a short event', async () => {
    const { env, outcome } = await syncWith([[`/v1/orders/${order.id}`, json({ ...order.full, OrderNumber: `F-${'9'.repeat(1024 * 1024)}` })]]);
    assert.ok('summary' in outcome && outcome.summary.counts.failed === 0, JSON.stringify(outcome));
    const long = env.files().find((f) => f.includes('F-999'));
    assert.ok(long !== undefined && long.split('/').every((part) => part.length <= 120), env.files().join(', '));
    assertEvent(env, 'name-sanitized', /F-999/);
    env.dispose();
  });

  hostileCase('sync: 100,000 nested arrays in an unknown field of an order are tolerated and the order is exported', async () => {
    const { env, outcome } = await syncWith([[`/v1/orders/${order.id}`, { body: JSON.stringify(order.full).replace(/^\{/, `{"Nested":${deepArrays},`) }]]);
    assert.ok('summary' in outcome && outcome.summary.status === 'ok', JSON.stringify(outcome));
    assert.deepEqual(env.files(), baseline);
    env.dispose();
  });

  hostileCase('sync in feed mode: a feed index holding Billit\'s error shape is reported as the feed\'s failure and exports no invoice', async () => {
    const { env, outcome } = await syncWith([['/v1/accountant/feeds/billsync', json({ errors: [{ Code: 'FeedNotFound', Description: 'No such feed' }] })]], { billit: { mode: 'feed' } } as never);
    assert.ok('summary' in outcome && outcome.summary.status === 'partial', 'the run ends with a failure counted (the dossiers\' CODA passes still ran)');
    assertEvent(env, 'feed-failed', /\/v1\/accountant\/feeds\/billsync.*FeedNotFound/);
    assert.ok(env.files().every((f) => !/\/(Purchases|Sales|Documents)\//.test(f)), env.files().join(', '));
    env.dispose();
  });
});
