import type { ChokidarOptions, FSWatcher } from 'chokidar';
import type { Ledger } from '../../ledger/ledger.js';
import type { SyncEvent } from '../../sync/sync-context.js';

/** How a watcher reports: one sentence per thing that happened, for the audit trail, logs and tray. */
export type Emit = (event: SyncEvent) => void;

/**
 * Events go to the ledger's audit trail (as a run's events do) and to the caller. Neither may break
 * the watcher: a ledger closed during shutdown or a throwing listener is swallowed here, because a
 * watcher callback has nobody above it to catch.
 */
export function auditedEmitter(ledger: Ledger, onEvent: (event: SyncEvent) => void): Emit {
  return (event) => {
    try {
      ledger.events.append({
        type: event.type, message: event.message,
        ...(event.dossierPartyId === undefined ? {} : { dossierPartyId: event.dossierPartyId }),
        ...(event.documentId === undefined ? {} : { documentId: event.documentId }),
        ...(event.data === undefined ? {} : { data: event.data }),
      });
    } catch { /* the ledger is closing; the caller still hears about it */ }
    try {
      onEvent(event);
    } catch { /* a listener's failure is not the watcher's */ }
  };
}

/** Change notifications, or stat polling every `intervalMs` where notifications do not arrive (network shares). */
export function pollingOptions(polling: boolean, intervalMs: number): Pick<ChokidarOptions, 'usePolling' | 'interval' | 'binaryInterval'> {
  return polling ? { usePolling: true, interval: intervalMs, binaryInterval: intervalMs } : { usePolling: false };
}

/** Resolves when chokidar has scanned everything it was given. */
export function whenReady(watcher: FSWatcher): Promise<void> {
  return new Promise((resolve) => watcher.once('ready', () => resolve()));
}

/**
 * Runs jobs one at a time, in the order they were pushed. A key that is already waiting is not
 * queued twice (two events for one file become one job); a key pushed while its job runs is queued
 * again, because the file may have changed meanwhile. A failing job is reported and the queue goes on.
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  readonly #waiting = new Set<string>();
  #closed = false;

  constructor(private readonly onError: (error: unknown, key: string) => void) {}

  get closed(): boolean {
    return this.#closed;
  }

  push(key: string, job: () => Promise<void>): void {
    if (this.#closed || this.#waiting.has(key)) return;
    this.#waiting.add(key);
    this.#tail = this.#tail.then(async () => {
      this.#waiting.delete(key);
      if (this.#closed) return;
      try {
        await job();
      } catch (error) {
        this.onError(error, key);
      }
    });
  }

  /** Resolves once every job pushed so far has finished. For tests and for close(). */
  idle(): Promise<void> {
    return this.#tail;
  }

  /**
   * Takes no more work and drops what waits; resolves true when the job under way finished within
   * `timeoutMs`, false when it was left running (an upload stays 'uploading' and is resumed with
   * the same idempotency key at the next start).
   */
  async close(timeoutMs: number): Promise<boolean> {
    this.#closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    try {
      return await Promise.race([this.#tail.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
