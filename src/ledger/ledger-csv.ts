import { brusselsTime } from '../core/brussels-time.js';
import { formatCents } from '../core/money.js';
import type { SearchHit } from './search-repository.js';

/**
 * The ledger as a CSV file for Excel as Belgian offices have it: semicolons between fields, a decimal
 * comma, UTF-8 with a byte-order mark (without it Excel reads accents as Windows-1252) and CRLF lines.
 */
export const CSV_COLUMNS = [
  'dossier_party_id', 'dossier', 'kind', 'state', 'reference', 'counterparty', 'counterparty_vat', 'amount',
  'document_date', 'file', 'last_error', 'billit_source', 'billit_id', 'first_seen', 'last_change',
] as const;

export const CSV_BOM = '\ufeff';
const EOL = '\r\n';

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(';')}${EOL}`;
}

export function csvRow(hit: SearchHit): string {
  const amount = hit.amountCents === null ? '' : formatCents(hit.amountCents).replace('.', ',');
  const cells = [
    String(hit.dossierPartyId), text(hit.dossierName), hit.kind, hit.state, text(hit.reference), text(hit.counterpartyName),
    text(hit.counterpartyVat), amount, hit.documentDate ?? '', text(hit.finalPath), text(hit.lastError), hit.source, text(hit.billitId),
    brusselsTime(hit.createdAt), brusselsTime(hit.updatedAt),
  ];
  return `${cells.map(quote).join(';')}${EOL}`;
}

/**
 * Text that came from Billit or a file name. A cell starting with = + - @ or a tab is a formula to
 * Excel: a counterparty named "=HYPERLINK(…)" would run when the accountant opens the file, so such
 * cells get a leading apostrophe (shown as text, as OWASP advises for CSV injection).
 */
function text(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quote(cell: string): string {
  return /[";\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
