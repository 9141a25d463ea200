import { requireExportSettings } from '../config/load-config.js';
import { resolvePolicy } from '../config/resolve-policy.js';
import type { Policy } from '../core/policy.js';
import type { CompiledSchematron } from '../formats/ubl/schematron.js';
import { RunQueue, type RunRequest } from '../sync/run-queue.js';
import { runSync, type SyncSummary } from '../sync/run-sync.js';
import { nodeCronService, Scheduler, type CronService } from '../sync/scheduler.js';
import type { SyncEvent } from '../sync/sync-context.js';
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

  constructor(private readonly app: AppContext, options: AgentOptions = {}) {
    const { exportRoot } = requireExportSettings(app.config, app.configFile);
    const client = billitClient(app);
    const now = options.now ?? (() => new Date());
    this.queue = new RunQueue(async (request) => {
      const summary = await runSync({
        client, ledger: app.ledger, fs: app.fs, config: app.config, exportRoot, dataDir: app.paths.dataDir, now,
        ...(options.schematron ? { schematron: options.schematron } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      }, {
        trigger: request.trigger, watchOnly: request.watchOnly,
        ...(request.dossiers ? { dossiers: request.dossiers } : {}), ...(request.kinds ? { kinds: request.kinds } : {}),
      });
      options.onRun?.(request, summary, null);
      if (request.trigger === 'startup') {
        // The dossiers are known now: schedule their monthly runs and catch up what is due.
        this.scheduler.refresh();
        this.scheduler.catchUp();
      }
    }, (error, request) => options.onRun?.(request, null, error));
    this.scheduler = new Scheduler({
      ledger: app.ledger, queue: this.queue, cron: options.cron ?? nodeCronService, mode: app.config.billit.mode, now,
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

  /** Stops the timers and waits for the current run, at most `graceMs`; a run cut short is safe (reconciled at the next start). */
  async stop(graceMs = 5000): Promise<boolean> {
    this.scheduler.stop();
    const stopped = this.queue.stop().then(() => true);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref());
    return Promise.race([stopped, timeout]);
  }
}
