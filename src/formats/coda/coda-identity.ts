/**
 * The few fields of a CODA file that name it: account, new-balance date and CODA sequence number
 * (product.md §4: `{iban}_{newBalanceDate}_{sequence}.cod`). Read as Latin-1, never UTF-8, so
 * positions count bytes. Full validation is the format gate's job.
 */
export interface CodaIdentity {
  account: string;
  currency: string;
  newBalanceDate: string;
  sequence: string;
}

function ddmmyy(text: string): string | null {
  if (!/^\d{6}$/.test(text)) return null;
  const day = Number(text.slice(0, 2));
  const month = Number(text.slice(2, 4));
  const year = 2000 + Number(text.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** Identity of the first statement in the file, or null when the records are not CODA. */
export function readCodaIdentity(bytes: Buffer): CodaIdentity | null {
  const lines = bytes.toString('latin1').split(/\r?\n/);
  const old = lines.find((line) => line.startsWith('1') && line.length === 128);
  const closing = lines.find((line) => line.startsWith('8') && line.length === 128);
  if (!old || !closing) return null;
  const structure = old[1];
  let account: string;
  let currency: string;
  if (structure === '0') {
    account = old.slice(5, 17);
    currency = old.slice(18, 21);
  } else if (structure === '2') {
    account = old.slice(5, 36).trim();
    currency = old.slice(39, 42);
  } else {
    account = old.slice(5, 39).trim();
    currency = old.slice(39, 42);
  }
  const newBalanceDate = ddmmyy(closing.slice(57, 63));
  const sequence = old.slice(125, 128);
  if (!account || !newBalanceDate || !/^\d{3}$/.test(sequence)) return null;
  return { account, currency, newBalanceDate, sequence };
}
