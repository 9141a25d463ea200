import cron from 'node-cron';
import { BUSINESS_TIME_ZONE } from '../core/brussels-time.js';
import { lastMonthlyDue } from '../core/months.js';
import type { Policy } from '../core/policy.js';
import type { Ledger } from '../ledger/ledger.js';
import type { RunQueue } from './run-queue.js';
import { monthlyJob } from './run-sync.js';

/** The timer service: node-cron in the product, a recording fake in tests (timers are the outside world). */
export interface CronService {
  schedule(expression: string, task: () => void, options: { timezone: string; name: string }): { stop(): void };
}

export const nodeCronService: CronService = {
  schedule: (expression, task, options) => cron.schedule(expression, task, { ...options, noOverlap: true }),
};

export interface SchedulerDeps {
  ledger: Ledger;
  /** Where jobs go; the agent passes a gate that drops them while the user has paused billsync. */
  queue: Pick<RunQueue, 'enqueue'>;
  cron: CronService;
  /** Read at every tick: a reloaded configuration may switch modes. */
  mode: () => 'direct' | 'feed';
  /** While true, nothing is due: a missed monthly run is not marked as tried (it is caught up after). */
  paused?: () => boolean;
  /** The policy of each known dossier. */
  policies: () => Map<number, Policy>;
  now: () => Date;
}

/** A failed monthly run is tried again after this long, not every minute. */
const RETRY_AFTER_MS = 15 * 60 * 1000;

/**
 * Turns policies into timed work (Europe/Brussels, whatever the machine's zone): the monthly runs,
 * after-10-minutes polls every minute, the feed every minute (the feed source keeps Billit's
 * once-a-minute rule), CODA every half hour, approvals every quarter hour. Jobs only enqueue; the run
 * loop does the work. A monthly run missed while the machine slept or billsync was stopped is caught
 * up once: at start, and on every minute tick.
 */
export class Scheduler {
  private readonly tasks: Array<{ stop(): void }> = [];
  private readonly attempted = new Map<number, number>();

  constructor(private readonly deps: SchedulerDeps) {}

  private readonly monthlyTasks: Array<{ stop(): void }> = [];

  start(): void {
    this.every(this.tasks, 'minute', '* * * * *', () => this.minute());
    this.every(this.tasks, 'approvals', '*/15 * * * *', () => this.approvals());
    this.every(this.tasks, 'coda', '*/30 * * * *', () => this.coda());
    this.refresh();
    this.catchUpOrLearn();
  }

  /**
   * With no dossier known yet, learns them (and their approvals) without exporting; the caller calls
   * refresh() and catchUp() when that run is done. Otherwise catches up what is due.
   */
  catchUpOrLearn(): void {
    if (this.deps.ledger.dossiers.list().length === 0) {
      this.deps.queue.enqueue({ trigger: 'startup', dossiers: null, kinds: null, watchOnly: true });
      return;
    }
    this.catchUp();
  }

  /** (Re)creates the monthly jobs from the current dossiers and policies. */
  refresh(): void {
    for (const task of this.monthlyTasks.splice(0)) task.stop();
    for (const [expression, dossiers] of this.monthlyGroups()) {
      this.every(this.monthlyTasks, `monthly ${expression}`, expression, () => this.monthly(dossiers));
    }
  }

  stop(): void {
    for (const task of [...this.tasks.splice(0), ...this.monthlyTasks.splice(0)]) task.stop();
  }

  private every(into: Array<{ stop(): void }>, name: string, expression: string, task: () => void): void {
    into.push(this.deps.cron.schedule(expression, task, { timezone: BUSINESS_TIME_ZONE, name }));
  }

  /** Known dossiers and their policies, in PartyID order. */
  private sortedPolicies(): Array<[number, Policy]> {
    return [...this.deps.policies()].sort(([a], [b]) => a - b);
  }

  /** Cron expressions of the monthly runs, each with its dossiers ("0 6 1 * *" → […]). */
  monthlyGroups(): Map<string, number[]> {
    const groups = new Map<string, number[]>();
    if (this.deps.mode() !== 'direct') return groups;
    for (const [partyId, policy] of this.sortedPolicies()) {
      if (policy.frequency !== 'last-month') continue;
      const [hh, mm] = policy.lastMonthTime.split(':').map(Number) as [number, number];
      const expression = `${mm} ${hh} ${policy.lastMonthDay} * *`;
      groups.set(expression, [...(groups.get(expression) ?? []), partyId]);
    }
    return groups;
  }

  /** Enqueues the monthly run of every dossier whose last one is older than its last due time. */
  catchUp(): number[] {
    if (this.deps.mode() !== 'direct' || this.deps.paused?.()) return [];
    const now = this.deps.now();
    const missed: number[] = [];
    for (const [partyId, policy] of this.sortedPolicies()) {
      if (policy.frequency !== 'last-month') continue;
      const due = lastMonthlyDue(now, policy.lastMonthDay, policy.lastMonthTime);
      const last = this.deps.ledger.schedule.lastRun(monthlyJob(partyId));
      if (last !== null && last.getTime() >= due.getTime()) continue;
      const tried = this.attempted.get(partyId);
      if (tried !== undefined && tried >= due.getTime() && now.getTime() - tried < RETRY_AFTER_MS) continue;
      missed.push(partyId);
    }
    if (missed.length > 0) this.monthly(missed, 'catch-up');
    return missed;
  }

  private monthly(dossiers: number[], trigger = 'monthly'): void {
    const now = this.deps.now().getTime();
    for (const partyId of dossiers) this.attempted.set(partyId, now);
    this.deps.queue.enqueue({ trigger, dossiers, kinds: null, watchOnly: false });
  }

  private minute(): void {
    if (this.deps.ledger.dossiers.list().length === 0) {
      // The startup run has not succeeded yet (Billit unreachable, say): try again.
      this.deps.queue.enqueue({ trigger: 'startup', dossiers: null, kinds: null, watchOnly: true });
      return;
    }
    if (this.deps.mode() === 'feed') {
      this.deps.queue.enqueue({ trigger: 'feed', dossiers: null, kinds: ['purchase', 'sales', 'document'], watchOnly: false });
      return;
    }
    const frequent = this.sortedPolicies().filter(([, p]) => p.frequency === 'after-10-minutes').map(([id]) => id);
    // Invoices and documents every minute (they are due ten minutes after creation); deletions,
    // which only need reporting, on the quarter hour: a third fewer requests for these dossiers.
    const quarterHour = this.deps.now().getUTCMinutes() % 15 === 0;
    if (frequent.length > 0) {
      this.deps.queue.enqueue({ trigger: 'after-10-minutes', dossiers: frequent, kinds: ['purchase', 'sales', 'document'], watchOnly: false, ...(quarterHour ? {} : { skipDeleted: true }) });
    }
    this.catchUp();
  }

  private approvals(): void {
    if (this.deps.mode() !== 'direct') return;
    const watched = this.sortedPolicies().filter(([, p]) => p.requireApproval && p.frequency !== 'after-10-minutes').map(([id]) => id);
    if (watched.length > 0) this.deps.queue.enqueue({ trigger: 'approvals', dossiers: watched, kinds: null, watchOnly: true });
  }

  private coda(): void {
    const dossiers = this.sortedPolicies().filter(([, p]) => p.frequency !== 'never').map(([id]) => id);
    if (dossiers.length > 0) this.deps.queue.enqueue({ trigger: 'coda', dossiers, kinds: ['coda'], watchOnly: false });
  }
}
