import { isValidIban, structuredCommunicationCheck } from '../../core/belgian-ids.js';
import { formatDecimal } from '../../core/money.js';
import type { Findings } from '../verdict.js';
import { ISO_CURRENCIES, MOVEMENT_COMMUNICATION_TYPES, unknownTransactionCode } from './coda-codes.js';
import type { StatementHeader } from './coda-field-types.js';
import { at, isDigits, isoDate, isValidBban, readAccount, shown, signedThousandths } from './coda-fields.js';
import type { CodaRecord } from './coda-records.js';

/**
 * Steps 5-7 and 9 of the CODA checks (coda.md §2) for one statement: trailer count and totals, the
 * balance equation, the identity of the account in records 1 and 8, then informational warnings
 * (check digits, transaction codes, structured communications). All amounts are BigInt thousandths.
 */

export interface CodaStatementSummary {
  account: string;
  currency: string;
  /** CODA sequence number, record 1 pos 126-128 (3 digits; restarts at 001 each year). */
  sequence: string;
  /** Decimal strings with 3 decimals ("-455.170"); '' when the field is unreadable. */
  oldBalance: string;
  newBalance: string;
  /** YYYY-MM-DD; '' when the field is unreadable. */
  oldBalanceDate: string;
  newBalanceDate: string;
  /** Movements that move the balance: records 2.1 with detail number 0000. */
  movements: number;
}

/** Records 0, 4 and 9 are not counted (spec, record 9 pos 17-22; confirmed on bank files). */
const COUNTED = new Set(['1', '21', '22', '23', '31', '32', '33', '8']);

const amount = (thousandths: bigint): string => formatDecimal(thousandths, 3);

interface Sums { debit: bigint; credit: bigint; movements: number; readable: boolean }

/** Debit and credit of the type-2 records with detail 0000: globalisation details must not count twice. */
function sumMovements(statement: readonly CodaRecord[]): Sums {
  const sums: Sums = { debit: 0n, credit: 0n, movements: 0, readable: true };
  for (const r of statement) {
    if (r.kind !== '21') continue;
    if (!r.fullLength) {
      sums.readable = false;
      continue;
    }
    if (at(r.text, 7, 10) !== '0000') continue;
    sums.movements++;
    const value = signedThousandths(at(r.text, 32), at(r.text, 33, 47));
    if (value === null) sums.readable = false;
    else if (value < 0n) sums.debit -= value;
    else sums.credit += value;
  }
  return sums;
}

function checkTrailer(statement: readonly CodaRecord[], sums: Sums, findings: Findings): void {
  const trailer = statement.find((r) => r.kind === '9');
  if (!trailer?.fullLength) return;
  const location = `record ${trailer.line}`;
  const where = `record ${trailer.line} (trailer)`;
  const count = at(trailer.text, 17, 22);
  const counted = statement.filter((r) => r.kind !== null && COUNTED.has(r.kind)).length;
  if (isDigits(count) && Number(count) !== counted) {
    findings.error('CODA-TRAILER-COUNT', `${where}, pos 17-22 (number of records): expected ${String(counted).padStart(6, '0')} (the records of types 1, 21, 22, 23, 31, 32, 33 and 8 in records ${statement[0]!.line}-${trailer.line}), found ${count}`, location);
  }
  if (!sums.readable) return;
  const totals = [['23-37', 'debit', 'CODA-TRAILER-DEBIT', sums.debit], ['38-52', 'credit', 'CODA-TRAILER-CREDIT', sums.credit]] as const;
  for (const [pos, side, code, sum] of totals) {
    const field = at(trailer.text, Number(pos.slice(0, 2)), Number(pos.slice(3)));
    if (isDigits(field) && BigInt(field) !== sum) {
      findings.error(code, `${where}, pos ${pos} (${side} total): expected ${amount(sum)} (sum of the ${side} amounts of the records 2.1 with detail number 0000), found ${amount(BigInt(field))}`, location);
    }
  }
}

