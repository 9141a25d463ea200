import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { BillitClientOptions } from '../../src/billit/index.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { realFileSystem, type FileSystem } from '../../src/platform/fs/file-system.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { runSync, type SyncOptions, type SyncSummary } from '../../src/sync/run-sync.js';
import type { SyncEvent } from '../../src/sync/sync-context.js';
import { exportedFiles } from '../support/export-env.js';
import { clientFor } from '../support/sandbox.js';

/**
 * Shared pieces of the hostile-input suite: one named test per case (counted, so each file can print
 * `# hostile cases: N`), a time bound around every case, a file system that records every write, and
 * an export environment whose client can be tuned (short timeouts, no backoff sleeps).
 */

let registered = 0;

/** Registers one hostile case as its own test, with a hard per-test timeout besides the case's own bound. */
export function hostileCase(name: string, fn: () => unknown | Promise<unknown>, options: { timeout?: number } = {}): void {
  registered += 1;
  test(name, { timeout: options.timeout ?? 30_000 }, async () => { await fn(); });
}

/**
 * Prints `# hostile cases: N` once every test of the file has run, as a TAP diagnostic (a console.log
 * would come out escaped as `# \# …` under the test runner). Call once, at the top level of the file.
 */
export function reportCaseCount(): void {
  after((context) => {
    const message = `hostile cases: ${registered}`;
    const withDiagnostic = context as { diagnostic?: (text: string) => void } | undefined;
    if (typeof withDiagnostic?.diagnostic === 'function') withDiagnostic.diagnostic(message);
    else console.log(`# ${message}`);
  });
}

/**
 * Runs a synchronous step and returns its cost in ms: the smaller of wall time and this process's CPU
 * time, so that other processes loading the machine do not count, while a real hang still does.
 */
export function timed<T>(fn: () => T): { value: T; ms: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: Math.min(performance.now() - wall, (used.user + used.system) / 1000) };
}

/** Resolves with fn's result, or rejects once `ms` passed: a hang becomes a named failure instead of a stuck run. */
export async function bounded<T>(what: string, ms: number, fn: () => Promise<T> | T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const started = performance.now();
  try {
    return await Promise.race([
      Promise.resolve().then(fn),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms (a hang or an unbounded loop)`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    const took = performance.now() - started;
    assert.ok(took <= ms + 50, `${what} took ${Math.round(took)} ms, more than ${ms} ms`);
  }
}

/** Runs fn and returns what it threw; fails when it did not throw. */
export async function rejection(what: string, fn: () => Promise<unknown>): Promise<Error> {
  try {
    const value = await fn();
    assert.fail(`${what} resolved (${describeValue(value)}) but should have been refused with a clear error`);
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    assert.ok(error instanceof Error, `${what} threw a non-Error: ${String(error)}`);
    return error;
  }
}

function describeValue(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 120)}…` : text;
  } catch {
    return typeof value;
  }
}

/** A file system that records every path billsync creates, changes or removes. */
export function recordingFs(base: FileSystem = realFileSystem): { fs: FileSystem; touched: string[] } {
  const touched: string[] = [];
  const note = (p: unknown) => { touched.push(path.resolve(String(p))); };
  const fs: FileSystem = {
    ...base,
    mkdir: ((p: string, options?: unknown) => { note(p); return base.mkdir(p, options as never); }) as FileSystem['mkdir'],
    open: ((p: string, flags?: string | number, mode?: unknown) => {
      if (typeof flags !== 'string' || /[wax+]/.test(flags)) note(p);
      return base.open(p, flags as never, mode as never);
    }) as FileSystem['open'],
    rename: ((from: string, to: string) => { note(from); note(to); return base.rename(from, to); }) as FileSystem['rename'],
    writeFile: ((p: string, ...rest: unknown[]) => { note(p); return (base.writeFile as (...a: unknown[]) => Promise<void>)(p, ...rest); }) as FileSystem['writeFile'],
    unlink: ((p: string) => { note(p); return base.unlink(p); }) as FileSystem['unlink'],
    rm: ((p: string, options?: unknown) => { note(p); return base.rm(p, options as never); }) as FileSystem['rm'],
  };
  return { fs, touched };
}

/** Every path strictly inside one of the allowed folders (resolved, with a separator after the prefix). */
export function assertAllInside(paths: readonly string[], allowed: readonly string[], what: string): void {
  for (const p of paths) {
    const resolved = path.resolve(p);
    const inside = allowed.some((dir) => {
      const relative = path.relative(path.resolve(dir), resolved);
      return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
    });
    assert.ok(inside, `${what}: ${resolved} is outside ${allowed.join(' and ')}`);
  }
}

export interface ApiTarget { baseUrl: string; apiKey: string; accountantPartyId: number }

export interface HostileEnv {
  base: string;
  root: string;
  dataDir: string;
  ledgerFile: string;
  events: SyncEvent[];
  /** Every path the sync created, changed or removed. */
  touched: string[];
  sync(options?: SyncOptions): Promise<SyncSummary>;
  /** Files under the root, marker excluded, relative with forward slashes. */
  files(): string[];
  /** Entries of the temp base folder: only export/ and data/ may exist. */
  baseEntries(): string[];
  ledger<T>(fn: (ledger: Ledger) => T): T;
  dispose(): void;
}

/** Like exportEnv, for any Billit-like server, with client options for fast, bounded failures. */
export function hostileEnv(target: ApiTarget, config: Partial<ConfigInput> = {}, client: Partial<BillitClientOptions> = {}): HostileEnv {
  const base = mkdtempSync(path.join(tmpdir(), 'billsync-hostile-'));
  const root = path.join(base, 'export');
  const dataDir = path.join(base, 'data');
  mkdirSync(root);
  const ledgerFile = path.join(dataDir, 'ledger.sqlite');
  const events: SyncEvent[] = [];
  const { fs, touched } = recordingFs();
  const resolved = parseConfig({
    policy: { frequency: 'after-10-minutes' },
    ...config,
    billit: { baseUrl: target.baseUrl, apiKey: target.apiKey, accountantPartyId: target.accountantPartyId, ...config.billit },
    exportRoot: root,
  });
  const withLedger = <T>(fn: (ledger: Ledger) => T): T => {
    const ledger = Ledger.open(ledgerFile);
    try {
      return fn(ledger);
    } finally {
      ledger.close();
    }
  };
  return {
    base, root, dataDir, ledgerFile, events, touched,
    async sync(options = {}) {
      const ledger = Ledger.open(ledgerFile);
      try {
        return await runSync({
          client: clientFor(target as unknown as Sandbox, { maxConcurrent: 8, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 }, sleep: async () => undefined, ...client }),
          ledger, fs, config: resolved, exportRoot: root, dataDir, onEvent: (event) => events.push(event),
        }, options);
      } finally {
        ledger.close();
      }
    },
    files: () => exportedFiles(root),
    baseEntries: () => readdirSync(base).sort(),
    ledger: withLedger,
    dispose: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Asserts the environment's sync wrote nothing outside its root and data dir, and left no stray entries. */
export function assertContained(env: HostileEnv, what: string): void {
  assertAllInside(env.touched, [env.root, env.dataDir], what);
  for (const entry of env.baseEntries()) assert.ok(entry === 'export' || entry === 'data', `${what}: unexpected ${entry} next to the root`);
}
