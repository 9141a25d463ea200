import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../../src/config/load-config.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { settingsRoutes } from '../../src/status/pages/settings.js';
import { FaultyFileSystem } from '../../src/platform/fs/faulty-file-system.js';
import { control, openSandbox } from '../support/sandbox.js';
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

  test('an export root that exists but cannot be written (permission, read-only share) gives a clear message and saves nothing', async () => {
    // CI runs as root, where chmod stops nothing: the file system answers as Windows or a share would.
    const locked = join(env.root, '..', 'locked-root');
    mkdirSync(locked, { recursive: true });
    const real = env.app.fs;
    const faulty = new FaultyFileSystem(real);
    env.app.fs = faulty;
    try {
      for (const [code, message] of [['EACCES', /billsync mag niet schrijven in .*locked-root \(EACCES\)\. Geef deze gebruiker schrijfrechten/], ['EROFS', /locked-root/]] as const) {
        const rule = faulty.add({ op: 'open', path: locked, code });
        const before = readFileSync(env.configFile);
        const result = await save(env, { exportRoot: locked, ratePerSecond: '6' });
        assert.ok(faulty.fired(rule) > 0, `the ${code} was met`);
        faulty.remove(rule);
        assert.equal(result.status, 400, code);
        assert.match(result.body, /De instellingen zijn niet opgeslagen/);
        assert.match(result.body, message);
        assert.ok(readFileSync(env.configFile).equals(before), `${code}: the configuration file is byte-identical`);
        assert.notEqual(env.app.config.exportRoot, locked);
        assert.deepEqual(readdirSync(locked), [], `${code}: nothing left in the folder, not even the marker`);
      }
    } finally {
      env.app.fs = real;
    }
  });

  test('a settings save waiting on Billit and a dossier saved meanwhile both reach the file', async () => {
    const partyId = [...sandbox.world.dossiers.keys()][0]!;
    // Billit answers the settings check slowly; the dossier's folder is saved while it waits.
    await control(sandbox, 'POST', 'faults', { kind: 'latency', latencyMs: 800, count: 1, route: '/v1/account/accountInformation' });
    // The same Billit written another way (a trailing slash) is a new address: the key is checked live.
    const current = parseConfig(JSON.parse(readFileSync(env.configFile, 'utf8'))).billit.baseUrl;
    const other = current.endsWith('/') ? current.slice(0, -1) : `${current}/`;
    const checks = sandbox.stats.byRoute['GET /v1/account/accountInformation'] ?? 0;
    const started = Date.now();
    const settings = save(env, { baseUrl: other, apiKey: sandbox.apiKey, ratePerSecond: '4' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await env.context.saveConfig((current) => ({ ...current, dossiers: { ...current.dossiers, [String(partyId)]: { folder: 'Saved meanwhile' } } }));
    const result = await settings;
    assert.equal(result.status, 303, result.body.slice(0, 300));
    assert.ok((sandbox.stats.byRoute['GET /v1/account/accountInformation'] ?? 0) > checks, 'the settings save asked Billit');
    assert.ok(Date.now() - started >= 800, 'and waited for its slow answer');
    const saved = parseConfig(JSON.parse(readFileSync(env.configFile, 'utf8')));
    assert.equal(saved.billit.ratePerSecond, 4, 'the settings save landed');
    assert.equal(saved.dossiers[String(partyId)]?.folder, 'Saved meanwhile', 'and did not undo the dossier saved while it waited');
    assert.deepEqual(readdirSync(join(env.configFile, '..')).filter((name) => name.endsWith('.tmp')), [], 'no temporary file left');
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
    const result = await save(env, { baseUrl: 'http://127.0.0.1:9/', apiKey: sandbox.apiKey });
    assert.equal(result.status, 400);
    assert.match(result.body, /Billit is niet bereikbaar op http:\/\/127\.0\.0\.1:9\//);
    assert.ok(readFileSync(env.configFile).equals(before));
  });

  test('a new Billit address without the key typed again is refused, and the stored key is not sent there', async (t) => {
    const before = readFileSync(env.configFile);
    const seen: string[] = [];
    const elsewhere = createServer((req, res) => { seen.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`); res.end('{}'); });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => elsewhere.close(() => resolve())));
    const address = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`;
    const result = await save(env, { baseUrl: address });
    assert.equal(result.status, 400);
    assert.match(result.body, /Je wijzigt het Billit-adres: vul de API-sleutel opnieuw in/);
    assert.deepEqual(seen, [], 'nothing was sent to the new address');
    assert.ok(readFileSync(env.configFile).equals(before));
    assertNoKey(env, result.body);
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

/** A forward proxy (CONNECT tunnels only, as undici uses) that wants office:Pr0xy-s3cret. */
async function loginProxy(): Promise<{ address: string; tunnels: () => number; close: () => Promise<void> }> {
  const expected = `Basic ${Buffer.from('office:Pr0xy-s3cret').toString('base64')}`;
  const sockets = new Set<Socket>();
  let tunnels = 0;
  const server = createServer();
  server.on('connection', (socket: Socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  server.on('connect', (req: IncomingMessage, client: Socket) => {
    tunnels += 1;
    if (req.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="office"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [, host, port] = /^(.*):(\d+)$/.exec(req.url!)!;
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels: () => tunnels,
    close: () => new Promise<void>((done) => { for (const socket of sockets) socket.destroy(); server.close(() => done()); }),
  };
}

describe('settings page: the proxy', () => {
  let env: StatusPageEnv;
  let proxy: Awaited<ReturnType<typeof loginProxy>>;
  before(async () => {
    env = await openStatusPage(sandbox, settingsRoutes);
    proxy = await loginProxy();
  });
  after(async () => {
    await env.close();
    await proxy.close();
  });

  test('the page has a proxy field instead of the old "not supported" note', async () => {
    const body = await (await env.get('/settings')).text();
    assert.match(body, /<label for="field-proxy">Proxy-adres<\/label>/);
    assert.doesNotMatch(body, /kan nog geen proxy instellen/);
    assert.equal(formFields(body).proxy, '');
  });

  test('a proxy that asks for a login (407) shows the plain message beside the field and saves nothing', async () => {
    const before = readFileSync(env.configFile);
    const tunnels = proxy.tunnels();
    const result = await save(env, { proxy: `http://${proxy.address}` });
    assert.equal(result.status, 400);
    assert.ok(result.body.includes(`De proxy ${proxy.address} vraagt een gebruikersnaam en wachtwoord (407 Proxy Authentication Required): zet ze in het proxy-adres (http://gebruiker:wachtwoord@${proxy.address}).`));
    assert.match(result.body, /<p class="error" id="field-proxy-error">/);
    assert.equal(proxy.tunnels(), tunnels + 1, 'the live check went through the proxy, once');
    assert.ok(readFileSync(env.configFile).equals(before), 'the configuration file is byte-identical');
    assert.equal(env.app.config.billit.proxy, undefined);
  });

  test('a wrong proxy password is refused, never shown back, and asked for again', async () => {
    const before = readFileSync(env.configFile);
    const result = await save(env, { proxy: `http://office:Wrong-Pass9@${proxy.address}` });
    assert.equal(result.status, 400);
    assert.ok(result.body.includes(`De proxy ${proxy.address} weigert de gebruikersnaam en het wachtwoord`));
    assert.match(result.body, /Het wachtwoord in het proxy-adres is niet bewaard: typ het opnieuw\./);
    assert.ok(!result.body.includes('Wrong-Pass9'), 'the typed password is not in the page');
    assert.equal(formFields(result.body).proxy, `http://office@${proxy.address}`);
    assert.ok(readFileSync(env.configFile).equals(before));
  });

  test('an address that is not a proxy address is refused beside its field', async () => {
    const before = readFileSync(env.configFile);
    const result = await save(env, { proxy: 'proxy.kantoor.lan:3128' });
    assert.equal(result.status, 400);
    assert.match(result.body, /Geef een adres dat met http:\/\/ of https:\/\/ begint/);
    assert.ok(readFileSync(env.configFile).equals(before));
  });

  test('a proxy with user:password is checked through, saved, shown masked, and kept when the masked form comes back', async () => {
    const result = await save(env, { proxy: `http://office:Pr0xy-s3cret@${proxy.address}` });
    assert.equal(result.status, 303);
    assert.equal(parseConfig(JSON.parse(readFileSync(env.configFile, 'utf8'))).billit.proxy, `http://office:Pr0xy-s3cret@${proxy.address}`);
    assert.equal(env.app.config.billit.proxy, `http://office:Pr0xy-s3cret@${proxy.address}`, 'the running agent has it');
    assert.ok(!result.body.includes('Pr0xy-s3cret'), 'the saved password is not in the page');
    assert.equal(formFields(result.body).proxy, `http://office:********@${proxy.address}`);

    const again = await save(env, { ratePerSecond: '6' });
    assert.equal(again.status, 303);
    const saved = parseConfig(JSON.parse(readFileSync(env.configFile, 'utf8')));
    assert.equal(saved.billit.ratePerSecond, 6);
    assert.equal(saved.billit.proxy, `http://office:Pr0xy-s3cret@${proxy.address}`, 'the masked field kept the saved password');

    const other = await save(env, { proxy: `http://someone-else:********@${proxy.address}` });
    assert.equal(other.status, 400, 'the mask keeps the password only for the same user');
    assert.match(other.body, /typ het opnieuw/);

    const cleared = await save(env, { proxy: '' });
    assert.equal(cleared.status, 303);
    assert.equal(parseConfig(JSON.parse(readFileSync(env.configFile, 'utf8'))).billit.proxy, undefined, 'an empty field removes the proxy');
  });
});