function checkBalance(headerLine: number, oldBalance: CodaRecord, newBalance: CodaRecord | undefined, header: StatementHeader, sums: Sums, findings: Findings): void {
  if (header.separateApplication !== null) {
    findings.warning('CODA-SEPARATE-APPLICATION', `record ${headerLine} (header), pos 84-88 (separate application code) is ${header.separateApplication}: a separate application reports zeroed balances, so old + credits − debits = new balance is not checked`, `record ${headerLine}`);
    return;
  }
  if (!newBalance?.fullLength || !sums.readable) return;
  const old = signedThousandths(at(oldBalance.text, 43), at(oldBalance.text, 44, 58));
  const reported = signedThousandths(at(newBalance.text, 42), at(newBalance.text, 43, 57));
  if (old === null || reported === null) return;
  const computed = old + sums.credit - sums.debit;
  if (computed !== reported) {
    findings.error('CODA-BALANCE', `record ${newBalance.line} (new balance), pos 42-57: old balance ${amount(old)} (record ${oldBalance.line}) + credits ${amount(sums.credit)} − debits ${amount(sums.debit)} = ${amount(computed)} expected, found ${amount(reported)} (difference ${amount(reported - computed)})`, `record ${newBalance.line}`);
  }
}

/** Whether an account passes its own check digits; a foreign BBAN (structure 1) has none we know of. */
function passesCheckDigits(account: string, structure: string): boolean {
  if (structure === '0') return isValidBban(account);
  if (structure === '2' || structure === '3') return isValidIban(account);
  return true;
}

function checkIdentity(oldBalance: CodaRecord, newBalance: CodaRecord | undefined, header: StatementHeader, findings: Findings): void {
  const layout = header.layout;
  if (!layout) return;
  const old = readAccount(at(oldBalance.text, 6, 42), layout);
  const where = `record ${oldBalance.line} (type 1)`;
  if (newBalance?.fullLength) {
    // Record 8 is read with record 1's structure (php-coda-parser #7 was a bug here).
    const closing = readAccount(at(newBalance.text, 5, 41), layout);
    const location = `record ${newBalance.line}`;
    if (closing.currency !== old.currency) {
      findings.error('CODA-ACCOUNT', `record ${newBalance.line} (new balance): currency ${shown(closing.currency)}, but record ${oldBalance.line} (old balance) has ${shown(old.currency)}`, location);
    }
    if (closing.account !== old.account) {
      // Record 1 names the account Venice books on. When it passes its check digits, record 8 must
      // repeat it exactly. When record 1 itself fails them (anonymised test files such as pycoda's
      // globalisation samples), the account is unreliable anyway and the difference is only a warning.
      const message = `record ${newBalance.line} (new balance), pos 5-41 (account): ${shown(closing.account)}, but record ${oldBalance.line} (old balance) has ${shown(old.account)}`;
      if (passesCheckDigits(old.account, layout.structure)) findings.error('CODA-ACCOUNT', message, location);
      else findings.warning('CODA-ACCOUNT', `${message}; record ${oldBalance.line}'s account fails its own check digits, so the comparison is not conclusive`, location);
    }
  }
  const location = `record ${oldBalance.line}`;
  if (layout.structure === '0' && !isValidBban(old.account)) {
    findings.warning('CODA-BBAN', `${where}, pos 6-17 (Belgian account number): ${shown(old.account)} fails its mod-97 check digits`, location);
  } else if ((layout.structure === '2' || layout.structure === '3') && !isValidIban(old.account)) {
    findings.warning('CODA-IBAN', `${where}, pos 6-${layout.structure === '2' ? 36 : 39} (IBAN): ${shown(old.account)} fails its ISO 13616 mod-97 check digits`, location);
  }
  if (!ISO_CURRENCIES.has(old.currency)) {
    findings.warning('CODA-CURRENCY', `${where}, currency ${shown(old.currency)} is not an ISO 4217 currency code`, location);
  }
}

