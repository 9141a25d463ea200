import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateCoda } from '../../../src/formats/coda/validate-coda.js';
import { renderCoda } from '../../../src/sandbox/data/coda-render.js';
import { edited, errorCodes, field, fileOf, indexOf, kindOf, plansFor, put, recordsOf, richFile, warningCodes } from './coda-fixtures.js';

// coda.md §2 step 3: the grammar 0 1 {21 [22] [23] {31 [32] [33]}} [8] {4} 9 per statement, the
// next/link flags, and the sequence numbers and bank reference that tie parts to their movement.

const rich = richFile();
const records = recordsOf(rich);
const at = (kind: string): number => indexOf(records, (r) => kindOf(r) === kind);

/** A record 4 (free communication) as Annexe I lays it out. */
const freeCommunication = (text: string, link: string): string =>
  `4 00010000${' '.repeat(22)}${text.padEnd(80)}${' '.repeat(15)}${link}`;

test('the generated statement holds every movement record kind in grammar order', () => {
  assert.deepEqual([...new Set(records.map(kindOf))], ['0', '1', '21', '22', '23', '31', '32', '8', '9']);
  assert.equal(validateCoda(rich).valid, true);
});

test('a record out of order is an error naming the record, what it follows and what was expected', () => {
  const swapped = edited(rich, (r) => {
    const i = at('21');
    [r[i], r[i + 1]] = [r[i + 1]!, r[i]!];
  });
  const verdict = validateCoda(swapped);
  const order = verdict.errors.filter((f) => f.code === 'CODA-ORDER');
  assert.ok(order.length >= 1);
  assert.equal(order[0]!.message, 'record 3: a type 22 record cannot follow a type 1 record; expected 21, 8 or 9');
});

test('a statement with movements but without record 8 is an error', () => {
  const verdict = validateCoda(edited(rich, (r) => r.splice(at('8'), 1)));
  const order = verdict.errors.filter((f) => f.code === 'CODA-ORDER');
  assert.equal(order.length, 1);
  assert.match(order[0]!.message, /a type 9 record cannot follow a type 23 record; a statement with movements needs a new balance record 8/);
});

test('an empty statement 0 1 9 is accepted', () => {
  const trailer = put(records[records.length - 1]!, 17, `000001${'0'.repeat(30)}`);
  const verdict = validateCoda(fileOf([records[0]!, records[1]!, trailer]));
  assert.deepEqual([verdict.errors, verdict.warnings], [[], []]);
  assert.equal(verdict.statements[0]!.movements, 0);
  assert.equal(verdict.statements[0]!.newBalance, verdict.statements[0]!.oldBalance);
});

test('an empty statement with a free communication 0 1 8 4 9 is accepted, and the link codes announce the 4', () => {
  const old = records[1]!;
  const closing = `8${field(old, 3, 5)}${field(old, 6, 42)}${field(old, 43, 58)}${field(old, 59, 64)}${' '.repeat(64)}1`;
  const trailer = put(records[records.length - 1]!, 17, `000002${'0'.repeat(30)}`);
  const file = [records[0]!, old, closing, freeCommunication('CLOSING AVAILABLE BALANCE', '0'), trailer];
  const verdict = validateCoda(fileOf(file));
  assert.deepEqual([verdict.errors, verdict.warnings], [[], []]);

  file[2] = put(closing, 128, '0');
  const unannounced = validateCoda(fileOf(file));
  assert.equal(unannounced.valid, true, 'the record types fix the structure; the flag is only a warning');
  assert.deepEqual(warningCodes(unannounced), ['CODA-LINK-CODE']);
  assert.match(unannounced.warnings[0]!.message, /record 3 \(type 8\), pos 128 \(link code\) is 0 but a type 4 record follows; expected 1/);
});

test('a record 4 between movements is only a warning', () => {
  const verdict = validateCoda(edited(rich, (r) => r.splice(at('32') + 1, 0, freeCommunication('NOTE', '0'))));
  assert.deepEqual(errorCodes(verdict), []);
  assert.deepEqual(warningCodes(verdict), ['CODA-RECORD4-POSITION']);
});

test('a file that ends without its trailer record 9 is an error', () => {
  const verdict = validateCoda(edited(rich, (r) => r.pop()));
  assert.deepEqual(errorCodes(verdict), ['CODA-ORDER']);
  assert.match(verdict.errors[0]!.message, /ends with a type 8 record; it needs a trailer record 9/);
});

