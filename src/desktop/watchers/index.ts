import { resolve } from 'node:path';
import type { BillitClient } from '../../billit/client.js';
import type { BillsyncConfig } from '../../config/schema.js';
import type { Ledger } from '../../ledger/ledger.js';
import { realFileSystem, type FileSystem } from '../../platform/fs/file-system.js';
import type { SyncEvent } from '../../sync/sync-context.js';
import { startConfigWatcher, type ConfigWatcher } from './config-watcher.js';
import { isNetworkShare } from './network-share.js';
import type { OutboxLock } from './outbox-lock.js';
import { startOutboxWatcher, type OutboxWatcher } from './outbox-watcher.js';
import { startPickupWatcher, type PickupWatcher } from './pickup-watcher.js';
import { auditedEmitter } from './watch-support.js';

export { isNetworkShare, isUncPath, parseMounts, findMount, isNetworkFsType, type NetworkShareOptions } from './network-share.js';
export { OutboxLock } from './outbox-lock.js';
export { MAX_OUTBOX_FILE_BYTES, OUTBOX_FOLDER, SENT_FOLDER, FAILED_FOLDER } from './outbox-files.js';

/** How often a polling watcher looks (network shares send no change events). */
export const DEFAULT_POLL_INTERVAL_MS = 5000;
/** How long a dropped file's size must stay the same before it counts as completely written. */
export const DEFAULT_STABILITY_MS = 2000;
/** How long close() waits for an Outbox upload under way. */
export const CLOSE_TIMEOUT_MS = 3000;

export interface WatcherOptions {
  /** The export root the sync writes to (the same path: final paths in the ledger start with it). */
  exportRoot: string;
  /** The configuration file to reload when it changes; none when the caller watches it itself. */
  configFile?: string;
  ledger: Ledger;
  /** Only uploadToProcess is used. */
  client: Pick<BillitClient, 'uploadToProcess'>;
  /** Every event is also appended to the ledger's audit trail; the types are listed on startWatchers. */
  onEvent: (event: SyncEvent) => void;
  /** The configuration file changed and is valid. */
  onConfig?: (config: BillsyncConfig) => void;
  /** The configuration file changed and is invalid (ConfigError), or was removed; the old configuration stays in force. */
  onError: (error: Error) => void;
  /**
   * The configuration's `watch.polling`: auto polls where the export root is a network share
   * (isNetworkShare), always and never decide regardless. @default auto
   */
  polling?: 'auto' | 'always' | 'never';
  /** Poll whatever `polling` says (tests). @default false */
  forcePolling?: boolean;
  /** See DEFAULT_STABILITY_MS. @default 2000 */
  stabilityMs?: number;
  /** Clock for reason files and messages. @default the system clock */
  now?: () => Date;
  /** See DEFAULT_POLL_INTERVAL_MS. @default 5000 */
  pollIntervalMs?: number;
  /** Quiet time after a config file change before it is read. @default 300 */
  configDebounceMs?: number;
  /** File operations of the Outbox and pick-up checks. @default node:fs/promises */
  fs?: FileSystem;
  /**
   * Pass the same lock to every set of watchers that replaces an earlier one, so that an upload the
   * earlier set left running is not sent again by the next (see OutboxLock). @default a new lock
   */
  outboxLock?: OutboxLock;
  /** First wait before an Outbox file that could not be moved on is looked at again. @default 60 s */
  outboxMoveRetryMs?: number;
}

