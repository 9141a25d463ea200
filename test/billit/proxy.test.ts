import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { BillitUnreachableError, ProxyAuthenticationError, type AttemptEvent } from '../../src/billit/index.js';
import { bypassedByNoProxy, isLoopback, proxyRoute } from '../../src/billit/proxy.js';
import { main } from '../../src/app/cli.js';
import { doctorExitCode, runDoctor } from '../../src/app/commands/doctor.js';
import type { AppPaths } from '../../src/platform/paths.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { clientFor, firstDossier, openSandbox } from '../support/sandbox.js';

/**
 * A real forward proxy, small enough to read: CONNECT tunnels (what undici's ProxyAgent uses for http:
 * and https: targets alike) and absolute-form requests (what a proxy that does not tunnel receives),
 * an optional Basic login, and host aliases so that a name no DNS knows can only be reached through it.
 */
interface TestProxy {
  port: number;
  /** host:port, as billsync's messages name it. */
  address: string;
  tunnels: number;
  forwards: number;
  /** Proxy-Authorization of every request, in order (undefined when absent). */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

async function startProxy(options: { login?: { user: string; password: string }; hosts?: Record<string, string> } = {}): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  const expected = options.login ? `Basic ${Buffer.from(`${options.login.user}:${options.login.password}`).toString('base64')}` : null;
  const resolve = (host: string) => options.hosts?.[host] ?? host;
  const allowed = (req: IncomingMessage) => {
    proxy.authorizations.push(req.headers['proxy-authorization']);
    return expected === null || req.headers['proxy-authorization'] === expected;
  };
  const server = createServer((req, res) => {
    proxy.forwards += 1;
    if (!allowed(req)) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="office"', 'Content-Length': '0' }).end();
      return;
    }
    const target = new URL(req.url!);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest({ host: resolve(target.hostname), port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    proxy.tunnels += 1;
    if (!allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="office"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = [req.url!.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(req.url!)?.[1] ?? 443)];
    const upstream = connect(port, resolve(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  const proxy: TestProxy = {
    port, address: `127.0.0.1:${port}`, tunnels: 0, forwards: 0, authorizations: [],
    close: () => new Promise<void>((done) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => done());
    }),
  };
  return proxy;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const;

/** A host name no DNS knows (RFC 6761 .test): only a proxy that aliases it can reach the sandbox by it. */
const ALIAS = 'billit.proxy-test';

describe('calls through a proxy', () => {
  let sandbox: Sandbox;
  let party: number;
  let fileId: string;
  let aliasUrl: string;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    sandbox = await openSandbox();
    party = firstDossier(sandbox);
    fileId = sandbox.world.companyOrders(party)[0]!.ublFileId;
    aliasUrl = sandbox.baseUrl.replace('127.0.0.1', ALIAS);
  });
  after(() => sandbox.close());
  // Every test starts without proxy variables (a CI machine may have some) and leaves the environment as it found it.
  beforeEach(() => {
    for (const name of PROXY_VARIABLES) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const name of PROXY_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  test('a client with a proxy in its settings sends every call through it, and the data arrives intact', async () => {
    const proxy = await startProxy();
    try {
      const direct = clientFor(sandbox);
      const proxied = clientFor(sandbox, { proxy: `http://${proxy.address}` });
      const [info, file] = [await proxied.accountInformation(), await proxied.file(party, fileId)];
      assert.ok(proxy.tunnels > 0, 'the calls went through the proxy');
      assert.equal(proxy.forwards, 0, 'undici tunnels http: targets too (CONNECT), it does not forward');
      assert.deepEqual(info, await direct.accountInformation());
      const expected = await direct.file(party, fileId);
      assert.ok(file.bytes.length > 1000);
      assert.ok(file.bytes.equals(expected.bytes), 'the download is byte for byte the same as without the proxy');
      assert.equal(file.sha256, expected.sha256);
      assert.equal(file.fileName, expected.fileName);
      const orders = [];
      for await (const order of proxied.orders(party)) orders.push(order.OrderID);
      assert.equal(orders.length, sandbox.world.companyOrders(party).length, 'paged lists come through whole');
    } finally {
      await proxy.close();
    }
  });

  test('a proxy that asks for a login (407) gives ProxyAuthenticationError naming host:port, and is asked only once', async () => {
    const proxy = await startProxy({ login: { user: 'office', password: 'Pr0xy-s3cret' } });
    try {
      const events: AttemptEvent[] = [];
      const client = clientFor(sandbox, { proxy: `http://${proxy.address}`, onAttempt: (event) => events.push(event) });
      const error = await client.accountInformation().then(() => null, (e: unknown) => e);
      assert.ok(error instanceof ProxyAuthenticationError, `got ${String(error)}`);
      assert.ok(error instanceof BillitUnreachableError, 'it counts as "cannot reach Billit" (CLI exit 3, the run stops)');
      assert.equal(error.name, 'ProxyAuthenticationError');
      assert.equal(error.proxy, proxy.address);
      assert.equal(error.kind, 'refused');
      assert.equal(error.message,
        `The proxy ${proxy.address} asks for a user name and password (407 Proxy Authentication Required): set them in the proxy address in Settings (http://user:password@${proxy.address}).`);
      assert.equal(proxy.tunnels, 1, 'a 407 is not retried');
      assert.deepEqual(events.map((e) => e.outcome), ['fail']);
      assert.deepEqual(proxy.authorizations, [undefined]);
    } finally {
      await proxy.close();
    }
  });

  test('with user:password in the proxy address the proxy lets the calls through; a wrong password is named plainly and never shown', async () => {
    const password = 'p@ss:w/rd é';
    const proxy = await startProxy({ login: { user: 'office', password } });
    try {
      const good = clientFor(sandbox, { proxy: `http://office:${encodeURIComponent(password)}@${proxy.address}` });
      const info = await good.accountInformation();
      assert.equal(info.Companies.length, 2);
      assert.equal(proxy.authorizations.at(-1), `Basic ${Buffer.from(`office:${password}`).toString('base64')}`, 'decoded before it is sent');

      const wrongPassword = 'Wr0ng-Passw0rd';
      const events: AttemptEvent[] = [];
      const bad = clientFor(sandbox, { proxy: `http://office:${wrongPassword}@${proxy.address}`, onAttempt: (event) => events.push(event) });
      const error = await bad.file(party, fileId).then(() => null, (e: unknown) => e);
      assert.ok(error instanceof ProxyAuthenticationError, `got ${String(error)}`);
      assert.match(error.message, new RegExp(`^The proxy ${proxy.address.replace(/\./g, '\\.')} refused the user name and password in the proxy address \\(407 Proxy Authentication Required\\)`));
      const said = [error.message, error.stack ?? '', ...events.map((e) => JSON.stringify(e))].join('\n');
      assert.ok(!said.includes(wrongPassword), 'the password is in no message, stack or attempt event');
      assert.ok(!said.includes(`office:${wrongPassword}`));
    } finally {
      await proxy.close();
    }
  });

  test('the command line takes the proxy from the configuration and exits 3 (cannot reach Billit) on a 407, without the password', async () => {
    const proxy = await startProxy({ login: { user: 'office', password: 'Right-Pass7' } });
    const base = mkdtempSync(join(tmpdir(), 'billsync-proxy-'));
    const configFile = join(base, 'config.json');
    const write = (address: string) => writeFileSync(configFile, JSON.stringify({
      billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ratePerSecond: 100, proxy: address },
      exportRoot: join(base, 'export'),
    }));
    mkdirSync(join(base, 'export'));
    const dataDir = process.env.BILLSYNC_DATA_DIR;
    process.env.BILLSYNC_DATA_DIR = join(base, 'data');
    const said: string[] = [];
    const { error: consoleError, log: consoleLog } = console;
    console.error = (...parts: unknown[]) => { said.push(parts.join(' ')); };
    console.log = () => undefined;
    try {
      write(`http://office:Wrong-Pass3@${proxy.address}`);
      assert.equal(await main(['dossiers', 'list', '--config', configFile]), 3);
      assert.match(said.join('\n'), new RegExp(`The proxy ${proxy.address.replace(/\./g, '\\.')} refused the user name and password`));
      assert.ok(!said.join('\n').includes('Wrong-Pass3'));
      write(`http://office:Right-Pass7@${proxy.address}`);
      assert.equal(await main(['dossiers', 'list', '--config', configFile]), 0);
      assert.equal(proxy.tunnels, 2);
    } finally {
      console.error = consoleError;
      console.log = consoleLog;
      if (dataDir === undefined) delete process.env.BILLSYNC_DATA_DIR;
      else process.env.BILLSYNC_DATA_DIR = dataDir;
      await proxy.close();
    }
  });

  test('billsync doctor goes through the configured proxy too: a 407 is named, the right login passes every check that needs Billit', async () => {
    const password = 'Doc-Pass9';
    const proxy = await startProxy({ login: { user: 'office', password } });
    const base = mkdtempSync(join(tmpdir(), 'billsync-proxy-doctor-'));
    const configFile = join(base, 'config.json');
    mkdirSync(join(base, 'export'));
    const paths: AppPaths = { configFile, dataDir: join(base, 'data'), logDir: join(base, 'data', 'logs') };
    const write = (address: string) => writeFileSync(configFile, JSON.stringify({
      billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, proxy: address },
      exportRoot: join(base, 'export'),
    }));
    try {
      write(`http://office:Wrong-Pass4@${proxy.address}`);
      const refused = await runDoctor({ configFile, paths });
      const api = refused.find((r) => r.id === 'api')!;
      assert.equal(api.status, 'fail');
      assert.match(api.message, new RegExp(`the proxy ${proxy.address.replace(/\./g, '\\.')} \\(settings\\) asks for a login \\(407\\)`));
      assert.equal(doctorExitCode(refused), 3);
      assert.ok(!JSON.stringify(refused).includes('Wrong-Pass4'), 'the password is never repeated');

      write(`http://office:${password}@${proxy.address}`);
      const passed = await runDoctor({ configFile, paths });
      assert.equal(passed.find((r) => r.id === 'api')?.status, 'ok', JSON.stringify(passed));
      assert.match(passed.find((r) => r.id === 'api')!.message, /through the proxy/);
      assert.equal(passed.find((r) => r.id === 'key')?.status, 'ok', JSON.stringify(passed));
      assert.ok(proxy.tunnels >= 2, `the probe and the key check went through the proxy (${proxy.tunnels} tunnels)`);
      assert.ok(!JSON.stringify(passed).includes(password));
    } finally {
      await proxy.close();
    }
  });

  test('a proxy that cannot be reached gives the unreachable error, naming the proxy', async () => {
    const port = await closedPort();
    const client = clientFor(sandbox, { proxy: `http://someone:Hidden-Pass1@127.0.0.1:${port}`, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    const error = await client.accountInformation().then(() => null, (e: unknown) => e);
    assert.ok(error instanceof BillitUnreachableError && !(error instanceof ProxyAuthenticationError), `got ${String(error)}`);
    assert.equal(error.kind, 'refused');
    assert.match(error.message, new RegExp(`after 2 attempts: connection refused through the proxy 127\\.0\\.0\\.1:${port}\\.`));
    assert.ok(!error.message.includes('Hidden-Pass1'));
  });

  test('without a proxy in the settings, HTTP_PROXY from the environment carries the calls', async () => {
    const proxy = await startProxy({ hosts: { [ALIAS]: '127.0.0.1' } });
    try {
      process.env.HTTP_PROXY = `http://${proxy.address}`;
      const client = clientFor(sandbox, { baseUrl: aliasUrl });
      const file = await client.file(party, fileId);
      assert.ok(file.bytes.equals((await clientFor(sandbox).file(party, fileId)).bytes));
      assert.equal(proxy.tunnels, 1, `${ALIAS} is known only to the proxy`);

      // Lower case wins, as in curl and undici; a value without a scheme means http.
      process.env.http_proxy = proxy.address;
      process.env.HTTP_PROXY = 'http://127.0.0.1:9';
      await clientFor(sandbox, { baseUrl: aliasUrl }).accountInformation();
      assert.equal(proxy.tunnels, 2);
    } finally {
      await proxy.close();
    }
  });

  test('a proxy in the settings wins over the environment\'s', async () => {
    const proxy = await startProxy();
    try {
      process.env.HTTP_PROXY = `http://127.0.0.1:${await closedPort()}`;
      process.env.HTTPS_PROXY = process.env.HTTP_PROXY;
      await clientFor(sandbox, { proxy: `http://${proxy.address}` }).accountInformation();
      assert.equal(proxy.tunnels, 1);
    } finally {
      await proxy.close();
    }
  });

  test('hosts in NO_PROXY, and a Billit on this computer, are reached directly', async () => {
    const proxy = await startProxy({ hosts: { [ALIAS]: '127.0.0.1' } });
    try {
      process.env.HTTP_PROXY = `http://${proxy.address}`;
      process.env.NO_PROXY = 'localhost,127.0.0.1';
      assert.equal((await clientFor(sandbox).accountInformation()).Companies.length, 2);

      delete process.env.NO_PROXY;
      assert.equal((await clientFor(sandbox).accountInformation()).Companies.length, 2, 'loopback goes direct even without NO_PROXY');
      assert.equal(proxy.tunnels, 0);

      // Listed in no_proxy, the alias is looked up directly, where no DNS knows it: proof the proxy was skipped.
      process.env.no_proxy = `example.org .proxy-test`;
      const error = await clientFor(sandbox, { baseUrl: aliasUrl, retry: { attempts: 1 } }).accountInformation().then(() => null, (e: unknown) => e);
      assert.ok(error instanceof BillitUnreachableError, `got ${String(error)}`);
      assert.equal(error.kind, 'dns');
      assert.doesNotMatch(error.message, /proxy 127/);
      assert.equal(proxy.tunnels, 0);
    } finally {
      await proxy.close();
    }
  });
});

describe('choosing the proxy', () => {
  const billit = new URL('https://api.billit.be/');
  const plain = new URL('http://billit.lan:8080/');

  test('the settings\' proxy is used for every host, loopback included, and keeps only host:port for messages', () => {
    const route = proxyRoute(new URL('http://127.0.0.1:4000/'), 'http://me:s%3Acret@proxy.lan:3128', { HTTP_PROXY: 'http://other:1' });
    assert.equal(route?.address, 'proxy.lan:3128');
    assert.equal(route?.url.href, 'http://proxy.lan:3128/', 'no credentials in the URL undici gets');
    assert.deepEqual(route?.credentials, { user: 'me', password: 's:cret' });
    assert.equal(route?.source, 'settings');
    assert.equal(proxyRoute(billit, 'https://proxy.lan', {})?.address, 'proxy.lan:443');
    assert.equal(proxyRoute(billit, 'http://proxy.lan', {})?.address, 'proxy.lan:80');
  });

  test('an https target takes https_proxy, then HTTPS_PROXY, then the http ones; an http target only the http ones', () => {
    assert.equal(proxyRoute(billit, null, { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:1', HTTP_PROXY: 'http://c:1' })?.address, 'a:1');
    assert.equal(proxyRoute(billit, null, { HTTPS_PROXY: 'http://b:1', HTTP_PROXY: 'http://c:1' })?.source, 'HTTPS_PROXY');
    assert.equal(proxyRoute(billit, undefined, { HTTP_PROXY: 'c:3128' })?.address, 'c:3128');
    assert.equal(proxyRoute(plain, null, { HTTPS_PROXY: 'http://b:1' }), null);
    assert.equal(proxyRoute(plain, null, { http_proxy: 'http://d:1', HTTP_PROXY: 'http://c:1' })?.address, 'd:1');
    assert.equal(proxyRoute(billit, null, {}), null, 'no proxy anywhere: direct');
    assert.equal(proxyRoute(billit, null, { HTTPS_PROXY: 'socks5://s:1080' }), null, 'a proxy billsync cannot speak to is ignored');
    assert.equal(proxyRoute(billit, '', { HTTPS_PROXY: 'http://b:1' })?.address, 'b:1', 'an empty setting means none');
  });

  test('NO_PROXY entries match hosts, subdomains, wildcards and ports; loopback is always direct', () => {
    assert.equal(bypassedByNoProxy(billit, 'billit.be'), true);
    assert.equal(bypassedByNoProxy(billit, '.billit.be'), true);
    assert.equal(bypassedByNoProxy(billit, '*.billit.be'), true);
    assert.equal(bypassedByNoProxy(billit, 'api.billit.be:443'), true);
    assert.equal(bypassedByNoProxy(billit, 'api.billit.be:8443'), false);
    assert.equal(bypassedByNoProxy(billit, 'notbillit.be, example.org'), false);
    assert.equal(bypassedByNoProxy(billit, '*'), true);
    assert.equal(proxyRoute(billit, null, { HTTPS_PROXY: 'http://b:1', no_proxy: 'api.billit.be' }), null);
    for (const host of ['localhost', 'app.localhost', '127.0.0.1', '127.3.2.1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopback(host), true, host);
    for (const host of ['api.billit.be', '10.0.0.1', 'localhost.example', '128.0.0.1']) assert.equal(isLoopback(host), false, host);
  });

  test('a proxy address that is not one is refused without repeating it (it may hold a password)', () => {
    for (const bad of ['proxy.lan:3128', 'socks5://me:Secret99@proxy:1080', 'http://me:Secret99@']) {
      assert.throws(() => proxyRoute(billit, bad, {}), (error: Error) => error instanceof RangeError && !error.message.includes('Secret99'), bad);
    }
  });
});
