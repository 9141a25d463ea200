-- 001-initial: the first ledger schema (product.md §6).
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
