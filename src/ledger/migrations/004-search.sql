-- 004-search: what the status page's ledger search ("where is invoice X?") looks in. Additive only.
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
