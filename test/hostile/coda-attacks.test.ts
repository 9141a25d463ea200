import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe } from 'node:test';
import { codaFileName, resolveInside } from '../../src/export/layout.js';
import { sanitizeSegment } from '../../src/export/windows-name.js';
import { readCodaIdentity } from '../../src/formats/coda/coda-identity.js';
import { validateCoda, type CodaVerdict } from '../../src/formats/coda/validate-coda.js';
import { describeVerdict } from '../../src/formats/report.js';
import { MAX_FINDINGS } from '../../src/formats/verdict.js';
import { field, fileOf, put, recordsOf, richFile } from '../formats/coda/coda-fixtures.js';
import { hostileCase, reportCaseCount, timed } from './hostile-support.js';

/**
 * The CODA gate against files that are damaged, oversized or crafted: every one gets a verdict (with
 * a finding that names the record and the position) in bounded time and memory, and the identity
 * billsync names the file after can never turn into a path.
 */

reportCaseCount();

const CASE_MS = 10_000;

let richCache: string[] | null = null;
/** A generated, valid statement with records 0 1 21 22 23 31 32 … 8 9 (CRLF). */
const rich = (): string[] => [...(richCache ??= recordsOf(richFile()))];
const file = (records: readonly string[], eol = '\r\n'): Buffer => fileOf(records, eol);
const at = (records: readonly string[], kind: string): number => {
  const i = records.findIndex((r) => (kind.length === 2 ? r.startsWith(kind) : r[0] === kind));
  assert.ok(i >= 0, `the fixture has a record ${kind}`);
  return i;
};
/** Edits the first record of `kind` in a copy of the rich statement. */
function editing(kind: string, edit: (record: string) => string): string[] {
  const records = rich();
  const i = at(records, kind);
  records[i] = edit(records[i]!);
  return records;
}
const digits15 = (value: bigint): string => (value < 0n ? -value : value).toString().padStart(15, '0');

interface Expect {
  valid: boolean;
  code?: string;
  message?: RegExp;
  /** A warning that must be present (valid files may still warn). */
  warning?: string;
  /** Bound on validation and identity together. @default CASE_MS */
  ms?: number;
  also?: (verdict: CodaVerdict, bytes: Buffer) => void;
}

function check(input: () => Buffer, expected: Expect): void {
  const bytes = input();
  let verdict: CodaVerdict;
  let took: number;
  try {
    ({ value: verdict, ms: took } = timed(() => {
      const result = validateCoda(bytes);
      // Run right after the gate by the engine to name the file: must not throw on anything.
      readCodaIdentity(bytes);
      return result;
    }));
  } catch (error) {
    assert.fail(`the CODA gate threw instead of giving a verdict: ${(error as Error).stack ?? String(error)}`);
  }
  assert.ok(took < (expected.ms ?? CASE_MS), `validateCoda took ${Math.round(took)} ms`);
  const shown = [...verdict.errors, ...verdict.warnings].slice(0, 8).map((f) => `${f.severity} ${f.code}: ${f.message.slice(0, 200)}`).join('\n');
  assert.equal(verdict.valid, expected.valid, `valid=${verdict.valid}, expected ${expected.valid}:\n${shown}`);
  if (!expected.valid) assert.ok(verdict.errors.length > 0);
  if (expected.code !== undefined) {
    const hit = verdict.errors.find((f) => f.code === expected.code);
    assert.ok(hit, `a ${expected.code} error; got:\n${shown}`);
    if (expected.message) assert.match(hit.message, expected.message);
  }
  if (expected.warning !== undefined) assert.ok(verdict.warnings.some((f) => f.code === expected.warning), `a ${expected.warning} warning; got:\n${shown}`);
  const findings = verdict.errors.length + verdict.warnings.length;
  assert.ok(findings <= MAX_FINDINGS, `${findings} findings: the list must stay bounded`);
  for (const finding of [...verdict.errors, ...verdict.warnings]) assert.ok(finding.message.length < 2_000, `a ${finding.message.length}-character message`);
  // The quarantine report is built from the verdict: it must stay a readable size too.
  assert.ok(describeVerdict('hostile.cod', verdict).length < 1_000_000, 'the quarantine report stays under 1 MB');
  expected.also?.(verdict, bytes);
}

function codaCase(name: string, input: () => Buffer, expected: Expect, timeout = 30_000): void {
  hostileCase(name, () => check(input, expected), { timeout });
}

