import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { realFileSystem, type FileSystem } from '../../src/platform/fs/file-system.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { runSync, type SyncOptions, type SyncSummary } from '../../src/sync/run-sync.js';
import type { SyncEvent } from '../../src/sync/sync-context.js';
import { clientFor } from './sandbox.js';

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A fresh export root and data dir for one test, with a sync bound to a sandbox. */
export interface ExportEnv {
  root: string;
  dataDir: string;
  ledgerFile: string;
  events: SyncEvent[];
  sync(options?: SyncOptions, fs?: FileSystem, now?: () => Date): Promise<SyncSummary>;
  /** Every file under the root except the marker, relative to the root. */
  files(): string[];
}

export function exportEnv(sandbox: Sandbox, config: Partial<ConfigInput> = {}): ExportEnv {
  const base = mkdtempSync(join(tmpdir(), 'billsync-test-'));
  const root = join(base, 'export');
  const dataDir = join(base, 'data');
  mkdirSync(root);
  const ledgerFile = join(dataDir, 'ledger.sqlite');
  const events: SyncEvent[] = [];
  // The engine's tests export everything the sandbox has; policy tests pass their own policy.
  const resolved = parseConfig({
    policy: { frequency: 'after-10-minutes' },
    ...config,
    billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ...config.billit },
    exportRoot: root,
  });
  return {
    root, dataDir, ledgerFile, events,
    async sync(options = {}, fs = realFileSystem, now?: () => Date) {
      const ledger = Ledger.open(ledgerFile);
      try {
        return await runSync({
          client: clientFor(sandbox, { maxConcurrent: 8 }), ledger, fs, config: resolved, exportRoot: root, dataDir,
          onEvent: (event) => events.push(event), ...(now ? { now } : {}),
        }, options);
      } finally {
        ledger.close();
      }
    },
    files: () => exportedFiles(root),
  };
}

/** Reads a file's bytes and mtime, to prove a second run did not rewrite it. */
export function fingerprint(path: string): string {
  return `${sha256(readFileSync(path))}:${statSync(path).mtimeMs}`;
}

/** Every file under an export root except the marker, relative and with forward slashes, sorted. */
export function exportedFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(root);
  return out.filter((f) => f !== '.billsync').sort();
}
