import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback front for the sandbox that makes some of Billit's answers slow, in the two ways that
 * matter when billsync is killed during a call:
 *
 * - `beforeMs`: the request has arrived but Billit has not handled it yet. A client that disappears
 *   meanwhile loses the request (the front drops it, as the sandbox's own latency fault does: it
 *   reads the body only after the delay, and a dead client's body is gone).
 * - `afterMs`: Billit has handled the request (an upload is recorded) and only the answer is on its
 *   way. A client killed now never learns that Billit has the file: this is the case idempotency keys
 *   exist for, and the sandbox alone cannot produce it.
 *
 * Everything else is passed through unchanged. `arrivals` counts slowed requests that arrived whole;
 * `inFlight` is how many of them have not been answered yet.
 */
export interface SlowFront {
  baseUrl: string;
  readonly arrivals: number;
  readonly inFlight: number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'content-encoding']);

function forwardable(headers: IncomingHttpHeaders | Headers): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined || HOP_BY_HOP.has(name.toLowerCase())) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSlowFront(upstream: string, slow: (method: string, path: string) => { beforeMs: number; afterMs: number } | null): Promise<SlowFront> {
  let arrivals = 0;
  let inFlight = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of req) chunks.push(chunk as Buffer);
      } catch {
        return; // the client died while sending: nothing reached Billit
      }
      const path = new URL(req.url ?? '/', 'http://front.invalid').pathname;
      const delay = slow(req.method ?? 'GET', path);
      let clientGone = false;
      res.on('close', () => { if (!res.writableFinished) clientGone = true; });
      if (delay) { arrivals += 1; inFlight += 1; }
      try {
        if (delay) {
          await sleep(delay.beforeMs);
          if (clientGone) return;
        }
        const answer = await fetch(`${upstream}${req.url ?? '/'}`, {
          method: req.method ?? 'GET', headers: forwardable(req.headers),
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        });
        const body = Buffer.from(await answer.arrayBuffer());
        if (delay) await sleep(delay.afterMs);
        res.writeHead(answer.status, { ...forwardable(answer.headers), 'Content-Length': String(body.length) });
        res.end(body);
      } catch {
        res.destroy();
      } finally {
        if (delay) inFlight -= 1;
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get arrivals() { return arrivals; },
    get inFlight() { return inFlight; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
