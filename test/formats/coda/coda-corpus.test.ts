import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { validateCoda } from '../../../src/formats/coda/validate-coda.js';

// The real-world corpus (bank files published by open-source CODA parsers) is read where it lies and
// never copied into the project. Expected verdicts are those of /work/shared/corpus/README.md.

// Beside the checkout, as CI lays it out (../shared), never copied in.
const CORPUS = resolve('..', 'shared', 'corpus', 'coda');
const present = existsSync(CORPUS);
const skip = present ? false : `${CORPUS} is not present on this machine`;

interface Expectation { valid: boolean; errors?: string[]; warnings?: string[]; statements?: number }

const TRAILER = ['CODA-TRAILER-COUNT', 'CODA-TRAILER-CREDIT', 'CODA-TRAILER-DEBIT'];

const EXPECTED: Record<string, Expectation> = {
  'triptyk_12298862.BC2': { valid: true, statements: 1 },
  'pycoda_Coda_v2_3_multi_statements.txt': { valid: true, statements: 2 },
  'pycoda_Coda_v2_3_single_statement.txt': { valid: true, statements: 1 },
  'pycoda_Coda_foreign_account.txt': { valid: true, statements: 1 },
  'pycoda_Coda_v2_3_globalisation.txt': { valid: true, warnings: ['CODA-DUPLICATE'] },
  'php_sample1.cod': { valid: true, warnings: ['CODA-STRUCTURED-COMMUNICATION'] },
  'php_sample8.cod': { valid: true },
  'php_sample10.cod': { valid: true },
  'php_sample11.cod': { valid: true },
  'pycoda_Coda_v2_3_faulty_globalisation.txt': { valid: true },
  'oca_Ontvangen_CODA.2012-01-11-18.59.15.txt': { valid: false, errors: ['CODA-BALANCE', 'CODA-ACCOUNT'] },
  'php_sample2.cod': { valid: false, errors: ['CODA-BALANCE'] },
  'php_sample3.cod': { valid: false, errors: TRAILER },
  'php_sample4.cod': { valid: false, errors: TRAILER },
  'php_sample5.cod': { valid: false, errors: TRAILER },
  'php_sample6.cod': { valid: false, errors: TRAILER },
  'php_sample7.cod': { valid: false, errors: TRAILER },
  'php_sample9.cod': { valid: false, errors: TRAILER },
  'pycoda_Coda_faulty_version.txt': { valid: false, errors: ['CODA-VERSION'] },
  'pycoda_Coda_v2_3_faulty_globalisation_2.txt': { valid: false, errors: ['CODA-LENGTH'] },
  'pycoda_Coda_v2_3_globalisation_2.txt': { valid: false, errors: ['CODA-TRAILER-COUNT'] },
  'triptyk_sample2.cod': { valid: false, errors: ['CODA-LENGTH', 'CODA-ENCODING'] },
  'triptyk_sample6.cod': { valid: false, errors: TRAILER },
};

const files = present ? readdirSync(CORPUS).filter((name) => name !== 'SOURCES.md').sort() : [];

test('every CODA file of the corpus has an expected verdict in the README', { skip }, () => {
  assert.deepEqual(files, Object.keys(EXPECTED).sort());
});

test('the validator agrees with the README on every corpus file, with the reasons it lists', { skip }, () => {
  for (const name of files) {
    const expected = EXPECTED[name]!;
    const verdict = validateCoda(readFileSync(join(CORPUS, name)));
    const found = verdict.errors.map((f) => `${f.code}: ${f.message}`).join('\n');
    assert.equal(verdict.valid, expected.valid, `${name}\n${found}`);
    const errors = new Set(verdict.errors.map((f) => f.code));
    for (const code of expected.errors ?? []) {
      // Each "trailer count or totals wrong" file needs at least one trailer error, not all three.
      if (expected.errors === TRAILER) assert.ok(TRAILER.some((c) => errors.has(c)), `${name}: a trailer error\n${found}`);
      else assert.ok(errors.has(code), `${name}: ${code}\n${found}`);
    }
    for (const code of expected.warnings ?? []) assert.ok(verdict.warnings.some((f) => f.code === code), `${name}: warning ${code}`);
    if (expected.statements !== undefined) assert.equal(verdict.statements.length, expected.statements, name);
  }
});

test('the ING file keeps its Latin-1 accents and balances to the cent', { skip }, () => {
  const verdict = validateCoda(readFileSync(join(CORPUS, 'triptyk_12298862.BC2')));
  assert.deepEqual([verdict.errors, verdict.warnings], [[], []]);
  assert.deepEqual(verdict.statements, [{
    account: 'BE75363112201051', currency: 'EUR', sequence: '021', oldBalance: '16300.110', oldBalanceDate: '2023-01-25',
    newBalance: '17498.840', newBalanceDate: '2023-01-26', movements: 26,
  }]);
});
