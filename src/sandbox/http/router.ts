import type { IncomingHttpHeaders } from 'node:http';
import type { World } from '../world/world.js';
import type { Reply } from './reply.js';

export interface RequestContext {
  world: World;
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when there is none. */
  body: unknown;
  baseUrl: string;
  /** The dossier of the PartyID header, once authentication checked it. */
  partyId: number | null;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

interface Route { method: string; template: string; pattern: RegExp; keys: string[]; handler: Handler; }

/** A small method + path-template router ("/v1/orders/{id}"); the template doubles as the stats key. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const keys: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ method, template, pattern: new RegExp(`^${source}/?$`, 'i'), keys, handler });
    return this;
  }

  /** Finds the route for a request; `allowed` lists the methods the path has when the method does not match. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | { route: null; allowed: string[] } {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => { params[key] = decodeURIComponent(m[i + 1]!); });
      return { route, params };
    }
    return { route: null, allowed };
  }
}
