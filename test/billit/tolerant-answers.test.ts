import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BillitClient } from '../../src/billit/index.js';
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
});