describe('size and shape', () => {
  codaCase('an empty file is refused as empty', () => Buffer.alloc(0), { valid: false, code: 'CODA-EMPTY' });
  codaCase('a file of one line terminator holds no records', () => Buffer.from('\r\n'), { valid: false, code: 'CODA-LENGTH', message: /record 1 is empty/ });
  codaCase('100,000 blank lines are refused with a handful of findings', () => Buffer.from('\n'.repeat(100_000)), { valid: false, code: 'CODA-LENGTH' });
  codaCase('a single 10 MB line is refused, naming its length', () => Buffer.from(`0${'0'.repeat(10 * 1024 * 1024)}\r\n`, 'latin1'),
    { valid: false, code: 'CODA-LENGTH', message: /record 1 has 10485761 characters; every CODA record has exactly 128/ });
  codaCase('a 10 MB record among valid ones is refused, naming the record', () => file(editing('21', (r) => r + 'x'.repeat(10 * 1024 * 1024))),
    { valid: false, code: 'CODA-LENGTH', message: /record 3 has 10485888 characters/ });
  codaCase('a record one character too long is refused', () => file(editing('8', (r) => `${r} `)), { valid: false, code: 'CODA-LENGTH', message: /record \d+ has 129 characters/ });
  codaCase('8 MB of random bytes are refused quickly', () => randomBytes(8 * 1024 * 1024), { valid: false });
  codaCase('a PDF served as CODA is refused', () => Buffer.from('%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n', 'latin1'), { valid: false, code: 'CODA-LENGTH' });
  codaCase('a JSON error body served as CODA is refused', () => Buffer.from('{"errors":[{"Code":"NotFound"}]}'), { valid: false, code: 'CODA-RECORD-TYPE' });
  codaCase('a UTF-16 encoded CODA file is refused', () => Buffer.from(rich().map((r) => `${r}\r\n`).join(''), 'utf16le'), { valid: false, code: 'CODA-ENCODING' });
  codaCase('a valid statement followed by a million stray records is refused in bounded time, with a bounded list of findings', () => {
    const records = rich();
    const trailer = records.pop()!;
    // 130 MB, filled by repeating one record rather than joining a million strings.
    const stray = Buffer.alloc(1_000_000 * 130, `4${' '.repeat(127)}\r\n`, 'latin1');
    return Buffer.concat([file(records), stray, file([trailer])]);
  }, { valid: false, ms: 20_000, also: (verdict) => {
    assert.ok(verdict.errors.some((f) => f.code === 'TOO-MANY-FINDINGS' && /more findings/.test(f.message)), 'the findings past the limit are summed up');
  } }, 60_000);
  codaCase('300,000 trailer records without a header are one finding', () => Buffer.alloc(300_000 * 130, `9${'0'.repeat(127)}\r\n`, 'latin1'),
    { valid: false, code: 'CODA-ORDER', message: /records 1-300000 come before any header record 0/ }, 60_000);
  codaCase('10,000 statements in one file (150,000 records) are all checked in bounded time', () => file(Array.from({ length: 10_000 }, () => rich()).flat()),
    { valid: true, also: (verdict) => assert.equal(verdict.statements.length, 10_000) }, 60_000);
});

