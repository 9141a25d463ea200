/** What disagrees between the ledger's applied migrations and the ones this billsync ships. */
export type LedgerMigrationProblem =
  /** An applied migration's SQL (checksum) or name differs from the one shipped: someone edited a released file. */
  | 'changed'
  /** The ledger has a migration this version does not know: a newer billsync wrote it. */
  | 'unknown'
  /** Migration ids skip a number, in the ledger or in the shipped list. */
  | 'gap'
  /** The migration's SQL failed while being applied; nothing of it was kept. */
  | 'failed';

/**
 * billsync refuses to open a ledger whose migrations disagree with its own. Carrying on would mean
 * reading and writing a schema this code was not written for — exactly the silent corruption that
 * makes "was this exported?" unanswerable. The message names the ledger file and the migration.
 */
export class LedgerMigrationError extends Error {
  override name = 'LedgerMigrationError';

  constructor(
    /** The ledger file, as better-sqlite3 opened it. */
    readonly file: string,
    /** The migration that disagrees, as `NNN-name` (e.g. `001-initial`). */
    readonly migration: string,
    readonly problem: LedgerMigrationProblem,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Ledger ${file}: migration ${migration} ${detail} billsync will not open this ledger.`, options);
  }
}
