import ky from 'ky';
import type { z } from 'zod';
import { ApiKeyRejectedError } from './errors/api-key-rejected-error.js';
import { BillitError } from './errors/billit-error.js';
import { BillitHttpError, type BillitErrorEntry } from './errors/billit-http-error.js';
import { BillitUnreachableError, type NetworkFailureKind } from './errors/billit-unreachable-error.js';
import { DownloadIntegrityError } from './errors/download-integrity-error.js';
import { MalformedResponseError } from './errors/malformed-response-error.js';
import { ProxyAuthenticationError } from './errors/proxy-authentication-error.js';
import { OAuthSession } from './oauth-session.js';
import type { ResolvedBillitOptions } from './options.js';
import { proxyDispatcher, proxyRefusal, type FetchOptions, type ProxyRoute } from './proxy.js';
import { ClientRateLimiter } from './rate-limiter.js';
import { backoffDelay, parseRetryAfter, RETRYABLE_STATUSES, retryAfterDelay } from './retry-policy.js';
import { AccountInformationSchema, describeIssues } from './schemas.js';
import { PartyAccessError } from './errors/party-access-error.js';
import { Semaphore } from './semaphore.js';

export interface CallSpec<T> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the base URL ("v1/orders"), or an absolute URL on the same origin (a NextPageLink). */
  path: string;
  query?: Record<string, string>;
  partyId?: number | null;
  json?: unknown;
  idempotencyKey?: string;
  /** Schema of a 2xx body; omitted means the body is ignored (PATCH answers empty). */
  schema?: z.ZodType<T>;
  /**
   * Checks a parsed body for damage (bad base64, wrong hash). A problem string makes the call retry,
   * and finally fail with DownloadIntegrityError naming `file`.
   */
  integrity?: (body: T) => { problem: string; fileName: string; fileId: string } | null;
  /** A call that must not be repeated once it may have reached Billit (e.g. a non-idempotent POST). */
  unsafeToRepeat?: boolean;
  /**
   * The 2xx status is the answer and the body only a detail (an upload's id): an empty or non-JSON
   * body gives `undefined` instead of an error, and is never a reason to send the call again.
   */
  bodyOptional?: boolean;
}

/** Largest answer read into memory; a hostile or broken server could otherwise send gigabytes (or a gzip bomb). */
const MAX_ANSWER_BYTES = 256 * 1024 * 1024;

class AnswerTooLarge extends Error {}

/** The body as text, refusing more than `limit` bytes (after decompression) before holding them all. */
async function readAnswer(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new AnswerTooLarge(`the answer announces ${declared} bytes, larger than the ${limit / 1024 / 1024} MB billsync accepts`);
  }
  if (!response.body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) throw new AnswerTooLarge(`the answer is larger than the ${limit / 1024 / 1024} MB billsync accepts`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Thrown inside an attempt to mean "try again" with the reason for the log. */
class Retryable extends Error {
  constructor(readonly reason: string, readonly status: number | null, readonly retryAfterMs: number | null, readonly final: () => Error) {
    super(reason);
  }
}

function billitErrors(text: string): BillitErrorEntry[] {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (Array.isArray(body.errors)) {
      return body.errors.map((e: Record<string, unknown>) => ({ code: String(e.Code ?? e.code ?? 'Error'), description: String(e.Description ?? e.description ?? '') }));
    }
    const message = body.Message ?? body.ErrorMessage ?? body.DefaultText ?? body.message;
    if (typeof message === 'string') return [{ code: 'Error', description: message }];
  } catch { /* not JSON: Billit's HTML error pages say nothing useful */ }
  return [];
}

/**
 * One HTTP call to Billit with everything around it: pacing, concurrency, authentication headers,
 * timeouts, retries with backoff, and errors that say what to do. ky does the HTTP; the retry loop is
 * ours because it must also cover failures while reading the body (a connection cut mid-download)
 * and damaged downloads, which ky's retry does not see.
 */
export class Transport {
  private readonly limiter: ClientRateLimiter;
  private readonly semaphore: Semaphore;
  private readonly oauth: OAuthSession | null;
  /** Options ky hands on to fetch: the proxy's dispatcher, or nothing (fetch's own connections). */
  private readonly fetchOptions: FetchOptions;

