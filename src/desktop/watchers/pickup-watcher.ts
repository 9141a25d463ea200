import { watch, type FSWatcher } from 'chokidar';
import { basename, dirname, join, relative, sep } from 'node:path';
import { ROOT_MARKER } from '../../export/export-root.js';
import { KIND_FOLDERS } from '../../export/layout.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import { IllegalTransitionError } from '../../ledger/errors/illegal-transition-error.js';
import type { Ledger } from '../../ledger/ledger.js';
import { TEMP_PREFIX } from '../../platform/fs/atomic-write.js';
import { isNotFound, type FileSystem } from '../../platform/fs/file-system.js';
import { pollingOptions, SerialQueue, whenReady, type Emit } from './watch-support.js';

export interface PickupWatcherOptions {
  /** Absolute, resolved export root: the same string placement resolved final paths against. */
  exportRoot: string;
  ledger: Ledger;
  emit: Emit;
  fs: FileSystem;
  polling: boolean;
  pollIntervalMs: number;
}

export interface PickupWatcher {
  idle(): Promise<void>;
  close(timeoutMs: number): Promise<void>;
}

/** Ledger rows read at a time by the catch-up at start. */
const RECONCILE_PAGE = 500;

const VENICE_FOLDERS = new Set(Object.values(KIND_FOLDERS).map((name) => name.toLowerCase()));

/**
 * Only `<root>`, the dossier folders, their Venice inbox folders (Purchases, Sales, Documents,
 * FinancialTransactions) and the files directly in those; never billsync's temporary files, the
 * Outbox, or anything deeper (Venice or the office may keep archives in subfolders).
 */
export function pickupIgnored(root: string): (path: string) => boolean {
  return (path) => {
    const rel = relative(root, path);
    if (rel === '') return false;
    if (rel.startsWith('..')) return true;
    const parts = rel.split(sep);
    if (parts[0]!.startsWith('.')) return true;
    if (parts.length === 1) return false;
    if (!VENICE_FOLDERS.has(parts[1]!.toLowerCase())) return true;
    if (parts.length === 2) return false;
    return parts.length > 3 || parts[2]!.startsWith(TEMP_PREFIX);
  };
}

/** `<root>/<dossier>/<Venice folder>`: the folders whose files Venice takes. */
export function isInboxFolder(root: string, path: string): boolean {
  const parts = relative(root, path).split(sep);
  return parts.length === 2 && !parts[0]!.startsWith('.') && parts[0] !== '..' && VENICE_FOLDERS.has(parts[1]!.toLowerCase());
}

/**
 * Records `picked_up` when Venice takes a file out of an inbox folder (product.md §6, §7).
 *
 * Only what really happened is recorded: the path must belong to a document the ledger has as
 * placed or acknowledged there, the file must really be gone, and the export root's marker must
 * still be there — a share that drops off the network makes every file look deleted to a poller,
 * and that must not turn the whole ledger into "picked up".
 */
export class PickupRecorder {
  readonly #options: PickupWatcherOptions;
  #warnedUnreachable = false;

  constructor(options: PickupWatcherOptions) {
    this.#options = options;
  }

