import { isAbsolute, join, win32 } from 'node:path';
import { BillitClient } from '../../billit/client.js';
import { ApiKeyRejectedError, BillitUnreachableError, ProxyAuthenticationError } from '../../billit/errors/index.js';
import { ROOT_MARKER } from '../../export/export-root.js';
import { writeTempFile } from '../../platform/fs/atomic-write.js';
import { isNotFound, type FileSystem } from '../../platform/fs/file-system.js';

/**
 * The checks the settings page runs before it saves anything: can billsync write in the export root,
 * and does Billit accept the key (and the accountant's party). Each returns a verdict for the page to
 * put into words; none of them changes the configuration.
 */

export type RootProblem = 'relative' | 'missing' | 'blocked' | 'not-folder' | 'denied' | 'read-only' | 'full' | 'other';

export type RootTest =
  | { ok: true; hasMarker: boolean }
  | { ok: false; problem: RootProblem; code: string };

/** A local path (C:\…, /…) or a UNC share (\\server\share), on whichever system the page runs. */
export function isFullPath(path: string): boolean {
  return isAbsolute(path) || win32.isAbsolute(path);
}

/**
 * The write test: the folder must exist (an unmounted share must never get a fresh tree), and a file
 * written there must reach the disk. The test file carries the atomic writer's temporary name, so a
 * leftover after a crash is one that reconciliation already cleans up.
 */
export async function writeTestExportRoot(fs: FileSystem, root: string): Promise<RootTest> {
  if (!isFullPath(root)) return { ok: false, problem: 'relative', code: '' };
  try {
    const stats = await fs.stat(root);
    if (!stats.isDirectory()) return { ok: false, problem: 'not-folder', code: '' };
  } catch (error) {
    return failure(error, { ENOENT: 'missing', ENOTDIR: 'blocked', EACCES: 'denied', EPERM: 'denied' });
  }
  try {
    const temp = await writeTempFile(fs, root, Buffer.from('billsync write test: this file can be deleted\r\n', 'utf8'));
    await fs.unlink(temp);
  } catch (error) {
    return failure(error, { EACCES: 'denied', EPERM: 'denied', EROFS: 'read-only', ENOSPC: 'full', EDQUOT: 'full', ENOENT: 'missing' });
  }
  let hasMarker = true;
  try {
    await fs.access(join(root, ROOT_MARKER));
  } catch (error) {
    if (!isNotFound(error)) return failure(error, { EACCES: 'denied', EPERM: 'denied' });
    hasMarker = false;
  }
  return { ok: true, hasMarker };
}

function failure(error: unknown, problems: Record<string, RootProblem>): RootTest {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return { ok: false, problem: problems[code] ?? 'other', code };
}

export interface BillitSettings {
  baseUrl: string;
  apiKey: string;
  accountantPartyId: number | null;
  /** billit.proxy; null: the environment's proxy, or none. */
  proxy: string | null;
}

export type BillitCheck =
  | { ok: true }
  | { ok: false; problem: 'key-rejected' | 'party' | 'unreachable' | 'other'; detail: string }
  /** A proxy asked for a login (407): `proxy` is its host:port (null when billsync did not choose it). */
  | { ok: false; problem: 'proxy'; proxy: string | null; credentialsSent: boolean; detail: string };

/** One quick attempt or two: the user is waiting for the page. */
const CHECK_OPTIONS = { retry: { attempts: 2, baseDelayMs: 300, maxDelayMs: 1000, maxRetryAfterMs: 5000 }, timeoutMs: 15_000 } as const;

/**
 * Asks Billit for the account's companies with the settings about to be saved, through the proxy about
 * to be saved. Billit answers 401 both to a wrong key and to a ContextPartyID the key may not act for;
 * asking once more without the party tells the two apart.
 */
export async function checkBillitAccess(settings: BillitSettings): Promise<BillitCheck> {
  const client = (accountantPartyId: number | null) => new BillitClient({
    baseUrl: settings.baseUrl, credentials: { kind: 'apiKey', apiKey: settings.apiKey }, accountantPartyId, proxy: settings.proxy, ...CHECK_OPTIONS,
  });
  try {
    await client(settings.accountantPartyId).accountInformation();
    return { ok: true };
  } catch (error) {
    if (error instanceof ApiKeyRejectedError && settings.accountantPartyId !== null) {
      try {
        await client(null).accountInformation();
        return { ok: false, problem: 'party', detail: error.message };
      } catch { /* the key itself is refused too */ }
    }
    const detail = (error as Error).message;
    if (error instanceof ProxyAuthenticationError) return { ok: false, problem: 'proxy', proxy: error.proxy, credentialsSent: error.credentialsSent, detail };
    return { ok: false, problem: classify(error), detail };
  }
}

function classify(error: unknown): 'key-rejected' | 'unreachable' | 'other' {
  if (error instanceof ApiKeyRejectedError) return 'key-rejected';
  if (error instanceof BillitUnreachableError) return 'unreachable';
  return 'other';
}
