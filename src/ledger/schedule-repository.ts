import type Database from 'better-sqlite3';

/**
 * The `schedule` table: when each scheduled job last completed (e.g. "monthly:200001"). Survives
 * restarts, so a monthly run missed while billsync was stopped is caught up once, not once per tick.
 */
export class ScheduleRepository {
  readonly #get: Database.Statement<[string], string>;
  readonly #set: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.#get = db.prepare<[string], string>('SELECT last_run_at FROM schedule WHERE job = ?').pluck();
    this.#set = db.prepare<[string, string]>(`INSERT INTO schedule (job, last_run_at) VALUES (?, ?)
      ON CONFLICT (job) DO UPDATE SET last_run_at = excluded.last_run_at`);
  }

  lastRun(job: string): Date | null {
    const value = this.#get.get(job);
    return value === undefined ? null : new Date(value);
  }

  completed(job: string, at: Date): void {
    this.#set.run(job, at.toISOString());
  }
}
