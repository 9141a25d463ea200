/**
 * No secret in any file billsync writes: after a full run with Billit and file-system faults through
 * the real logger (createLogger with the secrets `billsync run` gives it), a run with a wrong API key
 * and runs through a proxy with a login (right and wrong password), neither the API keys nor the proxy
 * password (plain, percent-encoded, or as the Basic Proxy-Authorization value) appear in the log
 * folder or in the data dir (ledger with its event trail, quarantine reports, staging).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { billitClient, type AppContext } from '../../src/app/app-context.js';
import { BillitClient } from '../../src/billit/client.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { FaultyFileSystem } from '../../src/platform/fs/faulty-file-system.js';
import { realFileSystem, type FileSystem } from '../../src/platform/fs/file-system.js';
import { createLogger } from '../../src/platform/log.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { runSync } from '../../src/sync/run-sync.js';
import { ANCHOR, control, firstDossier, openSandbox } from '../support/sandbox.js';

const PROXY_USER = 'office';
const PROXY_PASSWORD = 'Pr0xy!S3cret/pw';
const WRONG_KEY = 'sbx-wrong-0123456789abcdef0123456789abcdef';

/** A forward proxy with a Basic login that tunnels CONNECT (what undici's ProxyAgent uses) to 127.0.0.1. */
async function startProxy(): Promise<{ port: number; tunnels: number; refused: number; close(): Promise<void> }> {
  const expected = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => { res.writeHead(405).end(); });
  server.on('connection', (socket: Socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    if (req.headers['proxy-authorization'] !== expected) {
      proxy.refused += 1;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="office"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    proxy.tunnels += 1;
    const port = Number(/:(\d+)$/.exec(req.url ?? '')?.[1] ?? 80);
    const upstream = connect(port, '127.0.0.1', () => {
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
  const proxy = {
    port: (server.address() as AddressInfo).port, tunnels: 0, refused: 0,
    close: () => new Promise<void>((done) => { for (const socket of sockets) socket.destroy(); server.close(() => done()); }),
  };
  return proxy;
}

/** Every regular file under `dir`, recursively. */
function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...allFiles(full));
    else if (statSync(full).isFile()) out.push(full);
  }
  return out;
}

/** Every row of every table of a SQLite file, as text (what `sqlite3 .dump` would show of the data). */
function sqliteText(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>;
    return tables.map(({ name }) => `${name}\n${(db.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((row) => JSON.stringify(row)).join('\n')}`).join('\n');
  } finally {
    db.close();
  }
}