export interface Watchers {
  /** True when the export root is polled (network share or forcePolling). */
  readonly polling: boolean;
  /** Resolves when the events seen so far have been handled (tests, diagnostics). */
  idle(): Promise<void>;
  /** Closes every watcher; waits up to 3 s for an Outbox upload under way. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the desktop watchers (product.md §7, §8) and resolves once each has scanned its folders:
 * - pick-up: a file Venice takes out of Purchases/Sales/Documents/FinancialTransactions → `picked_up`;
 * - Outbox: files dropped into a dossier's Outbox/ → Billit fast input, then Outbox/sent/ or Outbox/failed/;
 * - config: the configuration file → onConfig / onError.
 *
 * Events (SyncEvent.type): 'picked-up', 'pickup-paused', 'pickup-error', 'outbox-sent',
 * 'outbox-already-sent', 'outbox-failed', 'outbox-vanished', 'outbox-unknown-dossier',
 * 'outbox-changed', 'outbox-move-failed', 'outbox-folder-failed', 'outbox-error', 'outbox-interrupted',
 * 'watcher-error', 'watch-polling'.
 *
 * Owned by the app layer, which closes it on quit before closing the ledger.
 */
export async function startWatchers(options: WatcherOptions): Promise<Watchers> {
  const exportRoot = resolve(options.exportRoot);
  const mode = options.forcePolling ? 'always' : options.polling ?? 'auto';
  const polls = (folder: string) => mode === 'always' || (mode === 'auto' && isNetworkShare(folder));
  const polling = polls(exportRoot);
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const emit = auditedEmitter(options.ledger, options.onEvent);
  const fs = options.fs ?? realFileSystem;
  const now = options.now ?? (() => new Date());

  if (polling) {
    emit({
      type: 'watch-polling', level: 'info',
      message: `the export root ${exportRoot} is ${mode === 'always' ? 'set to be polled' : 'a network share'}: billsync looks for changes every ${Math.round(pollIntervalMs / 1000)} s`,
    });
  }

  // All three are waited for, even when one fails: one still starting would otherwise finish later
  // and never be closed (a stray Outbox watcher would go on uploading).
  const [pickupStart, outboxStart, configStart] = await Promise.allSettled([
    startPickupWatcher({ exportRoot, ledger: options.ledger, emit, fs, polling, pollIntervalMs }),
    startOutboxWatcher({
      exportRoot, ledger: options.ledger, client: options.client, emit, fs, now, polling, pollIntervalMs,
      stabilityMs: options.stabilityMs ?? DEFAULT_STABILITY_MS,
      ...(options.outboxLock === undefined ? {} : { lock: options.outboxLock }),
      ...(options.outboxMoveRetryMs === undefined ? {} : { moveRetryMs: options.outboxMoveRetryMs }),
    }),
    options.configFile === undefined || options.onConfig === undefined ? Promise.resolve(undefined) : startConfigWatcher({
      configFile: options.configFile, onConfig: options.onConfig, onError: options.onError,
      polling: polls(options.configFile), pollIntervalMs,
      ...(options.configDebounceMs === undefined ? {} : { debounceMs: options.configDebounceMs }),
    }),
  ]);
  if (pickupStart.status === 'rejected' || outboxStart.status === 'rejected' || configStart.status === 'rejected') {
    await Promise.allSettled([
      pickupStart.status === 'fulfilled' ? pickupStart.value.close(CLOSE_TIMEOUT_MS) : undefined,
      outboxStart.status === 'fulfilled' ? outboxStart.value.close(CLOSE_TIMEOUT_MS) : undefined,
      configStart.status === 'fulfilled' ? configStart.value?.close() : undefined,
    ]);
    throw [pickupStart, outboxStart, configStart].find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
  }
  const pickup: PickupWatcher = pickupStart.value;
  const outbox: OutboxWatcher = outboxStart.value;
  const config: ConfigWatcher | undefined = configStart.value;

  const all = { pickup, outbox, config };
  let closing: Promise<void> | null = null;
  return {
    polling,
    async idle() {
      await Promise.all([all.pickup.idle(), all.outbox.idle()]);
    },
    close() {
      closing ??= Promise.allSettled([all.pickup.close(CLOSE_TIMEOUT_MS), all.outbox.close(CLOSE_TIMEOUT_MS), all.config?.close()]).then(() => undefined);
      return closing;
    },
  };
}
