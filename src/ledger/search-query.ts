import { isValidEnterpriseNumber } from '../core/belgian-ids.js';
import { parseCents } from '../core/money.js';
import type { SearchQuery } from './search-repository.js';

/**
 * What a user typed into the ledger search, read every way it can mean something: an invoice number
 * or name (words), an enterprise or VAT number, an amount, a date. The ledger returns documents that
 * match any of these readings, so "2026/0042", "1.234,56", "€ 99", "0123.456.749" and "15/10/2026"
 * all find what the user means without a field to choose.
 */
export interface ReadQuery {
  query: SearchQuery;
  /** The readings, to show the user what was searched for. */
  words: string[];
  amountsCents: bigint[];
  date: string | null;
  enterpriseDigits: string | null;
}

const CURRENCY = /^(?:€|eur(?:o|os)?)\s*|\s*(?:€|eur(?:o|os)?)$/gi;

export function readSearchQuery(text: string, limit = 100): ReadQuery {
  const trimmed = text.trim().slice(0, 200);
  const date = parseDateQuery(trimmed);
  const amount = date === null ? parseAmountQuery(trimmed) : { cents: [], explicit: false };
  const enterpriseDigits = date === null && !amount.explicit ? parseEnterpriseQuery(trimmed) : null;
  // A date or an amount with its currency is unambiguous; anything else is also looked for as text.
  const words = date !== null || amount.explicit ? [] : trimmed.split(/\s+/).filter((w) => w !== '').slice(0, 8);
  return {
    query: { words, enterpriseDigits, amountsCents: amount.cents, date, limit },
    words, amountsCents: amount.cents, date, enterpriseDigits,
  };
}

/**
 * "1.234,56", "1234,56", "1234.56", "1,234.56", "1 234,56", "1234,56 EUR", "€ 99", "99,-" → cents.
 * `explicit` when a currency was written: then it is only an amount.
 */
export function parseAmountQuery(text: string): { cents: bigint[]; explicit: boolean } {
  const explicit = /€|\beur(?:o|os)?\b/i.test(text);
  let rest = text.replace(CURRENCY, '').trim();
  const negative = rest.startsWith('-');
  if (negative) rest = rest.slice(1).trim();
  // Thousands written with spaces (also the no-break spaces a copied amount carries).
  rest = rest.replace(/[\s\u00a0\u202f]/g, '');
  let decimal: string | null = null;
  if (/^\d{1,9}$/.test(rest)) decimal = rest;
  else if (/^\d{1,9},[-–]$/.test(rest)) decimal = rest.slice(0, -2);
  else if (/^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$/.test(rest)) decimal = rest.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$/.test(rest)) decimal = rest.replace(/,/g, '');
  else if (/^\d{1,12},\d{1,2}$/.test(rest)) decimal = rest.replace(',', '.');
  else if (/^\d{1,12}\.\d{1,2}$/.test(rest)) decimal = rest;
  if (decimal === null) return { cents: [], explicit: false };
  const cents = parseCents(decimal);
  return { cents: [negative ? -cents : cents], explicit };
}

/** "2026-10-15", "15/10/2026", "15-10-2026", "15.10.2026", "5/3/2026" → "YYYY-MM-DD"; null otherwise. */
export function parseDateQuery(text: string): string | null {
  let parts: [number, number, number] | null = null;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) parts = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const belgian = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (belgian) parts = [Number(belgian[3]), Number(belgian[2]), Number(belgian[1])];
  if (parts === null) return null;
  const [year, month, day] = parts;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** "BE 0123.456.749", "0123456749", "123456749" → "0123456749" when the check digits agree. */
export function parseEnterpriseQuery(text: string): string | null {
  const digits = text.replace(/^BE[\s:.-]*/i, '').replace(/[\s.\-/]/g, '');
  const ten = /^\d{10}$/.test(digits) ? digits : /^\d{9}$/.test(digits) ? `0${digits}` : null;
  return ten !== null && isValidEnterpriseNumber(ten) ? ten : null;
}
