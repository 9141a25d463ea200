import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Route } from '../../src/status/page.js';
import { connectionRoutes } from '../../src/status/pages/connection.js';
import { dashboardRoutes } from '../../src/status/pages/dashboard.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { openSandbox } from '../support/sandbox.js';
import { openStatusPage, type StatusPageEnv } from '../support/status-page.js';

const routes: Route[] = [...connectionRoutes, ...dashboardRoutes];

function textOf(page: string): string {
  return page.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

async function page(env: StatusPageEnv, path: string, lang?: string): Promise<string> {
  const response = lang
    ? await fetch(`${env.server.origin}${path}`, { headers: { cookie: `billsync_session=test-token-0123456789; billsync_lang=${lang}` } })
    : await env.get(path);
  assert.equal(response.status, 200);
  return response.text();
}

async function testConnection(env: StatusPageEnv): Promise<string> {
  const response = await env.post('/connection/test', {});
  assert.equal(response.status, 303);
  assert.equal(response.headers.get('location'), '/connection#result-title');
  return page(env, '/connection');
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the connection page', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 3 }); });
  after(() => sandbox.close());

  test('with a good key: active, for the office\'s account, with its 3 companies; the key is never shown', async () => {
    const env = await openStatusPage(sandbox, routes);
    try {
      const first = textOf(await page(env, '/connection'));
      assert.match(first, /Nog niet getest sinds billsync startte\./);
      assert.ok(first.includes(sandbox.baseUrl), 'the API address');
      assert.match(first, /Rechtstreeks: billsync haalt de documenten van elk dossier op/);
      assert.match(first, /API-sleutel ingesteld \(wordt nooit getoond\)/);
      const body = await testConnection(env);
      const text = textOf(body);
      assert.match(text, /De verbinding is actief\./);
      assert.match(text, new RegExp(`PartyID ${sandbox.accountantPartyId}`));
      assert.ok(text.includes(sandbox.world.accountant.email), 'the account\'s e-mail');
      assert.match(text, /Bedrijven \(dossiers\) 3 — Deze sleutel mag voor 3 bedrijven werken\./);
      assert.match(text, /billsync kent 0 dossiers, waarvan 0 uitgeschakeld\./, 'nothing synced yet');
      assert.ok(!body.includes(sandbox.apiKey), 'no key in the page');
      // The dashboard shows the test's outcome without calling Billit again.
      assert.match(textOf(await page(env, '/')), /Verbinding met Billit Actief \(getest /);
      const en = textOf(await page(env, '/connection', 'en'));
      assert.match(en, /The connection is active\./);
      assert.match(en, /This key may act for 3 companies\./);
    } finally {
      await env.close();
    }
  });

  test('with a wrong key: not active, the rejected key explained in Dutch and English, and no key anywhere', async () => {
    const wrongKey = 'wrong-key-0123456789abcdef';
    const env = await openStatusPage(sandbox, routes, { billit: { apiKey: wrongKey } });
    try {
      const body = await testConnection(env);
      const text = textOf(body);
      assert.match(text, /De verbinding is niet actief\./);
      assert.match(text, /Billit weigert de API-sleutel \(of het PartyID van het kantoor\)\. Controleer dat je de aparte Billsync-sleutel gebruikt/);
      assert.match(text, /Technische details .*Billit rejected the API key \(401/);
      assert.ok(!body.includes(wrongKey) && !body.includes(sandbox.apiKey), 'no key in the page');
      const en = await page(env, '/connection', 'en');
      assert.match(textOf(en), /Billit rejects the API key \(or the office PartyID\)/);
      assert.ok(!en.includes(wrongKey));
      assert.match(textOf(await page(env, '/')), /Verbinding met Billit Niet actief \(getest /);
    } finally {
      await env.close();
    }
  });

  test('a key changed through the settings applies to the next test: good, then wrong, then good again', async () => {
    const env = await openStatusPage(sandbox, routes);
    try {
      assert.match(textOf(await testConnection(env)), /De verbinding is actief\./);
      await env.context.saveConfig((current) => ({ ...current, billit: { ...current.billit, apiKey: 'another-wrong-key-42' } }));
      assert.equal(JSON.parse(readFileSync(env.configFile, 'utf8')).billit.apiKey, 'another-wrong-key-42');
      const body = await testConnection(env);
      assert.match(textOf(body), /De verbinding is niet actief\./);
      assert.ok(!body.includes('another-wrong-key-42'));
      await env.context.saveConfig((current) => ({ ...current, billit: { ...current.billit, apiKey: sandbox.apiKey } }));
      assert.match(textOf(await testConnection(env)), /De verbinding is actief\./);
    } finally {
      await env.close();
    }
  });

  test('an office PartyID that is not the key\'s is refused and explained', async () => {
    const env = await openStatusPage(sandbox, routes, { billit: { accountantPartyId: 999_999 } });
    try {
      const text = textOf(await testConnection(env));
      assert.match(text, /De verbinding is niet actief\./);
      assert.match(text, /context party 999999/);
    } finally {
      await env.close();
    }
  });

  test('an address where nothing answers: Billit cannot be reached, said plainly', { timeout: 60_000 }, async () => {
    const env = await openStatusPage(sandbox, routes, { billit: { baseUrl: `http://127.0.0.1:${await closedPort()}` } });
    try {
      const text = textOf(await testConnection(env));
      assert.match(text, /De verbinding is niet actief\./);
      assert.match(text, /Billit is niet bereikbaar\. Controleer de netwerkverbinding, de proxy-instellingen en het adres van de API\./);
      assert.match(text, /connection refused/);
    } finally {
      await env.close();
    }
  });
});
