/**
 * When to try a failed call again, and how long to wait. Billit publishes no rate limit, so billsync
 * honours Retry-After exactly (plus up to 5 % jitter so that many agents do not return in lockstep)
 * and otherwise backs off exponentially with jitter.
 */

export interface RetryOptions {
  /** Attempts in total, the first included. @default 5 */
  attempts: number;
  /** First backoff delay in ms; doubles each retry. @default 500 */
  baseDelayMs: number;
  /** Cap on one backoff delay in ms. @default 30000 */
  maxDelayMs: number;
  /** Longest Retry-After billsync is willing to wait in ms; longer ones fail the call. @default 120000 */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Parses Retry-After (delta seconds or an HTTP date) into milliseconds, or null. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** Delay before retry number `retry` (1 = first retry): "equal jitter" exponential backoff. */
export function backoffDelay(retry: number, options: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Delay for a server-given Retry-After: the value itself plus at most 5 %. */
export function retryAfterDelay(retryAfterMs: number, random: () => number = Math.random): number {
  return Math.round(retryAfterMs * (1 + random() * 0.05));
}
