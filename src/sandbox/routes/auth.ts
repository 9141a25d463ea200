import { ApiError } from '../http/reply.js';
import type { RequestContext } from '../http/router.js';

function header(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

const unauthorized = (description: string, code = 'Unauthorized'): ApiError => new ApiError(401, code, description);

/**
 * Billit's authentication: an `ApiKey` header, or an OAuth bearer token. For an accountant's key,
 * `ContextPartyID` (optional) names the accountant and `PartyID` the client company acted for.
 */
export function authenticate(ctx: RequestContext): void {
  const world = ctx.world;
  const authorization = header(ctx, 'authorization');
  const apiKey = header(ctx, 'apikey');
  if (authorization !== undefined && /^bearer\s+/i.test(authorization)) {
    const token = authorization.replace(/^bearer\s+/i, '').trim();
    const expires = world.accessTokens.get(token);
    if (expires === undefined) throw unauthorized('The access token is not valid.', 'InvalidAccessToken');
    if (expires <= world.clock.now().getTime()) throw unauthorized('The access token has expired.', 'AccessTokenExpired');
  } else if (apiKey === undefined || apiKey === '') {
    throw unauthorized('Authorization has been denied for this request: no ApiKey header or bearer token.');
  } else if (apiKey !== world.apiKey) {
    throw unauthorized('Authorization has been denied for this request: the API key is not valid.');
  }

  const contextParty = header(ctx, 'contextpartyid');
  if (contextParty !== undefined && contextParty !== '' && Number(contextParty) !== world.accountant.partyId) {
    throw unauthorized(`You do not have access to the context party ${contextParty}.`);
  }
  const party = header(ctx, 'partyid');
  if (party !== undefined && party !== '') {
    const partyId = Number(party);
    if (!Number.isInteger(partyId) || !world.dossiers.has(partyId)) {
      throw unauthorized(`You do not have access to the party ${party}.`);
    }
    ctx.partyId = partyId;
  }
}

/** Company-scoped routes need the company: the user has access to more than one. */
export function requireParty(ctx: RequestContext): number {
  if (ctx.partyId === null) throw new ApiError(400, 'PartyIDRequired', 'The PartyID header is required: this user has access to more than one company.');
  return ctx.partyId;
}
