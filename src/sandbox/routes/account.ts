import { randomUUID } from 'node:crypto';
import { ApiError, ok } from '../http/reply.js';
import type { Router } from '../http/router.js';
import { accountInformationView } from '../views.js';
import type { World } from '../world/world.js';

/** The sandbox's OAuth client (Billit issues one per integrator on request). */
export const SANDBOX_OAUTH_CLIENT = { clientId: 'billsync-sandbox', clientSecret: 'sandbox-secret' } as const;

/** Issues a refresh token, as the authorization-code exchange would; used by tests and demos. */
export function issueRefreshToken(world: World): string {
  const token = `rt-${randomUUID()}`;
  world.refreshTokens.add(token);
  return token;
}

export function addAccountRoutes(router: Router): void {
  router.add('GET', '/v1/account/accountInformation', (ctx) => ok(accountInformationView(ctx.world)));
}

/** POST /OAuth2/token: JSON body, single-use refresh tokens, access tokens valid 3600 s. */
export function addOAuthRoutes(router: Router): void {
  router.add('POST', '/OAuth2/token', (ctx) => {
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    if (body.client_id !== SANDBOX_OAUTH_CLIENT.clientId || body.client_secret !== SANDBOX_OAUTH_CLIENT.clientSecret) {
      throw new ApiError(401, 'InvalidClient', 'The client_id or client_secret is not valid.');
    }
    if (body.grant_type !== 'refresh_token') throw new ApiError(400, 'UnsupportedGrantType', 'Only grant_type refresh_token is supported by the sandbox.');
    const presented = typeof body.refresh_token === 'string' ? body.refresh_token : '';
    if (!ctx.world.refreshTokens.delete(presented)) throw new ApiError(401, 'InvalidRefreshToken', 'The refresh token is not valid or was already used.');
    const accessToken = `at-${randomUUID()}`;
    ctx.world.accessTokens.set(accessToken, ctx.world.clock.now().getTime() + 3600_000);
    return ok({ token_type: 'Bearer', expires_in: 3600, access_token: accessToken, refresh_token: issueRefreshToken(ctx.world) });
  });
}
