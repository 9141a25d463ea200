import { BillitClient, type BillitClientOptions } from '../../src/billit/index.js';
import { embedPdf } from '../../src/formats/ubl/embed-pdf.js';
import { unwrapSbdh } from '../../src/formats/ubl/sbdh.js';
import type { SandboxOrder } from '../../src/sandbox/world/model.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';

/** A fixed anchor so every test sees the same generated world. */
export const ANCHOR = new Date('2026-11-15T00:00:00Z');

export function openSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ seed: 'test', dossiers: 2, docsPerDossier: 10, codaDays: 10, anchor: ANCHOR, ...options });
}

/** A client for the sandbox with fast backoff, so retry tests do not wait for seconds. */
export function clientFor(sandbox: Sandbox, overrides: Partial<BillitClientOptions> = {}): BillitClient {
  return new BillitClient({
    baseUrl: sandbox.baseUrl,
    credentials: { kind: 'apiKey', apiKey: sandbox.apiKey },
    accountantPartyId: sandbox.accountantPartyId,
    ratePerSecond: 200,
    burst: 200,
    retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 100 },
    ...overrides,
  });
}

/** Calls a `/_sandbox/` control endpoint and returns its JSON. */
export async function control(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sandbox.baseUrl}/_sandbox/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`control ${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Calls the sandbox API directly with raw headers, to check its answers as Billit would give them. */
export async function raw(sandbox: Sandbox, path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${sandbox.baseUrl}${path}`, { ...init, headers: { ApiKey: sandbox.apiKey, ...headers } });
  const text = await response.text();
  let body: any = text;
  try { body = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
  return { status: response.status, body, headers: response.headers };
}

export function firstDossier(sandbox: Sandbox): number {
  const first = [...sandbox.world.dossiers.keys()][0];
  if (first === undefined) throw new Error('sandbox has no dossiers');
  return first;
}

/** Orders a default policy exports: all but those the entrepreneur rejected. */
export function exportableOrders(sandbox: Sandbox) {
  return [...sandbox.world.orders.values()].filter((order) => order.approvalStatus !== 'Rejected');
}

/**
 * The bytes billsync should write for an order: Billit's UBL without its SBDH envelope, plus Billit's
 * PDF embedded when the UBL carries none (what Venice shows next to the booking).
 */
export function expectedOrderFile(sandbox: Sandbox, order: SandboxOrder): Buffer {
  const unwrapped = unwrapSbdh(sandbox.world.files.get(order.ublFileId)!.produce()).document;
  if (order.embedPdf) return unwrapped;
  const pdf = sandbox.world.files.get(order.pdfFileId)!.produce();
  return embedPdf(unwrapped, pdf, `${order.plan.number.replace(/[^\w.-]+/g, '_').slice(0, 80)}.pdf`);
}
