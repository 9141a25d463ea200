import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { FileSystem } from './file-system.js';

/**
 * The error-injecting wrapper of architecture.md: a FileSystem that answers like a full disk, a folder
 * without permission, a file Venice holds open (Windows' EBUSY on rename) or a network share that was
 * unmounted, according to rules, and otherwise passes every call to the FileSystem it wraps.
 *
 * Rules match an operation, a path and optionally a probability (a seeded stream, so a run can be
 * repeated), a total count, or "the first N attempts on each path". Operations on a file handle opened
 * through this wrapper (write, writeFile, sync) are operations of their own, matched against the
 * handle's path. Every injected fault is counted by operation and code.
 */

export const FS_OPERATIONS = [
  'mkdir', 'open', 'rename', 'unlink', 'readFile', 'writeFile', 'stat', 'readdir', 'rm', 'access',
  /** On a handle: write / writeFile / appendFile. */
  'write',
  /** On a handle: sync / datasync. */
  'fsync',
  /** On a handle: close. */
  'close',
] as const;
export type FsOperation = (typeof FS_OPERATIONS)[number];

export const FS_ERROR_CODES = ['ENOSPC', 'EACCES', 'EBUSY', 'EPERM', 'ENOENT', 'EIO', 'EROFS', 'EDQUOT'] as const;
export type FsErrorCode = (typeof FS_ERROR_CODES)[number];

const DESCRIPTIONS: Record<FsErrorCode, { errno: number; text: string }> = {
  ENOSPC: { errno: -28, text: 'no space left on device' },
  EACCES: { errno: -13, text: 'permission denied' },
  EBUSY: { errno: -16, text: 'resource busy or locked' },
  EPERM: { errno: -1, text: 'operation not permitted' },
  ENOENT: { errno: -2, text: 'no such file or directory' },
  EIO: { errno: -5, text: 'i/o error' },
  EROFS: { errno: -30, text: 'read-only file system' },
  EDQUOT: { errno: -122, text: 'disk quota exceeded' },
};

/** An error shaped like the ones node:fs throws (code, errno, syscall, path, same message format). */
export function fsError(code: FsErrorCode, syscall: string, path?: string, dest?: string): NodeJS.ErrnoException {
  const { errno, text } = DESCRIPTIONS[code];
  const where = path === undefined ? '' : dest === undefined ? ` '${path}'` : ` '${path}' -> '${dest}'`;
  const error = new Error(`${code}: ${text}, ${syscall}${where}`) as NodeJS.ErrnoException;
  error.code = code;
  error.errno = errno;
  error.syscall = syscall;
  if (path !== undefined) error.path = path;
  if (dest !== undefined) (error as NodeJS.ErrnoException & { dest?: string }).dest = dest;
  return error;
}

/** Which paths a rule applies to: a folder or file (itself and everything under it), a RegExp on the path, or a test. */
export type PathPattern = string | RegExp | ((path: string) => boolean);

export interface FsFaultRule {
  /** A name for the counts; @default "<op>:<code>" */
  name?: string;
  op: FsOperation | readonly FsOperation[];
  /** @default every path */
  path?: PathPattern;
  code: FsErrorCode;
  /** Fire with this probability per matching call (0…1), drawn from the wrapper's seeded stream. */
  probability?: number;
  /** Fire at most this many times in all, then retire. */
  count?: number;
  /** Fire for the first N matching calls on each distinct path, then let that path through (a transient lock). */
  firstAttemptsPerPath?: number;
  /** Apply to the first N distinct matching paths only (e.g. two files Venice keeps open). */
  maxPaths?: number;
  /** Let this many matching calls through before the rule starts firing. */
  skip?: number;
  /** For 'write': write the first half of the data before failing, as a disk that fills mid-file does. */
  partialWrite?: boolean;
}

interface ActiveRule extends FsFaultRule {
  id: number;
  ops: ReadonlySet<FsOperation>;
  fired: number;
  seen: number;
  perPath: Map<string, number>;
}

export interface FaultCounts {
  /** Every fault injected, rules and vanished root together. */
  total: number;
  /** By rule name (default "<op>:<code>"), and "vanished:<op>" for calls refused while the root was gone. */
  byKind: Record<string, number>;
}

export interface FaultyFileSystemOptions {
  /** Seed of the probability stream. @default "faulty-fs" */
  seed?: string;
  /** Called for every injected fault, e.g. to log it in a test. */
  onFault?: (fault: { kind: string; op: FsOperation; path: string; code: FsErrorCode }) => void;
}

