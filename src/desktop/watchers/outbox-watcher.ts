import { watch, type FSWatcher } from 'chokidar';
import { relative, sep } from 'node:path';
import type { BillitClient } from '../../billit/client.js';
import type { Ledger } from '../../ledger/ledger.js';
import { isNotFound, type FileSystem } from '../../platform/fs/file-system.js';
import { OUTBOX_FOLDER, isOutboxDocumentName } from './outbox-files.js';
import { OutboxLock } from './outbox-lock.js';
import { OutboxUploader } from './outbox-uploader.js';
import { pollingOptions, SerialQueue, whenReady, type Emit } from './watch-support.js';

export interface OutboxWatcherOptions {
  /** Absolute, resolved export root. */
  exportRoot: string;
  ledger: Ledger;
  client: Pick<BillitClient, 'uploadToProcess'>;
  emit: Emit;
  fs: FileSystem;
  now: () => Date;
  polling: boolean;
  pollIntervalMs: number;
  /** How long a file's size must stay the same before it counts as completely written. */
  stabilityMs: number;
  /** Shared with the watchers this one replaces (see OutboxLock). @default a lock of its own */
  lock?: OutboxLock;
  /** First wait before a file that could not be moved on is tried again (doubling up to an hour). @default 60 s */
  moveRetryMs?: number;
}

const MOVE_RETRY_MAX_MS = 60 * 60_000;

export interface OutboxWatcher {
  /** Resolves when every job queued so far is done (tests). */
  idle(): Promise<void>;
  /** Stops watching; waits up to `timeoutMs` for an upload under way. */
  close(timeoutMs: number): Promise<void>;
}

/**
 * Only `<root>`, `<root>/<dossier folder>`, `<root>/<dossier folder>/Outbox` and the documents
 * directly inside it; not sent/, failed/, hidden, temporary or system files, nor the Venice folders.
 * chokidar calls this with and without stats, so it decides from the path alone.
 */
export function outboxIgnored(root: string): (path: string) => boolean {
  return (path) => {
    const rel = relative(root, path);
    if (rel === '') return false;
    if (rel.startsWith('..')) return true;
    const parts = rel.split(sep);
    if (parts[0]!.startsWith('.')) return true;
    if (parts.length === 1) return false;
    if (parts[1]!.toLowerCase() !== OUTBOX_FOLDER.toLowerCase()) return true;
    if (parts.length === 2) return false;
    return parts.length > 3 || !isOutboxDocumentName(parts[2]!);
  };
}

/**
 * Watches every dossier's Outbox/ (product.md §8). Files already there at start are handled too
 * (dropped while billsync was stopped); a file is taken only after its size stayed the same for
 * `stabilityMs`, so one that is still being written or copied is never sent half. Uploads run one at
 * a time through a serial queue.
 */