  constructor(readonly options: ResolvedBillitOptions) {
    this.limiter = new ClientRateLimiter(options.ratePerSecond, options.burst);
    this.semaphore = new Semaphore(options.maxConcurrent);
    this.fetchOptions = options.proxy === null ? {} : { dispatcher: proxyDispatcher(options.proxy) };
    const credentials = options.credentials;
    this.oauth = credentials.kind === 'oauth'
      ? new OAuthSession(options.baseUrl, credentials.clientId, credentials.clientSecret, credentials.store, options.timeoutMs, this.fetchOptions)
      : null;
  }

  resolveUrl(path: string, query?: Record<string, string>): URL {
    const url = new URL(path, this.options.baseUrl);
    // A NextPageLink pointing elsewhere would receive our credentials: refuse it.
    if (url.origin !== this.options.baseUrl.origin) throw new BillitError(`Billit returned a link to another host (${url.origin}); refusing to send credentials there.`);
    const extra = Object.entries(query ?? {});
    if (extra.length > 0) {
      // OData keys keep their literal "$" ($filter, $top) and spaces become %20, as Billit's examples write them.
      const encoded = extra.map(([key, value]) => `${encodeURIComponent(key).replace(/%24/g, '$')}=${encodeURIComponent(value)}`);
      url.search = [url.search.replace(/^\?/, ''), ...encoded].filter(Boolean).join('&');
    }
    return url;
  }

