import type Database from 'better-sqlite3';
import type { DocumentKind, DocumentSource, DocumentState } from '../core/document-kind.js';
import { parseCents } from '../core/money.js';

/**
 * What the sources know about a document when Billit lists it, for the ledger search. Every field is
 * optional: a missing (or empty) one leaves what the ledger already has.
 */
export interface SearchMetadata {
  /** Invoice or credit note number, document name, account number of a CODA statement. */
  reference?: string | null;
  counterpartyName?: string | null;
  /** Any spelling ("BE 0123.456.749"); stored compacted. */
  counterpartyVat?: string | null;
  /**
   * The total including VAT as Billit sent it: a JSON number (whose shortest decimal form is the text
   * Billit wrote, so no arithmetic happens on a float) or a decimal string. Stored as integer cents.
   */
  amount?: number | string | null;
  /** YYYY-MM-DD (Brussels). */
  documentDate?: string | null;
}

/** What the search looks for; the alternatives are OR-ed, the words of `words` AND-ed. */
export interface SearchQuery {
  /**
   * Each word must appear, ignoring case and accents, in the reference, the counterparty's name or VAT
   * number, the title or the file's path (the last two also find documents recorded before 004-search).
   */
  words: readonly string[];
  /** 10 digits of a Belgian enterprise number: the counterparty's VAT number ends with them. */
  enterpriseDigits: string | null;
  /** Exact totals in cents (a typed amount may be read in more than one way). */
  amountsCents: readonly bigint[];
  /** A document date, YYYY-MM-DD; documents without a recorded date match on the date in their file name. */
  date: string | null;
  /** At most this many hits, newest first. @default 100 */
  limit?: number;
}

export interface SearchHit {
  id: number;
  source: DocumentSource;
  billitId: string;
  dossierPartyId: number;
  /** Null when the dossier row is gone (it never is; the join is LEFT to be safe). */
  dossierName: string | null;
  kind: DocumentKind;
  state: DocumentState;
  title: string | null;
  reference: string | null;
  counterpartyName: string | null;
  counterpartyVat: string | null;
  amountCents: bigint | null;
  documentDate: string | null;
  finalPath: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The search columns of one document, as recorded. */
export interface RecordedMetadata {
  reference: string | null;
  counterpartyName: string | null;
  counterpartyVat: string | null;
  amountCents: bigint | null;
  documentDate: string | null;
}

const MAX_TEXT = 300;
const MAX_WORDS = 8;

type Row = Omit<SearchHit, 'amountCents'> & { amountCents: number | bigint | null };

/**
 * The search columns of `documents` (migration 004-search): written by the sources beside ensureSeen,
 * read by the status page's ledger search and quarantine page. Never changes a document's state or
 * updated_at: the search columns describe the document, they are not part of its life cycle.
 */
export class SearchRepository {
  readonly #db: Database.Database;
  readonly #record: Database.Statement<[Record<string, string | bigint | number | null>]>;
  readonly #metadata: Database.Statement<[number], Omit<RecordedMetadata, 'amountCents'> & { amountCents: number | bigint | null }>;

