import type { BillitClient } from '../billit/client.js';
import { requireExportSettings } from '../config/load-config.js';
import type { BillsyncConfig } from '../config/schema.js';
import { resolvePolicy } from '../config/resolve-policy.js';
import type { Policy } from '../core/policy.js';
import type { CompiledSchematron } from '../formats/ubl/schematron.js';
import { RunQueue, type RunRequest } from '../sync/run-queue.js';
import { runSync, type SyncSummary } from '../sync/run-sync.js';
import { nodeCronService, Scheduler, type CronService } from '../sync/scheduler.js';
import type { SyncEvent } from '../sync/sync-context.js';
import { addDays, brusselsDate, fromBrusselsLocal } from '../core/brussels-time.js';
import { AgentStatus } from './agent-status.js';
import { billitClient, type AppContext } from './app-context.js';

export interface AgentOptions {
  cron?: CronService;
  now?: () => Date;
  onEvent?: (event: SyncEvent) => void;
  onRun?: (request: RunRequest, summary: SyncSummary | null, error: unknown) => void;
  /** The official validation artefacts, compiled (validation.schematronDir). */
  schematron?: CompiledSchematron[];
}

/**
 * The long-running agent: one run loop fed by the scheduler. The tray and status page (later) are
 * views on it. Everything it starts, stop() ends.
 */
export class Agent {
  readonly queue: RunQueue;
  readonly scheduler: Scheduler;
  readonly status: AgentStatus;
  private readonly now: () => Date;
  private client: BillitClient | null = null;
  private resumeTimer: NodeJS.Timeout | null = null;

  constructor(private readonly app: AppContext, options: AgentOptions = {}) {
    const now = options.now ?? (() => new Date());
    this.now = now;
    this.status = new AgentStatus(app.ledger, () => app.config, now);
    // A fresh install has no key or export root yet: billsync still starts (tray, status page) and
    // asks for them; runs begin once Settings has saved them.
    this.configure();
    this.queue = new RunQueue(async (request) => {
      this.status.runStarted(request);
      // Read at every run: a reloaded configuration applies from the next run on.
      const client = this.billit;
      const summary = await runSync({
        client, ledger: app.ledger, fs: app.fs, config: app.config, exportRoot: requireExportSettings(app.config, app.configFile).exportRoot, dataDir: app.paths.dataDir, now,
        ...(options.schematron ? { schematron: options.schematron } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      }, {
        trigger: request.trigger, watchOnly: request.watchOnly, ...(request.skipDeleted ? { skipDeleted: true } : {}),
        ...(request.dossiers ? { dossiers: request.dossiers } : {}), ...(request.kinds ? { kinds: request.kinds } : {}),
        ...(request.manual ? { manual: request.manual } : {}),
      });
      this.status.runFinished(request, summary, null);
      options.onRun?.(request, summary, null);
      if (request.trigger === 'startup') {
        // The dossiers are known now: schedule their monthly runs and catch up what is due.
        this.scheduler.refresh();
        this.scheduler.catchUp();
      }
    }, (error, request) => {
      this.status.runFinished(request, null, error);
      options.onRun?.(request, null, error);
    });
    // Timed jobs pass through this gate: while paused they are dropped (a missed monthly run is caught
    // up after the pause, because catch-up looks at what ran, not at what was scheduled).
    // Timed jobs also wait while the settings a run needs are missing.
    const gate = { enqueue: (request: RunRequest) => this.client !== null && !this.status.isPaused() && this.queue.enqueue(request) };
    this.scheduler = new Scheduler({
      ledger: app.ledger, queue: gate, cron: options.cron ?? nodeCronService, mode: () => app.config.billit.mode, now,
      paused: () => this.client === null || this.status.isPaused(),
      policies: () => {
        const policies = new Map<number, Policy>();
        for (const dossier of app.ledger.dossiers.list()) {
          if (!app.config.dossiers[String(dossier.partyId)]?.disabled) policies.set(dossier.partyId, resolvePolicy(app.config, dossier.partyId));
        }
        return policies;
      },
    });
  }

  start(): void {
    this.scheduler.start();
  }

  /** The Billit client of the current configuration (the Outbox uploads with it). Throws ConfigError while the key or export root is missing. */
  get billit(): BillitClient {
    if (this.client === null) requireExportSettings(this.app.config, this.app.configFile);
    return this.client ?? billitClient(this.app);
  }

  /** Whether the key and export root are set, so that runs can happen. */
  get configured(): boolean {
    return this.client !== null;
  }

  /** Builds the client from the current configuration, or records what is missing for the status line. */
  private configure(): void {
    try {
      requireExportSettings(this.app.config, this.app.configFile);
      this.client = billitClient(this.app);
      this.status.setSetupNeeded(null);
    } catch (error) {
      this.client = null;
      this.status.setSetupNeeded((error as Error).message);
    }
  }

  /**
   * Applies a changed configuration file: policies and dossier settings from the next tick, a new
   * key or Billit address from the next run. Throws ConfigError (and changes nothing) when the new
   * file lacks what a run needs.
   */
  reconfigure(next: BillsyncConfig): void {
    requireExportSettings(next, this.app.configFile);
    const billitChanged = JSON.stringify(next.billit) !== JSON.stringify(this.app.config.billit);
    const wasConfigured = this.client !== null;
    this.app.config = next;
    if (billitChanged || !wasConfigured) this.configure();
    // Counts and folders follow the new policies and export root.
    this.status.changed();
    this.scheduler.refresh();
    // The first complete settings of a fresh install: learn the dossiers now rather than at the next tick.
    if (!wasConfigured && this.client !== null) this.scheduler.catchUpOrLearn();
  }

  /** "Sync now": every dossier's policy pass at once, also while paused (the user asked for it). */
  syncNow(): boolean {
    return this.queue.enqueue({ trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false });
  }

  /** Pauses the timed work for `ms`, or until the next midnight in Brussels with 'tomorrow'. */
  pause(length: number | 'tomorrow'): Date {
    const now = this.now();
    const until = length === 'tomorrow' ? fromBrusselsLocal(`${addDays(brusselsDate(now), 1)}T00:00:00`) ?? new Date(now.getTime() + 86_400_000) : new Date(now.getTime() + length);
    this.setPause(until);
    return until;
  }

  resume(): void {
    this.setPause(null);
  }

  private setPause(until: Date | null): void {
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = null;
    this.status.setPausedUntil(until);
    if (until) {
      // The icon must leave "paused" by itself when the time is up.
      this.resumeTimer = setTimeout(() => this.resume(), Math.max(0, until.getTime() - this.now().getTime()));
      this.resumeTimer.unref();
    }
  }

  /** Stops the timers and waits for the current run, at most `graceMs`; a run cut short is safe (reconciled at the next start). */
  async stop(graceMs = 5000): Promise<boolean> {
    this.scheduler.stop();
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    const stopped = this.queue.stop().then(() => true);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref());
    return Promise.race([stopped, timeout]);
  }
}
