import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateCoda } from '../../../src/formats/coda/validate-coda.js';
import { companiesFor, edited, errorCodes, field, indexOf, kindOf, otherDigit, put, recordsOf, richFile, warningCodes } from './coda-fixtures.js';

// coda.md §2 steps 5-7 and 9: trailer count and totals, balance equation, account identity, and the
// informational warnings (check digits, transaction codes, structured communications).

const rich = richFile();
const records = recordsOf(rich);
const at = (kind: string): number => indexOf(records, (r) => kindOf(r) === kind);
const trailer = records[records.length - 1]!;
const closing = at('8');

function change(index: number, from: number, value: string): Buffer {
  return edited(rich, (r) => { r[index] = put(r[index]!, from, value); });
}

test('the trailer counts records 1, 21, 22, 23, 31, 32, 33 and 8; a wrong count names expected and found', () => {
  assert.equal(field(trailer, 17, 22), '000013', 'records 2-14 of the fixture');
  const verdict = validateCoda(change(records.length - 1, 17, '000014'));
  assert.deepEqual(errorCodes(verdict), ['CODA-TRAILER-COUNT']);
  assert.match(verdict.errors[0]!.message, /pos 17-22 \(number of records\): expected 000013 .* found 000014/);
});

test('the trailer debit and credit totals must equal the movements; errors name both amounts', () => {
  assert.equal(field(trailer, 23, 37), '000000000703450', '365.840 + 337.610 of debits in the fixture');
  const debit = validateCoda(change(records.length - 1, 23, '000000000703460'));
  assert.deepEqual(errorCodes(debit), ['CODA-TRAILER-DEBIT']);
  assert.match(debit.errors[0]!.message, /expected 703\.450 .* found 703\.460/);
  const credit = validateCoda(change(records.length - 1, 38, '000000000000001'));
  assert.deepEqual(errorCodes(credit), ['CODA-TRAILER-CREDIT']);
  assert.match(credit.errors[0]!.message, /expected 239\.120 .* found 0\.001/);
});

test('old balance + credits − debits must equal the new balance', () => {
  // 569.790 + 239.120 − 703.450 = 105.460, as record 8 says.
  assert.equal(field(records[closing]!, 42, 57), '0000000000105460');
  const verdict = validateCoda(change(closing, 57, '1'));
  assert.deepEqual(errorCodes(verdict), ['CODA-BALANCE']);
  assert.match(verdict.errors[0]!.message, /old balance 569\.790 \(record 2\) \+ credits 239\.120 − debits 703\.450 = 105\.460 expected, found 105\.461/);
});

test('balances with a debit sign take part in the equation with their sign', () => {
  // Old balance −569.790: −569.790 + 239.120 − 703.450 = −1034.120.
  const negative = edited(rich, (r) => {
    r[1] = put(r[1]!, 43, '1');
    r[closing] = put(r[closing]!, 42, '1000000001034120');
  });
  assert.deepEqual(validateCoda(negative).errors, []);
  assert.equal(validateCoda(negative).statements[0]!.newBalance, '-1034.120');
  assert.deepEqual(errorCodes(validateCoda(edited(negative, (r) => { r[closing] = put(r[closing]!, 42, '0'); }))), ['CODA-BALANCE']);
});

test('globalisation details (records 2.1 with a detail number other than 0000) are not counted twice', () => {
  const first = at('21');
  const movementEnd = at('32');
  const detail = put(put(put(records[first]!, 7, '0001'), 54, '5'), 126, '0');
  const globalised = edited(rich, (r) => {
    r.splice(movementEnd + 1, 0, detail);
    r[r.length - 1] = put(r[r.length - 1]!, 17, '000014');
  });
  const verdict = validateCoda(globalised);
  assert.deepEqual([verdict.errors, verdict.warnings], [[], []]);
  assert.equal(verdict.statements[0]!.movements, 3);
});