  async call<T>(spec: CallSpec<T>): Promise<T> {
    const url = this.resolveUrl(spec.path, spec.query);
    const endpoint = url.pathname;
    const { retry, onAttempt } = this.options;
    let refreshedToken = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.semaphore.run(() => this.attempt(spec, url, endpoint));
        onAttempt({ method: spec.method, endpoint, attempt, status: 200, outcome: 'ok' });
        return result;
      } catch (error) {
        if (error instanceof AuthRefused) {
          // Diagnosed outside the semaphore: the probe is itself a call and needs a slot.
          const diagnosed = await this.authFailure(spec, endpoint, error.status, error.errors);
          onAttempt({ method: spec.method, endpoint, attempt, status: error.status, outcome: 'fail', reason: diagnosed.message });
          throw diagnosed;
        }
        if (error instanceof TokenExpired && !refreshedToken && this.oauth) {
          refreshedToken = true;
          this.oauth.invalidate();
          attempt -= 1;
          continue;
        }
        if (!(error instanceof Retryable)) {
          onAttempt({ method: spec.method, endpoint, attempt, status: null, outcome: 'fail', reason: (error as Error).message });
          throw error;
        }
        if (attempt >= retry.attempts) {
          onAttempt({ method: spec.method, endpoint, attempt, status: error.status, outcome: 'fail', reason: error.reason });
          throw error.final();
        }
        let delay: number;
        if (error.retryAfterMs !== null) {
          if (error.retryAfterMs > retry.maxRetryAfterMs) {
            onAttempt({ method: spec.method, endpoint, attempt, status: error.status, outcome: 'fail', reason: error.reason });
            throw new BillitHttpError(error.status ?? 429, spec.method, endpoint, [],
              `Billit asked to wait ${Math.round(error.retryAfterMs / 1000)} s, longer than the ${Math.round(retry.maxRetryAfterMs / 1000)} s billsync waits; the next run tries again.`);
          }
          delay = retryAfterDelay(error.retryAfterMs, this.options.random);
          if (error.status === 429) this.limiter.pause(delay);
        } else {
          delay = backoffDelay(attempt, retry, this.options.random);
        }
        onAttempt({ method: spec.method, endpoint, attempt, status: error.status, outcome: 'retry', delayMs: delay, reason: error.reason });
        await this.options.sleep(delay);
      }
    }
  }

  private async headers<T>(spec: CallSpec<T>): Promise<Record<string, string>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const credentials = this.options.credentials;
    if (credentials.kind === 'apiKey') headers.ApiKey = credentials.apiKey;
    else headers.Authorization = `Bearer ${await this.oauth!.token()}`;
    if (spec.partyId !== undefined && spec.partyId !== null) headers.PartyID = String(spec.partyId);
    if (this.options.accountantPartyId !== null) headers.ContextPartyID = String(this.options.accountantPartyId);
    if (spec.idempotencyKey) {
      // Billit's docs spell the header two ways; sending both is harmless.
      headers['Idempotency-Key'] = spec.idempotencyKey;
      headers['Idempotent-Key'] = spec.idempotencyKey;
    }
    return headers;
  }

  private async attempt<T>(spec: CallSpec<T>, url: URL, endpoint: string): Promise<T> {
    await this.limiter.acquire();
    const headers = await this.headers(spec);
    const networkFailure = (failure: NetworkFailure, cause: unknown) => new Retryable(failure.reason, null, null,
      () => new BillitUnreachableError(spec.method, endpoint, this.options.retry.attempts, failure.reason, failure.kind, { cause }));
    let status: number;
    let retryAfter: string | null;
    let text: string;
    let location: string | null;
    let sent = false;
    try {
      const response = await ky(url, {
        method: spec.method, headers, ...(spec.json === undefined ? {} : { json: spec.json }),
        throwHttpErrors: false, retry: 0, timeout: false, signal: AbortSignal.timeout(this.options.timeoutMs),
        // Never follow a redirect: fetch would send the ApiKey, PartyID and ContextPartyID headers to wherever it points.
        redirect: 'manual', ...this.fetchOptions,
      });
      sent = true;
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      location = response.headers.get('location');
      text = await readAnswer(response, MAX_ANSWER_BYTES);
    } catch (error) {
      if (error instanceof AnswerTooLarge) throw new MalformedResponseError(spec.method, endpoint, [error.message]);
      const proxy = this.options.proxy;
      const refusal = proxy === null ? null : proxyRefusal(error);
      let failure: NetworkFailure;
      if (proxy !== null && refusal !== null) {
        // The proxy refused the tunnel, so nothing reached Billit. A 407 gets the same answer every time: not retried.
        if (refusal === 407) throw new ProxyAuthenticationError(proxy.address, proxy.credentials !== null, spec.method, endpoint, { cause: error });
        failure = describeProxyRefusal(refusal, proxy, url);
      } else {
        failure = describeNetworkError(error, this.options.timeoutMs, proxy);
      }
      if (spec.unsafeToRepeat && sent) throw new BillitUnreachableError(spec.method, endpoint, 1, failure.reason, failure.kind, { cause: error });
      throw networkFailure(failure, error);
    }

    if (status >= 200 && status < 300) return this.accept(spec, endpoint, text);
    if (status >= 300 && status < 400) {
      throw new BillitHttpError(status, spec.method, endpoint, [], `Billit redirected the call to ${location ?? 'another address'}; billsync does not follow redirects, so that the API key never goes elsewhere. Check the Billit address in the settings.`);
    }

    const errors = billitErrors(text);
    if (status === 401 && this.oauth && errors.some((e) => e.code === 'AccessTokenExpired' || e.code === 'InvalidAccessToken' || e.code === 'AccessTokenRevoked')) {
      throw new TokenExpired();
    }
    if (RETRYABLE_STATUSES.has(status) && !(spec.unsafeToRepeat && status !== 429 && status !== 503)) {
      throw new Retryable(`${status}${errors[0] ? ` ${errors[0].code}` : ''}`, status, parseRetryAfter(retryAfter, Date.now()),
        () => new BillitHttpError(status, spec.method, endpoint, errors, status === 429
          ? 'Billit keeps answering "too many requests"; lower the request rate in the settings or try later.'
          : 'Billit had a server problem; the next run tries again.'));
    }
    if (status === 401 || status === 403) throw new AuthRefused(status, errors);
    if (status === 407) {
      // A proxy that intercepts the connection by itself (none chosen), or one that forwards without a tunnel.
      const proxy = this.options.proxy;
      throw new ProxyAuthenticationError(proxy?.address ?? null, proxy !== null && proxy.credentials !== null, spec.method, endpoint);
    }
    throw new BillitHttpError(status, spec.method, endpoint, errors);
  }

  private accept<T>(spec: CallSpec<T>, endpoint: string, text: string): T {
    if (!spec.schema) return undefined as T;
    let body: unknown;
    try {
      // A byte-order mark before the JSON is legal for a server to send and means nothing.
      body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      if (spec.bodyOptional) return undefined as T;
      throw new Retryable('body is not JSON', null, null,
        () => new MalformedResponseError(spec.method, endpoint, [`the body is not JSON (${text.length} bytes, starting ${JSON.stringify(text.slice(0, 40))})`]));
    }
    const parsed = spec.schema.safeParse(body);
    if (!parsed.success) {
      // A 2xx carrying Billit's error shape: what Billit said explains more than the missing fields do.
      const reported = billitErrors(text).map((e) => (e.description ? `${e.code}: ${e.description}` : e.code));
      throw new MalformedResponseError(spec.method, endpoint, [...(reported.length > 0 ? [`Billit reported ${reported.join('; ')}`] : []), ...describeIssues(parsed.error)]);
    }
    const damage = spec.integrity?.(parsed.data) ?? null;
    if (damage) {
      throw new Retryable(damage.problem, null, null,
        () => new DownloadIntegrityError(damage.fileName, damage.fileId, damage.problem, this.options.retry.attempts));
    }
    return parsed.data;
  }

  /**
   * A 401/403 on a dossier call is either a bad key or a company the key may not see. One call to
   * accountInformation (which needs only the key) tells them apart.
   */
  private async authFailure<T>(spec: CallSpec<T>, endpoint: string, status: number, errors: BillitErrorEntry[]): Promise<Error> {
    const detail = errors.map((e) => e.description || e.code).join('; ');
    if (spec.partyId === undefined || spec.partyId === null) return new ApiKeyRejectedError(status, errors[0]?.code ?? null, detail);
    let companies: number[];
    try {
      const info = await this.call({ method: 'GET', path: 'v1/account/accountInformation', schema: AccountInformationSchema });
      companies = info.Companies.map((c) => c.PartyID);
    } catch (probeError) {
      return probeError instanceof ApiKeyRejectedError ? probeError : new ApiKeyRejectedError(status, errors[0]?.code ?? null, detail);
    }
    if (!companies.includes(spec.partyId)) return new PartyAccessError(spec.partyId, status);
    return new BillitHttpError(status, spec.method, endpoint, errors,
      `The key may act for dossier PartyID ${spec.partyId}, but not for this call: check the user's rights on that company in Billit.`);
  }
}

