/**
 * The ledger migrations, in order, as this billsync version knows them.
 *
 * Why the SQL is inlined here as well as kept in NNN-name.sql: the build is plain `tsc`, which does not
 * copy .sql files into dist/, and a packaged agent must not depend on a copy step or on finding files
 * next to itself at run time. A string constant ships inside the compiled JavaScript, so the runner
 * works the same from src/ (tsx) and from dist/. The .sql files stay the reviewable source a reader
 * diffs; test/ledger/ledger.test.ts loads them with loadMigrationFiles() and fails if either copy
 * differs by one byte, so they cannot drift apart.
 *
 * To add a migration: write NNN-name.sql (next number, additive changes only), paste it here as the
 * next entry, run the tests. Never edit an entry that has been released: the runner refuses to open a
 * ledger whose applied checksum disagrees.
 */
export interface Migration {
  /** 1, 2, 3, … with no gaps; the NNN prefix of the file name. */
  readonly id: number;
  /** The file name after the prefix, e.g. "initial" for 001-initial.sql. */
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: Array<Migration> = [
  {
    id: 1,
    name: 'initial',
    sql: `-- 001-initial: the first ledger schema (product.md §6).
--
-- Habits for every migration after this one: additive only (new tables, new nullable columns, new
-- indexes), never edit a released file (the runner compares checksums and refuses to start), and
-- keep the copy in migrations/index.ts identical (a test compares them).
--
-- Timestamps are ISO-8601 UTC strings with milliseconds (Date#toISOString), so they sort as text.
-- STRICT tables make SQLite reject a value of the wrong type instead of silently storing it.

-- One row per Billit client company (PartyID) and the local folder it is exported to.
CREATE TABLE dossiers (
  party_id          INTEGER PRIMARY KEY,
  name              TEXT    NOT NULL,
  vat_number        TEXT,
  enterprise_number TEXT,
  -- Two dossiers writing into one folder would mix companies in Venice: the folder is unique.
  folder            TEXT    NOT NULL UNIQUE,
  created_at        TEXT    NOT NULL,
  updated_at        TEXT    NOT NULL
) STRICT;

-- Every document billsync has seen, and how far it got: the answer to "was this exported?".
CREATE TABLE documents (
  id                   INTEGER PRIMARY KEY,
  -- No CHECK on source: sources grow (the Outbox of §8) and a CHECK can only change by rebuilding
  -- the table, which the additive-only habit forbids. The TypeScript type guards the values.
  source               TEXT    NOT NULL,
  billit_id            TEXT    NOT NULL,
  dossier_party_id     INTEGER NOT NULL REFERENCES dossiers (party_id),
  kind                 TEXT    NOT NULL CHECK (kind IN ('purchase', 'sales', 'document', 'coda')),
  state                TEXT    NOT NULL DEFAULT 'seen'
                               CHECK (state IN ('seen', 'fetched', 'placed', 'acknowledged', 'quarantined', 'picked_up')),
  title                TEXT,
  billit_last_modified TEXT,
  sha256               TEXT,    -- of the bytes placed for Venice
  original_sha256      TEXT,    -- of the bytes Billit served, before the SBDH envelope was removed
  staged_path          TEXT,    -- the copy in the data dir, written before placement
  target_path          TEXT,    -- where placement intends to write it
  final_path           TEXT,    -- where it actually is (a conflict name may differ from the target)
  attempts             INTEGER NOT NULL DEFAULT 0,
  last_error           TEXT,
  created_at           TEXT    NOT NULL,
  updated_at           TEXT    NOT NULL,
  placed_at            TEXT,
  acknowledged_at      TEXT
) STRICT;

-- The UNIQUE (source, billit_id) rule, written as a named index rather than a table constraint so
-- query plans and diagnostics show a readable name instead of sqlite_autoindex_documents_1.
CREATE UNIQUE INDEX documents_by_source_billit_id ON documents (source, billit_id);
-- Per-dossier work lists and status counts.
CREATE INDEX documents_by_dossier_state ON documents (dossier_party_id, state);
-- The folder watcher knows only a path when Venice takes a file away.
CREATE INDEX documents_by_final_path ON documents (final_path);

-- How far each dossier's source has been read (e.g. the orders LastModified), so a run asks Billit
-- only for what changed.
CREATE TABLE watermarks (
  dossier_party_id INTEGER NOT NULL REFERENCES dossiers (party_id),
  source           TEXT    NOT NULL,
  value            TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL,
  PRIMARY KEY (dossier_party_id, source)
) STRICT, WITHOUT ROWID;

-- One row per sync run. A row left 'running' is a run that never finished: billsync crashed.
CREATE TABLE runs (
  id           INTEGER PRIMARY KEY,
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  status       TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'failed', 'partial')),
  "trigger"    TEXT NOT NULL,
  summary_json TEXT
) STRICT;

-- The audit trail. No foreign keys on purpose: the trail must never refuse a record, e.g. about a
-- party Billit listed that has no dossier row yet.
CREATE TABLE events (
  id               INTEGER PRIMARY KEY,
  at               TEXT    NOT NULL,
  run_id           INTEGER,
  dossier_party_id INTEGER,
  document_id      INTEGER,
  type             TEXT    NOT NULL,
  message          TEXT    NOT NULL,
  data_json        TEXT
) STRICT;

CREATE INDEX events_by_dossier ON events (dossier_party_id, id);
CREATE INDEX events_by_type ON events (type, id);

-- An audit trail that can be edited proves nothing: events are append-only, enforced by SQLite
-- itself so no code path (or hand-run SQL) can rewrite history.
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: UPDATE is not allowed');
END;

CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: DELETE is not allowed');
END;
`,
  },
  {
    id: 2,
    name: 'policies',
    sql: `-- 002-policies: what the export policies need (issue 4). Additive only.
--
-- approval_status: the ApprovalStatus Billit last showed for the order, so that billsync can tell
--   when the entrepreneur approves documents (one notification per dossier and run).
-- deleted_in_billit_at: when billsync learned the order was deleted in Billit. The exported file is
--   never deleted; the ledger only remembers.
-- schedule: when each scheduled job (e.g. "monthly:<PartyID>") last completed, so that a monthly run
--   missed while billsync was stopped happens once at the next start.

ALTER TABLE documents ADD COLUMN approval_status TEXT;
ALTER TABLE documents ADD COLUMN deleted_in_billit_at TEXT;

CREATE TABLE schedule (
  job         TEXT NOT NULL PRIMARY KEY,
  last_run_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
`,
  },
  {
    id: 3,
    name: 'outbox',
    sql: `-- 003-outbox: the Outbox of product.md §8 (files the accountant drops into a dossier's Outbox/ go to
-- that dossier's Billit fast input, POST /v1/toProcess). Additive only.
--
-- One row per dossier and file content: the SHA-256, not the file name, answers "was this sent?", so
-- the same file dropped again, under any name, is never uploaded twice.
-- idempotency_key is generated and stored BEFORE the upload starts. After a crash between Billit's
--   answer and the move to Outbox/sent/, the restart sends the same key, Billit answers 409
--   "Idempotent token already exists", and the file counts as sent instead of arriving twice.
-- state: uploading (the call may be under way or was interrupted), sent, failed (may be retried when
--   the accountant drops the file again; the key is reused, Billit only keeps keys of successes).
-- upload_id: the id Billit answered; NULL when Billit only said the key was used before.
-- error: why the last attempt failed, for a person to read (never a secret).

CREATE TABLE outbox_uploads (
  id               INTEGER PRIMARY KEY,
  dossier_party_id INTEGER NOT NULL REFERENCES dossiers (party_id),
  file_name        TEXT    NOT NULL,
  sha256           TEXT    NOT NULL,
  size             INTEGER NOT NULL,
  idempotency_key  TEXT    NOT NULL,
  state            TEXT    NOT NULL CHECK (state IN ('uploading', 'sent', 'failed')),
  upload_id        INTEGER,
  error            TEXT,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL
) STRICT;

-- The "never upload the same file twice" rule, as a named index (see 001 for why named).
CREATE UNIQUE INDEX outbox_uploads_by_dossier_sha256 ON outbox_uploads (dossier_party_id, sha256);
-- A key is sent to Billit as the identity of one upload: two rows must never share one.
CREATE UNIQUE INDEX outbox_uploads_by_idempotency_key ON outbox_uploads (idempotency_key);
`,
  },
  {
    id: 4,
    name: 'search',
    sql: `-- 004-search: what the status page's ledger search ("where is invoice X?") looks in. Additive only.
--
-- Filled by the sources when they see a document (SearchRepository.record); NULL for documents seen
-- before this migration, which the search still finds by title and final_path.
-- reference: the invoice or credit note number (orders, feed), the document's name (documents), the
--   account number (CODA).
-- counterparty_name, counterparty_vat: the other party of an invoice; the VAT number compacted
--   (upper case, no spaces, dots or dashes: BE0123456749) so that every way of writing it matches.
-- amount_cents: the total including VAT in cents. INTEGER, never REAL: a float cannot hold 0.10.
-- document_date: the document's own date (invoice date, document date, new-balance date of a CODA
--   statement), YYYY-MM-DD in Europe/Brussels.

ALTER TABLE documents ADD COLUMN reference TEXT;
ALTER TABLE documents ADD COLUMN counterparty_name TEXT;
ALTER TABLE documents ADD COLUMN counterparty_vat TEXT;
ALTER TABLE documents ADD COLUMN amount_cents INTEGER;
ALTER TABLE documents ADD COLUMN document_date TEXT;

-- An amount or a date is an exact lookup; names and numbers are searched with LIKE '%…%', which no
-- index helps, over a table that stays in the tens of thousands of rows.
CREATE INDEX documents_by_amount_cents ON documents (amount_cents);
CREATE INDEX documents_by_document_date ON documents (document_date);
`,
  },
];
