import { brusselsDate, fromBrusselsLocal } from '../core/brussels-time.js';
import { lastMonthlyDue } from '../core/months.js';
import type { Policy } from '../core/policy.js';
import { resolvePolicy } from '../config/resolve-policy.js';
import type { BillsyncConfig } from '../config/schema.js';
import type { Ledger } from '../ledger/ledger.js';
import { monthlyJob } from '../sync/run-sync.js';

/** The kinds of timed work the scheduler (src/sync/scheduler.ts) does. */
export type PlannedJob = 'startup' | 'monthly' | 'catch-up' | 'after-10-minutes' | 'feed' | 'approvals' | 'coda';

export interface PlannedRun {
  job: PlannedJob;
  /** When the scheduler's timer fires next (Brussels wall clock behind it). */
  at: Date;
  /** How many dossiers it covers. */
  dossiers: number;
  /** For after-10-minutes and the feed: the timer fires every minute. */
  everyMinute: boolean;
}

const MINUTE = 60_000;

/** The first multiple of `minutes` strictly after `now` (Brussels differs from UTC by whole hours). */
function nextBoundary(now: Date, minutes: number): Date {
  const step = minutes * MINUTE;
  return new Date(Math.floor(now.getTime() / step) * step + step);
}

/** The next "day N at HH:MM" in Brussels strictly after `now`. */
export function nextMonthly(now: Date, day: number, time: string): Date {
  const today = brusselsDate(now);
  const at = (month: string): Date => fromBrusselsLocal(`${month}-${String(day).padStart(2, '0')}T${time}:00`)!;
  const thisMonth = at(today.slice(0, 7));
  if (thisMonth.getTime() > now.getTime()) return thisMonth;
  const [year, month] = today.split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return at(next);
}

/**
 * When the scheduler will next enqueue work, mirroring its rules (src/sync/scheduler.ts): monthly runs
 * per (day, time), a missed monthly run caught up at the next minute tick, after-10-minutes dossiers
 * and the feed polled every minute, approvals every quarter hour, CODA every half hour. Disabled
 * dossiers are left out. While paused, timers fire but are dropped: nothing runs before `resumeAt`.
 * Sorted by time; the first is "the next run".
 */
export function plannedRuns(config: BillsyncConfig, ledger: Ledger, now: Date, resumeAt: Date | null = null): PlannedRun[] {
  const from = resumeAt && resumeAt.getTime() > now.getTime() ? resumeAt : now;
  const dossiers = ledger.dossiers.list().filter((d) => !config.dossiers[String(d.partyId)]?.disabled);
  const runs: PlannedRun[] = [];
  if (ledger.dossiers.list().length === 0) {
    // Nothing known yet: every minute the scheduler tries to learn the dossiers.
    return [{ job: 'startup', at: nextBoundary(from, 1), dossiers: 0, everyMinute: true }];
  }
  const policies: Array<[number, Policy]> = dossiers.map((d) => [d.partyId, resolvePolicy(config, d.partyId)]);
  if (config.billit.mode === 'feed') {
    runs.push({ job: 'feed', at: nextBoundary(from, 1), dossiers: dossiers.length, everyMinute: true });
  } else {
    const monthly = new Map<number, number>();
    let overdue = 0;
    for (const [partyId, policy] of policies) {
      if (policy.frequency !== 'last-month') continue;
      const due = lastMonthlyDue(from, policy.lastMonthDay, policy.lastMonthTime);
      const last = ledger.schedule.lastRun(monthlyJob(partyId));
      if (last === null || last.getTime() < due.getTime()) overdue += 1;
      const at = nextMonthly(from, policy.lastMonthDay, policy.lastMonthTime).getTime();
      monthly.set(at, (monthly.get(at) ?? 0) + 1);
    }
    if (overdue > 0) runs.push({ job: 'catch-up', at: nextBoundary(from, 1), dossiers: overdue, everyMinute: false });
    for (const [at, count] of monthly) runs.push({ job: 'monthly', at: new Date(at), dossiers: count, everyMinute: false });
    const frequent = policies.filter(([, p]) => p.frequency === 'after-10-minutes').length;
    if (frequent > 0) runs.push({ job: 'after-10-minutes', at: nextBoundary(from, 1), dossiers: frequent, everyMinute: true });
    const approvals = policies.filter(([, p]) => p.requireApproval && p.frequency !== 'after-10-minutes').length;
    if (approvals > 0) runs.push({ job: 'approvals', at: nextBoundary(from, 15), dossiers: approvals, everyMinute: false });
  }
  const coda = policies.filter(([, p]) => p.frequency !== 'never').length;
  if (coda > 0) runs.push({ job: 'coda', at: nextBoundary(from, 30), dossiers: coda, everyMinute: false });
  return runs.sort((a, b) => a.at.getTime() - b.at.getTime() || a.job.localeCompare(b.job));
}
