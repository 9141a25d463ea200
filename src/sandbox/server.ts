import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultInjector, type FaultPlan, type RateLimiter } from './faults.js';
import { ApiError, type Reply } from './http/reply.js';
import { Router, type RequestContext } from './http/router.js';
import { addAccountRoutes, addOAuthRoutes } from './routes/account.js';
import { authenticate } from './routes/auth.js';
import { addControlRoutes } from './routes/control.js';
import { addFeedRoutes } from './routes/feeds.js';
import { addFileRoutes } from './routes/files.js';
import { addOrderRoutes } from './routes/orders.js';
import { addToProcessRoutes } from './routes/to-process.js';
import { RequestStats } from './stats.js';
import { generateWorld } from './world/generate.js';
import { resolveWorldOptions, type WorldOptions } from './world/options.js';
import type { World } from './world/world.js';

export interface SandboxOptions extends Partial<WorldOptions> {
  /** Port on 127.0.0.1. @default 0 (a free port) */
  port?: number;
}

export interface Sandbox {
  baseUrl: string;
  apiKey: string;
  accountantPartyId: number;
  world: World;
  stats: RequestStats;
  faults: FaultInjector;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'RequestTooLarge', `The request body exceeds ${MAX_BODY} bytes.`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'InvalidJson', 'The request body is not valid JSON.');
  }
}

/** Damages a FileContent the way a broken proxy or storage bug would. */
function applyBodyFaults(reply: Reply, plan: FaultPlan): Reply {
  const json = reply.json as Record<string, unknown> | undefined;
  if (!json || typeof json !== 'object') return reply;
  for (const rule of plan.after) {
    const content = json.FileContent;
    if (rule.kind === 'truncate-base64' && typeof content === 'string') {
      // Cut to a length that is not a multiple of 4, so the damage is detectable without a hash.
      const cut = Math.max(1, Math.floor(content.length / 2));
      json.FileContent = content.slice(0, cut % 4 === 0 ? cut - 1 : cut);
    } else if (rule.kind === 'corrupt-base64' && typeof content === 'string') {
      const at = Math.floor(content.length / 3);
      json.FileContent = `${content.slice(0, at)}!*%${content.slice(at + 3)}`;
    } else if (rule.kind === 'wrong-sha' && typeof json.FileContentSHA256Hash === 'string') {
      json.FileContentSHA256Hash = json.FileContentSHA256Hash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    }
  }
  return reply;
}

function send(res: ServerResponse, reply: Reply, cut: boolean): number {
  const body = reply.json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(reply.json), 'utf8');
  res.writeHead(reply.status, {
    ...(reply.json === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    'Content-Length': String(body.length),
    ...reply.headers,
  });
  if (cut) {
    // Announce the full length, deliver half, then drop the connection: a cut mid-body.
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
    return Math.floor(body.length / 2);
  }
  res.end(body);
  return body.length;
}

/** Starts a Billit-compatible API on 127.0.0.1 with generated data. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const world = generateWorld(resolveWorldOptions(options));
  const stats = new RequestStats();
  const faults = new FaultInjector(world.options.seed);
  const rateLimit: { limiter: RateLimiter | null } = { limiter: null };

  const api = new Router();
  addAccountRoutes(api);
  addOrderRoutes(api);
  addFileRoutes(api);
  addToProcessRoutes(api);
  addFeedRoutes(api);
  const oauth = new Router();
  addOAuthRoutes(oauth);
  const control = new Router();
  addControlRoutes(control, { world, faults, stats, rateLimit });

  let baseUrl = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const isControl = path.startsWith('/_sandbox/');
    const router = isControl ? control : path.startsWith('/OAuth2/') ? oauth : api;
    const match = router.match(method, path);
    const routeKey = match.route ? `${method} ${match.route.template}` : `${method} (unmatched)`;
    let plan: FaultPlan = { before: [], after: [] };
    let reply: Reply;
    try {
      if (!isControl) {
        const wait = rateLimit.limiter?.take() ?? null;
        if (wait !== null) throw new ApiError(429, 'TooManyRequests', 'Rate limit exceeded. Retry later.', { 'Retry-After': String(wait) });
        plan = faults.plan(method, path);
        for (const rule of plan.before) {
          if (rule.kind === 'latency') await sleep(rule.latencyMs ?? 1000);
        }
        const statusFault = plan.before.find((rule) => rule.kind === 'status');
        if (statusFault) {
          const status = statusFault.status ?? 503;
          const headers: Record<string, string> = statusFault.retryAfter === undefined ? {} : { 'Retry-After': String(statusFault.retryAfter) };
          throw new ApiError(status, status === 429 ? 'TooManyRequests' : 'InternalServerError', `Injected fault: ${status}.`, headers);
        }
      }
      if (!match.route) {
        if (match.allowed.length > 0) throw new ApiError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`, { Allow: match.allowed.join(', ') });
        throw new ApiError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${path}'.`);
      }
      const ctx: RequestContext = {
        world, method, path, params: match.params, query: url.searchParams, headers: req.headers,
        body: await readBody(req), baseUrl, partyId: null,
      };
      if (router === api) authenticate(ctx);
      reply = applyBodyFaults(await match.route.handler(ctx), plan);
    } catch (error) {
      if (error instanceof ApiError) reply = error.toReply();
      else reply = new ApiError(500, 'InternalServerError', `Sandbox error: ${(error as Error).message}`).toReply();
    }
    const bytes = send(res, reply, plan.after.some((rule) => rule.kind === 'cut'));
    if (!isControl) stats.record(routeKey, reply.status, bytes);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl, apiKey: world.apiKey, accountantPartyId: world.accountant.partyId, world, stats, faults,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