describe('bytes and line endings', () => {
  const comm = (records: string[], text: string): string[] => {
    const i = at(records, '21');
    records[i] = put(records[i]!, 63, text);
    return records;
  };
  codaCase('Latin-1 accents are CODA\'s own encoding', () => file(comm(rich(), 'Société Générale é à ç')), { valid: true });
  codaCase('a Windows-1252 euro byte is accepted as a Latin-1 byte', () => Buffer.from(file(comm(rich(), 'EUR X')).toString('latin1').replace('EUR X', 'EUR \x80'), 'latin1'), { valid: true });
  codaCase('an accent re-encoded as UTF-8 is refused, naming the bytes', () => file(comm(rich(), 'Soci\u00C3\u00A9t\u00C3\u00A9')),
    { valid: false, code: 'CODA-ENCODING', message: /C3 A9 are "é" encoded as UTF-8/ });
  codaCase('the bytes of U+FFFD from a lossy conversion are refused', () => file(comm(rich(), 'Soci\u00EF\u00BF\u00BDt')), { valid: false, code: 'CODA-ENCODING', message: /EF BF BD/ });
  codaCase('a NUL byte is refused, naming record and position', () => file(comm(rich(), 'a\u0000b')), { valid: false, code: 'CODA-ENCODING', message: /record 3, position 64: control byte 0x00/ });
  codaCase('an escape sequence is refused', () => file(comm(rich(), '\u001b[31mred')), { valid: false, code: 'CODA-ENCODING', message: /control byte 0x1B/ });
  codaCase('LF line endings are fine', () => file(rich(), '\n'), { valid: true });
  codaCase('mixed CRLF and LF line endings are read, with a warning', () => Buffer.from(rich().map((r, i) => r + (i % 2 ? '\n' : '\r\n')).join(''), 'latin1'),
    { valid: true, warning: 'CODA-LINE-ENDINGS' });
  codaCase('CR-only line endings are refused as one long record holding CRs', () => file(rich(), '\r'), { valid: false, code: 'CODA-LENGTH', message: /holds a CR/ });
  codaCase('a CR inside a record is refused, naming its position', () => file(comm(rich(), 'a\rb')), { valid: false, code: 'CODA-ENCODING', message: /record 3, position 64: control byte 0x0D/ });
  codaCase('CR CR LF endings (converted twice) are read as CRLF, with a warning', () => file(rich(), '\r\r\n'), { valid: true, warning: 'CODA-LINE-ENDINGS' });
  codaCase('a trailing Ctrl-Z and blank lines are dropped with a warning', () => Buffer.concat([file(rich()), Buffer.from('\r\n\r\n\x1a', 'latin1')]), { valid: true, warning: 'CODA-WRAPPER' });
  codaCase('a UTF-8 byte order mark is dropped with a warning', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), file(rich())]), { valid: true, warning: 'CODA-WRAPPER' });
  codaCase('a blank line between records is refused', () => file([...rich().slice(0, 3), '', ...rich().slice(3)]), { valid: false, code: 'CODA-LENGTH', message: /record 4 is empty/ });
});

describe('header, trailer and order', () => {
  codaCase('a trailer counting one record too many is refused', () => file(editing('9', (r) => put(r, 17, String(Number(field(r, 17, 22)) + 1).padStart(6, '0')))),
    { valid: false, code: 'CODA-TRAILER-COUNT' });
  codaCase('a trailer with a wrong debit total is refused, showing both totals', () => file(editing('9', (r) => put(r, 23, digits15(BigInt(field(r, 23, 37)) + 1000n)))),
    { valid: false, code: 'CODA-TRAILER-DEBIT', message: /expected .* found / });
  codaCase('a statement without its trailer is refused', () => file(rich().slice(0, -1)), { valid: false, code: 'CODA-ORDER', message: /needs a trailer record 9/ });
  codaCase('a statement without its new-balance record is refused', () => file(rich().filter((r) => r[0] !== '8')), { valid: false, code: 'CODA-ORDER' });
  codaCase('a trailer before the header is refused', () => { const r = rich(); return file([r.at(-1)!, ...r.slice(0, -1)]); }, { valid: false, code: 'CODA-ORDER' });
  codaCase('two headers without a trailer between them are refused', () => { const r = rich(); return file([r[0]!, ...r]); }, { valid: false, code: 'CODA-ORDER', message: /has only its header record 0/ });
  codaCase('a header alone is refused', () => file([rich()[0]!]), { valid: false, code: 'CODA-ORDER' });
  codaCase('a record of unknown type 7 is refused', () => file(editing('22', (r) => `7${r.slice(1)}`)), { valid: false, code: 'CODA-RECORD-TYPE', message: /starts with "7"/ });
  codaCase('a new-balance record for another account is refused', () => file(editing('8', (r) => put(r, 5, '000000000000'))), { valid: false, code: 'CODA-ACCOUNT' });
});

