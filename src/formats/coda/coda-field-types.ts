import type { Findings } from '../verdict.js';
import { type AccountLayout, at, guessStructure, isDigits, isoDate, layoutOf, shown } from './coda-fields.js';
import type { CodaRecord } from './coda-records.js';

/**
 * Step 4 of the CODA checks (coda.md §2): field types. Numeric fields the later checks compute with
 * (signs, amounts, dates, sequence numbers, counts, codes) must be digits, dates real DDMMYY dates;
 * the header's application code, duplicate flag and version code, and record 1's account structure.
 * Only records of exactly 128 characters are read: elsewhere positions mean nothing.
 */

export interface StatementHeader {
  /** '2' (CODA 2.x) or '1' (CODA v1, read with its own record 1 layout); null when unusable. */
  version: '1' | '2' | null;
  /** Header pos 84-88 ≠ 00000: a "separate application" whose balances are zeroed out (spec §7.2.1). */
  separateApplication: string | null;
  creationDate: string | null;
  /** How record 1 (and record 8) lay out account and currency. */
  layout: AccountLayout | null;
}

class FieldCheck {
  constructor(private readonly findings: Findings, private readonly r: CodaRecord) {}

  private where(from: number, to: number, name: string): string {
    return `record ${this.r.line} (type ${this.r.kind}), pos ${from === to ? from : `${from}-${to}`} (${name})`;
  }

  digits(from: number, to: number, name: string): boolean {
    const value = at(this.r.text, from, to);
    if (isDigits(value)) return true;
    this.findings.error('CODA-FIELD', `${this.where(from, to, name)}: ${shown(value)} is not ${to - from + 1} digits`, `record ${this.r.line}`);
    return false;
  }

  oneOf(pos: number, name: string, values: string): boolean {
    const value = at(this.r.text, pos);
    if (values.includes(value) && value !== '') return true;
    this.findings.error('CODA-FIELD', `${this.where(pos, pos, name)}: ${shown(value)} is not one of ${[...values].join(', ')}`, `record ${this.r.line}`);
    return false;
  }

  /** A DDMMYY calendar date; `unknownAllowed` accepts 000000 (the value date of 2.1 may be unknown). */
  date(from: number, to: number, name: string, unknownAllowed = false): string | null {
    const value = at(this.r.text, from, to);
    if (unknownAllowed && value === '000000') return null;
    const iso = isoDate(value);
    if (iso === null) {
      this.findings.error('CODA-DATE', `${this.where(from, to, name)}: ${shown(value)} is not a DDMMYY calendar date${unknownAllowed ? ' nor 000000' : ''}`, `record ${this.r.line}`);
    }
    return iso;
  }
}

function checkHeader(r: CodaRecord, findings: Findings): StatementHeader {
  const header: StatementHeader = { version: null, separateApplication: null, creationDate: null, layout: null };
  if (!r.fullLength) return header;
  const f = new FieldCheck(findings, r);
  const location = `record ${r.line}`;
  header.creationDate = f.date(6, 11, 'creation date');
  const application = at(r.text, 15, 16);
  if (application !== '05') {
    findings.error('CODA-APPLICATION-CODE', `record ${r.line} (header), pos 15-16 (application code) is ${shown(application)}; expected "05"`, location);
  }
  const duplicate = at(r.text, 17);
  if (duplicate === 'D' || duplicate === 'd') {
    findings.warning('CODA-DUPLICATE', `record ${r.line} (header), pos 17 (duplicate code) is "D": the bank marks this statement as a duplicate of one it sent before`, location);
  } else if (duplicate !== ' ') {
    findings.error('CODA-FIELD', `record ${r.line} (header), pos 17 (duplicate code) is ${shown(duplicate)}; expected "D" or a blank`, location);
  }
  const separate = at(r.text, 84, 88);
  // Banks may use their own codes here (spec §5.1); only 00000, all transactions, keeps real balances.
  // A blank code is read as 00000; anything else that is not digits cannot be trusted either way.
  // Not digits is the bank's own code (§5.1 lets banks use "their proper code"): it still names a
  // separate application, whose balances are not the account's.
  if (separate !== '00000' && separate.trim() !== '') header.separateApplication = separate;
  const version = at(r.text, 128);
  if (version === '2') header.version = '2';
  else if (version === '1') {
    header.version = '1';
    findings.warning('CODA-VERSION', `record ${r.line} (header), pos 128 (version code) is "1": an old CODA v1 file, read with the v1 layout (12-digit Belgian account, no IBAN)`, location);
  } else {
    findings.error('CODA-VERSION', `record ${r.line} (header), pos 128 (version code) is ${shown(version)}; expected "2" (CODA 2.x) or "1" (CODA v1)`, location);
  }
  return header;
}

