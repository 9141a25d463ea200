import { join } from 'node:path';
import type { BillsyncConfig } from '../config/schema.js';
import { toBrusselsLocal } from '../core/brussels-time.js';
import type { Ledger } from '../ledger/ledger.js';
import { dossierCounts } from '../status/view-dossier-counts.js';
import type { RunRequest } from '../sync/run-queue.js';
import type { SyncSummary } from '../sync/run-sync.js';

/** What the tray icon shows; the status page uses the same words. */
export type AgentState = 'up-to-date' | 'syncing' | 'attention' | 'error' | 'paused';

export interface DossierStatus {
  partyId: number;
  name: string;
  /** The dossier's folder under the export root (absolute). */
  folder: string;
  /** Documents Billit holds back until the entrepreneur approves them. */
  waitingApproval: number;
  /**
   * Documents due by the dossier's policy and not delivered yet, failed ones included (they are tried
   * again): counted as the status page counts them, so this month's documents of a last-month dossier
   * are not "to export" all month.
   */
  toExport: number;
  quarantined: number;
}

export interface LastRun {
  trigger: string;
  finishedAt: Date;
  exported: number;
  failed: number;
  /** Why the whole run failed (Billit or the export root out of reach), else null. */
  error: string | null;
}

export interface AgentSnapshot {
  state: AgentState;
  /** One line for the tray menu, e.g. "Up to date · last sync 14:02". */
  line: string;
  running: { trigger: string; since: Date } | null;
  lastRun: LastRun | null;
  pausedUntil: Date | null;
  dossiers: DossierStatus[];
  approvalsWaiting: number;
  quarantined: number;
}

/** Brussels wall-clock "HH:MM" of an instant, or "d/m HH:MM" when it is not today. */
export function clockTime(at: Date, now: Date): string {
  const local = toBrusselsLocal(at);
  const time = local.slice(11, 16);
  if (local.slice(0, 10) === toBrusselsLocal(now).slice(0, 10)) return time;
  return `${Number(local.slice(8, 10))}/${Number(local.slice(5, 7))} ${time}`;
}

/**
 * The agent's state as the user sees it, kept up to date by the agent (runs starting and ending,
 * pauses) and read by the tray and the status page. Counts come from the ledger when asked for, so
 * they are never stale; listeners hear about every change.
 */
export class AgentStatus {
  private running: { trigger: string; since: Date } | null = null;
  private lastRun: LastRun | null = null;
  private pausedUntil: Date | null = null;
  private setupNeeded: string | null = null;
  private readonly listeners = new Set<() => void>();

  /** `config` is read at every snapshot: a reloaded file (policies, export root) shows at once. */
  constructor(private readonly ledger: Ledger, private readonly config: () => BillsyncConfig, private readonly now: () => Date) {}

  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  runStarted(request: RunRequest): void {
    this.running = { trigger: request.trigger, since: this.now() };
    this.changed();
  }

  runFinished(request: RunRequest, summary: SyncSummary | null, error: unknown): void {
    this.running = null;
    this.lastRun = {
      trigger: request.trigger, finishedAt: this.now(),
      exported: summary?.counts.exported ?? 0, failed: summary?.counts.failed ?? 0,
      error: error ? (error as Error).message ?? String(error) : summary?.status === 'failed' ? summary.error ?? 'the run failed' : null,
    };
    this.changed();
  }

  /** What a fresh install still lacks (the key, the export root), or null once runs can happen. */
  setSetupNeeded(reason: string | null): void {
    this.setupNeeded = reason;
    this.changed();
  }

  setPausedUntil(until: Date | null): void {
    this.pausedUntil = until;
    this.changed();
  }

  isPaused(): boolean {
    if (this.pausedUntil && this.pausedUntil.getTime() <= this.now().getTime()) this.pausedUntil = null;
    return this.pausedUntil !== null;
  }

  /** Tells listeners that something outside (a watcher, the config) changed the counts. */
  changed(): void {
    for (const listener of this.listeners) listener();
  }

  snapshot(): AgentSnapshot {
    const dossiers = this.dossiers();
    const approvalsWaiting = dossiers.reduce((sum, d) => sum + d.waitingApproval, 0);
    const quarantined = dossiers.reduce((sum, d) => sum + d.quarantined, 0);
    const now = this.now();
    const paused = this.isPaused();
    const last = this.lastRun;
    let state: AgentState;
    let line: string;
    // A run in progress and trouble are news even during a pause; the pause shows once all is well.
    if (this.setupNeeded) {
      state = 'error';
      line = 'Setup needed · set the API key and export folder under Settings';
    } else if (this.running) {
      state = 'syncing';
      line = `Syncing… (started ${clockTime(this.running.since, now)})`;
    } else if (last?.error) {
      state = 'error';
      line = `Error · ${firstSentence(last.error)}`;
    } else if (paused && this.pausedUntil) {
      state = 'paused';
      line = `Paused until ${clockTime(this.pausedUntil, now)}`;
    } else if (quarantined > 0 || (last?.failed ?? 0) > 0) {
      state = 'attention';
      const parts = [quarantined > 0 ? `${quarantined} held back` : '', (last?.failed ?? 0) > 0 ? `${last?.failed} failed` : ''].filter(Boolean);
      line = `Needs attention · ${parts.join(', ')}`;
    } else {
      state = 'up-to-date';
      line = last ? `Up to date · last sync ${clockTime(last.finishedAt, now)}` : 'Up to date · no sync yet';
    }
    return { state, line, running: this.running, lastRun: last, pausedUntil: paused ? this.pausedUntil : null, dossiers, approvalsWaiting, quarantined };
  }

  private dossiers(): DossierStatus[] {
    const config = this.config();
    const root = config.exportRoot ?? '';
    return dossierCounts(this.ledger, config, this.now()).map((d) => ({
      partyId: d.partyId, name: d.name, folder: join(root, d.folder),
      waitingApproval: d.waitingApproval, toExport: d.toExport + d.failing, quarantined: d.quarantined,
    }));
  }
}

function firstSentence(text: string): string {
  const sentence = text.split(/(?<=[.;?!])\s/)[0] ?? text;
  return sentence.length > 100 ? `${sentence.slice(0, 99)}…` : sentence;
}
