import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A test-only HTTP server that answers given paths with given raw bodies and statuses, so that the
 * hostile-input tests can serve what no well-behaved Billit (nor the sandbox) would: HTML error pages,
 * truncated JSON, bodies that lie about their length, redirect loops. Paths without an answer are
 * forwarded to `upstream` (a real sandbox) when one is given, else answered 404 in Billit's error shape.
 * Never used by product code.
 */

export interface HostileAnswer {
  /** @default 200 */
  status?: number;
  /** @default {"Content-Type": "application/json; charset=utf-8"} when the body is a string or Buffer */
  headers?: Record<string, string>;
  /** The raw body; a function is called per request (e.g. to vary with the query). */
  body?: string | Buffer | ((request: HostileRequest) => string | Buffer);
  /**
   * Full control of the answer (headers that lie, bodies that never end, cut sockets). When given,
   * status, headers and body are ignored.
   */
  handle?: (request: HostileRequest, res: ServerResponse) => void;
}

export interface HostileRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface HostileBillit {
  baseUrl: string;
  /** Every request received, in order (forwarded ones too). */
  readonly requests: HostileRequest[];
  /** Answers `path` (exact, without query; a trailing `*` matches a prefix) with `answer`. */
  answer(path: string, answer: HostileAnswer): void;
  /** Drops every answer and the request log. */
  reset(): void;
  /** Requests whose path matched `path` (same matching as answer()). */
  hits(path: string): number;
  close(): Promise<void>;
}

const matches = (pattern: string, path: string): boolean =>
  pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern.toLowerCase() === path.toLowerCase();

async function forward(upstream: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (key === 'host' || key === 'connection' || key === 'content-length' || value === undefined) continue;
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  const method = req.method ?? 'GET';
  const response = await fetch(`${upstream}${req.url ?? '/'}`, {
    method, headers, redirect: 'manual', ...(chunks.length > 0 && method !== 'GET' ? { body: Buffer.concat(chunks) } : {}),
  });
  const body = Buffer.from(await response.arrayBuffer());
  const out: Record<string, string> = {};
  response.headers.forEach((value, key) => { if (key !== 'content-length' && key !== 'transfer-encoding' && key !== 'connection' && key !== 'content-encoding') out[key] = value; });
  res.writeHead(response.status, { ...out, 'Content-Length': String(body.length) });
  res.end(body);
}

/** Starts the server on 127.0.0.1 (a free port). */
export async function startHostileBillit(options: { upstream?: string } = {}): Promise<HostileBillit> {
  let answers: Array<[string, HostileAnswer]> = [];
  const requests: HostileRequest[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hostile.invalid');
    const request: HostileRequest = { method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, query: url.searchParams, headers: req.headers };
    requests.push(request);
    // The most recently added answer wins, so a test can override a general one.
    const found = [...answers].reverse().find(([pattern]) => matches(pattern, url.pathname))?.[1];
    if (!found) {
      if (options.upstream) {
        forward(options.upstream, req, res).catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(502).end(String(error));
          else res.destroy();
        });
        return;
      }
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ Code: 'NotFound', Description: `hostile server has no answer for ${url.pathname}` }] }));
      return;
    }
    // Drain the request body so that keep-alive connections stay usable.
    req.resume();
    if (found.handle) {
      found.handle(request, res);
      return;
    }
    const raw = typeof found.body === 'function' ? found.body(request) : found.body ?? '';
    const body = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    res.writeHead(found.status ?? 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(body.length), ...found.headers });
    res.end(body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    requests,
    answer(path, answer) {
      answers.push([path, answer]);
    },
    reset() {
      answers = [];
      requests.length = 0;
    },
    hits: (path) => requests.filter((r) => matches(path, r.path)).length,
    close: () => new Promise<void>((resolve) => {
      // Answers that never end hold their sockets open: close them rather than wait.
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
