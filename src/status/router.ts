import type { Route } from './page.js';

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

/** Matches a method and path to a route and its `:params` (decoded). */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path.split('/').map((segment) => {
        if (segment.startsWith(':')) {
          names.push(segment.slice(1));
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }).join('/');
      return { route, pattern: new RegExp(`^${source}/?$`), names };
    });
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | 'method-not-allowed' | null {
    let pathMatched = false;
    for (const { route, pattern, names } of this.compiled) {
      const m = pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      try {
        names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1] ?? ''); });
      } catch {
        return null;
      }
      return { route, params };
    }
    return pathMatched ? 'method-not-allowed' : null;
  }
}