describe('secrets in logs and the data dir', () => {
  let sandbox: Sandbox;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  before(async () => {
    sandbox = await openSandbox({ seed: 'secrets', dossiers: 3, docsPerDossier: 10, otherDocsPerDossier: 2, codaDays: 3, anchor: ANCHOR });
    proxy = await startProxy();
  });
  after(async () => { await proxy.close(); await sandbox.close(); });

  test('after a run with faults, a wrong key and a proxy login, no log or data file holds a secret', async () => {
    const base = mkdtempSync(join(tmpdir(), 'billsync-secrets-'));
    const root = join(base, 'export');
    const dataDir = join(base, 'data');
    const logDir = join(base, 'logs');
    mkdirSync(root);
    const proxyUrl = `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${proxy.port}`;
    // billit.proxy is new (settings); without it, the proxy runs are skipped.
    let proxySupported = true;
    try { parseConfig({ billit: { proxy: proxyUrl } } as Partial<ConfigInput>); } catch { proxySupported = false; }

    const appFor = (billit: Record<string, unknown>, ledger: Ledger): AppContext => ({
      configFile: join(base, 'config.json'),
      config: parseConfig({
        policy: { frequency: 'after-10-minutes' }, exportRoot: root,
        billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ratePerSecond: 100, maxConcurrent: 8, ...billit },
      } as Partial<ConfigInput>),
      paths: { configFile: join(base, 'config.json'), dataDir, logDir },
      ledger, fs: realFileSystem, close: () => ledger.close(),
    });

    /** One start of billsync: the logger `billsync run` creates, a run logged the way the desktop agent logs it. */
    const start = async (name: string, billit: Record<string, unknown>, options: { fs?: FileSystem; fastRetry?: boolean } = {}) => {
      const ledger = Ledger.open(join(dataDir, 'ledger.sqlite'));
      const app = appFor(billit, ledger);
      const log = createLogger({ dir: logDir, secrets: [app.config.billit.apiKey ?? ''], console: false });
      let outcome = 'ok';
      try {
        // The composition root's client; with Billit faults on, the same settings with quick backoff
        // (and every attempt logged, which the agent does not do: a stricter check).
        const client = options.fastRetry
          ? new BillitClient({
            baseUrl: app.config.billit.baseUrl, credentials: { kind: 'apiKey', apiKey: app.config.billit.apiKey! },
            accountantPartyId: app.config.billit.accountantPartyId ?? null, ratePerSecond: 100, burst: 200, maxConcurrent: 8,
            retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 100 },
            onAttempt: (attempt) => { if (attempt.outcome !== 'ok') log.warn(`${attempt.method} ${attempt.endpoint} attempt ${attempt.attempt}: ${attempt.outcome} ${attempt.reason ?? ''}`, { ...attempt }); },
            ...(proxySupported && billit.proxy ? { proxy: billit.proxy as string } : {}),
          })
          : billitClient(app);
        const summary = await runSync({
          client, ledger, fs: options.fs ?? realFileSystem, config: app.config, exportRoot: root, dataDir,
          // Every event, info ones included, with its data: more than the agent logs.
          onEvent: (event) => log[event.level](event.message, { type: event.type, ...(event.dossierPartyId === undefined ? {} : { dossier: event.dossierPartyId }), data: event.data }),
        }, { trigger: name });
        log.info(`${name} run: ${summary.counts.exported} exported, ${summary.counts.failed} failed (${summary.dossiers} dossiers)`, { trigger: name, counts: summary.counts });
        outcome = summary.status;
      } catch (error) {
        log.error(`${name} run failed: ${(error as Error).message}`, { trigger: name });
        outcome = `failed: ${(error as Error).name}`;
      } finally {
        await log.close();
        ledger.close();
      }
      return outcome;
    };

    // 1. A full run with Billit faults and a folder that refuses writes, through the proxy when supported.
    const damaged = sandbox.world.companyOrders(firstDossier(sandbox))[0]!.orderId;
    await control(sandbox, 'POST', `orders/${damaged}/damage`);
    await control(sandbox, 'POST', 'faults', { rules: [
      { kind: 'status', status: 500, probability: 0.05 },
      { kind: 'status', status: 429, retryAfter: 0, probability: 0.05 },
      { kind: 'cut', probability: 0.05 },
      { kind: 'corrupt-base64', route: '/v1/files/*', probability: 0.05 },
    ] });
    const fs = new FaultyFileSystem(realFileSystem, { seed: 'secrets' });
    fs.add({ op: ['mkdir', 'open'], path: (p) => p.startsWith(root) && p.includes('Documents'), code: 'EACCES' });
    let faulty: string;
    try {
      faulty = await start('faulty', proxySupported ? { proxy: proxyUrl } : {}, { fs, fastRetry: true });
    } finally {
      await control(sandbox, 'DELETE', 'faults');
    }
    assert.equal(faulty, 'partial', 'the faulty run ends with failed documents');
    assert.ok(fs.counts().total > 0);
    if (proxySupported) assert.ok(proxy.tunnels > 0, 'the calls went through the proxy');

    // 2. The faults are gone: a run completes the export (and quarantines the damaged order for sure).
    const catchUp = await start('catch-up', proxySupported ? { proxy: proxyUrl } : {});
    assert.ok(catchUp === 'ok' || catchUp === 'partial', `the catch-up run completes: ${catchUp}`);

    // 3. A wrong API key (the settings' key is what the logger knows to hide).
    assert.equal(await start('wrong-key', { apiKey: WRONG_KEY, ...(proxySupported ? { proxy: proxyUrl } : {}) }), 'failed: ApiKeyRejectedError');

    // 4. The proxy refuses a wrong password; the message must not repeat either password.
    if (proxySupported) {
      const wrongProxy = `http://${PROXY_USER}:${encodeURIComponent(`${PROXY_PASSWORD}-old`)}@127.0.0.1:${proxy.port}`;
      assert.equal(await start('wrong-proxy-password', { proxy: wrongProxy }), 'failed: ProxyAuthenticationError');
      assert.ok(proxy.refused > 0);
    }

    // 5. Grep: every file of the log folder and the data dir, raw bytes, plus the ledger as text.
    const secrets: Record<string, string> = {
      'API key': sandbox.apiKey,
      'wrong API key': WRONG_KEY,
      ...(proxySupported ? {
        'proxy password': PROXY_PASSWORD,
        'proxy password, percent-encoded': encodeURIComponent(PROXY_PASSWORD),
        'old proxy password': `${PROXY_PASSWORD}-old`,
        'Proxy-Authorization value': Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64'),
        'proxy URL with login': proxyUrl,
      } : {}),
    };
    const files = [...allFiles(logDir), ...allFiles(dataDir)];
    const texts = files.map((file) => ({ file, text: readFileSync(file).toString('latin1') }));
    texts.push({ file: 'ledger.sqlite (text dump)', text: sqliteText(join(dataDir, 'ledger.sqlite')) });
    const hits: string[] = [];
    for (const [what, secret] of Object.entries(secrets)) {
      for (const { file, text } of texts) if (text.includes(secret)) hits.push(`${what} in ${file}`);
    }
    assert.deepEqual(hits, [], 'no secret in any file');
    // The raw search does read the ledger's pages (WAL included): text the run stored there is found.
    assert.ok(texts.some(({ file, text }) => file.includes('ledger.sqlite') && file !== 'ledger.sqlite (text dump)' && text.includes('rejected the API key')), 'the raw ledger files are searchable');

    // The check looked at real material: the logs tell of the faults, the key and the proxy.
    const logText = allFiles(logDir).map((file) => readFileSync(file, 'utf8')).join('\n');
    assert.match(logText, /EACCES/);
    assert.match(logText, /rejected the API key/);
    assert.match(logText, /quarantined/);
    if (proxySupported) assert.match(logText, /407 Proxy Authentication Required/);
    assert.ok(allFiles(join(dataDir, 'quarantine')).some((file) => file.endsWith('.txt')), 'a quarantine report was written');
    console.log(`# secrets: ${Object.keys(secrets).length} secrets, ${files.length} files + ledger dump searched, 0 hits (runs: faulty ${faulty}, catch-up ${catchUp}; proxy ${proxySupported ? `${proxy.tunnels} tunnels, ${proxy.refused} refused` : 'not supported, skipped'}; ${fs.counts().total} file-system faults)`);
  });
});
