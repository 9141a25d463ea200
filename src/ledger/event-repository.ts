import type Database from 'better-sqlite3';

export interface EventInput {
  /** Dotted, stable identifier such as 'document.placed' or 'run.failed': what filters and tests match on. */
  type: string;
  /** One sentence for a person reading the audit trail. */
  message: string;
  runId?: number | null;
  dossierPartyId?: number | null;
  documentId?: number | null;
  /** Anything JSON-serialisable that a later investigation needs (paths, hashes, HTTP status). */
  data?: unknown;
}

export interface EventRow {
  id: number;
  at: string;
  runId: number | null;
  dossierPartyId: number | null;
  documentId: number | null;
  type: string;
  message: string;
  data: unknown;
}

export interface EventQuery {
  limit: number;
  dossierPartyId?: number;
  type?: string;
}

interface StoredEvent extends Omit<EventRow, 'data'> {
  dataJson: string | null;
}

const COLUMNS = `id, at, run_id AS runId, dossier_party_id AS dossierPartyId, document_id AS documentId,
  type, message, data_json AS dataJson`;

/**
 * The `events` table: the audit trail. Append-only — the schema's triggers abort any UPDATE or
 * DELETE, so this repository offers no way to change history and no code can add one.
 */
export class EventRepository {
  readonly #db: Database.Database;
  readonly #now: () => Date;
  readonly #append: Database.Statement<[Record<string, string | number | null>]>;
  /** One prepared statement per filter combination, so each can use its own index (an `? IS NULL OR` filter could not). */
  readonly #lists = new Map<string, Database.Statement<unknown[], StoredEvent>>();

  constructor(db: Database.Database, now: () => Date) {
    this.#db = db;
    this.#now = now;
    this.#append = db.prepare(`
      INSERT INTO events (at, run_id, dossier_party_id, document_id, type, message, data_json)
      VALUES (@at, @runId, @dossierPartyId, @documentId, @type, @message, @dataJson)`);
  }

  /** Appends one event and returns its id. */
  append(event: EventInput): number {
    return Number(this.#append.run({
      at: this.#now().toISOString(),
      runId: event.runId ?? null,
      dossierPartyId: event.dossierPartyId ?? null,
      documentId: event.documentId ?? null,
      type: event.type,
      message: event.message,
      dataJson: event.data === undefined ? null : JSON.stringify(event.data),
    }).lastInsertRowid);
  }

  /** The newest `limit` events, newest first, optionally of one dossier and/or one type. */
  list(query: EventQuery): EventRow[] {
    const filters: string[] = [];
    const params: unknown[] = [];
    if (query.dossierPartyId !== undefined) { filters.push('dossier_party_id = ?'); params.push(query.dossierPartyId); }
    if (query.type !== undefined) { filters.push('type = ?'); params.push(query.type); }
    const where = filters.length === 0 ? '' : `WHERE ${filters.join(' AND ')}`;
    let statement = this.#lists.get(where);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown[], StoredEvent>(`SELECT ${COLUMNS} FROM events ${where} ORDER BY id DESC LIMIT ?`);
      this.#lists.set(where, statement);
    }
    return statement.all(...params, query.limit).map(({ dataJson, ...event }) => ({
      ...event,
      data: dataJson === null ? null : JSON.parse(dataJson) as unknown,
    }));
  }
}