class TokenExpired extends Error {}

class AuthRefused extends Error {
  constructor(readonly status: number, readonly errors: BillitErrorEntry[]) {
    super(`refused with ${status}`);
  }
}

interface NetworkFailure { reason: string; kind: NetworkFailureKind; }

/** Through a proxy, the failure is named with it ("connection refused through the proxy host:port"). */
function describeNetworkError(error: unknown, timeoutMs: number, proxy: ProxyRoute | null): NetworkFailure {
  const failure = describeDirectError(error, timeoutMs);
  return proxy === null ? failure : { ...failure, reason: `${failure.reason} through the proxy ${proxy.address}` };
}

function describeDirectError(error: unknown, timeoutMs: number): NetworkFailure {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return { reason: `no complete answer within ${Math.round(timeoutMs / 1000)} s`, kind: 'timeout' };
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return { reason: 'connection refused', kind: 'refused' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { reason: 'host name not found (DNS)', kind: 'dns' };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return { reason: 'connection cut while receiving the answer', kind: 'cut' };
  return { reason: `${e.message ?? String(error)}${e.cause?.message ? ` (${e.cause.message})` : ''}`, kind: 'other' };
}

/** The proxy answered the tunnel request with another status than 200 (not 407). 403: its rules forbid the host. */
function describeProxyRefusal(status: number, proxy: ProxyRoute, url: URL): NetworkFailure {
  return status === 403
    ? { reason: `the proxy ${proxy.address} does not allow connections to ${url.host} (403)`, kind: 'refused' }
    : { reason: `the proxy ${proxy.address} could not open a connection to ${url.host} (${status})`, kind: 'other' };
}
