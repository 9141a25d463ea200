import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BillitClient } from '../../billit/client.js';
import { ApiKeyRejectedError, BillitUnreachableError } from '../../billit/errors/index.js';
import { proxyDispatcher, proxyRefusal, proxyRoute, type ProxyRoute } from '../../billit/proxy.js';
import { ConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/load-config.js';
import type { BillsyncConfig } from '../../config/schema.js';
import { ROOT_MARKER } from '../../export/export-root.js';
import { Ledger } from '../../ledger/ledger.js';
import { isNotFound, realFileSystem, type FileSystem } from '../../platform/fs/file-system.js';
import type { AppPaths } from '../../platform/paths.js';
import { ledgerFile, resolvePaths } from '../app-context.js';
import { EXIT } from '../exit-codes.js';

export const DOCTOR_HELP = `billsync doctor [--config FILE] [--json]

Checks what an export needs, one line per check (ok, warn, fail, skip): the configuration, Billit
answering, the API key accepted (accountInformation), the export root writable with its .billsync
marker, free disk space, and the local clock against Billit's.

Exit code: 0 nothing failed (warnings allowed), 1 a check failed (disk nearly full),
2 configuration error (missing or rejected API key, no export root), 3 Billit or the export root
cannot be reached.`;

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';
export type CheckId = 'config' | 'api' | 'key' | 'root' | 'disk' | 'clock';

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** One line, never a secret. */
  message: string;
  /** The exit code a failure stands for (product.md §9). */
  exitCode?: number;
}

export interface DoctorOptions {
  configFile: string;
  paths: AppPaths;
  fs?: FileSystem;
  /** The local clock compared with Billit's Date header. */
  now?: () => Date;
  fetch?: typeof fetch;
  /** Free bytes of the file system holding `path`. */
  freeBytes?: (path: string) => Promise<number>;
  timeoutMs?: number;
}

const LABELS: Record<CheckId, string> = { config: 'Configuration', api: 'Billit API', key: 'API key', root: 'Export root', disk: 'Disk space', clock: 'Clock' };
const MiB = 1024 * 1024;
/** Below this an export can fail half-way: fail. Below WARN_BYTES: warn. */
const FAIL_BYTES = 100 * MiB;
const WARN_BYTES = 1024 * MiB;
const SKEW_WARN_MS = 2 * 60_000;

const ok = (id: CheckId, message: string): CheckResult => ({ id, status: 'ok', message });
const warn = (id: CheckId, message: string): CheckResult => ({ id, status: 'warn', message });
const skip = (id: CheckId, message: string): CheckResult => ({ id, status: 'skip', message });
const fail = (id: CheckId, exitCode: number, message: string): CheckResult => ({ id, status: 'fail', message, exitCode });

/** ENOENT, ECONNREFUSED, timeout…: fetch puts the system's code in `cause`; a DOMException's numeric code is no use. */
const errorCode = (error: unknown): string => {
  const e = error as { code?: unknown; name?: string; cause?: { code?: unknown } };
  if (e?.name === 'TimeoutError') return 'timeout';
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return typeof e?.code === 'string' ? e.code : 'error';
};

async function freeBytesOf(path: string): Promise<number> {
  const stats = await statfs(path);
  return stats.bavail * stats.bsize;
}

function gigabytes(bytes: number): string {
  return bytes >= 10 * 1024 * MiB ? `${Math.round(bytes / (1024 * MiB))} GB` : `${(bytes / (1024 * MiB)).toFixed(1)} GB`;
}

