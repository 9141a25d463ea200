import { proxyRoute, type ProxyRoute } from './proxy.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry-policy.js';

/** Where the OAuth refresh token lives. `save` must be durable (atomic) before it returns. */
export interface RefreshTokenStore {
  load(): Promise<string | null>;
  save(refreshToken: string): Promise<void>;
}

export type BillitCredentials =
  | { kind: 'apiKey'; apiKey: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; store: RefreshTokenStore };

/** What a caller passes to the client. Every field but baseUrl and credentials has a default. */
export interface BillitClientOptions {
  /** e.g. https://api.billit.be, https://api.sandbox.billit.be or a local sandbox. */
  baseUrl: string;
  credentials: BillitCredentials;
  /** The accountant's own company, sent as ContextPartyID on every call. @default none */
  accountantPartyId?: number | null;
  /** Client-side pace. @default 4 requests per second */
  ratePerSecond?: number;
  /** Requests that may start back-to-back before pacing applies. @default 8 */
  burst?: number;
  /** Requests in flight at once. @default 4 */
  maxConcurrent?: number;
  /** Time for one attempt, body included, in ms. @default 60000 */
  timeoutMs?: number;
  /** Page size for list calls; Billit refuses more than 120. @default 120 */
  pageSize?: number;
  retry?: Partial<RetryOptions>;
  /**
   * The proxy for every call: http://host:port or https://host:port, with user:password when the proxy
   * asks for a login (special characters percent-encoded). Null or absent: the environment's
   * HTTPS_PROXY/HTTP_PROXY (and NO_PROXY) apply, except to a Billit on this computer (loopback); with
   * none of them, calls go directly. The password never appears in a message.
   * @default the environment's proxy, else none
   */
  proxy?: string | null;
  /** Injected for tests: sleeping and randomness of backoff. */
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
  /** Called for every attempt (method, endpoint, outcome) — for logs and metrics; never given secrets. */
  onAttempt?: (event: AttemptEvent) => void;
}

export interface AttemptEvent {
  method: string;
  endpoint: string;
  attempt: number;
  status: number | null;
  outcome: 'ok' | 'retry' | 'fail';
  delayMs?: number;
  reason?: string;
}

export interface ResolvedBillitOptions {
  baseUrl: URL;
  credentials: BillitCredentials;
  accountantPartyId: number | null;
  ratePerSecond: number;
  burst: number;
  maxConcurrent: number;
  timeoutMs: number;
  pageSize: number;
  retry: RetryOptions;
  /** The proxy the calls go through; null: directly. */
  proxy: ProxyRoute | null;
  sleep: (ms: number) => Promise<unknown>;
  random: () => number;
  onAttempt: (event: AttemptEvent) => void;
}

export function resolveBillitOptions(options: BillitClientOptions): ResolvedBillitOptions {
  let baseUrl: URL;
  try {
    baseUrl = new URL(options.baseUrl);
  } catch {
    throw new RangeError(`Billit base URL ${JSON.stringify(options.baseUrl)} is not a URL; expected e.g. https://api.billit.be`);
  }
  if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') throw new RangeError(`Billit base URL must be http(s), got ${baseUrl.protocol}`);
  if (!baseUrl.pathname.endsWith('/')) baseUrl.pathname += '/';
  const pageSize = options.pageSize ?? 120;
  if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 120)) throw new RangeError('pageSize must be 1…120: Billit refuses larger pages');
  return {
    baseUrl,
    credentials: options.credentials,
    accountantPartyId: options.accountantPartyId ?? null,
    ratePerSecond: options.ratePerSecond ?? 4,
    burst: options.burst ?? 8,
    maxConcurrent: options.maxConcurrent ?? 4,
    timeoutMs: options.timeoutMs ?? 60_000,
    pageSize,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    proxy: proxyRoute(baseUrl, options.proxy),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    onAttempt: options.onAttempt ?? (() => undefined),
  };
}
