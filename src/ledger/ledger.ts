import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DocumentRepository } from './document-repository.js';
import { DossierRepository } from './dossier-repository.js';
import { EventRepository } from './event-repository.js';
import { migrate } from './migrate.js';
import { OutboxRepository } from './outbox-repository.js';
import { RunRepository } from './run-repository.js';
import { ScheduleRepository } from './schedule-repository.js';
import { SearchRepository } from './search-repository.js';
import { WatermarkRepository } from './watermark-repository.js';

export interface LedgerOptions {
  /** Clock for every timestamp the ledger writes; default the system clock. Tests inject a fixed one. */
  now?: () => Date;
}

/**
 * The ledger: one SQLite file in the data dir (the caller picks the name, e.g. `ledger.sqlite`),
 * the single source of truth for "was this exported?" (product.md §6).
 *
 * One Ledger per process, owned by the composition root, which closes it on quit. better-sqlite3 is
 * synchronous, so every call finishes before the next line runs; there are no concurrent writers
 * inside the process, and other processes are kept out by SQLite's locks (busy_timeout).
 */
export class Ledger {
  readonly dossiers: DossierRepository;
  readonly documents: DocumentRepository;
  readonly watermarks: WatermarkRepository;
  readonly runs: RunRepository;
  readonly events: EventRepository;
  readonly schedule: ScheduleRepository;
  /** Files uploaded from the dossiers' Outbox/ folders (product.md §8). */
  readonly outbox: OutboxRepository;
  /** The search columns of documents (migration 004), for the status page's ledger search. */
  readonly search: SearchRepository;
  readonly #db: Database.Database;

  private constructor(db: Database.Database, now: () => Date) {
    this.#db = db;
    this.events = new EventRepository(db, now);
    this.dossiers = new DossierRepository(db, now);
    this.documents = new DocumentRepository(db, now, this.events);
    this.watermarks = new WatermarkRepository(db, now);
    this.runs = new RunRepository(db, now);
    this.schedule = new ScheduleRepository(db);
    this.outbox = new OutboxRepository(db, now);
    this.search = new SearchRepository(db);
  }

  /**
   * Opens (creating if needed, with its folder) and migrates the ledger. Throws LedgerMigrationError,
   * with the file closed again, when the file's schema history disagrees with this version.
   */
  static open(file: string, options: LedgerOptions = {}): Ledger {
    const now = options.now ?? (() => new Date());
    mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file, { timeout: 5000 });
    try {
      // WAL: readers (status page) never block the run loop's writes, and a crash mid-write leaves
      // the last committed state intact.
      db.pragma('journal_mode = WAL');
      // FULL: every commit is on disk before we go on to acknowledge to Billit. If a commit could
      // be lost in a power cut after Billit was told, the document would be neither here nor
      // offered again. Durability matters more than the few milliseconds per commit.
      db.pragma('synchronous = FULL');
      // SQLite leaves foreign keys off by default, per connection.
      db.pragma('foreign_keys = ON');
      // Another billsync process (or a backup tool) holding the lock: wait rather than fail at once.
      db.pragma('busy_timeout = 5000');
      migrate(db, { now });
      return new Ledger(db, now);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The ledger file, as opened. */
  get file(): string {
    return this.#db.name;
  }

  /**
   * Runs `fn` in one transaction: all its writes commit together, or none if it throws (the error is
   * rethrown). Nested calls become savepoints. `fn` must be synchronous: a transaction cannot stay
   * open across an await, so do the network and disk work first and record the outcome here.
   */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  /** Closes the database (checkpointing the WAL). Safe to call more than once. */
  close(): void {
    if (!this.#db.open) return;
    // Lets SQLite refresh its planner statistics if they are stale; cheap, and recommended on close.
    this.#db.pragma('optimize');
    this.#db.close();
  }
}
