-- 003-outbox: the Outbox of product.md §8 (files the accountant drops into a dossier's Outbox/ go to
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
