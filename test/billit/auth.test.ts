import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  ApiKeyRejectedError, BillitClient, MalformedResponseError, PartyAccessError, type RefreshTokenStore,
} from '../../src/billit/index.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { clientFor, control, firstDossier, openSandbox, raw } from '../support/sandbox.js';

describe('authentication and dossier access', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox(); });
  after(() => sandbox.close());

  test('a wrong API key gives ApiKeyRejectedError that says where to set the key and never shows it', async () => {
    const secret = 'sbx-wrong-key-0123456789abcdef';
    const client = clientFor(sandbox, { credentials: { kind: 'apiKey', apiKey: secret } });
    await assert.rejects(client.accountInformation(), (error: unknown) => {
      assert.ok(error instanceof ApiKeyRejectedError);
      assert.equal(error.status, 401);
      assert.match(error.message, /billsync config set apiKey/);
      assert.ok(!error.message.includes(secret));
      assert.ok(!JSON.stringify(error).includes(secret));
      return true;
    });
  });

  test('a wrong API key on a dossier call is still reported as a rejected key', async () => {
    const client = clientFor(sandbox, { credentials: { kind: 'apiKey', apiKey: 'nope' } });
    await assert.rejects(client.order(firstDossier(sandbox), 1), ApiKeyRejectedError);
  });

  test('an unknown PartyID gives PartyAccessError naming the dossier', async () => {
    const client = clientFor(sandbox);
    await assert.rejects(async () => {
      for await (const _ of client.orders(424242)) { /* drain */ }
    }, (error: unknown) => {
      assert.ok(error instanceof PartyAccessError);
      assert.equal(error.partyId, 424242);
      assert.match(error.message, /PartyID 424242/);
      return true;
    });
  });

  test('the sandbox answers 401 in Billit\'s error shape without an ApiKey', async () => {
    const answer = await raw(sandbox, '/v1/account/accountInformation', { ApiKey: '' });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.errors[0].Code, 'Unauthorized');
    assert.equal(typeof answer.body.errors[0].Description, 'string');
  });

  test('OAuth: the single-use refresh token is stored before the new access token is used, and an expired token is refreshed', async () => {
    const { refresh_token: initial } = await control(sandbox, 'POST', 'oauth/refresh-token');
    const saved: string[] = [];
    let current: string | null = initial;
    const store: RefreshTokenStore = {
      load: async () => current,
      save: async (token) => { saved.push(token); current = token; },
    };
    const client = new BillitClient({
      baseUrl: sandbox.baseUrl, credentials: { kind: 'oauth', clientId: 'billsync-sandbox', clientSecret: 'sandbox-secret', store },
      accountantPartyId: sandbox.accountantPartyId, ratePerSecond: 100, burst: 100,
    });
    assert.equal((await client.accountInformation()).Companies.length, 2);
    assert.equal(saved.length, 1);
    assert.notEqual(saved[0], initial);
    await control(sandbox, 'POST', 'clock', { advanceSeconds: 3700 });
    assert.equal((await client.accountInformation()).Companies.length, 2, 'works again after the access token expired');
    assert.equal(saved.length, 2, 'a second, new refresh token was stored');
    const reuse = await fetch(`${sandbox.baseUrl}/OAuth2/token`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: initial, client_id: 'billsync-sandbox', client_secret: 'sandbox-secret' }),
    });
    assert.equal(reuse.status, 401, 'a used refresh token is refused');
  });
});

describe('malformed answers', () => {
  let server: Server;
  let baseUrl: string;
  before(async () => {
    // A stand-in for a broken Billit: well-formed HTTP, wrong bodies.
    server = createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.startsWith('/v1/orders?')) res.end(JSON.stringify({ Items: [{ OrderID: 'seven', OrderType: 'Invoice' }], NextPageLink: null }));
      else if (req.url?.startsWith('/v1/orders/')) res.end('<html>maintenance</html>');
      else res.end(JSON.stringify({ Companies: 'none' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () => new BillitClient({ baseUrl, credentials: { kind: 'apiKey', apiKey: 'k' }, retry: { attempts: 2, baseDelayMs: 5 }, ratePerSecond: 100 });

  test('a list whose items have the wrong types is a MalformedResponseError naming the field', async () => {
    await assert.rejects(async () => {
      for await (const _ of client().orders(1)) { /* drain */ }
    }, (error: unknown) => {
      assert.ok(error instanceof MalformedResponseError);
      assert.match(error.message, /GET \/v1\/orders/);
      assert.match(error.message, /Items\[0\]\.OrderID/);
      assert.match(error.message, /Items\[0\]\.OrderDirection/);
      return true;
    });
  });

  test('a body that is not JSON is a MalformedResponseError after a retry', async () => {
    await assert.rejects(client().order(1, 5), (error: unknown) => {
      assert.ok(error instanceof MalformedResponseError);
      assert.match(error.message, /not JSON/);
      return true;
    });
  });

  test('an account answer without a company list is a MalformedResponseError', async () => {
    await assert.rejects(client().accountInformation(), /Companies/);
  });
});
