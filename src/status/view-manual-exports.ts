import type { Agent } from '../app/agent.js';
import type { Ledger } from '../ledger/ledger.js';
import type { DocumentKind } from '../core/document-kind.js';
import type { RunRequest } from '../sync/run-queue.js';

/** One manual export asked for on the status page, and how far it got. */
export interface ManualExport {
  partyId: number;
  from: string | null;
  to: string | null;
  kinds: DocumentKind[];
  includeExported: boolean;
  requestedAt: Date;
  startedAt: Date | null;
  /**
   * Set when the run ended: its ledger row (null when it failed before it could start one) and outcome.
   * delivered = files placed (new, or already there byte-identical, or beside a different file).
   */
  finished: { at: Date; runId: number | null; delivered: number; identical: number; failed: number; quarantined: number; error: string | null } | null;
}

interface Tracker {
  /** Requests in the order they were queued; the run loop takes them in that order. */
  waiting: ManualExport[];
  latest: Map<number, ManualExport>;
}

const trackers = new WeakMap<Agent, Tracker>();

/**
 * Follows the manual exports the page queued, so each dossier page can say "queued", "running since"
 * or how it ended. The run loop is one FIFO queue and only this page queues the trigger 'manual' on
 * this agent (the command line runs in its own process, as 'manual-export'), so the n-th manual run
 * to start is the n-th request queued here. Kept in memory: after a restart the ledger's runs remain.
 */
function trackerOf(agent: Agent, ledger: Ledger): Tracker {
  let tracker = trackers.get(agent);
  if (tracker) return tracker;
  const created: Tracker = { waiting: [], latest: new Map() };
  agent.status.onChange(() => {
    const head = created.waiting[0];
    if (!head) return;
    const snapshot = agent.status.snapshot();
    if (snapshot.running?.trigger === 'manual' && head.startedAt === null) {
      head.startedAt = snapshot.running.since;
      return;
    }
    const last = snapshot.lastRun;
    if (head.startedAt !== null && snapshot.running === null && last?.trigger === 'manual' && last.finishedAt.getTime() >= head.startedAt.getTime()) {
      created.waiting.shift();
      const latest = ledger.runs.last();
      const run = latest !== null && latest.trigger === 'manual' && new Date(latest.startedAt).getTime() >= head.startedAt.getTime() ? latest : null;
      const counts = (run?.summary?.counts ?? {}) as Record<string, unknown>;
      const n = (key: string): number => (typeof counts[key] === 'number' ? counts[key] : 0);
      head.finished = {
        at: last.finishedAt, runId: run?.id ?? null, error: last.error,
        delivered: run ? n('exported') + n('identical') + n('conflicts') : last.exported, identical: n('identical'),
        failed: run ? n('failed') : last.failed, quarantined: n('quarantined'),
      };
    }
  });
  trackers.set(agent, created);
  return created;
}

/**
 * Queues a manual export of one dossier. Returns the tracked request, or null when the very same
 * request is already waiting in the queue (the queue does not take it twice).
 */
export function queueManualExport(agent: Agent, ledger: Ledger, request: Omit<ManualExport, 'requestedAt' | 'startedAt' | 'finished'>, now: Date): ManualExport | null {
  const tracker = trackerOf(agent, ledger);
  const run: RunRequest = {
    trigger: 'manual', dossiers: [request.partyId], kinds: [...request.kinds], watchOnly: false,
    manual: { from: request.from, to: request.to, includeExported: request.includeExported },
  };
  const tracked: ManualExport = { ...request, requestedAt: now, startedAt: null, finished: null };
  // Tracked before it is queued: an idle loop starts the run (and reports it) within enqueue().
  tracker.waiting.push(tracked);
  if (!agent.queue.enqueue(run)) {
    tracker.waiting.pop();
    return null;
  }
  tracker.latest.set(request.partyId, tracked);
  return tracked;
}

/** The latest manual export the page queued for this dossier since billsync started, if any. */
export function latestManualExport(agent: Agent, partyId: number): ManualExport | null {
  return trackers.get(agent)?.latest.get(partyId) ?? null;
}