/** GET on the base URL: any HTTP answer means reachable; its Date header is Billit's clock. */
async function probeApi(config: BillsyncConfig, o: Required<Pick<DoctorOptions, 'now' | 'fetch' | 'timeoutMs'>>): Promise<{ result: CheckResult; skewMs: number | null }> {
  const url = config.billit.baseUrl;
  // The same route the agent's calls take: billit.proxy, else HTTPS_PROXY/HTTP_PROXY unless NO_PROXY.
  let route: ProxyRoute | null;
  try {
    route = proxyRoute(new URL(url), config.billit.proxy);
  } catch (error) {
    return { result: fail('api', EXIT.usage, (error as Error).message), skewMs: null };
  }
  const via = route === null ? '' : ` through the proxy ${route.address} (${route.source})`;
  const sent = o.now().getTime();
  try {
    const response = await o.fetch(url, {
      redirect: 'manual', signal: AbortSignal.timeout(o.timeoutMs),
      ...(route === null ? {} : { dispatcher: proxyDispatcher(route) } as RequestInit),
    });
    await response.body?.cancel();
    const received = o.now().getTime();
    const date = Date.parse(response.headers.get('date') ?? '');
    // The Date header has whole seconds (truncated): take the middle of that second and of the exchange.
    const skewMs = Number.isNaN(date) ? null : date + 500 - (sent + received) / 2;
    return { result: ok('api', `${url} answers${via} (HTTP ${response.status}, ${received - sent} ms)`), skewMs };
  } catch (error) {
    const refused = route === null ? null : proxyRefusal(error);
    if (refused === 407) {
      return { result: fail('api', EXIT.unreachable, `the proxy ${route!.address} (${route!.source}) asks for a login (407): set billit.proxy as http://user:password@host:port, or check the user and password there`), skewMs: null };
    }
    if (refused !== null) return { result: fail('api', EXIT.unreachable, `the proxy ${route!.address} (${route!.source}) refused the connection to ${url} (${refused})`), skewMs: null };
    const code = errorCode(error);
    const tls = /CERT|SSL|TLS/i.test(code) ? ': the certificate is not trusted; a proxy that inspects HTTPS needs its root certificate in NODE_EXTRA_CA_CERTS' : '';
    return { result: fail('api', EXIT.unreachable, `cannot reach ${url}${via} (${code})${tls}. Check the network, the proxy and billit.baseUrl.`), skewMs: null };
  }
}

async function checkKey(config: BillsyncConfig, configFile: string, apiReachable: boolean, timeoutMs: number): Promise<CheckResult> {
  const apiKey = config.billit.apiKey;
  if (!apiKey) return fail('key', EXIT.usage, `billit.apiKey is missing in ${configFile}: set the API key Billit support gave you`);
  if (!apiReachable) return skip('key', 'not checked: Billit cannot be reached');
  const client = new BillitClient({
    baseUrl: config.billit.baseUrl, credentials: { kind: 'apiKey', apiKey }, accountantPartyId: config.billit.accountantPartyId ?? null,
    proxy: config.billit.proxy ?? null, timeoutMs, retry: { attempts: 2, baseDelayMs: 500, maxDelayMs: 2000, maxRetryAfterMs: 5000 },
  });
  try {
    const account = await client.accountInformation();
    const companies = account.Companies?.length ?? 0;
    return ok('key', `accepted; ${companies} ${companies === 1 ? 'company' : 'companies'} (dossiers) visible`);
  } catch (error) {
    if (error instanceof ApiKeyRejectedError) return fail('key', EXIT.usage, error.message);
    if (error instanceof BillitUnreachableError) return fail('key', EXIT.unreachable, error.message);
    return fail('key', EXIT.documentFailures, `Billit did not answer accountInformation as expected: ${(error as Error).message}`);
  }
}

/** Whether billsync has placed files under the export root before: then a missing marker means an unmounted share. */
function exportedBefore(paths: AppPaths): boolean {
  const file = ledgerFile(paths);
  if (!existsSync(file)) return false;
  try {
    const ledger = Ledger.open(file);
    try {
      return ledger.documents.countsByDossier().some((c) => c.state !== 'seen' && c.state !== 'quarantined' && c.count > 0);
    } finally {
      ledger.close();
    }
  } catch {
    return true; // cannot tell: assume the stricter case
  }
}

async function checkRoot(root: string | undefined, configFile: string, paths: AppPaths, fs: FileSystem): Promise<CheckResult> {
  if (!root) return fail('root', EXIT.usage, `exportRoot is missing in ${configFile}: set the folder Venice reads`);
  try {
    if (!(await fs.stat(root)).isDirectory()) return fail('root', EXIT.unreachable, `${root} is not a folder`);
  } catch (error) {
    return fail('root', EXIT.unreachable, `${root} cannot be reached (${errorCode(error)}): is the network share connected?`);
  }
  const probe = join(root, `.billsync-doctor-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(probe, 'billsync doctor write test\n');
    await fs.unlink(probe);
  } catch (error) {
    await fs.rm(probe, { force: true }).catch(() => undefined);
    return fail('root', EXIT.unreachable, `${root} is not writable (${errorCode(error)}): check the folder's permissions`);
  }
  try {
    await fs.access(join(root, ROOT_MARKER));
    return ok('root', `${root} is writable, marker ${ROOT_MARKER} present`);
  } catch (error) {
    if (!isNotFound(error)) return fail('root', EXIT.unreachable, `${root}: the marker ${ROOT_MARKER} cannot be read (${errorCode(error)})`);
  }
  if (exportedBefore(paths)) {
    return fail('root', EXIT.unreachable, `${root} has no ${ROOT_MARKER} marker although billsync exported there before: the share is probably not mounted, or the folder was replaced`);
  }
  return warn('root', `${root} is writable; no ${ROOT_MARKER} marker yet (billsync creates it at the first export)`);
}

