import { parseProxy } from '../../billit/proxy.js';

/**
 * The proxy address on the settings page. It may carry a password (http://user:password@host:port);
 * the page never shows one back. The saved password is shown as PROXY_PASSWORD_MASK, and a form posted
 * with the mask still in place keeps the saved password. A password the user typed but that was not
 * saved (the form came back with errors) is left out of the field, and the user is asked to type it again,
 * as with the API key.
 */

/** Stands in for the saved password in the field. URL-safe, so the address still reads as a URL. */
export const PROXY_PASSWORD_MASK = '********';

interface Userinfo { scheme: string; user: string; password: string | null; rest: string }

/** Splits "http://user:password@host:port/" as a URL parser would (the last @ before the path ends the user part). */
function userinfoOf(text: string): Userinfo | null {
  const match = /^([a-z][a-z\d+.-]*:\/\/)([^/?#]*)@(.*)$/is.exec(text);
  if (!match) return null;
  const info = match[2]!;
  const colon = info.indexOf(':');
  return { scheme: match[1]!, user: colon < 0 ? info : info.slice(0, colon), password: colon < 0 ? null : info.slice(colon + 1), rest: match[3]! };
}

/** The saved address as the field shows it: the password, if any, replaced by the mask. */
export function maskProxyPassword(address: string): string {
  const parts = userinfoOf(address);
  if (parts === null || parts.password === null || parts.password === '') return address;
  return `${parts.scheme}${parts.user}:${PROXY_PASSWORD_MASK}@${parts.rest}`;
}

/**
 * The address as the user means it: the mask put back as the saved password. Null when the mask stands
 * beside another user name than the saved one (that password is not theirs to keep).
 */
export function restoreProxyPassword(typed: string, saved: string | undefined): string | null {
  const parts = userinfoOf(typed);
  if (parts === null || parts.password !== PROXY_PASSWORD_MASK) return typed;
  const old = saved === undefined ? null : userinfoOf(saved);
  if (old === null || old.user !== parts.user || old.password === null) return null;
  return `${parts.scheme}${parts.user}:${old.password}@${parts.rest}`;
}

/** A typed address for a form that comes back: a typed password is left out (`discarded`), the mask stays. */
export function proxyForDisplay(typed: string): { text: string; discarded: boolean } {
  const parts = userinfoOf(typed);
  if (parts === null || parts.password === null || parts.password === '' || parts.password === PROXY_PASSWORD_MASK) return { text: typed, discarded: false };
  return { text: `${parts.scheme}${parts.user}@${parts.rest}`, discarded: true };
}

/** Whether billsync can use the address: http:// or https://, a host, a URL. */
export function isProxyAddress(text: string): boolean {
  try {
    parseProxy(text, 'settings');
    return /^https?:\/\/\S+$/i.test(text);
  } catch {
    return false;
  }
}

/** The password of an address, raw and decoded, for scrubbing texts that reach the page. */
export function proxyPasswords(address: string | undefined): string[] {
  const password = address === undefined ? null : userinfoOf(address)?.password ?? null;
  if (password === null || password === '' || password === PROXY_PASSWORD_MASK) return [];
  let decoded = password;
  try { decoded = decodeURIComponent(password); } catch { /* keep it raw */ }
  return [password, decoded];
}
