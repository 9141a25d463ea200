/**
 * Field access for 128-character CODA records, with the 1-based inclusive positions printed in
 * Annexe I of the Febelfin CODA 2.6 standard, so that every call can be checked against the spec.
 * Amounts stay BigInt thousandths (12 integer digits + 3 decimals); never JS floats.
 */

/** Field at 1-based inclusive positions, as the spec prints them ("pos 44-58"). */
export const at = (text: string, from: number, to = from): string => text.slice(from - 1, to);

/** Digits only, without a regex per call: validators run this on every numeric field of every record. */
export function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Printable form of a field value for messages: quotes make blanks visible. */
export const shown = (text: string): string => JSON.stringify(text);

/**
 * DDMMYY → YYYY-MM-DD, or null when it is no calendar date. Years are 20YY: CODA 2 dates from 2000
 * onwards, and a fixed century keeps the result independent of today's date.
 */
export function isoDate(ddmmyy: string): string | null {
  if (ddmmyy.length !== 6 || !isDigits(ddmmyy)) return null;
  const day = Number(ddmmyy.slice(0, 2));
  const month = Number(ddmmyy.slice(2, 4));
  const year = 2000 + Number(ddmmyy.slice(4, 6));
  if (month < 1 || month > 12 || day < 1) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day > days) return null;
  return `${year}-${ddmmyy.slice(2, 4)}-${ddmmyy.slice(0, 2)}`;
}

/** Sign digit (0 credit, 1 debit) and 15 digits of thousandths → signed thousandths, or null if unreadable. */
export function signedThousandths(sign: string, amount: string): bigint | null {
  if ((sign !== '0' && sign !== '1') || amount.length !== 15 || !isDigits(amount)) return null;
  const value = BigInt(amount);
  return sign === '1' ? -value : value;
}

/** Where the account and currency sit inside the 37-character account field (spec §7.5, p. 11). */
export interface AccountLayout {
  structure: '0' | '1' | '2' | '3';
  /** 0-based offsets inside the 37-character field. */
  account: [number, number];
  currency: [number, number];
}

const LAYOUTS: Record<AccountLayout['structure'], AccountLayout> = {
  // 12 N Belgian BBAN, blank, 3 currency, qualification code, 2 country, 3 blanks, 15 extension zone.
  '0': { structure: '0', account: [0, 12], currency: [13, 16] },
  // 34 foreign account number, 3 currency.
  '1': { structure: '1', account: [0, 34], currency: [34, 37] },
  // 31 IBAN (16 used for BE), 3 extension zone, 3 currency.
  '2': { structure: '2', account: [0, 31], currency: [34, 37] },
  // 34 IBAN of a foreign account, 3 currency.
  '3': { structure: '3', account: [0, 34], currency: [34, 37] },
};

export const layoutOf = (structure: AccountLayout['structure']): AccountLayout => LAYOUTS[structure];

/**
 * Guess for a blank account structure (bpost bank leaves pos 2 blank, php-coda-parser #14): an IBAN
 * starts with two letters; 12 digits followed by a blank are the old Belgian BBAN layout.
 */
export function guessStructure(field37: string): AccountLayout['structure'] {
  const first = field37.slice(0, 2);
  if (/^[A-Z]{2}$/.test(first)) return first === 'BE' ? '2' : '3';
  if (isDigits(field37.slice(0, 12)) && field37[12] === ' ') return '0';
  return '1';
}

/** Account (blanks trimmed: they are padding) and currency read from a 37-character account field. */
export function readAccount(field37: string, layout: AccountLayout): { account: string; currency: string } {
  return {
    account: field37.slice(layout.account[0], layout.account[1]).trim(),
    currency: field37.slice(layout.currency[0], layout.currency[1]),
  };
}

/** Belgian BBAN: 10 digits + 2 check digits = first 10 mod 97, where a remainder of 0 becomes 97. */
export function isValidBban(bban: string): boolean {
  if (bban.length !== 12 || !isDigits(bban)) return false;
  const rest = Number(BigInt(bban.slice(0, 10)) % 97n);
  return (rest === 0 ? 97 : rest) === Number(bban.slice(10));
}
