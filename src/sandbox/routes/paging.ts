import { ApiError } from '../http/reply.js';
import type { RequestContext } from '../http/router.js';
import { ODataError, runQuery, type EntitySpec } from '../odata.js';

/** Runs an OData query and shapes Billit's page: {Items, NextPageLink, Count}. */
export function page<T>(ctx: RequestContext, spec: EntitySpec<T>, all: readonly T[], view: (item: T) => unknown): Record<string, unknown> {
  let result;
  try {
    result = runQuery(spec, all, ctx.query);
  } catch (error) {
    if (error instanceof ODataError) throw new ApiError(400, 'GenericError', error.message);
    throw error;
  }
  let nextPageLink: string | null = null;
  if (result.nextSkip !== null) {
    const parts = [...ctx.query.entries()].filter(([key]) => key !== '$skip');
    parts.push(['$skip', String(result.nextSkip)]);
    const search = parts.map(([key, value]) => `${encodeURIComponent(key).replace(/%24/g, '$')}=${encodeURIComponent(value)}`).join('&');
    nextPageLink = `${ctx.baseUrl}${ctx.path}?${search}`;
  }
  return { Items: result.items.map(view), NextPageLink: nextPageLink, Count: result.count };
}
