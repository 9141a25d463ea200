import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLIENT_SCRIPT } from './client-script.js';
import { isLang, pickLang } from './i18n.js';
import { layout } from './layout.js';
import type { PageRequest, PageResult, Route, StatusContext } from './page.js';
import { Router } from './router.js';
import { allowedHost, formToken, newToken, parseCookies, sameOriginRequest, sameSecret, SESSION_COOKIE } from './security.js';
import { STYLESHEET } from './style.js';

const LANG_COOKIE = 'billsync_lang';
/** Large enough for a dossier mapping spreadsheet, small enough that nothing can exhaust memory. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on same-origin form posts.
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

export interface StatusServerOptions {
  context: StatusContext;
  routes: readonly Route[];
  /** 0 = a free port chosen by the system. */
  port?: number;
  /** The per-start secret; a fresh random one by default. */
  token?: string;
  log?: { warn(message: string): void; error(message: string): void };
}

export interface StatusServer {
  /** The address to open, with the token (the tray and `billsync status --json` give it out). */
  url: string;
  origin: string;
  port: number;
  /** The address the socket is bound to, as the operating system reports it. */
  boundAddress: string;
  close(): Promise<void>;
}

class RequestError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

/**
 * The local status page: 127.0.0.1 only, a per-start token that the first visit turns into an
 * HttpOnly SameSite=Strict cookie, foreign Host headers (DNS rebinding) and cross-site posts refused.
 */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const token = options.token ?? newToken();
  const router = new Router(options.routes);
  const forms = formToken(token);
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof RequestError ? error.status : 500;
      if (status === 500) options.log?.error(`status page: ${req.method} ${(req.url ?? '').split('?')[0]} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) send(res, status, 'text/plain; charset=utf-8', status === 500 ? 'billsync could not show this page; the log says why.' : (error as Error).message);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHost(req.headers.host, port)) throw new RequestError(403, 'This page only answers to 127.0.0.1 and localhost.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const cookies = parseCookies(req.headers.cookie);
    const queryToken = url.searchParams.get('token');
    if (req.method === 'GET' && queryToken !== null && sameSecret(queryToken, token)) {
      // Trade the token in the address for a cookie, and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      redirect(res, url.pathname + url.search);
      return;
    }
    if (!sameSecret(cookies.get(SESSION_COOKIE), token)) throw new RequestError(401, 'Open this page from the billsync tray menu (Open status page): it needs the key of this session.');
    if (url.pathname === '/style.css') return send(res, 200, 'text/css; charset=utf-8', STYLESHEET);
    if (url.pathname === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', CLIENT_SCRIPT);
    const langMatch = /^\/lang\/([a-z]{2})$/.exec(url.pathname);
    if (req.method === 'GET' && langMatch && isLang(langMatch[1])) {
      res.setHeader('Set-Cookie', `${LANG_COOKIE}=${langMatch[1]}; SameSite=Strict; Path=/; Max-Age=31536000`);
      // Only a page of this site: never an open redirect (resolving it as the browser will, so
      // "/\t/evil.example" or "/\\evil.example" cannot turn into another host).
      let target = '/';
      try {
        const resolved = new URL(url.searchParams.get('back') ?? '/', `http://127.0.0.1:${port}`);
        if (resolved.origin === `http://127.0.0.1:${port}`) target = resolved.pathname + resolved.search;
      } catch { /* not a URL: home */ }
      redirect(res, target);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') throw new RequestError(405, 'Method not allowed.');
    const match = router.match(req.method, url.pathname);
    if (match === null) throw new RequestError(404, 'No such page.');
    if (match === 'method-not-allowed') throw new RequestError(405, 'Method not allowed.');

    let form: FormData | null = null;
    if (req.method === 'POST') {
      if (!sameOriginRequest({ origin: req.headers.origin, 'sec-fetch-site': header(req, 'sec-fetch-site') }, port)) throw new RequestError(403, 'Refused: this form was sent from another site.');
      form = await readForm(req, url);
      if (!sameSecret(String(form.get('_token') ?? ''), forms)) throw new RequestError(403, 'Refused: the form is missing its key. Reload the page and try again.');
    }
    const request: PageRequest = {
      method: req.method, path: url.pathname, params: match.params, query: url.searchParams, form,
      lang: pickLang(cookies.get(LANG_COOKIE), req.headers['accept-language']), formToken: forms,
    };
    const result = await match.route.handler(request, options.context);
    respond(res, result, request);
  }

  function respond(res: ServerResponse, result: PageResult, request: PageRequest): void {
    switch (result.kind) {
      case 'page':
        return send(res, result.status ?? 200, 'text/html; charset=utf-8', layout({ lang: request.lang, title: result.title, body: result.body, nav: result.nav, path: request.path + (request.query.size > 0 ? `?${request.query}` : '') }));
      case 'redirect':
        return redirect(res, result.to);
      case 'json':
        return send(res, result.status ?? 200, 'application/json; charset=utf-8', JSON.stringify(result.value));
      case 'text':
        return send(res, result.status ?? 200, result.contentType, result.text, result.download);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`, origin, port, boundAddress: bound.address,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, contentType: string, body: string, download?: string): void {
  // Download names are billsync's own (letters, digits, dashes and dots), so they need no quoting rules.
  const disposition = download === undefined ? {} : { 'Content-Disposition': `attachment; filename="${download.replace(/[^\w.-]/g, '_')}"` };
  res.writeHead(status, { ...SECURITY_HEADERS, ...disposition, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function redirect(res: ServerResponse, to: string): void {
  res.writeHead(303, { ...SECURITY_HEADERS, Location: to, 'Content-Length': 0 });
  res.end();
}

/** A POST body as FormData (urlencoded or multipart, parsed by the platform's fetch Request). */
async function readForm(req: IncomingMessage, url: URL): Promise<FormData> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RequestError(413, `The upload is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`);
    chunks.push(chunk as Buffer);
  }
  const contentType = header(req, 'content-type') ?? 'application/x-www-form-urlencoded';
  try {
    return await new Request(url, { method: 'POST', headers: { 'Content-Type': contentType }, body: Buffer.concat(chunks) }).formData();
  } catch {
    throw new RequestError(400, 'The form could not be read.');
  }
}

