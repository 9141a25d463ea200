import { parseProxy, withProxyScheme } from '../billit/proxy.js';
import type { BillsyncConfig } from './schema.js';

/**
 * The configuration as it may be shown (diagnostics, `billsync config show`): without the API key,
 * whose presence is told apart, and with the proxy address stripped of its login.
 */
export function configForDisplay(config: BillsyncConfig): unknown {
  const { apiKey: _key, proxy, ...billit } = config.billit;
  return { ...config, billit: { ...billit, ...(proxy ? { proxy: proxyForDisplay(proxy) } : {}) } };
}

/** A proxy address without user and password ("with a login" says there is one); read like a proxy variable, so a missing http:// is added. */
export function proxyForDisplay(text: string): string {
  try {
    const route = parseProxy(withProxyScheme(text), 'display');
    return `${route.url.href}${route.credentials ? ' (with a login, not shown)' : ''}`;
  } catch {
    return '(not a usable proxy address, not shown)';
  }
}

/** A proxy address's password, raw and decoded, to mask wherever it appears. */
export function proxySecrets(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const password = new URL(withProxyScheme(text)).password;
    if (!password) return [];
    let decoded = password;
    try { decoded = decodeURIComponent(password); } catch { /* keep the raw one */ }
    return [password, decoded];
  } catch {
    return [];
  }
}
