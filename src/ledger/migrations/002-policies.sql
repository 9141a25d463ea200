-- 002-policies: what the export policies need (issue 4). Additive only.
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