/** The nearest folder that exists: the data folder may not have been created yet. */
function existingAncestor(path: string): string {
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

async function checkDisk(places: Array<{ name: string; path: string }>, freeBytes: (path: string) => Promise<number>): Promise<CheckResult> {
  const parts: string[] = [];
  let worst: 'ok' | 'warn' | 'fail' = 'ok';
  for (const place of places) {
    let free: number;
    try {
      free = await freeBytes(existingAncestor(place.path));
    } catch (error) {
      parts.push(`${place.name}: unknown (${errorCode(error)})`);
      if (worst === 'ok') worst = 'warn';
      continue;
    }
    parts.push(`${gigabytes(free)} free for the ${place.name}`);
    if (free < FAIL_BYTES) worst = 'fail';
    else if (free < WARN_BYTES && worst === 'ok') worst = 'warn';
  }
  const message = parts.join(', ');
  if (worst === 'fail') return fail('disk', EXIT.documentFailures, `${message}: less than 100 MB, exports would fail; free some space`);
  return worst === 'warn' ? warn('disk', `${message}: less than 1 GB somewhere`) : ok('disk', message);
}

function checkClock(skewMs: number | null, apiReachable: boolean): CheckResult {
  if (!apiReachable) return skip('clock', 'not checked: Billit cannot be reached');
  if (skewMs === null) return skip('clock', 'not checked: Billit sent no Date header');
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  const amount = seconds >= 120 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
  if (Math.abs(skewMs) <= SKEW_WARN_MS) return ok('clock', `within ${amount} of Billit's`);
  return warn('clock', `this computer's clock is ${amount} ${skewMs > 0 ? 'behind' : 'ahead of'} Billit's: turn on automatic time setting, or ask the IT partner (schedules and dates depend on it)`);
}

/** Runs every check. Never throws: each problem becomes a failed line. */
export async function runDoctor(options: DoctorOptions): Promise<CheckResult[]> {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 15_000;
  let config: BillsyncConfig;
  try {
    config = await loadConfig(options.configFile);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [fail('config', EXIT.usage, error.message)];
  }
  const results: CheckResult[] = [ok('config', existsSync(options.configFile) ? options.configFile : `${options.configFile} does not exist yet (defaults)`)];
  const api = await probeApi(config, { now, fetch: options.fetch ?? fetch, timeoutMs });
  results.push(api.result);
  results.push(await checkKey(config, options.configFile, api.result.status === 'ok', timeoutMs));
  const root = await checkRoot(config.exportRoot, options.configFile, options.paths, options.fs ?? realFileSystem);
  results.push(root);
  const places = [{ name: 'data folder', path: options.paths.dataDir }];
  if (config.exportRoot && root.exitCode !== EXIT.unreachable) places.unshift({ name: 'export root', path: config.exportRoot });
  results.push(await checkDisk(places, options.freeBytes ?? freeBytesOf));
  results.push(checkClock(api.skewMs, api.result.status === 'ok'));
  return results;
}

/** The highest exit code among failures: unreachable (3) over configuration (2) over the rest (1). */
export function doctorExitCode(results: CheckResult[]): number {
  return results.reduce((code, r) => (r.status === 'fail' ? Math.max(code, r.exitCode ?? EXIT.documentFailures) : code), EXIT.ok as number);
}

export function formatCheck(result: CheckResult): string {
  return `${result.status.padEnd(5)} ${LABELS[result.id].padEnd(14)} ${result.message}`;
}

/** `billsync doctor`: prints one line per check (or --json) and exits with the worst failure's code. */
export async function doctorCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, strict: true });
  if (values.help) { console.log(DOCTOR_HELP); return EXIT.ok; }
  const paths = resolvePaths(values.config);
  const results = await runDoctor({ configFile: paths.configFile, paths });
  const exitCode = doctorExitCode(results);
  if (values.json) console.log(JSON.stringify({ checks: results.map((r) => ({ ...r, label: LABELS[r.id] })), exitCode }));
  else for (const result of results) console.log(formatCheck(result));
  return exitCode;
}
