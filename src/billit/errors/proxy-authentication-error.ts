import { BillitUnreachableError } from './billit-unreachable-error.js';

/**
 * A proxy between this computer and Billit answered 407 Proxy Authentication Required. It is a kind of
 * "cannot reach Billit" (the CLI exits 3, a run stops at once, as for a refused connection), with its own
 * message: what the proxy wants and where to put it. The message shows the proxy as host:port only,
 * never its user name or password. Not retried: the same request gets the same answer.
 */
export class ProxyAuthenticationError extends BillitUnreachableError {
  override name = 'ProxyAuthenticationError';

  /**
   * @param proxy host:port of the proxy, or null when billsync did not choose one (a proxy on the way
   *   that intercepts the connection by itself).
   * @param credentialsSent whether the proxy address carried a user name and password (then they are wrong).
   */
  constructor(readonly proxy: string | null, readonly credentialsSent: boolean, method: string, endpoint: string, options?: { cause?: unknown }) {
    const who = proxy === null ? 'A proxy between this computer and Billit' : `The proxy ${proxy}`;
    const where = `http://user:password@${proxy ?? 'host:port'}`;
    const message = credentialsSent
      ? `${who} refused the user name and password in the proxy address (407 Proxy Authentication Required): correct them in the proxy address in Settings (${where}).`
      : `${who} asks for a user name and password (407 Proxy Authentication Required): set them in the proxy address in Settings (${where}).`;
    super(method, endpoint, 1, '407 Proxy Authentication Required', 'refused', { ...options, message });
  }
}
