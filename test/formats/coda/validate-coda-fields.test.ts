import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateCoda } from '../../../src/formats/coda/validate-coda.js';
import { edited, errorCodes, field, indexOf, kindOf, put, recordsOf, richFile, warningCodes } from './coda-fixtures.js';

// coda.md §2 step 4: field types, header codes, version and account structure.

const rich = richFile();
const records = recordsOf(rich);
const at = (kind: string): number => indexOf(records, (r) => kindOf(r) === kind);
const iban = field(records[1]!, 6, 36).trim();
/** The 12-digit Belgian account number inside a BE IBAN (BE + 2 check digits + BBAN). */
const bban = iban.slice(4);
/** Account structure 0: 12 N BBAN, blank, currency, qualification code, country, 3 blanks, 15 extension zone. */
const bbanField = `${bban} EUR0BE${' '.repeat(18)}`;

function change(kind: string, from: number, value: string): Buffer {
  return edited(rich, (r) => { r[at(kind)] = put(r[at(kind)]!, from, value); });
}

test('numeric fields that hold something else are errors naming record, position and value', () => {
  const amount = validateCoda(change('21', 40, 'X'));
  assert.deepEqual(errorCodes(amount), ['CODA-FIELD']);
  assert.match(amount.errors[0]!.message, /^record 3 \(type 21\), pos 33-47 \(amount\): "0000000X0365840" is not 15 digits$/);
  assert.deepEqual(errorCodes(validateCoda(change('1', 43, '2'))), ['CODA-FIELD'], 'old balance sign 2');
  assert.deepEqual(errorCodes(validateCoda(change('1', 126, 'A1 '))), ['CODA-FIELD'], 'CODA sequence number');
  assert.deepEqual(errorCodes(validateCoda(change('9', 17, '00001 '))), ['CODA-FIELD'], 'trailer record count');
  assert.deepEqual(errorCodes(validateCoda(change('21', 54, '0015000X'))), ['CODA-FIELD'], 'transaction code');
});

test('dates must be real DDMMYY calendar dates; only the value date may be 000000', () => {
  const february30 = validateCoda(change('21', 116, '300225'));
  assert.deepEqual(errorCodes(february30), ['CODA-DATE']);
  assert.match(february30.errors[0]!.message, /pos 116-121 \(entry date\): "300225" is not a DDMMYY calendar date/);
  assert.deepEqual(validateCoda(change('21', 48, '000000')).errors, [], 'unknown value date');
  assert.deepEqual(errorCodes(validateCoda(change('21', 48, '001325'))), ['CODA-DATE'], 'month 13');
  assert.deepEqual(errorCodes(validateCoda(change('0', 6, '000000'))), ['CODA-DATE'], 'creation date 000000');
  assert.deepEqual(errorCodes(validateCoda(change('8', 58, '290225'))), ['CODA-DATE'], '29 February 2025');
  assert.deepEqual(validateCoda(change('0', 6, '290224')).errors, [], '29 February 2024 is a date');
});

test('the header application code must be 05', () => {
  const verdict = validateCoda(change('0', 15, '06'));
  assert.deepEqual(errorCodes(verdict), ['CODA-APPLICATION-CODE']);
  assert.match(verdict.errors[0]!.message, /pos 15-16 \(application code\) is "06"; expected "05"/);
});

test('the duplicate flag D is a warning; anything but D or a blank is an error', () => {
  const duplicate = validateCoda(change('0', 17, 'D'));
  assert.equal(duplicate.valid, true);
  assert.deepEqual(warningCodes(duplicate), ['CODA-DUPLICATE']);
  assert.deepEqual(errorCodes(validateCoda(change('0', 17, 'X'))), ['CODA-FIELD']);
});

test('version code 2 passes, any other than 1 or 2 is an error', () => {
  assert.deepEqual(validateCoda(rich).warnings, []);
  const verdict = validateCoda(change('0', 128, '5'));
  assert.deepEqual(errorCodes(verdict), ['CODA-VERSION']);
  assert.match(verdict.errors[0]!.message, /pos 128 \(version code\) is "5"; expected "2"/);
});

test('a CODA v1 file is accepted with a warning and read with the v1 account layout', () => {
  const v1 = edited(rich, (r) => {
    r[0] = put(r[0]!, 128, '1');
    r[1] = put(r[1]!, 6, bbanField);
    r[at('8')] = put(r[at('8')]!, 5, bbanField);
  });
  const verdict = validateCoda(v1);
  assert.deepEqual(errorCodes(verdict), []);
  assert.deepEqual(warningCodes(verdict), ['CODA-VERSION']);
  assert.equal(verdict.statements[0]!.account, bban);
  assert.equal(verdict.statements[0]!.currency, 'EUR');
});

test('account structure 0 (Belgian BBAN) is read at positions 6-17 and 19-21', () => {
  const structure0 = edited(rich, (r) => {
    r[1] = put(put(r[1]!, 2, '0'), 6, bbanField);
    r[at('8')] = put(r[at('8')]!, 5, bbanField);
  });
  const verdict = validateCoda(structure0);
  assert.deepEqual([verdict.errors, verdict.warnings], [[], []]);
  assert.equal(verdict.statements[0]!.account, bban);
});

test('a blank account structure is a warning with a guess from the account; another value is an error', () => {
  const blank = validateCoda(change('1', 2, ' '));
  assert.equal(blank.valid, true);
  assert.deepEqual(warningCodes(blank), ['CODA-ACCOUNT-STRUCTURE']);
  assert.match(blank.warnings[0]!.message, /is blank; read as structure 2/);
  assert.equal(blank.statements[0]!.account, iban);
  assert.deepEqual(errorCodes(validateCoda(change('1', 2, '7'))), ['CODA-ACCOUNT-STRUCTURE']);
});

test('a separate application skips the balance equation with a warning', () => {
  const separate = edited(rich, (r) => {
    r[0] = put(r[0]!, 84, '01500');
    r[at('8')] = put(r[at('8')]!, 43, '000000000000000');
  });
  const verdict = validateCoda(separate);
  assert.equal(verdict.valid, true);
  assert.deepEqual(warningCodes(verdict), ['CODA-SEPARATE-APPLICATION']);
  const withoutFlag = validateCoda(edited(separate, (r) => { r[0] = put(r[0]!, 84, '00000'); }));
  assert.deepEqual(errorCodes(withoutFlag), ['CODA-BALANCE']);
  // A bank's own code (spec §5.1: "their proper code") is a separate application too.
  const ownCode = validateCoda(change('0', 84, '0A000'));
  assert.ok(warningCodes(ownCode).includes('CODA-SEPARATE-APPLICATION'));
  assert.ok(!errorCodes(ownCode).includes('CODA-FIELD'));
});
