import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { LedgerMigrationError } from './errors/ledger-migration-error.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export { LedgerMigrationError, type LedgerMigrationProblem } from './errors/ledger-migration-error.js';

/** sha256 (hex) of a migration's SQL text: what the ledger remembers to notice an edited migration. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** `001-initial`: how messages and the file name refer to a migration. */
export function migrationLabel(migration: { id: number; name: string }): string {
  return `${String(migration.id).padStart(3, '0')}-${migration.name}`;
}

interface AppliedMigration {
  id: number;
  name: string;
  checksum: string;
  appliedAt: string;
}

export interface MigrateOptions {
  /** The migrations this version ships; default MIGRATIONS. Tests pass their own lists. */
  migrations?: ReadonlyArray<Migration>;
  /** Clock for applied_at; default the system clock. */
  now?: () => Date;
}

/**
 * Brings the ledger's schema up to this version, or refuses (LedgerMigrationError) when the ledger
 * and this version disagree about history: an applied migration whose SQL changed, one this version
 * does not know (a newer billsync wrote the ledger), or a gap in the ids. Refusing is the point: the
 * Actual Budget habit is that a schema you do not recognise is never written to.
 *
 * Each missing migration runs in its own IMMEDIATE transaction together with its schema_migrations
 * row, so a crash leaves either all of a migration or none of it, and a second process opening the
 * same ledger at the same moment waits (busy_timeout) and then sees the work already done.
 *
 * Called by Ledger.open before any repository exists. Returns the ids it applied (empty when the
 * ledger was already current).
 */
export function migrate(db: Database.Database, options: MigrateOptions = {}): number[] {
  const shipped = options.migrations ?? MIGRATIONS;
  const now = options.now ?? (() => new Date());
  const file = db.name;
  checkShippedList(file, shipped);

  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const readApplied = db.prepare<[], AppliedMigration>(
    'SELECT id, name, checksum, applied_at AS appliedAt FROM schema_migrations ORDER BY id',
  );
  const record = db.prepare<[number, string, string, string]>(
    'INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
  );

  const applyOne = db.transaction((migration: Migration): boolean => {
    // Read again inside the write lock: another process may have applied it since we looked.
    const applied = readApplied.all();
    checkApplied(file, applied, shipped);
    if (applied.some((row) => row.id === migration.id)) return false;
    try {
      db.exec(migration.sql);
    } catch (error) {
      throw new LedgerMigrationError(file, migrationLabel(migration), 'failed',
        `could not be applied (${error instanceof Error ? error.message : String(error)}); nothing of it was kept.`,
        { cause: error });
    }
    record.run(migration.id, migration.name, migrationChecksum(migration.sql), now().toISOString());
    return true;
  });

  const applied = readApplied.all();
  checkApplied(file, applied, shipped);
  const done: number[] = [];
  for (const migration of shipped.slice(applied.length)) {
    if (applyOne.immediate(migration)) done.push(migration.id);
  }
  return done;
}

/** The shipped list must be 1, 2, 3, … — a hole here is a packaging mistake, caught before touching the file. */
function checkShippedList(file: string, shipped: ReadonlyArray<Migration>): void {
  shipped.forEach((migration, index) => {
    if (migration.id !== index + 1) {
      throw new LedgerMigrationError(file, migrationLabel(migration), 'gap',
        `is number ${migration.id} in this billsync's list but should be ${index + 1}: the shipped migrations skip or repeat a number.`);
    }
  });
}

function checkApplied(file: string, applied: AppliedMigration[], shipped: ReadonlyArray<Migration>): void {
  const newestKnown = shipped.at(-1);
  applied.forEach((row, index) => {
    const expectedId = index + 1;
    if (row.id !== expectedId) {
      const missing = shipped[expectedId - 1];
      throw new LedgerMigrationError(file, missing === undefined ? String(expectedId).padStart(3, '0') : migrationLabel(missing), 'gap',
        `is missing from the ledger although ${migrationLabel(row)} after it was applied; the ledger was altered by hand or by a broken tool.`);
    }
    const known = shipped[index];
    if (known === undefined) {
      throw new LedgerMigrationError(file, migrationLabel(row), 'unknown',
        `was applied by a newer billsync (this version knows up to ${newestKnown === undefined ? 'none' : migrationLabel(newestKnown)}). `
        + 'Install that newer version again, or restore a ledger backup made by this version.');
    }
    if (row.name !== known.name) {
      throw new LedgerMigrationError(file, migrationLabel(row), 'changed',
        `was applied under that name but this billsync ships migration ${row.id} as ${migrationLabel(known)}.`);
    }
    const checksum = migrationChecksum(known.sql);
    if (row.checksum !== checksum) {
      throw new LedgerMigrationError(file, migrationLabel(row), 'changed',
        `was applied with checksum ${row.checksum} but this billsync ships it with checksum ${checksum}: `
        + 'the migration was edited after it was released.');
    }
  });
}