  async handleRemoved(filePath: string): Promise<void> {
    const row = this.#options.ledger.documents.byFinalPath(filePath);
    if (row === null || (row.state !== 'placed' && row.state !== 'acknowledged')) return;
    // Absent first, then the marker: a share that drops off between the two checks fails the second.
    if (await this.#present(filePath)) return;
    if (!(await this.#rootReachable())) return;
    this.#record(row, filePath);
  }

  /** Looks at every document the ledger has placed in `folder` (a folder watch that names no file). */
  async checkFolder(folder: string, stopped: () => boolean): Promise<void> {
    const rows = this.#options.ledger.documents.placedInFolder(folder, sep);
    if (rows.length === 0) return;
    // One listing of the folder; only a file missing from it is looked at by itself.
    const names = await this.#names(folder);
    if (names === null) return;
    for (const row of rows) {
      if (stopped()) return;
      if (!names.has(basename(row.finalPath!))) await this.handleRemoved(row.finalPath!);
    }
  }

  /**
   * Catches up at start: documents placed under this export root whose file went away while
   * billsync was not watching. Reads the ledger a page at a time in path order and lists each folder
   * once (one readdir per folder instead of one stat per file: on a share that is the difference
   * between seconds and many minutes); only a file missing from its folder's listing is checked
   * again by itself. Stops early when `stopped()` turns true (shutdown).
   */
  async reconcile(stopped: () => boolean): Promise<number> {
    const { ledger, exportRoot } = this.#options;
    if (!(await this.#rootReachable())) return 0;
    let recorded = 0;
    let after: { finalPath: string; id: number } | null = null;
    let listedFolder: string | null = null;
    let names: Set<string> | null = null;
    for (;;) {
      const page = ledger.documents.placedUnderPage(exportRoot, sep, after, RECONCILE_PAGE);
      if (page.length === 0) return recorded;
      for (const row of page) {
        if (stopped()) return recorded;
        const path = row.finalPath!;
        const folder = dirname(path);
        if (folder !== listedFolder) {
          listedFolder = folder;
          names = await this.#names(folder);
        }
        if (names === null || names.has(basename(path))) continue;
        if (await this.#present(path)) continue;
        if (!(await this.#rootReachable())) return recorded;
        if (this.#record(row, path)) recorded += 1;
      }
      const last = page.at(-1)!;
      after = { finalPath: last.finalPath!, id: last.id };
    }
  }

  /** The names in `folder`; empty when the folder is gone, null when it cannot be read (cannot tell). */
  async #names(folder: string): Promise<Set<string> | null> {
    try {
      return new Set(await this.#options.fs.readdir(folder));
    } catch (error) {
      return isNotFound(error) ? new Set() : null;
    }
  }

  #record(row: DocumentRow, filePath: string): boolean {
    const { ledger, emit, exportRoot } = this.#options;
    try {
      ledger.documents.markPickedUp(row.id);
    } catch (error) {
      // A run reopened or re-placed the document meanwhile: its new life is not this pick-up.
      if (error instanceof IllegalTransitionError) return false;
      throw error;
    }
    const [folder = '', kindFolder = ''] = relative(exportRoot, filePath).split(sep);
    const dossier = ledger.dossiers.get(row.dossierPartyId);
    emit({
      type: 'picked-up', level: 'info', dossierPartyId: row.dossierPartyId, documentId: row.id,
      message: `${basename(filePath)} was taken out of ${kindFolder} of ${dossier?.name ?? folder} (by Venice, or by hand)`,
      data: { path: filePath, from: row.state },
    });
    return true;
  }

  async #present(path: string): Promise<boolean> {
    try {
      await this.#options.fs.stat(path);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      // Cannot tell (permissions, a share hiccup): assume it is still there rather than record too much.
      return true;
    }
  }

  async #rootReachable(): Promise<boolean> {
    try {
      await this.#options.fs.access(join(this.#options.exportRoot, ROOT_MARKER));
      this.#warnedUnreachable = false;
      return true;
    } catch {
      if (!this.#warnedUnreachable) {
        this.#warnedUnreachable = true;
        this.#options.emit({
          type: 'pickup-paused', level: 'warn',
          message: `the export root ${this.#options.exportRoot} (or its ${ROOT_MARKER} marker) cannot be reached; files that seem to disappear are not recorded as picked up until it is back`,
        });
      }
      return false;
    }
  }
}

/**
 * Watches the Venice inbox folders of every dossier for files that go away. Existing files are
 * scanned silently at start (`ignoreInitial`); what went away while billsync was stopped is caught
 * up by PickupRecorder.reconcile, queued behind the watcher's start.
 */
export async function startPickupWatcher(options: PickupWatcherOptions): Promise<PickupWatcher> {
  const recorder = new PickupRecorder(options);
  const queue = new SerialQueue((error, key) => options.emit({
    type: 'pickup-error', level: 'error', message: `recording the removal of ${key} failed: ${error instanceof Error ? error.message : String(error)}`, data: { path: key },
  }));
  const { exportRoot } = options;
  const ignored = pickupIgnored(exportRoot);
  // Folders only. chokidar puts a watch of its own (or, polling, a stat timer) on every file it
  // tracks: 20,000 files in the inbox folders cost ~190 MB of memory that way, while the watch on a
  // folder already reports each file leaving it. Its 'raw' events carry those reports.
  const watcher: FSWatcher = watch(exportRoot, {
    ignoreInitial: true,
    depth: 2,
    ignored: (path) => ignored(path) || isInboxFolder(exportRoot, dirname(path)),
    ...pollingOptions(options.polling, options.pollIntervalMs),
  });
  watcher.on('raw', (_event: string, path: unknown, details: unknown) => {
    // A folder's fs.watch names the entry and the folder; polling names only the folder whose stat changed.
    const watched = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
    const folder = typeof watched === 'string' ? watched : typeof path === 'string' ? path : null;
    if (folder === null || !isInboxFolder(exportRoot, folder)) return;
    if (typeof watched === 'string' && typeof path === 'string' && path !== '') {
      const file = join(folder, path);
      if (!ignored(file)) queue.push(file, () => recorder.handleRemoved(file));
    } else {
      queue.push(`folder:${folder}`, () => recorder.checkFolder(folder, () => queue.closed));
    }
  });
  watcher.on('error', (error) => options.emit({ type: 'watcher-error', level: 'warn', message: `watching the Venice folders: ${(error as Error).message}` }));
  await whenReady(watcher);
  queue.push('reconcile', async () => { await recorder.reconcile(() => queue.closed); });

  return {
    idle: () => queue.idle(),
    async close(timeoutMs) {
      await watcher.close();
      await queue.close(timeoutMs);
    },
  };
}
