import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateCoda } from '../../../src/formats/coda/validate-coda.js';
import { errorCodes, fileOf, indexOf, kindOf, put, recordsOf, richFile, warningCodes } from './coda-fixtures.js';

// coda.md §2 steps 1 and 2: Latin-1 decoding, line terminators, record length and record type.

const rich = richFile();
const records = recordsOf(rich);

test('a generated statement with CRLF line ends is valid without any finding', () => {
  const verdict = validateCoda(rich);
  assert.equal(verdict.format, 'coda');
  assert.deepEqual({ valid: verdict.valid, errors: verdict.errors, warnings: verdict.warnings }, { valid: true, errors: [], warnings: [] });
  assert.equal(verdict.statements.length, 1);
});

test('the same statement with LF line ends, or without a final line break, is valid too', () => {
  assert.deepEqual(validateCoda(fileOf(records, '\n')).errors, []);
  const unterminated = Buffer.from(records.join('\r\n'), 'latin1');
  const verdict = validateCoda(unterminated);
  assert.deepEqual([verdict.errors, verdict.warnings], [[], []]);
});

test('mixing CRLF and LF line ends is a warning that counts both', () => {
  const text = records.map((r, i) => r + (i === 2 ? '\n' : '\r\n')).join('');
  const verdict = validateCoda(Buffer.from(text, 'latin1'));
  assert.equal(verdict.valid, true);
  assert.deepEqual(warningCodes(verdict), ['CODA-LINE-ENDINGS']);
  assert.match(verdict.warnings[0]!.message, /14 records end in CRLF .* 1 in LF alone \(first: record 3\)/);
});

test('blank lines, a byte-order mark or Ctrl-Z around intact records are a warning, not an error', () => {
  assert.equal(validateCoda(Buffer.concat([rich])).valid, true);
  for (const wrapped of [
    Buffer.concat([rich, Buffer.from('\r\n\r\n')]),
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), rich]),
    Buffer.concat([rich, Buffer.from([0x1a])]),
    Buffer.concat([rich, Buffer.from('   ')]),
    Buffer.concat([rich, Buffer.from([0x1a, 0x0d, 0x0a])]),
    Buffer.concat([rich, Buffer.from('\r\n  \t\r\n'), Buffer.from([0x1a])]),
  ]) {
    const verdict = validateCoda(wrapped);
    assert.equal(verdict.valid, true, JSON.stringify(verdict.errors));
    assert.ok(warningCodes(verdict).includes('CODA-WRAPPER'));
  }
  // A blank line between records is still a broken file.
  const lines = rich.toString('latin1').split('\r\n');
  lines.splice(3, 0, '');
  assert.deepEqual(errorCodes(validateCoda(Buffer.from(lines.join('\r\n'), 'latin1'))).includes('CODA-LENGTH'), true);
});

test('records ending in CR CR LF (line endings converted twice) are read as CRLF, with a warning', () => {
  const verdict = validateCoda(Buffer.from(records.map((r) => `${r}\r\r\n`).join(''), 'latin1'));
  assert.equal(verdict.valid, true, JSON.stringify(verdict.errors));
  assert.deepEqual(warningCodes(verdict), ['CODA-LINE-ENDINGS']);
  assert.match(verdict.warnings[0]!.message, /15 records end in CR CR LF/);
  // A CR inside a record stays an error.
  const inner = [...records];
  inner[2] = `${inner[2]!.slice(0, 60)}\r${inner[2]!.slice(61)}`;
  assert.ok(errorCodes(validateCoda(fileOf(inner))).length > 0);
});

test('a file with a byte-order mark is still recognised as CODA by the format sniffer', async () => {
  const { sniffFormat } = await import('../../../src/formats/sniff.js');
  assert.equal(sniffFormat(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), rich])), 'coda');
  assert.equal(sniffFormat(Buffer.concat([Buffer.from('\r\n'), rich])), 'coda');
  assert.equal(sniffFormat(rich), 'coda');
});

test('an empty file is rejected', () => {
  assert.deepEqual(errorCodes(validateCoda(Buffer.alloc(0))), ['CODA-EMPTY']);
});

test('a record of 127 characters is an error that names the record and its length', () => {
  const short = [...records];
  short[3] = short[3]!.slice(0, 127);
  const verdict = validateCoda(fileOf(short));
  assert.ok(errorCodes(verdict).includes('CODA-LENGTH'));
  const finding = verdict.errors.find((f) => f.code === 'CODA-LENGTH')!;
  assert.equal(finding.location, 'record 4');
  assert.match(finding.message, /record 4 has 127 characters/);
});

test('a control byte other than CR and LF is an encoding error naming its record', () => {
  const withTab = [...records];
  withTab[0] = put(withTab[0]!, 40, '\t');
  const verdict = validateCoda(fileOf(withTab));
  assert.deepEqual(errorCodes(verdict), ['CODA-ENCODING']);
  assert.match(verdict.errors[0]!.message, /record 1, position 40: control byte 0x09/);
});

test('Latin-1 accents are single bytes and pass; the same é as UTF-8 bytes is an encoding error', () => {
  const latin = [...records];
  latin[0] = put(latin[0]!, 35, 'Société Dupré SRL         ');
  const good = fileOf(latin);
  assert.ok(good.includes(0xe9));
  assert.deepEqual(validateCoda(good).errors, []);

  const utf8 = Buffer.concat([Buffer.from(`${latin[0]}\r\n`, 'utf8'), fileOf(latin.slice(1))]);
  const verdict = validateCoda(utf8);
  assert.deepEqual(errorCodes(verdict), ['CODA-ENCODING', 'CODA-LENGTH']);
  assert.match(verdict.errors[0]!.message, /record 1, position 39: bytes C3 A9 are "é" encoded as UTF-8/);
});

test('the U+FFFD bytes of a lossy UTF-8 round trip are an encoding error even when the length still fits', () => {
  const damaged = fileOf(records).toString('latin1').replace('Maes BV   ', 'Ma\xEF\xBF\xBDs BV ');
  const verdict = validateCoda(Buffer.from(damaged, 'latin1'));
  assert.deepEqual(errorCodes(verdict), ['CODA-ENCODING']);
  assert.match(verdict.errors[0]!.message, /EF BF BD/);
});

test('a record type outside 0 1 2 3 4 8 9, or a 2/3 record with an article other than 1 2 3, is an error', () => {
  const bad = [...records];
  const movement = indexOf(bad, (r) => kindOf(r) === '22');
  bad[movement] = put(bad[movement]!, 2, '4');
  bad.splice(1, 0, put(bad[1]!, 1, '5'));
  const verdict = validateCoda(fileOf(bad));
  assert.ok(errorCodes(verdict).includes('CODA-RECORD-TYPE'));
  const messages = verdict.errors.filter((f) => f.code === 'CODA-RECORD-TYPE').map((f) => f.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0]!, /record 2 starts with "5"/);
  assert.match(messages[1]!, /type 2 with article code "4"; expected 21, 22 or 23/);
});