test('record 8 must name the account and currency of record 1', () => {
  const other = companiesFor('someone-else').company.iban;
  const account = validateCoda(change(closing, 5, other.padEnd(31)));
  assert.deepEqual(errorCodes(account), ['CODA-ACCOUNT']);
  assert.match(account.errors[0]!.message, new RegExp(`pos 5-41 \\(account\\): "${other}", but record 2 \\(old balance\\) has "${field(records[1]!, 6, 21)}"`));
  const digit = field(records[closing]!, 20, 20);
  assert.deepEqual(errorCodes(validateCoda(change(closing, 20, otherDigit(digit)))), ['CODA-ACCOUNT'], 'one digit off');
  assert.deepEqual(errorCodes(validateCoda(change(closing, 39, 'USD'))), ['CODA-ACCOUNT'], 'currency');
});

test('when record 1 fails its own check digits (anonymised files) a different record 8 is only a warning', () => {
  const digit = field(records[1]!, 21, 21);
  const anonymised = change(1, 21, otherDigit(digit));
  const verdict = validateCoda(anonymised);
  assert.equal(verdict.valid, true);
  assert.deepEqual(warningCodes(verdict), ['CODA-ACCOUNT', 'CODA-IBAN']);
  assert.match(verdict.warnings.find((w) => w.code === 'CODA-IBAN')!.message, /pos 6-36 \(IBAN\): "BE\d+" fails its ISO 13616 mod-97 check digits/);
});

test('an IBAN that fails mod 97 and a currency outside ISO 4217 are warnings', () => {
  const digit = field(records[1]!, 21, 21);
  const both = edited(rich, (r) => {
    for (const [i, pos] of [[1, 21], [closing, 20]] as const) r[i] = put(r[i]!, pos, otherDigit(digit));
    for (const [i, pos] of [[1, 40], [closing, 39]] as const) r[i] = put(r[i]!, pos, 'XYZ');
  });
  const verdict = validateCoda(both);
  assert.equal(verdict.valid, true);
  assert.deepEqual(warningCodes(verdict), ['CODA-CURRENCY', 'CODA-IBAN']);
});

test('transaction codes outside Annexe II are warnings; bank-specific numbers 40-48 and 90-98 are known', () => {
  const first = at('21');
  const unknown = validateCoda(change(first, 54, '00112000'));
  assert.equal(unknown.valid, true);
  assert.deepEqual(warningCodes(unknown), ['CODA-TRANSACTION-CODE']);
  assert.match(unknown.warnings[0]!.message, /00112000: transaction 12 is not defined in family 01/);
  assert.match(validateCoda(change(first, 54, '02201000')).warnings[0]!.message, /family 22 is not in Annexe II/);
  assert.match(validateCoda(change(first, 54, '40101000')).warnings[0]!.message, /type 4 is not one of/);
  assert.deepEqual(validateCoda(change(first, 54, '00145000')).warnings, []);
  assert.deepEqual(validateCoda(change(first, 54, '18037000')).warnings, [], 'family 80, transaction 37');
});

test('a 101 structured communication with wrong check digits is a warning only', () => {
  const structured = indexOf(records, (r) => kindOf(r) === '21' && field(r, 62, 65) === '1101');
  const digits = field(records[structured]!, 66, 77);
  const broken = validateCoda(change(structured, 77, otherDigit(digits[11]!)));
  assert.equal(broken.valid, true);
  assert.deepEqual(warningCodes(broken), ['CODA-STRUCTURED-COMMUNICATION']);
  assert.match(broken.warnings[0]!.message, new RegExp(`pos 66-77 \\(structured communication 101\\) "${digits.slice(0, 11)}\\d" has check digits \\d\\d, expected ${digits.slice(10)}`));
  const unknownType = validateCoda(change(structured, 63, '199'));
  assert.deepEqual(warningCodes(unknownType), ['CODA-COMMUNICATION-TYPE']);
});

test('a creation date before the new balance date is a warning', () => {
  const verdict = validateCoda(change(0, 6, '010325'));
  assert.equal(verdict.valid, true);
  assert.deepEqual(warningCodes(verdict), ['CODA-CREATION-DATE']);
});
