import { BillitClient } from './client.js';
import { ApiKeyRejectedError, BillitUnreachableError, ProxyAuthenticationError } from './errors/index.js';

/**
 * The check run with Billit before Billit settings are saved (the settings page, `billsync config set`):
 * does Billit accept the key (and the accountant's party)? It returns a verdict for the caller to put
 * into words and changes nothing.
 */

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