describe('amounts', () => {
  codaCase('a 20-digit amount written over a movement spills into the value date and is refused', () => file(editing('21', (r) => put(r, 33, '9'.repeat(20)))),
    { valid: false, code: 'CODA-DATE', message: /value date/ });
  codaCase('a 20-digit amount inserted into a movement makes the record too long', () => file(editing('21', (r) => `${r.slice(0, 32)}${'9'.repeat(20)}${r.slice(47)}`)),
    { valid: false, code: 'CODA-LENGTH', message: /133 characters/ });
  codaCase('the largest possible old balance is computed exactly, without float rounding', () => file(editing('1', (r) => put(put(r, 43, '0'), 44, '9'.repeat(15)))),
    { valid: false, code: 'CODA-BALANCE', message: /old balance 999999999999\.999/ });
  codaCase('letters in an amount are refused, naming the field', () => file(editing('21', (r) => put(r, 33, '00000000012A000'))), { valid: false, message: /amount/ });
  codaCase('a sign other than 0 or 1 is refused', () => file(editing('21', (r) => put(r, 32, '-'))), { valid: false, message: /sign/ });
  codaCase('an old balance of minus zero is zero', () => {
    const records = rich();
    const trailer = records.at(-1)!;
    const credit = BigInt(field(trailer, 38, 52));
    const debit = BigInt(field(trailer, 23, 37));
    const i1 = at(records, '1');
    records[i1] = put(put(records[i1]!, 43, '1'), 44, '0'.repeat(15));
    const i8 = at(records, '8');
    const closing = credit - debit;
    records[i8] = put(put(records[i8]!, 42, closing < 0n ? '1' : '0'), 43, digits15(closing));
    return file(records);
  }, { valid: true, also: (verdict) => assert.doesNotMatch(verdict.statements[0]!.oldBalance, /^-/) });
  codaCase('a new balance of minus zero equals a computed zero', () => {
    const records = rich();
    const trailer = records.at(-1)!;
    const opening = BigInt(field(trailer, 23, 37)) - BigInt(field(trailer, 38, 52));
    const i1 = at(records, '1');
    records[i1] = put(put(records[i1]!, 43, opening < 0n ? '1' : '0'), 44, digits15(opening));
    const i8 = at(records, '8');
    records[i8] = put(put(records[i8]!, 42, '1'), 43, '0'.repeat(15));
    return file(records);
  }, { valid: true, also: (verdict) => assert.doesNotMatch(verdict.statements[0]!.newBalance, /^-/) });
});

describe('dates', () => {
  codaCase('31 February as the new balance date is refused', () => file(editing('8', (r) => put(r, 58, '310225'))), { valid: false, code: 'CODA-DATE', message: /"310225" is not a DDMMYY calendar date/ });
  codaCase('29 February of a common year is refused', () => file(editing('8', (r) => put(r, 58, '290225'))), { valid: false, code: 'CODA-DATE' });
  codaCase('day 32 of month 13 as the creation date is refused', () => file(editing('0', (r) => put(r, 6, '321399'))), { valid: false, code: 'CODA-DATE', message: /creation date/ });
  codaCase('00/00/00 as an entry date is refused', () => file(editing('21', (r) => put(r, 116, '000000'))), { valid: false, code: 'CODA-DATE', message: /entry date/ });
  codaCase('an unknown value date (000000) is allowed', () => file(editing('21', (r) => put(r, 48, '000000'))), { valid: true });
  codaCase('29 February of a leap year as value date is a real date', () => file(editing('21', (r) => put(r, 48, '290224'))), { valid: true });
  codaCase('letters in a date are refused', () => file(editing('1', (r) => put(r, 59, 'AB0325'))), { valid: false, code: 'CODA-DATE', message: /old balance date/ });
});

describe('the identity a CODA file is named after', () => {
  const named = (account: string) => () => file(editing('1', (r) => put(r, 6, account.padEnd(31, ' ').slice(0, 31))));
  for (const [label, account] of [
    ['a traversal', '../../../../etc/passwd'],
    ['a Windows path', '..\\..\\Windows\\System32'],
    ['a device name', 'CON'],
    ['an alternate data stream', 'BE68:evil.cod'],
    ['an absolute path', '/etc/shadow'],
  ] as const) {
    // Only a warning for the gate (an account failing its check digits is reported, not refused), so the
    // file goes on to be named after it: the name is what must stay safe.
    codaCase(`an account holding ${label} still names one safe file inside the root`, named(account), {
      valid: true, warning: 'CODA-IBAN',
      also: (_verdict, bytes) => {
        const identity = readCodaIdentity(bytes);
        assert.ok(identity, 'the identity is read');
        const name = codaFileName({ iban: identity.account, newBalanceDate: identity.newBalanceDate, sequence: identity.sequence });
        assert.equal(sanitizeSegment(name), name, `${name} is a sanitised segment`);
        assert.match(name, /\.cod$/);
        const root = path.join(path.sep, 'srv', 'export');
        assert.equal(path.dirname(resolveInside(root, 'Dossier', 'FinancialTransactions', name)), path.join(root, 'Dossier', 'FinancialTransactions'));
      },
    });
  }
});
