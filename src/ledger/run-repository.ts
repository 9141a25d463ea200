import type Database from 'better-sqlite3';
import { LedgerRecordNotFoundError } from './errors/ledger-record-not-found-error.js';

/** 'running' until finish(); a run still 'running' when billsync starts again is one that crashed. */
export type RunStatus = 'running' | 'ok' | 'failed' | 'partial';
export type FinishedRunStatus = Exclude<RunStatus, 'running'>;

export interface RunRow {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  /** What started it: 'schedule', 'manual', 'startup', … (free text, shown to the user). */
  trigger: string;
  /** The object given to finish(), or null while running. */
  summary: Record<string, unknown> | null;
}

interface StoredRun extends Omit<RunRow, 'summary'> {
  summaryJson: string | null;
}

const COLUMNS = 'id, started_at AS startedAt, finished_at AS finishedAt, status, "trigger", summary_json AS summaryJson';

/** The `runs` table: one row per sync run, for the status page and "last successful export". */
export class RunRepository {
  readonly #now: () => Date;
  readonly #start: Database.Statement<[string, string]>;
  readonly #finish: Database.Statement<[{ id: number; status: FinishedRunStatus; summaryJson: string; at: string }]>;
  readonly #get: Database.Statement<[number], StoredRun>;
  readonly #list: Database.Statement<[number], StoredRun>;

  constructor(db: Database.Database, now: () => Date) {
    this.#now = now;
    this.#start = db.prepare('INSERT INTO runs (started_at, "trigger") VALUES (?, ?)');
    this.#finish = db.prepare(`
      UPDATE runs SET finished_at = @at, status = @status, summary_json = @summaryJson
      WHERE id = @id AND status = 'running'`);
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM runs WHERE id = ?`);
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM runs ORDER BY id DESC LIMIT ?`);
  }

  /** Records that a run began; returns its id for finish() and for events. */
  start(trigger: string): number {
    return Number(this.#start.run(this.#now().toISOString(), trigger).lastInsertRowid);
  }

  /**
   * Closes a run. A run finishes once: finishing it again throws, because two outcomes for one run
   * mean two loops think they own it.
   */
  finish(id: number, status: FinishedRunStatus, summary: object): void {
    const changes = this.#finish.run({ id, status, summaryJson: JSON.stringify(summary), at: this.#now().toISOString() }).changes;
    if (changes === 1) return;
    const run = this.#get.get(id);
    if (run === undefined) throw new LedgerRecordNotFoundError('runs', id);
    throw new Error(`Run ${id} already finished at ${run.finishedAt ?? '?'} with status '${run.status}'; it cannot finish again.`);
  }

  get(id: number): RunRow | null {
    const run = this.#get.get(id);
    return run === undefined ? null : toRow(run);
  }

  /** The most recent run (finished or not), or null before the first. */
  last(): RunRow | null {
    const run = this.#list.get(1);
    return run === undefined ? null : toRow(run);
  }

  /** The most recent `limit` runs, newest first. */
  list(limit: number): RunRow[] {
    return this.#list.all(limit).map(toRow);
  }
}

function toRow({ summaryJson, ...run }: StoredRun): RunRow {
  return { ...run, summary: summaryJson === null ? null : JSON.parse(summaryJson) as Record<string, unknown> };
}