test('records before the first header are one error for the lot', () => {
  const verdict = validateCoda(fileOf([records[1]!, records[2]!, ...records]));
  assert.deepEqual(errorCodes(verdict), ['CODA-ORDER']);
  assert.match(verdict.errors[0]!.message, /^records 1-2 come before any header record 0/);
});

test('each statement of a multi-statement file is checked on its own', () => {
  const plans = plansFor('multi', { fromDate: '2025-03-03', toDate: '2025-03-14' });
  const bytes = renderCoda(plans);
  assert.ok(plans.length >= 3);
  const good = validateCoda(bytes);
  assert.deepEqual(good.errors, []);
  assert.equal(good.statements.length, plans.length);

  const lines = recordsOf(bytes);
  const trailers = lines.flatMap((r, i) => (kindOf(r) === '9' ? [i] : []));
  const second = trailers[1]!;
  lines[second] = put(lines[second]!, 17, '999999');
  const verdict = validateCoda(fileOf(lines));
  assert.deepEqual(errorCodes(verdict), ['CODA-TRAILER-COUNT']);
  assert.equal(verdict.errors[0]!.location, `record ${second + 1}`);
});

// The flags only repeat what the record types already say (and real bank files disagree with the
// standard's literal table): a wrong flag is a warning, the file stays valid.
test('a next code that announces a part which does not follow, or misses one that does, is a warning', () => {
  const missing = validateCoda(edited(rich, (r) => { r[at('21')] = put(r[at('21')]!, 126, '0'); }));
  assert.deepEqual([missing.valid, errorCodes(missing), warningCodes(missing)], [true, [], ['CODA-NEXT-CODE']]);
  assert.match(missing.warnings[0]!.message, /record 3 \(type 21\), pos 126 \(next code\) is 0 but a type 22 record follows; expected 1/);
  const extra = validateCoda(edited(rich, (r) => { r[at('32')] = put(r[at('32')]!, 126, '1'); }));
  assert.deepEqual(warningCodes(extra), ['CODA-NEXT-CODE']);
  const notAFlag = validateCoda(edited(rich, (r) => { r[at('22')] = put(r[at('22')]!, 126, '2'); }));
  assert.deepEqual([notAFlag.valid, warningCodes(notAFlag)], [true, ['CODA-NEXT-CODE']]);
  assert.match(notAFlag.warnings[0]!.message, /"2" is not 0 or 1/);
});

test('a link code that does not announce the information record 3.1 that follows is a warning', () => {
  const verdict = validateCoda(edited(rich, (r) => { r[at('23')] = put(r[at('23')]!, 128, '0'); }));
  assert.deepEqual([verdict.valid, warningCodes(verdict)], [true, ['CODA-LINK-CODE']]);
  assert.match(verdict.warnings[0]!.message, /\(type 23\), pos 128 \(link code\) is 0 but a type 31 record follows; expected 1/);
});

test('parts 2.2, 2.3 and 3.x repeat the sequence number of their movement', () => {
  const verdict = validateCoda(edited(rich, (r) => { r[at('22')] = put(r[at('22')]!, 3, '0009'); }));
  assert.deepEqual(errorCodes(verdict), ['CODA-SEQUENCE']);
  assert.match(verdict.errors[0]!.message, /\(type 22\), pos 3-6 \(sequence number\) is "0009" but its type 21 record 3 has "0001"/);
  const info = validateCoda(edited(rich, (r) => { r[at('32')] = put(r[at('32')]!, 3, '0007'); }));
  assert.deepEqual(errorCodes(info), ['CODA-SEQUENCE']);
  const detail = validateCoda(edited(rich, (r) => { r[at('32')] = put(r[at('32')]!, 7, '0005'); }));
  assert.deepEqual(errorCodes(detail), ['CODA-SEQUENCE']);
});

test('an information record 3.1 repeats the bank reference of its movement', () => {
  const verdict = validateCoda(edited(rich, (r) => { r[at('31')] = put(r[at('31')]!, 11, 'X'); }));
  assert.deepEqual(errorCodes(verdict), ['CODA-BANK-REFERENCE']);
  assert.match(verdict.errors[0]!.message, /\(type 31\), pos 11-31 \(bank reference\) is "X/);
});
