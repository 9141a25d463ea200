import ky from 'ky';
import { BillitError } from './errors/billit-error.js';
import { ApiKeyRejectedError } from './errors/api-key-rejected-error.js';
import type { RefreshTokenStore } from './options.js';
import type { FetchOptions } from './proxy.js';
import { TokenResponseSchema } from './schemas.js';

/**
 * OAuth2 access tokens for the client. Billit's refresh tokens are single use, so the new refresh
 * token is saved durably before the new access token is used; refreshes are single-flight so two
 * callers never spend the same refresh token.
 */
export class OAuthSession {
  private accessToken: string | null = null;
  private expiresAt = 0;
  private refreshing: Promise<string> | null = null;

  constructor(
    private readonly baseUrl: URL,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly store: RefreshTokenStore,
    private readonly timeoutMs: number,
    /** The proxy's dispatcher, as the transport uses it. */
    private readonly fetchOptions: FetchOptions = {},
  ) {}

  /** A valid access token, refreshing it when it expires within a minute. */
  async token(): Promise<string> {
    if (this.accessToken !== null && Date.now() < this.expiresAt - 60_000) return this.accessToken;
    return this.refresh();
  }

  /** Forgets the current access token (Billit said it expired or was revoked). */
  invalidate(): void {
    this.accessToken = null;
  }

  refresh(): Promise<string> {
    this.refreshing ??= this.doRefresh().finally(() => { this.refreshing = null; });
    return this.refreshing;
  }

  private async doRefresh(): Promise<string> {
    const refreshToken = await this.store.load();
    if (refreshToken === null) {
      throw new BillitError('billsync has no OAuth refresh token yet: connect billsync to Billit again (Settings → Connection) to authorise it.');
    }
    // Not retried on network errors: a lost answer may have consumed the single-use token already.
    const response = await ky.post(new URL('OAuth2/token', this.baseUrl), {
      json: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: this.clientId, client_secret: this.clientSecret },
      throwHttpErrors: false, retry: 0, timeout: false, signal: AbortSignal.timeout(this.timeoutMs),
      // A 307/308 would re-send the client secret and refresh token to wherever it points.
      redirect: 'manual', ...this.fetchOptions,
    });
    const text = await response.text();
    if (!response.ok && response.status !== 400 && response.status !== 401) {
      // An outage or rate limit is not a refused token: say so, and keep the refresh token for later.
      throw new BillitError(`Billit answered ${response.status} to POST /OAuth2/token; the token will be refreshed on the next attempt.`);
    }
    if (!response.ok) {
      let code: string | null = null;
      try {
        code = (JSON.parse(text) as { errors?: Array<{ Code?: string }> }).errors?.[0]?.Code ?? null;
      } catch { /* an HTML error page: keep code null */ }
      throw new ApiKeyRejectedError(response.status, code, 'the OAuth refresh token was refused; connect billsync to Billit again');
    }
    let body: unknown;
    try {
      body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      throw new BillitError('Billit answered POST /OAuth2/token with a body that is not JSON.');
    }
    // The old refresh token is spent now: keep the new one before anything else can go wrong with the
    // answer, or the office has to authorise billsync again.
    const rotated = (body as { refresh_token?: unknown } | null)?.refresh_token;
    if (typeof rotated === 'string' && rotated !== '') await this.store.save(rotated);
    const parsed = TokenResponseSchema.safeParse(body);
    if (!parsed.success) throw new BillitError('Billit answered POST /OAuth2/token without access_token, refresh_token and expires_in.');
    this.accessToken = parsed.data.access_token;
    this.expiresAt = Date.now() + parsed.data.expires_in * 1000;
    return this.accessToken;
  }
}
