import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigInput } from '../../src/config/schema.js';
import type { Sandbox } from '../../src/sandbox/server.js';

/** Polls `check` (sync or async) every `intervalMs` until it gives something truthy; fails naming `what` and the last error. */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined | null | false> | T | undefined | null | false, ms = 20_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A temp folder with an export root and a config.json that points at the sandbox; `extra` adds to the file. */
export function desktopConfig(sandbox: Sandbox, prefix: string, extra: Partial<ConfigInput> = {}): { base: string; root: string; configFile: string; dataDir: string } {
  const base = mkdtempSync(join(tmpdir(), prefix));
  const root = join(base, 'export');
  mkdirSync(root);
  const configFile = join(base, 'config.json');
  writeFileSync(configFile, JSON.stringify({
    billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ratePerSecond: 100 },
    exportRoot: root,
    ...extra,
  }));
  return { base, root, configFile, dataDir: join(base, 'data') };
}
