import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BillitClient, type RefreshTokenStore } from '../../src/billit/index.js';
import { isExportableApproval } from '../../src/core/approval-status.js';
import { kindOfOrder } from '../../src/sync/sources/orders-source.js';
import { startHostileBillit, type HostileBillit } from '../support/hostile-billit.js';

/**
 * Answers a faithful Billit may give that billsync's own sandbox does not: the documented meaning is
 * in the status, the body differs in form. billsync must take the meaning and not repeat the call.
 */

const PARTY = 4711;
const FILE = { fileName: 'bon.pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n'), mimeType: 'application/pdf' };

describe('answers that differ in form from the documentation but not in meaning', () => {
  let billit: HostileBillit;
  let client: BillitClient;
  before(async () => {
    billit = await startHostileBillit();
    client = new BillitClient({
      baseUrl: billit.baseUrl, credentials: { kind: 'apiKey', apiKey: 'tolerant-test-key' }, accountantPartyId: 1,
      ratePerSecond: 200, burst: 200, retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 10 },
    });
  });
  after(() => billit.close());

  const uploads: Array<[string, string | Buffer, number | null]> = [
    ['an empty 200', '', null],
    ['the id as a number', '300001', 300001],
    ['the id as a JSON string', '"300002"', 300002],
    ['an object naming the id', '{"UploadID":300003,"Status":"Queued"}', 300003],
    ['JSON behind a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('300004')]), 300004],
    ['a body that is not JSON', 'OK', null],
  ];
  for (const [what, body, uploadId] of uploads) {
    test(`an upload answered with ${what} counts as sent, after exactly one request`, async () => {
      billit.reset();
      billit.answer('/v1/toProcess', { status: 200, body });
      assert.deepEqual(await client.uploadToProcess(PARTY, FILE, 'key-1'), { uploadId, duplicate: false });
      assert.equal(billit.hits('/v1/toProcess'), 1, 'a 2xx is never a reason to send the file again');
    });
  }

  test('any list answered behind a byte-order mark is read', async () => {
    billit.reset();
    billit.answer('/v1/account/accountInformation', { body: `\ufeff${JSON.stringify({ Email: 'kantoor@example.be', Companies: [{ PartyID: 5, Name: 'Jansen BV' }] })}` });
    const account = await client.accountInformation();
    assert.deepEqual(account.Companies.map((c) => c.PartyID), [5]);
    assert.equal(billit.hits('/v1/account/accountInformation'), 1);
  });

  test('an empty file reference written as an object with a null FileID means "no file"; amounts as strings and odd letter case are read', async () => {
    billit.reset();
    billit.answer('/v1/orders/1001', { body: JSON.stringify({
      OrderID: 1001, CompanyID: PARTY, OrderNumber: 'F-1', OrderType: 'Invoice', OrderDirection: 'cost', LastModified: '2026-11-02T10:00:00',
      TotalIncl: '44.04', OrderPDF: { FileID: null, FileName: null, MimeType: null, FileContent: null },
      Attachments: [{ FileID: null, FileName: null }, { FileID: 'b049d8eb-9330-4097-be9e-c8a564f5cee6', FileName: 'ubl.xml' }],
    }) });
    const order = await client.order(PARTY, 1001);
    assert.equal(order.OrderPDF, null);
    assert.deepEqual(order.Attachments?.map((a) => a.FileID), ['b049d8eb-9330-4097-be9e-c8a564f5cee6']);
    assert.equal(order.TotalIncl, 44.04);
    assert.equal(kindOfOrder(order.OrderDirection), 'purchase');
    assert.equal(kindOfOrder('INCOME'), 'sales');
    assert.equal(kindOfOrder('Other'), null);
    assert.equal(isExportableApproval('approved', true), true);
    assert.equal(isExportableApproval('REJECTED', false), false);

    billit.answer('/v1/documents', { body: JSON.stringify({ Items: [{ DocumentID: 7, Name: 'Huurcontract', File: { FileID: null } }], NextPageLink: null }) });
    const documents = [];
    for await (const page of client.documentPages(PARTY)) documents.push(...page.items);
    assert.deepEqual(documents.map((d) => [d.DocumentID, d.File]), [[7, null]]);
  });

  test('a company without a name gets its commercial name or its PartyID', async () => {
    billit.reset();
    billit.answer('/v1/account/accountInformation', { body: JSON.stringify({ Companies: [{ PartyID: 5, Name: null, CommercialName: 'Bakkerij Jansen' }, { PartyID: 6, Name: ' ' }] }) });
    assert.deepEqual((await client.accountInformation()).Companies.map((c) => c.Name), ['Bakkerij Jansen', 'PartyID 6']);
  });

  test('a NextPageLink relative to the page, or naming another host, is followed on the configured host; a full page without a link goes on by $skip', async () => {
    billit.reset();
    const summary = (id: number) => ({ OrderID: id, OrderType: 'Invoice', OrderDirection: 'Cost', LastModified: '2026-11-02T10:00:00' });
    billit.answer('/v1/orders', { body: (request) => {
      const page = request.query.get('page');
      const skip = Number(request.query.get('$skip') ?? 0);
      if (page === null && skip === 0) return JSON.stringify({ Items: [summary(1)], NextPageLink: 'orders?page=2' });
      if (page === '2') return JSON.stringify({ Items: [summary(2)], NextPageLink: 'http://billit-intern.lan:8080/v1/orders?page=3' });
      // Page 3 is full (120) and has no link: billsync goes on by $skip, to a short last page.
      if (page === '3') return JSON.stringify({ Items: Array.from({ length: 120 }, (_, i) => summary(3 + i)), NextPageLink: null });
      return JSON.stringify({ Items: skip === 122 ? [summary(123)] : [], NextPageLink: null });
    } });
    const ids: number[] = [];
    for await (const page of client.orderPages(PARTY)) ids.push(...page.items.map((o) => o.OrderID));
    assert.deepEqual(ids, Array.from({ length: 123 }, (_, i) => i + 1));
    const pages = billit.requests.filter((r) => r.path === '/v1/orders').map((r) => r.query.get('page') ?? `skip ${r.query.get('$skip') ?? 0}`);
    assert.deepEqual(pages, ['skip 0', '2', '3', 'skip 122']);
  });

  test('OAuth: the rotated refresh token is kept even when the rest of the answer cannot be used; "3600" as a string is an hour', async () => {
    billit.reset();
    let current: string | null = 'refresh-0';
    const saved: string[] = [];
    const store: RefreshTokenStore = { load: async () => current, save: async (token) => { saved.push(token); current = token; } };
    const oauth = new BillitClient({
      baseUrl: billit.baseUrl, credentials: { kind: 'oauth', clientId: 'c', clientSecret: 's', store }, accountantPartyId: 1,
      ratePerSecond: 200, burst: 200, retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 10 },
    });
    billit.answer('/OAuth2/token', { body: JSON.stringify({ refresh_token: 'refresh-1', expires_in: 3600 }) });
    await assert.rejects(oauth.accountInformation(), /without access_token/);
    assert.deepEqual(saved, ['refresh-1'], 'the new refresh token is stored although the answer lacked the access token');
    billit.answer('/OAuth2/token', { body: JSON.stringify({ access_token: 'access-2', refresh_token: 'refresh-2', expires_in: '3600' }) });
    billit.answer('/v1/account/accountInformation', { body: JSON.stringify({ Companies: [{ PartyID: 5, Name: 'Jansen BV' }] }) });
    assert.deepEqual((await oauth.accountInformation()).Companies.map((c) => c.PartyID), [5]);
    assert.deepEqual(saved, ['refresh-1', 'refresh-2']);
    const call = billit.requests.find((r) => r.path === '/v1/account/accountInformation');
    assert.equal(call?.headers.authorization, 'Bearer access-2');
  });
});

