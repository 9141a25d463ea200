/**
 * Code lists the validator compares against. Unknown values are warnings, not errors: real bank
 * files carry out-of-spec codes (an Argenta file sends transaction code 00000000, php-coda-parser #34)
 * and rejecting them would block a statement the accountant still needs.
 */

/**
 * Annexe II of the CODA 2.6 standard: the uniform transaction numbers of each family, debit (01-49)
 * and credit (50-99) together. Numbers every family shares (40-48 and 90-98 bank-specific, 49 and 99
 * cancellation/correction) are added below rather than repeated here.
 */
const FAMILIES: Record<string, { name: string; transactions: string }> = {
  '01': { name: 'domestic or local SEPA credit transfers', transactions: '01 02 03 05 07 13 17 37 39 50 51 52 54 60 62 64 66 87' },
  '02': { name: 'instant SEPA credit transfers', transactions: '01 02 03 05 07 13 17 37 50 51 52 54 64 66 87' },
  '03': { name: 'cheques', transactions: '01 05 09 11 15 17 37 38 52 58 60 62 63 66 87' },
  '04': { name: 'cards', transactions: '01 02 03 04 05 06 07 08 09 10 37 50 51 52 53 54 55 56 68 87' },
  '05': { name: 'direct debit', transactions: '01 03 05 37 50 52 54 56 58 87' },
  '07': { name: 'domestic commercial paper', transactions: '01 05 06 07 08 09 37 39 50 52 54 56 58 87' },
  '09': { name: 'counter transactions', transactions: '01 05 07 09 13 17 19 25 37 50 52 58 60 62 68 70 87' },
  '11': { name: 'securities', transactions: '01 02 03 04 05 06 09 11 13 15 17 19 37 50 51 52 58 62 64 66 68 70 87' },
  '13': { name: 'credits', transactions: '01 02 05 07 11 13 15 19 21 37 50 54 55 56 60 62 68 70 87' },
  // 39 and 89: "not yet coded" transactions that a bank parks in family 30 (spec §3.5).
  '30': { name: 'miscellaneous transactions', transactions: '01 03 05 33 37 39 50 52 54 55 83 87 89' },
  '35': { name: 'closing', transactions: '01 37 50 87' },
  '41': { name: 'foreign/non-SEPA credit transfers', transactions: '01 03 05 07 13 17 37 38 50 64 66 87' },
  // 25 and 70 (travellers cheques) appear only in Annexe IV, the MT940 tag 61.6 conversion table.
  '43': { name: 'foreign cheques', transactions: '01 07 15 25 37 52 58 62 70 87' },
  '47': { name: 'foreign commercial paper', transactions: '01 05 06 07 11 13 14 37 50 52 54 56 58 60 62 64 87' },
  '80': {
    name: 'fees and commissions charged separately',
    transactions: '02 04 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 29 31 33 35 37 39 41 43 45 47',
  },
};

const SHARED = ['40', '41', '42', '43', '44', '45', '46', '47', '48', '49', '90', '91', '92', '93', '94', '95', '96', '97', '98', '99'];

const KNOWN = new Map<string, Set<string>>(
  Object.entries(FAMILIES).map(([family, { transactions }]) => [family, new Set([...transactions.split(' '), ...SHARED])]),
);

/** Spec §3.1: 0 simple, 1 customer total, 5 its detail, 2 bank total, 6/7 its details, 9 detail of 7, 3 with detail, 8 its detail. */
const TYPES = new Set(['0', '1', '2', '3', '5', '6', '7', '8', '9']);

/** Why an 8-digit transaction code is not in Annexe II, or null when it is (the category is not checked). */
export function unknownTransactionCode(code: string): string | null {
  const type = code[0]!;
  const family = code.slice(1, 3);
  const transaction = code.slice(3, 5);
  if (!TYPES.has(type)) return `type ${type} is not one of 0, 1, 2, 3, 5, 6, 7, 8, 9`;
  const known = KNOWN.get(family);
  if (!known) return `family ${family} is not in Annexe II`;
  if (!known.has(transaction)) return `transaction ${transaction} is not defined in family ${family} (${FAMILIES[family]!.name})`;
  return null;
}

/** Annexe III structured communication types that may appear in a movement record (2.1, pos 63-65). */
export const MOVEMENT_COMMUNICATION_TYPES = new Set([
  '100', '101', '102', '103', '105', '106', '108', '111', '113', '114', '115', '121', '122', '123', '124', '125', '126', '127',
]);

/**
 * ISO 4217 codes in current use (the list ICU ships with Node 20), written out so that the verdict does
 * not depend on the ICU build the agent happens to run on.
 */
export const ISO_CURRENCIES = new Set(`AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF
GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU
UZS VES VND VUV WST XAF XCD XCG XDR XOF XPF XSU YER ZAR ZMW ZWG ZWL`.split(/\s+/));