function checkOldBalance(r: CodaRecord, header: StatementHeader, findings: Findings): void {
  const f = new FieldCheck(findings, r);
  const location = `record ${r.line}`;
  const structure = at(r.text, 2);
  const field = at(r.text, 6, 42);
  if (header.version === '1') {
    // CODA v1 has no structure variants: 12-digit account at 6-17, currency at 19-21 (pycoda).
    header.layout = layoutOf('0');
  } else if (structure === '0' || structure === '1' || structure === '2' || structure === '3') {
    header.layout = layoutOf(structure);
  } else {
    const guess = guessStructure(field);
    header.layout = layoutOf(guess);
    const read = `read as structure ${guess} from the account ${shown(field.trim())}`;
    if (structure === ' ') findings.warning('CODA-ACCOUNT-STRUCTURE', `record ${r.line} (type 1), pos 2 (account structure) is blank; ${read}`, location);
    else findings.error('CODA-ACCOUNT-STRUCTURE', `record ${r.line} (type 1), pos 2 (account structure) is ${shown(structure)}; expected 0, 1, 2 or 3 (${read})`, location);
  }
  f.oneOf(43, 'old balance sign', '01');
  f.digits(44, 58, 'old balance');
  f.date(59, 64, 'old balance date');
  f.digits(126, 128, 'CODA sequence number');
}

function checkRecord(r: CodaRecord, findings: Findings): void {
  const f = new FieldCheck(findings, r);
  switch (r.kind) {
    case '21':
      f.digits(3, 6, 'sequence number');
      f.digits(7, 10, 'detail number');
      f.oneOf(32, 'movement sign', '01');
      f.digits(33, 47, 'amount');
      f.date(48, 53, 'value date', true);
      f.digits(54, 61, 'transaction code');
      f.oneOf(62, 'communication type', '01');
      f.date(116, 121, 'entry date');
      return;
    case '31':
      f.digits(3, 6, 'sequence number');
      f.digits(7, 10, 'detail number');
      f.digits(32, 39, 'transaction code');
      f.oneOf(40, 'communication type', '01');
      return;
    case '22': case '23': case '32': case '33': case '4':
      f.digits(3, 6, 'sequence number');
      f.digits(7, 10, 'detail number');
      return;
    case '8':
      f.oneOf(42, 'new balance sign', '01');
      f.digits(43, 57, 'new balance');
      f.date(58, 63, 'new balance date');
      return;
    case '9':
      f.digits(17, 22, 'number of records');
      f.digits(23, 37, 'debit total');
      f.digits(38, 52, 'credit total');
      return;
    default:
  }
}

/** Field checks of one statement, in record order; returns what the later steps need from the header. */
export function checkFieldTypes(statement: readonly CodaRecord[], findings: Findings): StatementHeader {
  const header = checkHeader(statement[0]!, findings);
  for (const r of statement.slice(1)) {
    if (!r.fullLength) continue;
    if (r.kind === '1') checkOldBalance(r, header, findings);
    else checkRecord(r, findings);
  }
  return header;
}
