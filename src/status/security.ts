import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie that carries the per-start token after the first visit. */
export const SESSION_COOKIE = 'billsync_session';

/** A fresh secret for one start of billsync: 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The form token every POST must carry, derived from the session token (no server-side state). */
export function formToken(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('billsync form').digest('base64url');
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    try { cookies.set(name, decodeURIComponent(value)); } catch { /* a malformed cookie is ignored */ }
  }
  return cookies;
}

/**
 * DNS rebinding defence: a page from another site that resolves its own name to 127.0.0.1 still sends
 * its own name in Host. Only the loopback names with our port are ours.
 */
export function allowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

/**
 * Cross-site request defence for state-changing requests: the browser's Sec-Fetch-Site and Origin,
 * when sent, must say the request comes from the page itself. (SameSite=Strict already keeps the
 * cookie off cross-site requests; the form token is checked as well.)
 */
export function sameOriginRequest(headers: { origin?: string | undefined; 'sec-fetch-site'?: string | undefined }, port: number): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}` || origin === `http://[::1]:${port}`;
}
