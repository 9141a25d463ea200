import type Database from 'better-sqlite3';
import type { DocumentSource, DocumentState } from '../core/document-kind.js';
import { ALLOWED_FROM, describeError, truncateError } from './document-life-cycle.js';
import { DOCUMENT_COLUMNS as COLUMNS, type DocumentCount, type DocumentRow, type SeenInput } from './document-row.js';
import { IllegalTransitionError } from './errors/illegal-transition-error.js';
import { LedgerRecordNotFoundError } from './errors/ledger-record-not-found-error.js';
import type { EventRepository } from './event-repository.js';

export type { DocumentCount, DocumentRow, SeenInput } from './document-row.js';

const FIND_SQL = `SELECT ${COLUMNS} FROM documents WHERE source = ? AND billit_id = ?`;

type Params = Record<string, string | number | null>;

/** A row with the document's own date (YYYY-MM-DD, Europe/Brussels), from the search columns. */
/** Undelivered documents that count alike in the status views, and how many there are. */
export interface UndeliveredGroup {
  dossierPartyId: number;
  state: DocumentState;
  approvalStatus: string | null;
  /** At least one attempt failed. */
  failing: boolean;
  deletedInBillit: boolean;
  /** The invoice or document date; null when unknown. */
  documentDate: string | null;
  count: number;
}

/**
 * The `documents` table and the document life cycle. Every transition checks the current state in
 * the same transaction as it writes, and throws IllegalTransitionError (row untouched) otherwise, so
 * the ledger never records more than happened. Called from the per-dossier run loop.
 */
export class DocumentRepository {
  readonly #db: Database.Database;
  readonly #now: () => Date;
  readonly #events: EventRepository;
  readonly #seen: Database.Statement<[Params], DocumentRow>;
  readonly #get: Database.Statement<[number], DocumentRow>;
  readonly #find: Database.Statement<[string, string], DocumentRow>;
  readonly #update = new Map<string, Database.Statement<[Params]>>();
  readonly #byStates: Database.Statement<[string], DocumentRow>;
  readonly #undeliveredGroups: Database.Statement<[], Omit<UndeliveredGroup, 'failing' | 'deletedInBillit'> & { failing: number; deletedInBillit: number }>;
  readonly #byStatesInDossier: Database.Statement<[number, string], DocumentRow>;
  readonly #byFinalPath: Database.Statement<[string], DocumentRow>;
  readonly #underFolder: Database.Statement<[string, string], DocumentRow>;
  readonly #underRootPage: Database.Statement<[Params], DocumentRow>;
  readonly #counts: Database.Statement<[], DocumentCount>;
  readonly #count: Database.Statement<[], number>;