  constructor(db: Database.Database) {
    this.#db = db;
    // Case- and accent-insensitive matching ("cafe" finds "Café"), which SQLite's LIKE only does for ASCII.
    db.function('billsync_fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? fold(value) : null));
    this.#record = db.prepare(`UPDATE documents SET
        reference = coalesce(@reference, reference),
        counterparty_name = coalesce(@counterpartyName, counterparty_name),
        counterparty_vat = coalesce(@counterpartyVat, counterparty_vat),
        amount_cents = coalesce(@amountCents, amount_cents),
        document_date = coalesce(@documentDate, document_date)
      WHERE id = @id`);
    this.#metadata = db.prepare(`SELECT reference, counterparty_name AS counterpartyName, counterparty_vat AS counterpartyVat,
      amount_cents AS amountCents, document_date AS documentDate FROM documents WHERE id = ?`);
  }

  /** Records what a source knows about document `id`; unknown (null, empty, unreadable) fields keep their value. */
  record(id: number, metadata: SearchMetadata): void {
    this.#record.run({
      id,
      reference: cleanText(metadata.reference),
      counterpartyName: cleanText(metadata.counterpartyName),
      counterpartyVat: compactVat(metadata.counterpartyVat),
      amountCents: amountToCents(metadata.amount),
      documentDate: metadata.documentDate && /^\d{4}-\d{2}-\d{2}$/.test(metadata.documentDate) ? metadata.documentDate : null,
    });
  }

  /** The search columns of one document, or null when there is no such document. */
  metadata(id: number): RecordedMetadata | null {
    const row = this.#metadata.get(id);
    if (row === undefined) return null;
    return { ...row, amountCents: row.amountCents === null ? null : BigInt(row.amountCents) };
  }

  /** Documents matching any of the query's alternatives, newest document date first. Empty query: no hits. */
  search(query: SearchQuery): SearchHit[] {
    const params: Record<string, string | bigint | number> = {};
    const alternatives: string[] = [];
    const words = query.words.map((w) => w.trim()).filter((w) => w !== '').slice(0, MAX_WORDS);
    if (words.length > 0) {
      alternatives.push(words.map((word, i) => {
        params[`w${i}`] = `%${escapeLike(fold(word))}%`;
        params[`c${i}`] = `%${escapeLike(compactVat(word) ?? word)}%`;
        params[`r${i}`] = word;
        return `(billsync_fold(d.reference) LIKE @w${i} ESCAPE '\\' OR billsync_fold(d.counterparty_name) LIKE @w${i} ESCAPE '\\'
          OR billsync_fold(d.title) LIKE @w${i} ESCAPE '\\' OR billsync_fold(d.final_path) LIKE @w${i} ESCAPE '\\'
          OR d.counterparty_vat LIKE @c${i} ESCAPE '\\' OR d.billit_id = @r${i})`;
      }).join(' AND '));
    }
    if (query.enterpriseDigits !== null && /^\d{10}$/.test(query.enterpriseDigits)) {
      params.enterprise = `%${query.enterpriseDigits}`;
      alternatives.push('d.counterparty_vat LIKE @enterprise');
    }
    query.amountsCents.forEach((cents, i) => {
      params[`a${i}`] = cents;
      alternatives.push(`d.amount_cents = @a${i}`);
    });
    if (query.date !== null && /^\d{4}-\d{2}-\d{2}$/.test(query.date)) {
      params.date = query.date;
      // Exported before 004-search: UBL file names start with the issue date, CODA names carry it too.
      params.dateLike = `%${query.date}%`;
      alternatives.push('(d.document_date = @date OR (d.document_date IS NULL AND d.final_path LIKE @dateLike))');
    }
    if (alternatives.length === 0) return [];
    params.limit = Math.max(1, Math.min(query.limit ?? 100, 1000));
    const rows = this.#db.prepare<[typeof params], Row>(`${SELECT_HITS}
      WHERE ${alternatives.map((a) => `(${a})`).join(' OR ')}
      ORDER BY coalesce(d.document_date, substr(d.created_at, 1, 10)) DESC, d.id DESC
      LIMIT @limit`).all(params);
    return rows.map(toHit);
  }

  /**
   * Every document (or one dossier's) with its search columns, by dossier and then in the order billsync
   * first saw them; read row by row, since a ledger may hold a million (`billsync ledger export`).
   */
  *all(dossierPartyId?: number): IterableIterator<SearchHit> {
    const rows = dossierPartyId === undefined
      ? this.#db.prepare<[], Row>(`${SELECT_HITS} ORDER BY d.dossier_party_id, d.id`).iterate()
      : this.#db.prepare<[number], Row>(`${SELECT_HITS} WHERE d.dossier_party_id = ? ORDER BY d.id`).iterate(dossierPartyId);
    for (const row of rows) yield toHit(row);
  }
}

const SELECT_HITS = `SELECT d.id, d.source, d.billit_id AS billitId, d.dossier_party_id AS dossierPartyId,
        s.name AS dossierName, d.kind, d.state, d.title, d.reference, d.counterparty_name AS counterpartyName,
        d.counterparty_vat AS counterpartyVat, d.amount_cents AS amountCents, d.document_date AS documentDate,
        d.final_path AS finalPath, d.last_error AS lastError, d.created_at AS createdAt, d.updated_at AS updatedAt
      FROM documents d LEFT JOIN dossiers s ON s.party_id = d.dossier_party_id`;

// SQLite hands integers back as numbers; amounts are kept exact as bigint cents.
const toHit = (row: Row): SearchHit => ({ ...row, amountCents: row.amountCents === null ? null : BigInt(row.amountCents) });

/** Lower case without accents: "Café Ébène" → "cafe ebene". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function cleanText(value: string | null | undefined): string | null {
  const text = (value ?? '').trim();
  return text === '' ? null : text.slice(0, MAX_TEXT);
}

/** "be 0123.456.749" → "BE0123456749"; null when nothing is left. */
export function compactVat(value: string | null | undefined): string | null {
  const text = (value ?? '').toUpperCase().replace(/[\s.\-/\u00a0\u202f]/g, '');
  return text === '' ? null : text.slice(0, 40);
}

/**
 * Billit's amount as integer cents, or null when there is none or it is unreadable. A JSON number is
 * turned into its shortest decimal text first ("1234.56"), which is exactly what Billit wrote for any
 * amount with at most 15 significant digits; parseCents then works on the text, never on the float.
 */
export function amountToCents(value: number | string | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  try {
    return parseCents(text);
  } catch {
    return null; // "1e+21", "", "12,50": not a plain decimal; the search simply has no amount for it
  }
}
