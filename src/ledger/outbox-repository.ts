import type Database from 'better-sqlite3';
import { truncateError } from './document-life-cycle.js';

/** uploading: the call may be under way, or was cut off by a crash; sent; failed (may be retried). */
export type OutboxState = 'uploading' | 'sent' | 'failed';

/** One row of `outbox_uploads`: one file content dropped into one dossier's Outbox/. */
export interface OutboxUploadRow {
  id: number;
  dossierPartyId: number;
  /** The name the file had in Outbox/ when it was last handled. */
  fileName: string;
  sha256: string;
  size: number;
  /** Generated before the first upload and reused by every retry of the same content. */
  idempotencyKey: string;
  state: OutboxState;
  /** Billit's upload id; null when Billit only said the key had been used (an earlier attempt went through). */
  uploadId: number | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OutboxStartInput {
  dossierPartyId: number;
  fileName: string;
  sha256: string;
  size: number;
  /** Used only when the content is new; a known content keeps the key it was given the first time. */
  newIdempotencyKey: string;
}

const COLUMNS = `id, dossier_party_id AS dossierPartyId, file_name AS fileName, sha256, size,
  idempotency_key AS idempotencyKey, state, upload_id AS uploadId, error, created_at AS createdAt, updated_at AS updatedAt`;

/**
 * The `outbox_uploads` table: what the Outbox watcher uploaded to Billit's fast input, keyed by
 * dossier and content. Called only from the Outbox watcher's serial queue, one file at a time.
 */
export class OutboxRepository {
  readonly #now: () => Date;
  readonly #find: Database.Statement<[number, string], OutboxUploadRow>;
  readonly #get: Database.Statement<[number], OutboxUploadRow>;
  readonly #start: Database.Statement<[Record<string, string | number>], OutboxUploadRow>;
  readonly #sent: Database.Statement<[Record<string, string | number | null>]>;
  readonly #failed: Database.Statement<[Record<string, string | number | null>]>;
  readonly #list: Database.Statement<[], OutboxUploadRow>;
  readonly #listInDossier: Database.Statement<[number], OutboxUploadRow>;

  constructor(db: Database.Database, now: () => Date) {
    this.#now = now;
    this.#find = db.prepare(`SELECT ${COLUMNS} FROM outbox_uploads WHERE dossier_party_id = ? AND sha256 = ?`);
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM outbox_uploads WHERE id = ?`);
    // A content seen before keeps its row and, above all, its idempotency key. A sent row is never
    // put back to 'uploading' (the WHERE makes the upsert a no-op and RETURNING gives nothing).
    this.#start = db.prepare(`
      INSERT INTO outbox_uploads (dossier_party_id, file_name, sha256, size, idempotency_key, state, created_at, updated_at)
      VALUES (@dossierPartyId, @fileName, @sha256, @size, @key, 'uploading', @at, @at)
      ON CONFLICT (dossier_party_id, sha256) DO UPDATE SET
        state = 'uploading', file_name = excluded.file_name, size = excluded.size, error = NULL, updated_at = excluded.updated_at
      WHERE outbox_uploads.state <> 'sent'
      RETURNING ${COLUMNS}`);
    this.#sent = db.prepare(`UPDATE outbox_uploads SET state = 'sent', upload_id = @uploadId, error = NULL, updated_at = @at WHERE id = @id`);
    this.#failed = db.prepare(`UPDATE outbox_uploads SET state = 'failed', error = @error, updated_at = @at WHERE id = @id AND state <> 'sent'`);
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM outbox_uploads ORDER BY id`);
    this.#listInDossier = db.prepare(`SELECT ${COLUMNS} FROM outbox_uploads WHERE dossier_party_id = ? ORDER BY id`);
  }

  /** The row for this content in this dossier, if it was ever dropped there. */
  find(dossierPartyId: number, sha256: string): OutboxUploadRow | null {
    return this.#find.get(dossierPartyId, sha256) ?? null;
  }

  get(id: number): OutboxUploadRow | null {
    return this.#get.get(id) ?? null;
  }

  /**
   * Records that an upload of this content is about to start, BEFORE the call, and returns the row
   * with the key to send. A content already sent is returned unchanged (state 'sent'): the caller
   * must not upload it.
   */
  start(input: OutboxStartInput): OutboxUploadRow {
    const row = this.#start.get({
      dossierPartyId: input.dossierPartyId, fileName: input.fileName, sha256: input.sha256, size: input.size,
      key: input.newIdempotencyKey, at: this.#stamp(),
    });
    if (row !== undefined) return row;
    const existing = this.find(input.dossierPartyId, input.sha256);
    if (existing === null) throw new Error(`Recording the Outbox upload of ${input.fileName} (dossier ${input.dossierPartyId}) returned no row.`);
    return existing;
  }

  /** Billit accepted the upload (or recognised its key from an earlier attempt that went through). */
  markSent(id: number, uploadId: number | null): OutboxUploadRow {
    this.#sent.run({ id, uploadId, at: this.#stamp() });
    return this.#require(id);
  }

  /** The upload failed or the file was refused before any call; a sent row stays sent. */
  markFailed(id: number, error: string): OutboxUploadRow {
    this.#failed.run({ id, error: truncateError(error), at: this.#stamp() });
    return this.#require(id);
  }

  /** All rows, oldest first, optionally of one dossier. */
  list(dossierPartyId?: number): OutboxUploadRow[] {
    return dossierPartyId === undefined ? this.#list.all() : this.#listInDossier.all(dossierPartyId);
  }

  #require(id: number): OutboxUploadRow {
    const row = this.#get.get(id);
    if (row === undefined) throw new Error(`The ledger has no Outbox upload with id ${id}.`);
    return row;
  }

  #stamp(): string {
    return this.#now().toISOString();
  }
}