  constructor(db: Database.Database, now: () => Date, events: EventRepository) {
    this.#db = db;
    this.#now = now;
    this.#events = events;
    // A document seen again keeps its row and state; only Billit's descriptive fields follow along,
    // and updated_at moves only when one of them really changed.
    this.#seen = db.prepare(`
      INSERT INTO documents (source, billit_id, dossier_party_id, kind, state, title, billit_last_modified, created_at, updated_at)
      VALUES (@source, @billitId, @dossierPartyId, @kind, 'seen', @title, @billitLastModified, @at, @at)
      ON CONFLICT (source, billit_id) DO UPDATE SET
        title = coalesce(excluded.title, documents.title),
        billit_last_modified = coalesce(excluded.billit_last_modified, documents.billit_last_modified),
        updated_at = CASE
          WHEN coalesce(excluded.title, documents.title) IS documents.title
           AND coalesce(excluded.billit_last_modified, documents.billit_last_modified) IS documents.billit_last_modified
          THEN documents.updated_at ELSE excluded.updated_at END
      RETURNING ${COLUMNS}`);
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM documents WHERE id = ?`);
    this.#find = db.prepare(FIND_SQL);
    this.#byStates = db.prepare(`SELECT ${COLUMNS} FROM documents WHERE state IN (SELECT value FROM json_each(?)) ORDER BY id`);
    // Grouped in SQLite: the tray asks for these counts at every status change, and a last-month office
    // holds a month of undelivered documents (500 dossiers × 100: ~470 ms row by row, a few ms grouped).
    this.#undeliveredGroups = db.prepare(`SELECT dossier_party_id AS dossierPartyId, state, approval_status AS approvalStatus,
        attempts > 0 AS failing, deleted_in_billit_at IS NOT NULL AS deletedInBillit, document_date AS documentDate, count(*) AS count
      FROM documents WHERE state IN ('seen', 'fetched', 'placed')
      GROUP BY dossier_party_id, state, approval_status, attempts > 0, deleted_in_billit_at IS NOT NULL, document_date`);
    this.#byStatesInDossier = db.prepare(`SELECT ${COLUMNS} FROM documents
      WHERE dossier_party_id = ? AND state IN (SELECT value FROM json_each(?)) ORDER BY id`);
    // Paths are not unique by schema (a reopened document may be placed at its old path again);
    // the newest row is the one that owns the file now.
    this.#byFinalPath = db.prepare(`SELECT ${COLUMNS} FROM documents WHERE final_path = ? ORDER BY id DESC LIMIT 1`);
    // A range on the final_path index: every path that starts with `<folder><sep>` sorts between
    // that prefix and the prefix with the separator's next code point (SQLite compares TEXT bytewise).
    this.#underFolder = db.prepare(`SELECT ${COLUMNS} FROM documents
      WHERE final_path >= ? AND final_path < ? AND state IN ('placed', 'acknowledged') ORDER BY id`);
    this.#underRootPage = db.prepare(`SELECT ${COLUMNS} FROM documents
      WHERE final_path >= @low AND final_path < @high AND (final_path, id) > (@afterPath, @afterId)
        AND state IN ('placed', 'acknowledged')
      ORDER BY final_path, id LIMIT @limit`);
    this.#counts = db.prepare(`SELECT dossier_party_id AS dossierPartyId, state, kind, count(*) AS count
      FROM documents GROUP BY dossier_party_id, state, kind ORDER BY dossier_party_id, state, kind`);
    this.#count = db.prepare<[], number>('SELECT count(*) FROM documents').pluck();
  }

  /** Records a document Billit listed, or returns the row it already has (same id, same state). */
  ensureSeen(input: SeenInput): DocumentRow {
    const row = this.#seen.get({
      source: input.source,
      billitId: input.billitId,
      dossierPartyId: input.dossierPartyId,
      kind: input.kind,
      title: input.title ?? null,
      billitLastModified: input.billitLastModified ?? null,
      at: this.#stamp(),
    });
    if (row === undefined) throw new Error(`Recording ${input.source} document ${input.billitId} returned no row.`);
    return row;
  }

  get(id: number): DocumentRow | null {
    return this.#get.get(id) ?? null;
  }

  find(source: DocumentSource, billitId: string): DocumentRow | null {
    return this.#find.get(source, billitId) ?? null;
  }

  /** The bytes are downloaded, checked and staged in the data dir; `targetPath` is where they will go. */
  markFetched(id: number, fetched: { stagedPath: string; sha256: string; originalSha256: string; targetPath: string }): DocumentRow {
    return this.#transition(id, 'fetched', () => this.#run(`state = 'fetched', staged_path = @stagedPath, sha256 = @sha256,
      original_sha256 = @originalSha256, target_path = @targetPath, attempts = 0, last_error = NULL`, {
      id, stagedPath: fetched.stagedPath, sha256: fetched.sha256, originalSha256: fetched.originalSha256, targetPath: fetched.targetPath,
    }));
  }

  /**
   * The file is whole at `finalPath` (renamed and fsynced). Repeating it with the same path and hash
   * is a no-op; a different path or hash for a placed document is a caller bug and throws.
   */
  markPlaced(id: number, placed: { finalPath: string; sha256: string }): DocumentRow {
    return this.#transition(id, 'placed', (row) => {
      if (row.state === 'placed') {
        if (row.finalPath === placed.finalPath && row.sha256 === placed.sha256) return;
        throw new IllegalTransitionError(id, row.state, 'placed',
          `it is already placed at "${row.finalPath ?? ''}" with sha256 ${row.sha256 ?? 'none'}`);
      }
      this.#run(`state = 'placed', final_path = @finalPath, sha256 = @sha256, placed_at = @at, attempts = 0,
        last_error = NULL`, { id, finalPath: placed.finalPath, sha256: placed.sha256 });
    });
  }

  /** Billit was told (order marked exported / feed item confirmed). Repeating keeps the first time. */
  markAcknowledged(id: number): DocumentRow {
    return this.#transition(id, 'acknowledged', (row) => {
      if (row.state !== 'acknowledged') {
        this.#run("state = 'acknowledged', acknowledged_at = @at, attempts = 0, last_error = NULL", { id });
      }
    });
  }

  /** The document failed its checks and was kept in the data dir's quarantine; `reason` is shown to the user. */
  markQuarantined(id: number, reason: string): DocumentRow {
    return this.#transition(id, 'quarantined', () =>
      this.#run("state = 'quarantined', last_error = @reason", { id, reason: truncateError(reason) }));
  }

  /** Venice took the file out of the folder. */
  markPickedUp(id: number): DocumentRow {
    return this.#transition(id, 'picked_up', (row) => {
      if (row.state !== 'picked_up') this.#run("state = 'picked_up', last_error = NULL", { id });
    });
  }

  /** A step failed and will be retried; the state does not change. */
  recordFailure(id: number, error: unknown): DocumentRow {
    return this.#db.transaction(() => {
      this.#require(id);
      this.#run('attempts = attempts + 1, last_error = @error', { id, error: truncateError(describeError(error)) });
      return this.#require(id);
    })();
  }

  /**
   * Sends the document through the life cycle again (manual export with "include already exported").
   * The row forgets where the previous copy went; a 'document.reopened' event keeps that history,
   * because the file Venice already has is still on disk and someone may ask about it.
   */
  reopen(id: number, reason?: string): DocumentRow {
    return this.#db.transaction(() => {
      const row = this.#require(id);
      if (row.state === 'seen') return row;
      this.#run(`state = 'seen', sha256 = NULL, original_sha256 = NULL, staged_path = NULL, target_path = NULL,
        final_path = NULL, placed_at = NULL, acknowledged_at = NULL, attempts = 0, last_error = NULL`, { id });
      this.#events.append({
        type: 'document.reopened',
        message: `Document ${id} (${row.source} ${row.billitId}) was reopened from '${row.state}'`
          + `${row.finalPath === null ? '' : `; its previous copy is at ${row.finalPath}`}${reason === undefined ? '' : ` (${reason})`}.`,
        dossierPartyId: row.dossierPartyId,
        documentId: id,
        data: {
          from: row.state, reason: reason ?? null, finalPath: row.finalPath, targetPath: row.targetPath, stagedPath: row.stagedPath,
          sha256: row.sha256, originalSha256: row.originalSha256, placedAt: row.placedAt, acknowledgedAt: row.acknowledgedAt,
        },
      });
      return this.#require(id);
    })();
  }

  /**
   * Records the ApprovalStatus Billit shows now and returns the one recorded before (undefined for a
   * row whose status was never recorded), so the caller can tell "just approved" from "approved before".
   */
  recordApprovalStatus(id: number, status: string | null): string | null {
    const row = this.#require(id);
    if (row.approvalStatus !== status) this.#run('approval_status = @status', { id, status });
    return row.approvalStatus;
  }

  /** Remembers that Billit deleted the order; the exported file is left alone. Idempotent. */
  markDeletedInBillit(id: number): DocumentRow {
    const row = this.#require(id);
    if (row.deletedInBillitAt === null) this.#run('deleted_in_billit_at = @when', { id, when: this.#stamp() });
    return this.#require(id);
  }

  /** Orders waiting for the entrepreneur's approval (not yet exported), per dossier. */
  awaitingApproval(statuses: readonly string[]): Array<{ dossierPartyId: number; count: number }> {
    return this.#db.prepare<[string], { dossierPartyId: number; count: number }>(`SELECT dossier_party_id AS dossierPartyId, count(*) AS count
      FROM documents WHERE state = 'seen' AND deleted_in_billit_at IS NULL AND approval_status IN (SELECT value FROM json_each(?))
      GROUP BY dossier_party_id ORDER BY dossier_party_id`).all(JSON.stringify(statuses));
  }

  /** Documents in any of `states`, oldest first, optionally of one dossier. */
  listByState(states: DocumentState[], dossierPartyId?: number): DocumentRow[] {
    if (states.length === 0) return [];
    const json = JSON.stringify(states);
    return dossierPartyId === undefined ? this.#byStates.all(json) : this.#byStatesInDossier.all(dossierPartyId, json);
  }

  /** Documents not delivered yet, counted by what the status views tell apart (dossier, state, approval, failing, deleted, date). */
  undeliveredGroups(): UndeliveredGroup[] {
    return this.#undeliveredGroups.all().map((group) => ({ ...group, failing: group.failing === 1, deletedInBillit: group.deletedInBillit === 1 }));
  }

  /** The document whose file is at `path`, for the folder watcher. */
  byFinalPath(path: string): DocumentRow | null {
    return this.#byFinalPath.get(path) ?? null;
  }

  /**
   * Placed or acknowledged documents whose file is directly in `folder` (not deeper), for a folder
   * watch that names no file. Uses the final_path index, so a polled share with a large ledger costs
   * a range read per changed folder, not a scan of every document.
   */
  placedInFolder(folder: string, separator: string): DocumentRow[] {
    const low = `${folder}${separator}`;
    const high = `${folder}${String.fromCharCode(separator.charCodeAt(0) + 1)}`;
    return this.#underFolder.all(low, high)
      .filter((row) => row.finalPath !== null && !row.finalPath.slice(low.length).includes(separator));
  }

  /**
   * One page of the placed or acknowledged documents whose file lies anywhere under `root`, in path
   * order (so a folder's files come together), after the row `after` of the previous page. For the
   * pick-up check at start, which must not hold a whole office's ledger in memory at once.
   */
  placedUnderPage(root: string, separator: string, after: { finalPath: string; id: number } | null, limit: number): DocumentRow[] {
    return this.#underRootPage.all({
      low: `${root}${separator}`, high: `${root}${String.fromCharCode(separator.charCodeAt(0) + 1)}`,
      afterPath: after?.finalPath ?? '', afterId: after?.id ?? 0, limit,
    });
  }

  countsByDossier(): DocumentCount[] {
    return this.#counts.all();
  }

  count(): number {
    return this.#count.get() ?? 0;
  }

  /**
   * SQLite's query plan for find(). find() runs for every document of every run; if a schema change
   * ever lost the index, runs would silently turn into table scans. Tests (and a future doctor
   * command) assert on this instead of on timings.
   */
  explainFind(): string[] {
    return this.#db.prepare<[string, string], { detail: string }>(`EXPLAIN QUERY PLAN ${FIND_SQL}`)
      .all('orders', '0').map((step) => step.detail);
  }

  #transition(id: number, to: keyof typeof ALLOWED_FROM, apply: (row: DocumentRow) => void): DocumentRow {
    return this.#db.transaction(() => {
      const row = this.#require(id);
      const allowed: readonly DocumentState[] = ALLOWED_FROM[to];
      if (!allowed.includes(row.state)) {
        throw new IllegalTransitionError(id, row.state, to, `'${to}' is only reachable from ${allowed.map((s) => `'${s}'`).join(', ')}`);
      }
      apply(row);
      return this.#require(id);
    })();
  }

  /** Runs `UPDATE documents SET <assignments>, updated_at = @at WHERE id = @id`, preparing each shape once. */
  #run(assignments: string, params: Params): void {
    let statement = this.#update.get(assignments);
    if (statement === undefined) {
      statement = this.#db.prepare<[Params]>(`UPDATE documents SET ${assignments}, updated_at = @at WHERE id = @id`);
      this.#update.set(assignments, statement);
    }
    statement.run({ ...params, at: this.#stamp() });
  }

  #require(id: number): DocumentRow {
    const row = this.#get.get(id);
    if (row === undefined) throw new LedgerRecordNotFoundError('documents', id);
    return row;
  }

  #stamp(): string {
    return this.#now().toISOString();
  }
}
