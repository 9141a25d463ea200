import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../../src/config/load-config.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { settingsRoutes } from '../../src/status/pages/settings.js';
import { openSandbox } from '../support/sandbox.js';
import { openStatusPage, type StatusPageEnv } from '../support/status-page.js';

let sandbox: Sandbox;
before(async () => { sandbox = await openSandbox(); });
after(() => sandbox.close());

/** The fields of the settings form as a browser would post them: every input's value, the checked radio. */
function formFields(page: string): Record<string, string> {
  const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const fields: Record<string, string> = {};
  for (const [, attributes] of page.matchAll(/<input ([^>]*)>/g)) {
    const attr = (name: string) => new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attributes!)?.[1];
    const name = attr('name');
    if (name === undefined || name === '_token') continue;
    if (attr('type') === 'radio' && !/\schecked(\s|$)/.test(attributes!)) continue;
    fields[name] = unescape(attr('value') ?? '');
  }
  return fields;
}

async function settingsForm(env: StatusPageEnv): Promise<Record<string, string>> {
  const response = await env.get('/settings');
  assert.equal(response.status, 200);
  return formFields(await response.text());
}

/** Posts the form with some fields changed; returns the status, the page (following the redirect) and the file's bytes. */
async function save(env: StatusPageEnv, changes: Record<string, string>, path = '/settings'): Promise<{ status: number; body: string; location: string | null }> {
  const fields = { ...(await settingsForm(env)), ...changes };
  const response = await env.post(path, fields);
  const location = response.headers.get('location');
  const body = location === null ? await response.text() : await (await env.get(location)).text();
  return { status: response.status, body, location };
}

function assertNoKey(env: StatusPageEnv, body: string, ...others: string[]): void {
  for (const secret of [sandbox.apiKey, ...others]) assert.ok(!body.includes(secret), 'an API key must never be in a page');
}

