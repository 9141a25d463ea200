import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startWatchers, type WatcherOptions, type Watchers } from '../../../src/desktop/watchers/index.js';
import { Ledger } from '../../../src/ledger/ledger.js';
import type { Sandbox } from '../../../src/sandbox/server.js';
import type { SyncEvent } from '../../../src/sync/sync-context.js';
import { clientFor, control, firstDossier, openSandbox } from '../../support/sandbox.js';

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Polls `check` until it returns a truthy value, and returns it; fails after `timeoutMs` naming
 * what was awaited. Watchers react to the real file system, so tests wait for the outcome, not a time.
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export const list = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

/** A PDF-shaped file of about `size` bytes with distinct content per `seed`. */
export function pdfBytes(seed: string, size = 30_000): Buffer {
  const head = `%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj << /Type /Catalog >> endobj\n% ${seed}\n`;
  const filler: string[] = [];
  let length = head.length;
  for (let i = 0; length < size; i++) {
    const line = `% ${seed} filler line ${i} ${sha256(Buffer.from(`${seed}:${i}`))}\n`;
    filler.push(line);
    length += line.length;
  }
  return Buffer.from(`${head}${filler.join('')}trailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

export interface Upload { uploadId: number; partyId: number; fileName: string; mimeType: string; size: number; sha256: string; idempotencyKey: string | null }

export async function uploads(sandbox: Sandbox): Promise<Upload[]> {
  return (await control(sandbox, 'GET', 'uploads')).uploads as Upload[];
}

export interface OutboxEnv {
  sandbox: Sandbox;
  ledger: Ledger;
  root: string;
  configFile: string;
  partyId: number;
  dossierName: string;
  folder: string;
  outbox: string;
  events: SyncEvent[];
  watchers: Watchers;
  close(): Promise<void>;
}

/**
 * A sandbox, a ledger that knows one dossier and its folder under a fresh export root, and the
 * watchers running on it with a short stability threshold. Nothing is synced: the Outbox does not need it.
 */
export async function outboxEnv(options: Partial<WatcherOptions> = {}): Promise<OutboxEnv> {
  const sandbox = await openSandbox();
  const base = mkdtempSync(join(tmpdir(), 'billsync-watchers-'));
  const root = join(base, 'export');
  const partyId = firstDossier(sandbox);
  const dossierName = 'Bakkerij Émile';
  const folder = 'Bakkerij Emile (0123456789)';
  mkdirSync(join(root, folder), { recursive: true });
  const ledger = Ledger.open(join(base, 'data', 'ledger.sqlite'));
  ledger.dossiers.upsert({ partyId, name: dossierName, vatNumber: null, enterpriseNumber: '0123456789', folder });
  const events: SyncEvent[] = [];
  let watchers: Watchers;
  try {
    watchers = await startWatchers({
      exportRoot: root, configFile: join(base, 'config', 'billsync.json'), ledger,
      // Few, fast retries: a failing upload is reported in milliseconds instead of seconds.
      client: clientFor(sandbox, { retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } }),
      onEvent: (event) => events.push(event), onConfig: () => undefined, onError: () => undefined,
      stabilityMs: 800, ...options,
    });
  } catch (error) {
    ledger.close();
    await sandbox.close();
    throw error;
  }
  return {
    sandbox, ledger, root, configFile: join(base, 'config', 'billsync.json'), partyId, dossierName, folder,
    outbox: join(root, folder, 'Outbox'), events, watchers,
    async close() {
      await watchers.close();
      ledger.close();
      await sandbox.close();
    },
  };
}