/** A small seeded generator (mulberry32 over a string hash): the same seed, the same faults. */
function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isUnder = (path: string, dir: string): boolean => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

function matches(pattern: PathPattern | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern === 'string') return isUnder(path, resolve(pattern));
  if (pattern instanceof RegExp) return pattern.test(path);
  return pattern(path);
}

const asPath = (value: unknown): string | null => (typeof value === 'string' ? resolve(value) : value instanceof URL ? resolve(value.pathname) : Buffer.isBuffer(value) ? resolve(value.toString()) : null);

interface Vanished { root: string; parkedAt: string; }

export class FaultyFileSystem implements FileSystem {
  readonly #inner: FileSystem;
  readonly #random: () => number;
  readonly #onFault: FaultyFileSystemOptions['onFault'];
  #rules: ActiveRule[] = [];
  #nextId = 1;
  #vanished: Vanished | null = null;
  #vanishTrigger: { root: string; renames: number; seen: number; restoreAfterMs: number | null } | null = null;
  #restoreTimer: NodeJS.Timeout | null = null;
  /** The paths of the calls passed on to the wrapped FileSystem and not finished yet. */
  readonly #inFlight = new Set<readonly string[]>();
  readonly #counts: FaultCounts = { total: 0, byKind: {} };
  /** Calls that would have created or changed something under the vanished root (all refused): "<op> <path>". */
  readonly writesWhileVanished: string[] = [];
  /** Set when an automatic restore (vanishAfterRenames with restoreAfterMs) failed. */
  restoreError: unknown = null;

  constructor(inner: FileSystem, options: FaultyFileSystemOptions = {}) {
    this.#inner = inner;
    this.#random = seededRandom(options.seed ?? 'faulty-fs');
    this.#onFault = options.onFault;
  }

