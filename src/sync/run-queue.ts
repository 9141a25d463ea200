import type { DocumentKind } from '../core/document-kind.js';

/** A unit of work for the run loop. Timers and watchers only enqueue these. */
export interface RunRequest {
  /** Why: "monthly", "catch-up", "after-10-minutes", "coda", "feed", "approvals", "manual"… */
  trigger: string;
  /** Which dossiers; null = all. */
  dossiers: number[] | null;
  kinds: DocumentKind[] | null;
  watchOnly: boolean;
  /** A manual export of a period (status page, billsync export) instead of the policy's pass. */
  manual?: { from: string | null; to: string | null; includeExported: boolean };
  /** Leave out the deleted-orders check (the minute's after-10-minutes polls; the quarter-hour ones do it). */
  skipDeleted?: boolean;
}

const keyOf = (r: RunRequest): string => JSON.stringify([r.trigger, r.dossiers ? [...r.dossiers].sort((a, b) => a - b) : null, r.kinds, r.watchOnly, r.manual ?? null, r.skipDeleted ?? false]);

/**
 * The single run loop: requests run one after another, so a dossier is never worked on twice at
 * once; a request already waiting is not queued twice (a burst of ticks after sleep is one run).
 */
export class RunQueue {
  private readonly pending: RunRequest[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly runner: (request: RunRequest) => Promise<void>, private readonly onError: (error: unknown, request: RunRequest) => void) {}

  /** Adds a request unless the same one is already waiting. Returns whether it was added. */
  enqueue(request: RunRequest): boolean {
    if (this.stopped) return false;
    const key = keyOf(request);
    if (this.pending.some((r) => keyOf(r) === key)) return false;
    this.pending.push(request);
    this.running ??= this.drain().finally(() => { this.running = null; });
    return true;
  }

  get size(): number {
    return this.pending.length;
  }

  /** Resolves when nothing is running or waiting. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** No new work; resolves when the current run has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.length = 0;
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (let request = this.pending.shift(); request; request = this.pending.shift()) {
      try {
        await this.runner(request);
      } catch (error) {
        this.onError(error, request);
      }
    }
  }
}