function checkInformational(statement: readonly CodaRecord[], header: StatementHeader, newBalance: CodaRecord | undefined, findings: Findings): void {
  for (const r of statement) {
    if (r.kind !== '21' || !r.fullLength) continue;
    const location = `record ${r.line}`;
    const code = at(r.text, 54, 61);
    const unknown = isDigits(code) ? unknownTransactionCode(code) : null;
    if (unknown) findings.warning('CODA-TRANSACTION-CODE', `record ${r.line} (type 21), pos 54-61 (transaction code) ${code}: ${unknown}`, location);
    if (at(r.text, 62) !== '1') continue;
    const type = at(r.text, 63, 65);
    if (!MOVEMENT_COMMUNICATION_TYPES.has(type)) {
      findings.warning('CODA-COMMUNICATION-TYPE', `record ${r.line} (type 21), pos 63-65 (structured communication type) ${shown(type)} is not a movement type of Annexe III`, location);
    } else if (type === '101' || type === '102') {
      const digits = at(r.text, 66, 77);
      const expected = isDigits(digits) ? structuredCommunicationCheck(digits.slice(0, 10)) : null;
      if (expected !== digits.slice(10)) {
        const why = expected === null ? 'is not 12 digits' : `has check digits ${digits.slice(10)}, expected ${expected} (first 10 digits mod 97)`;
        findings.warning('CODA-STRUCTURED-COMMUNICATION', `record ${r.line} (type 21), pos 66-77 (structured communication ${type}) ${shown(digits)} ${why}`, location);
      }
    }
  }
  const newDate = newBalance?.fullLength ? isoDate(at(newBalance.text, 58, 63)) : null;
  if (header.creationDate && newDate && header.creationDate < newDate) {
    findings.warning('CODA-CREATION-DATE', `record ${statement[0]!.line} (header), creation date ${header.creationDate} is before the new balance date ${newDate} of record ${newBalance!.line}`, `record ${statement[0]!.line}`);
  }
}

/** Runs steps 5-7 and 9 on one statement and returns its summary, or null without a readable record 1. */
export function checkStatementTotals(statement: readonly CodaRecord[], header: StatementHeader, findings: Findings): CodaStatementSummary | null {
  const sums = sumMovements(statement);
  checkTrailer(statement, sums, findings);
  const oldBalance = statement.find((r) => r.kind === '1');
  const newBalance = statement.find((r) => r.kind === '8');
  if (!oldBalance?.fullLength) {
    checkInformational(statement, header, newBalance, findings);
    return null;
  }
  checkBalance(statement[0]!.line, oldBalance, newBalance, header, sums, findings);
  checkIdentity(oldBalance, newBalance, header, findings);
  checkInformational(statement, header, newBalance, findings);

  const { account, currency } = header.layout ? readAccount(at(oldBalance.text, 6, 42), header.layout) : { account: '', currency: '' };
  const old = signedThousandths(at(oldBalance.text, 43), at(oldBalance.text, 44, 58));
  const oldDate = isoDate(at(oldBalance.text, 59, 64)) ?? '';
  const summary: CodaStatementSummary = {
    account, currency, sequence: at(oldBalance.text, 126, 128),
    oldBalance: old === null ? '' : amount(old), oldBalanceDate: oldDate,
    // An empty statement (0 1 9) has no record 8: its balance and date stand still.
    newBalance: old === null ? '' : amount(old), newBalanceDate: oldDate,
    movements: sums.movements,
  };
  if (newBalance) {
    const reported = newBalance.fullLength ? signedThousandths(at(newBalance.text, 42), at(newBalance.text, 43, 57)) : null;
    summary.newBalance = reported === null ? '' : amount(reported);
    summary.newBalanceDate = newBalance.fullLength ? isoDate(at(newBalance.text, 58, 63)) ?? '' : '';
  }
  return summary;
}
