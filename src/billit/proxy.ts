import { createRequire } from 'node:module';
import type { Dispatcher, ProxyAgent } from 'undici';

// undici is loaded only when a proxy is in use: it costs ~0.15 s of start-up that a direct client does not need.
const require = createRequire(import.meta.url);

/**
 * Which proxy, if any, carries a client's calls to Billit (product.md §7 "Network"). A client talks to
 * one origin only (its base URL, OAuth included), so the choice is made once, when the client is built:
 * that also lets every error name the proxy it went through. undici's EnvHttpProxyAgent would choose per
 * request, but it cannot say which proxy it used, knows no loopback rule, and warns "experimental" on
 * stderr in the 6.x line this project pins.
 */

/** A proxy to send the calls through. Never hand `url` or `credentials` to a message or a log. */
export interface ProxyRoute {
  /** The proxy without user name and password, e.g. http://proxy.office.lan:3128/. */
  url: URL;
  /** host:port, the one form of the proxy that messages show. */
  address: string;
  /** From the URL's user:password, decoded; sent as Basic Proxy-Authorization. Null without. */
  credentials: { user: string; password: string } | null;
  /** Where it was found: 'settings' or the environment variable's name. */
  source: string;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** host:port of a URL, with the scheme's default port written out. */
export function hostAndPort(url: URL): string {
  return `${url.hostname}:${url.port || DEFAULT_PORTS[url.protocol] || ''}`;
}

/**
 * Reads a proxy address: http:// or https://, optionally with user:password. Messages never repeat the
 * text, which may hold a password. `from` names the setting or variable for the message.
 */
export function parseProxy(text: string, from: string): ProxyRoute {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new RangeError(`The proxy address in ${from} is not a URL; expected http://host:port or http://user:password@host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`The proxy address in ${from} must start with http:// or https://, not ${url.protocol}//`);
  }
  if (url.hostname === '') throw new RangeError(`The proxy address in ${from} has no host; expected http://host:port`);
  const credentials = url.username === '' ? null : { user: safeDecode(url.username), password: safeDecode(url.password) };
  const bare = new URL(url.origin);
  return { url: bare, address: hostAndPort(bare), credentials, source: from };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The proxy for calls to `target`: the configured one when set; otherwise the environment's
 * (https_proxy/HTTPS_PROXY, then http_proxy/HTTP_PROXY for https targets; http_proxy/HTTP_PROXY for
 * http targets; lower case first, as curl and undici read them), unless the target is on this computer
 * (loopback: a proxy elsewhere cannot reach it) or listed in no_proxy/NO_PROXY. Null: connect directly.
 * An environment value that is not an http(s) proxy is ignored, as other tools on the machine do.
 */
export function proxyRoute(target: URL, configured: string | null | undefined, env: Environment = process.env): ProxyRoute | null {
  if (configured !== undefined && configured !== null && configured.trim() !== '') return parseProxy(configured, 'settings');
  if (isLoopback(target.hostname)) return null;
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const name = names.find((n) => (env[n] ?? '').trim() !== '');
  if (name === undefined) return null;
  if (bypassedByNoProxy(target, env.no_proxy ?? env.NO_PROXY ?? '')) return null;
  try {
    return parseProxy(withProxyScheme(env[name]!), name);
  } catch {
    return null;
  }
}

/** "proxy.lan:3128" or "user:pw@proxy.lan:3128" without a scheme means http, as curl reads a proxy variable. */
export function withProxyScheme(value: string): string {
  const text = value.trim();
  return /^[a-z][a-z\d+.-]*:\/\//i.test(text) ? text : `http://${text}`;
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1 (also IPv4-mapped). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = host.replace(/^::ffff:/, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * NO_PROXY as curl and undici read it: entries separated by commas or spaces; `*` alone means every
 * host; `host` matches the host and its subdomains, `.domain` and `*.domain` the subdomains;
 * `host:port` only that port. (CIDR ranges are not supported, as in curl before 7.86 and undici.)
 */
export function bypassedByNoProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || DEFAULT_PORTS[target.protocol] || '';
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const withPort = /^(.+):(\d+)$/.exec(entry);
    let name = (withPort ? withPort[1]! : entry).replace(/^\[|\]$/g, '');
    if (withPort && withPort[2] !== port) continue;
    if (name.startsWith('*.')) name = name.slice(1);
    if (name.startsWith('.')) {
      if (host.endsWith(name)) return true;
    } else if (host === name || host.endsWith(`.${name}`)) {
      return true;
    }
  }
  return false;
}

/** What ky passes on to fetch besides the request: undici's `dispatcher` when a proxy is in use. */
export interface FetchOptions { dispatcher?: Dispatcher }

/**
 * The undici dispatcher that sends calls through the proxy. Node 20's built-in fetch (undici 6.x inside)
 * accepts it as `dispatcher`; ky passes that option on to fetch. Every target, http: too, goes through a
 * CONNECT tunnel. Credentials go in as a header of their own so that a user name with an empty password
 * works too.
 */
export function proxyDispatcher(route: ProxyRoute): Dispatcher {
  const { ProxyAgent: Agent } = require('undici') as { ProxyAgent: typeof ProxyAgent };
  const token = route.credentials === null ? undefined
    : `Basic ${Buffer.from(`${route.credentials.user}:${route.credentials.password}`, 'utf8').toString('base64')}`;
  return new Agent({ uri: route.url.href, ...(token === undefined ? {} : { token }) });
}

/**
 * When a call through the proxy failed because the proxy refused the tunnel, the status it answered
 * (undici says "Proxy response (407) !== 200 when HTTP Tunneling", or "Proxy Authentication Required
 * (407)" when it forwards without a tunnel); null for any other failure.
 */
export function proxyRefusal(error: unknown): number | null {
  for (let e = error as { message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    const message = typeof e.message === 'string' ? e.message : '';
    const status = /Proxy response \((\d{3})\)/.exec(message) ?? /Proxy Authentication Required \((407)\)/.exec(message);
    if (status) return Number(status[1]);
  }
  return null;
}