  /** Adds a rule; returns its id for remove(). */
  add(rule: FsFaultRule): number {
    const ops = new Set<FsOperation>(typeof rule.op === 'string' ? [rule.op] : rule.op);
    for (const op of ops) if (!FS_OPERATIONS.includes(op)) throw new RangeError(`unknown file-system operation ${JSON.stringify(op)}`);
    if (!FS_ERROR_CODES.includes(rule.code)) throw new RangeError(`unknown error code ${JSON.stringify(rule.code)}`);
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) throw new RangeError('probability must be between 0 and 1');
    const id = this.#nextId++;
    this.#rules.push({ ...rule, id, ops, fired: 0, seen: 0, perPath: new Map() });
    return id;
  }

  remove(id: number): void {
    this.#rules = this.#rules.filter((rule) => rule.id !== id);
  }

  /** Removes every rule (a vanished root stays vanished until restore()). */
  clear(): void {
    this.#rules = [];
  }

  /** How often each rule fired so far (by id). */
  fired(id: number): number {
    return this.#rules.find((rule) => rule.id === id)?.fired ?? 0;
  }

  /** Faults injected so far. */
  counts(): FaultCounts {
    return { total: this.#counts.total, byKind: { ...this.#counts.byKind } };
  }

  get vanished(): boolean {
    return this.#vanished !== null;
  }

  /**
   * The share is unmounted: `root` is really renamed away on disk (so nothing, not even code that
   * bypasses this wrapper, finds it), and every call on a path under it fails with ENOENT until
   * restore().
   */
  async vanish(root: string): Promise<void> {
    if (this.#vanished) throw new Error(`${this.#vanished.root} has vanished already`);
    const full = resolve(root);
    const vanished = { root: full, parkedAt: `${full}.vanished-${randomBytes(4).toString('hex')}` };
    // From now on every call under the root is refused; calls already on their way finish first (they
    // happened before the share went), so that none of them lands on disk after the folder moved (a
    // mkdir -p in flight would otherwise create a fresh root that a real unmounted share cannot get).
    this.#vanished = vanished;
    const under = () => [...this.#inFlight].some((paths) => paths.some((p) => isUnder(p, full)));
    while (under()) await new Promise((done) => setTimeout(done, 1));
    await this.#inner.rename(full, vanished.parkedAt);
  }

  /**
   * The share is back: the folder returns to its place. Throws when something created the root again
   * while it was gone (billsync must never give an unmounted share a fresh tree).
   */
  async restore(): Promise<void> {
    if (this.#restoreTimer) { clearTimeout(this.#restoreTimer); this.#restoreTimer = null; }
    const vanished = this.#vanished;
    if (!vanished) return;
    const recreated = await this.#inner.stat(vanished.root).then(() => true, () => false);
    if (recreated) {
      throw new Error(`${vanished.root} was created again while the share was gone; the real folder is parked at ${vanished.parkedAt}`);
    }
    await this.#inner.rename(vanished.parkedAt, vanished.root);
    this.#vanished = null;
  }

  /**
   * Makes `root` vanish right after the `renames`-th successful rename into it (the N-th file placed),
   * and optionally come back `restoreAfterMs` later on its own.
   */
  vanishAfterRenames(root: string, renames: number, restoreAfterMs: number | null = null): void {
    this.#vanishTrigger = { root: resolve(root), renames, seen: 0, restoreAfterMs };
  }

  /** Runs a call of the wrapped FileSystem, counted as in flight (vanish() waits for those). */
  async #pass<T>(paths: readonly string[], call: () => Promise<T>): Promise<T> {
    this.#inFlight.add(paths);
    try {
      return await call();
    } finally {
      this.#inFlight.delete(paths);
    }
  }

  #count(kind: string, op: FsOperation, path: string, code: FsErrorCode): void {
    this.#counts.total += 1;
    this.#counts.byKind[kind] = (this.#counts.byKind[kind] ?? 0) + 1;
    this.#onFault?.({ kind, op, path, code });
  }

  /** The rule that fires for this call, if any (each call is checked against rules in order; one fires). */
  #decide(op: FsOperation, paths: readonly string[]): { rule: ActiveRule; path: string } | null {
    for (const rule of this.#rules) {
      if (!rule.ops.has(op)) continue;
      const path = paths.find((p) => matches(rule.path, p));
      if (path === undefined) continue;
      if (rule.count !== undefined && rule.fired >= rule.count) continue;
      if (rule.maxPaths !== undefined && !rule.perPath.has(path) && rule.perPath.size >= rule.maxPaths) continue;
      rule.seen += 1;
      if (rule.skip !== undefined && rule.seen <= rule.skip) continue;
      const attempts = (rule.perPath.get(path) ?? 0) + 1;
      rule.perPath.set(path, attempts);
      if (rule.firstAttemptsPerPath !== undefined && attempts > rule.firstAttemptsPerPath) continue;
      if (rule.probability !== undefined && !(this.#random() < rule.probability)) continue;
      rule.fired += 1;
      return { rule, path };
    }
    return null;
  }

  /** Throws the injected error for this call, if one applies. */
  #check(op: FsOperation, syscall: string, paths: readonly string[]): ActiveRule | null {
    const vanished = this.#vanished;
    if (vanished) {
      const gone = paths.find((p) => isUnder(p, vanished.root));
      if (gone !== undefined) {
        if (['mkdir', 'open', 'writeFile', 'rename', 'write'].includes(op)) this.writesWhileVanished.push(`${op} ${gone}`);
        this.#count(`vanished:${op}`, op, gone, 'ENOENT');
        throw fsError('ENOENT', syscall, paths[0], paths[1]);
      }
    }
    const hit = this.#decide(op, paths);
    if (!hit) return null;
    const kind = hit.rule.name ?? `${op}:${hit.rule.code}`;
    this.#count(kind, op, hit.path, hit.rule.code);
    if (op === 'write' && hit.rule.partialWrite) return hit.rule;
    throw fsError(hit.rule.code, syscall, paths[0], paths[1]);
  }

  // --- FileSystem --------------------------------------------------------------------------------

  readonly mkdir = (async (path: Parameters<FileSystem['mkdir']>[0], options?: unknown) => {
    const paths = [asPath(path)!];
    this.#check('mkdir', 'mkdir', paths);
    return this.#pass(paths, () => (this.#inner.mkdir as (p: unknown, o?: unknown) => Promise<unknown>)(path, options));
  }) as FileSystem['mkdir'];

  readonly open = (async (path: Parameters<FileSystem['open']>[0], flags?: string | number, mode?: number) => {
    const paths = [asPath(path)!];
    this.#check('open', 'open', paths);
    const handle = await this.#pass(paths, () => this.#inner.open(path, flags, mode));
    return this.#wrapHandle(handle, paths[0]!);
  }) as FileSystem['open'];

  readonly rename = (async (from: Parameters<FileSystem['rename']>[0], to: Parameters<FileSystem['rename']>[1]) => {
    const paths = [asPath(from)!, asPath(to)!];
    this.#check('rename', 'rename', paths);
    await this.#pass(paths, () => this.#inner.rename(from, to));
    const trigger = this.#vanishTrigger;
    if (trigger && !this.#vanished && isUnder(paths[1]!, trigger.root)) {
      trigger.seen += 1;
      if (trigger.seen >= trigger.renames) {
        this.#vanishTrigger = null;
        await this.vanish(trigger.root);
        if (trigger.restoreAfterMs !== null) {
          this.#restoreTimer = setTimeout(() => {
            this.#restoreTimer = null;
            this.restore().catch((error: unknown) => { this.restoreError = error; });
          }, trigger.restoreAfterMs);
        }
      }
    }
  }) as FileSystem['rename'];

  readonly unlink = (async (path: Parameters<FileSystem['unlink']>[0]) => {
    const paths = [asPath(path)!];
    this.#check('unlink', 'unlink', paths);
    return this.#pass(paths, () => this.#inner.unlink(path));
  }) as FileSystem['unlink'];

  readonly readFile = (async (path: Parameters<FileSystem['readFile']>[0], options?: unknown) => {
    const full = asPath(path);
    const paths = full === null ? [] : [full];
    this.#check('readFile', 'open', paths);
    return this.#pass(paths, () => (this.#inner.readFile as (p: unknown, o?: unknown) => Promise<unknown>)(path, options));
  }) as FileSystem['readFile'];

  readonly writeFile = (async (path: Parameters<FileSystem['writeFile']>[0], data: unknown, options?: unknown) => {
    const full = asPath(path);
    const paths = full === null ? [] : [full];
    this.#check('writeFile', 'open', paths);
    return this.#pass(paths, () => (this.#inner.writeFile as (p: unknown, d: unknown, o?: unknown) => Promise<void>)(path, data, options));
  }) as FileSystem['writeFile'];

  readonly stat = (async (path: Parameters<FileSystem['stat']>[0], options?: unknown) => {
    const paths = [asPath(path)!];
    this.#check('stat', 'stat', paths);
    return this.#pass(paths, () => (this.#inner.stat as (p: unknown, o?: unknown) => Promise<unknown>)(path, options));
  }) as FileSystem['stat'];

  readonly readdir = (async (path: Parameters<FileSystem['readdir']>[0], options?: unknown) => {
    const paths = [asPath(path)!];
    this.#check('readdir', 'scandir', paths);
    return this.#pass(paths, () => (this.#inner.readdir as (p: unknown, o?: unknown) => Promise<unknown>)(path, options));
  }) as FileSystem['readdir'];

  readonly rm = (async (path: Parameters<FileSystem['rm']>[0], options?: Parameters<FileSystem['rm']>[1]) => {
    const paths = [asPath(path)!];
    this.#check('rm', 'rm', paths);
    return this.#pass(paths, () => this.#inner.rm(path, options));
  }) as FileSystem['rm'];

  readonly access = (async (path: Parameters<FileSystem['access']>[0], mode?: number) => {
    const paths = [asPath(path)!];
    this.#check('access', 'access', paths);
    return this.#pass(paths, () => this.#inner.access(path, mode));
  }) as FileSystem['access'];

  /** A handle whose write, sync and close go through the rules, matched against the file's path. */
  #wrapHandle(handle: FileHandle, path: string): FileHandle {
    const self = this;
    const intercept: Record<string, (...args: any[]) => Promise<unknown>> = {
      async writeFile(data: unknown, options?: unknown) {
        const partial = self.#check('write', 'write', [path]);
        if (partial) {
          const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as Uint8Array);
          await handle.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
          throw fsError(partial.code, 'write');
        }
        return handle.writeFile(data as Uint8Array, options as undefined);
      },
      async write(data: unknown, ...rest: unknown[]) {
        const partial = self.#check('write', 'write', [path]);
        if (partial) {
          const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as Uint8Array);
          await handle.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
          throw fsError(partial.code, 'write');
        }
        return (handle.write as (...a: unknown[]) => Promise<unknown>)(data, ...rest);
      },
      async appendFile(data: unknown, options?: unknown) {
        self.#check('write', 'write', [path]);
        return handle.appendFile(data as Uint8Array, options as undefined);
      },
      async sync() {
        self.#check('fsync', 'fsync', [path]);
        return handle.sync();
      },
      async datasync() {
        self.#check('fsync', 'fdatasync', [path]);
        return handle.datasync();
      },
      async close() {
        try {
          self.#check('close', 'close', [path]);
        } catch (error) {
          // A failed close still releases the descriptor, as with a real one.
          await handle.close().catch(() => undefined);
          throw error;
        }
        return handle.close();
      },
    };
    return new Proxy(handle, {
      get(target, property) {
        if (typeof property === 'string' && Object.hasOwn(intercept, property)) return intercept[property];
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}