export async function startOutboxWatcher(options: OutboxWatcherOptions): Promise<OutboxWatcher> {
  const { exportRoot } = options;
  // A file handled but not moved on (a program holds it open; the ledger already knows it was sent or
  // failed) would otherwise sit in the Outbox until billsync restarts, since chokidar reports nothing
  // for a file that does not change: it is looked at again later, and again, less and less often.
  const stuck = new Set<string>();
  let retryTimer: NodeJS.Timeout | null = null;
  let retryMs = options.moveRetryMs ?? 60_000;
  // A file that changed while it was handled stays in the Outbox. chokidar reports that change only if it
  // came after its own last look at the file, so billsync looks again itself: once the file has kept
  // its size and time for stabilityMs, it is handled again (its new content decides).
  const settleTimers = new Set<NodeJS.Timeout>();
  const settling = new Set<string>();
  let closed = false;
  const recheckWhenSettled = (path: string) => {
    if (settling.has(path)) return;
    settling.add(path);
    let last: { size: number; mtimeMs: number } | null = null;
    const look = async () => {
      const stats = await options.fs.stat(path).catch(() => null);
      if (closed || stats === null) { settling.delete(path); return; }
      if (last !== null && stats.size === last.size && stats.mtimeMs === last.mtimeMs) {
        settling.delete(path);
        enqueue(path);
        return;
      }
      last = { size: stats.size, mtimeMs: stats.mtimeMs };
      later();
    };
    const later = () => {
      const timer = setTimeout(() => { settleTimers.delete(timer); void look(); }, options.stabilityMs);
      timer.unref();
      settleTimers.add(timer);
    };
    later();
  };
  const emit: Emit = (event) => {
    if (event.type === 'outbox-changed' && typeof event.data?.path === 'string') recheckWhenSettled(event.data.path);
    if (event.type === 'outbox-move-failed' && typeof event.data?.path === 'string') {
      stuck.add(event.data.path);
      if (retryTimer === null) {
        retryTimer = setTimeout(() => {
          retryTimer = null;
          const paths = [...stuck];
          stuck.clear();
          for (const path of paths) enqueue(path);
        }, retryMs);
        retryTimer.unref();
        retryMs = Math.min(retryMs * 2, MOVE_RETRY_MAX_MS);
      }
    } else if (event.type === 'outbox-sent' || event.type === 'outbox-already-sent' || event.type === 'outbox-failed') {
      if (stuck.size === 0) retryMs = options.moveRetryMs ?? 60_000;
    }
    options.emit(event);
  };
  const uploader = new OutboxUploader({ ...options, emit });
  const queue = new SerialQueue((error, key) => emit({
    type: 'outbox-error', level: 'error', message: `handling ${key} from the Outbox failed: ${error instanceof Error ? error.message : String(error)}`, data: { path: key },
  }));
  await uploader.ensureOutboxFolders();

  const watcher: FSWatcher = watch(exportRoot, {
    ignoreInitial: false,
    depth: 2,
    ignored: outboxIgnored(exportRoot),
    awaitWriteFinish: { stabilityThreshold: options.stabilityMs, pollInterval: Math.max(20, Math.min(200, Math.floor(options.stabilityMs / 4))) },
    ...pollingOptions(options.polling, options.pollIntervalMs),
  });
  const lock = options.lock ?? new OutboxLock();
  const enqueue = (path: string) => queue.push(path, () => lock.run(path, async (waitedForSamePath) => {
    // An earlier watcher's upload of this file was under way: a file gone now is the one it moved on.
    if (waitedForSamePath && await options.fs.stat(path).then(() => false, (error: unknown) => isNotFound(error))) return;
    await uploader.handle(path);
  }));
  // chokidar's awaitWriteFinish starts only at 'ready', so a file its first scan reports may still be
  // being copied (billsync started, or restarted after a crash, mid-copy): such files wait for 'ready'.
  const early = new Set<string>();
  let scanned = false;
  const onFile = (path: string) => { if (scanned) enqueue(path); else early.add(path); };
  watcher.on('add', onFile);
  watcher.on('change', onFile);
  // A dossier folder appearing after the start (the first export of a new dossier) gets its Outbox too.
  watcher.on('addDir', (path) => {
    const rel = relative(exportRoot, path);
    if (rel !== '' && !rel.includes(sep)) queue.push(`addDir:${path}`, async () => { await uploader.ensureOutboxFolders(rel); });
  });
  watcher.on('error', (error) => emit({ type: 'watcher-error', level: 'warn', message: `watching the Outbox folders: ${(error as Error).message}` }));
  await whenReady(watcher);
  scanned = true;
  // One untouched for stabilityMs goes at once; one that changes after 'ready' is chokidar's to report
  // once it has settled; the others go once they stayed the same for stabilityMs.
  const settled = Promise.all([...early].map(async (path) => {
    const stats = await options.fs.stat(path).catch(() => null);
    if (stats !== null && Date.now() - stats.mtimeMs < options.stabilityMs) {
      await new Promise((resolve) => setTimeout(resolve, options.stabilityMs));
      const now = await options.fs.stat(path).catch(() => null);
      if (now !== null && (now.size !== stats.size || now.mtimeMs !== stats.mtimeMs)) return;
    }
    enqueue(path);
  }));

  return {
    idle: async () => { await settled; await queue.idle(); },
    async close(timeoutMs) {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      for (const timer of settleTimers) clearTimeout(timer);
      await watcher.close();
      const finished = await queue.close(timeoutMs);
      if (!finished) {
        emit({ type: 'outbox-interrupted', level: 'warn', message: 'billsync stopped during an Outbox upload; it is resumed with the same idempotency key at the next start, so Billit will not get it twice' });
      }
    },
  };
}