describe('settings page', () => {
  let env: StatusPageEnv;
  before(async () => { env = await openStatusPage(sandbox, settingsRoutes); });
  after(() => env.close());

  test('the page shows the settings, with an empty password field for the key and never the key itself', async () => {
    const response = await env.get('/settings');
    const body = await response.text();
    assert.equal(response.status, 200);
    assert.match(body, /<input id="field-apiKey" name="apiKey" type="password" value=""/);
    assert.match(body, /Er is een sleutel ingesteld/);
    assertNoKey(env, body);
    const fields = formFields(body);
    assert.equal(fields.exportRoot, env.root);
    assert.equal(fields.baseUrl, sandbox.baseUrl);
    assert.equal(fields.accountantPartyId, String(sandbox.accountantPartyId));
    assert.equal(fields.mode, 'direct');
    assert.match(body, /<label for="field-ratePerSecond">Aanvragen per seconde<\/label>/, 'every field has a label tied to it');
  });

  test('a good change (the rate limit, written the Belgian way) is saved to the file and applied to the agent', async () => {
    const result = await save(env, { ratePerSecond: '2,5', maxConcurrent: '3' });
    assert.equal(result.status, 303);
    assert.match(result.location ?? '', /^\/settings\?saved=1/);
    assert.match(result.body, /De instellingen zijn opgeslagen/);
    const saved = parseConfig(JSON.parse(readFileSync(env.configFile, 'utf8')));
    assert.equal(saved.billit.ratePerSecond, 2.5);
    assert.equal(saved.billit.maxConcurrent, 3);
    assert.equal(saved.billit.apiKey, sandbox.apiKey, 'an empty key field keeps the key');
    assert.equal(env.app.config.billit.ratePerSecond, 2.5, 'the running agent has the new settings');
    assertNoKey(env, result.body);
  });

  test('an export root that cannot be created (its parent is a file) gives a clear message and saves nothing', async () => {
    const before = readFileSync(env.configFile);
    const result = await save(env, { exportRoot: join(env.configFile, 'export'), ratePerSecond: '7' });
    assert.equal(result.status, 400);
    assert.match(result.body, /De instellingen zijn niet opgeslagen/);
    assert.match(result.body, /een deel van het pad is een bestand, geen map/);
    assert.match(result.body, /aria-invalid="true"/);
    assert.ok(readFileSync(env.configFile).equals(before), 'the configuration file is byte-identical');
    assert.equal(env.app.config.billit.ratePerSecond, 2.5);
    assert.ok(result.body.includes(`value="${join(env.configFile, 'export')}"`), 'the typed values are kept');
  });

  test('an export root that does not exist is refused too', async () => {
    const before = readFileSync(env.configFile);
    const result = await save(env, { exportRoot: join(env.root, 'not-there') });
    assert.equal(result.status, 400);
    assert.match(result.body, /bestaat niet\. Maak ze eerst aan, of verbind de netwerkshare/);
    assert.ok(readFileSync(env.configFile).equals(before));
  });

  test('a rejected API key gives a clear message, is not shown back, and saves nothing', async () => {
    const before = readFileSync(env.configFile);
    const wrongKey = 'wrong-key-0123456789';
    const result = await save(env, { apiKey: wrongKey, ratePerSecond: '9' });
    assert.equal(result.status, 400);
    assert.match(result.body, /Billit weigerde deze API-sleutel/);
    assert.match(result.body, /typ hem opnieuw/);
    assertNoKey(env, result.body, wrongKey);
    assert.ok(readFileSync(env.configFile).equals(before), 'the configuration file is byte-identical');
    assert.equal(env.app.config.billit.apiKey, sandbox.apiKey);
  });

  test('an unknown party id gives a clear message and saves nothing', async () => {
    const before = readFileSync(env.configFile);
    const result = await save(env, { accountantPartyId: '999999' });
    assert.equal(result.status, 400);
    assert.match(result.body, /Deze API-sleutel heeft geen toegang tot party 999999/);
    assert.ok(readFileSync(env.configFile).equals(before));
    assertNoKey(env, result.body);
  });

  test('an unreachable Billit address gives a plain message and saves nothing', async () => {
    const before = readFileSync(env.configFile);
    const result = await save(env, { baseUrl: 'http://127.0.0.1:9/' });
    assert.equal(result.status, 400);
    assert.match(result.body, /Billit is niet bereikbaar op http:\/\/127\.0\.0\.1:9\//);
    assert.ok(readFileSync(env.configFile).equals(before));
  });

  test('values the form can name are refused beside their field, in the user\'s language', async () => {
    const before = readFileSync(env.configFile);
    const result = await save(env, { ratePerSecond: 'fast', accountantPartyId: 'abc', dossierFolderTemplate: '{nmae}', apiKey: sandbox.apiKey });
    assert.equal(result.status, 400);
    assert.match(result.body, /Een getal groter dan 0 en hoogstens 100/);
    assert.match(result.body, /Het PartyID is een geheel getal/);
    assert.match(result.body, /Onbekende plaatshouder \{nmae\}/);
    assert.match(result.body, /<a href="#field-ratePerSecond">/, 'the summary links to the field');
    assertNoKey(env, result.body);
    assert.ok(readFileSync(env.configFile).equals(before));

    const cookie = 'billsync_session=test-token-0123456789; billsync_lang=en';
    const response = await fetch(`${env.server.origin}/settings`, {
      method: 'POST', headers: { cookie }, redirect: 'manual',
      body: new URLSearchParams({ ...(await settingsForm(env)), apiKey: 'another-wrong-key-42', _token: env.formToken }),
    });
    const english = await response.text();
    assert.equal(response.status, 400);
    assert.match(english, /Billit rejected this API key/);
    assert.ok(!english.includes('another-wrong-key-42'));
    assert.ok(readFileSync(env.configFile).equals(before));
  });

  test('the write test writes and removes a file in the root, reports it, and saves nothing', async () => {
    const before = readFileSync(env.configFile);
    const result = await save(env, { ratePerSecond: '11' }, '/settings/test-root');
    assert.equal(result.status, 200);
    assert.match(result.body, /Schrijven in .* lukt: billsync schreef er een testbestand en verwijderde het weer/);
    assert.deepEqual(readdirSync(env.root).filter((name) => name.endsWith('.partial')), [], 'no test file is left');
    assert.ok(readFileSync(env.configFile).equals(before));
    assert.ok(result.body.includes('value="11"'), 'the typed values come back');
  });

  test('the folder template preview renders an example or names the mistake', async () => {
    const ok = await (await env.get(`/settings/folder-preview?value=${encodeURIComponent('{name} - {partyId}')}`)).text();
    assert.equal(ok, 'Voorbeeld: Bakkerij Peeters - 123456');
    const bad = await (await env.get(`/settings/folder-preview?value=${encodeURIComponent('{naam}')}`)).text();
    assert.match(bad, /Onbekende plaatshouder \{naam\}/);
  });

  test('a new, empty export root is accepted and gets the .billsync marker', async () => {
    const fresh = join(env.root, '..', 'new-root');
    mkdirSync(fresh);
    const result = await save(env, { exportRoot: fresh });
    assert.equal(result.status, 303);
    assert.match(result.body, /merkbestand \.billsync/);
    assert.ok(existsSync(join(fresh, '.billsync')));
    assert.equal(parseConfig(JSON.parse(readFileSync(env.configFile, 'utf8'))).exportRoot, fresh);
  });
});
