import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { embedPdf } from '../../../src/formats/ubl/embed-pdf.js';
import { validateUbl } from '../../../src/formats/ubl/validate-ubl.js';
import { makePdf } from '../../../src/sandbox/data/pdf.js';
import { BIS3, UBL_BE, describe } from './ubl-fixtures.js';

/**
 * The real-world corpus (/work/shared/corpus/ubl, see its README): read in place, never copied.
 * Skipped where the folder does not exist.
 */

const DIR = resolve('..', 'shared', 'corpus', 'ubl');
const present = existsSync(DIR);
const skip = present ? false : `corpus folder ${DIR} not present`;

interface Expected { ruleSet: string; documentType: 'Invoice' | 'CreditNote'; hasPdf: boolean; warnings: string[] }

/** The README's verdicts: all valid; the Peppol examples carry no PDF visual, the UBL.BE ones do. */
const EXPECTED: Record<string, Expected> = {
  'peppol-bis3-base-example.xml': { ruleSet: 'peppol-bis3', documentType: 'Invoice', hasPdf: false, warnings: ['BILLSYNC-NO-PDF'] },
  'peppol-bis3-base-creditnote-correction.xml': { ruleSet: 'peppol-bis3', documentType: 'CreditNote', hasPdf: false, warnings: ['BILLSYNC-NO-PDF'] },
  'peppol-bis3-allowance-example.xml': { ruleSet: 'peppol-bis3', documentType: 'Invoice', hasPdf: false, warnings: ['BILLSYNC-NO-PDF'] },
  'ublbe-v1.31-tc01-invoice-pdf.xml': { ruleSet: 'ubl-be', documentType: 'Invoice', hasPdf: true, warnings: [] },
  'ublbe-v1.31-tc02-creditnote-pdf.xml': { ruleSet: 'ubl-be', documentType: 'CreditNote', hasPdf: true, warnings: [] },
  'ublbe-v1.31-tc08-reversecharge-AE-pdf.xml': { ruleSet: 'ubl-be', documentType: 'Invoice', hasPdf: true, warnings: [] },
  'ublbe-v1.31-tc14-intracommunity-K-pdf.xml': { ruleSet: 'ubl-be', documentType: 'Invoice', hasPdf: true, warnings: [] },
  'ublbe-v1.31-tc30-allowance-pdf.xml': { ruleSet: 'ubl-be', documentType: 'Invoice', hasPdf: true, warnings: [] },
};

const read = (name: string): Buffer => readFileSync(join(DIR, name));

test('the corpus holds exactly the UBL files its README gives verdicts for', { skip }, () => {
  assert.deepEqual(readdirSync(DIR).filter((f) => f.endsWith('.xml')).sort(), Object.keys(EXPECTED).sort());
});

for (const [name, expected] of Object.entries(EXPECTED)) {
  test(`corpus file ${name} is valid as the README says`, { skip }, () => {
    const verdict = validateUbl(read(name));
    assert.equal(verdict.valid, true, describe(verdict));
    assert.equal(verdict.errors.length, 0, describe(verdict));
    assert.deepEqual(verdict.warnings.map((w) => w.code), expected.warnings, describe(verdict));
    assert.equal(verdict.ruleSet, expected.ruleSet);
    assert.equal(verdict.documentType, expected.documentType);
    assert.equal(verdict.hasPdf, expected.hasPdf);
    assert.ok(verdict.summary?.id && verdict.summary.payable, 'summarised');
  });
}

test('the UBL.BE exceptions carry the intra-community and reverse-charge cases, not laxness', { skip }, () => {
  // The same files judged under Peppol BIS 3 fail exactly where UBL.BE deliberately departs from CEN.
  const strict = (name: string) => validateUbl(Buffer.from(read(name).toString('utf8').replace(UBL_BE, BIS3)));
  const tc14 = strict('ublbe-v1.31-tc14-intracommunity-K-pdf.xml');
  for (const code of ['BR-IC-01', 'BR-IC-08', 'BR-CL-22']) assert.ok(tc14.errors.some((f) => f.code === code), `${code}:\n${describe(tc14)}`);
  const tc08 = strict('ublbe-v1.31-tc08-reversecharge-AE-pdf.xml');
  assert.deepEqual([...new Set(tc08.errors.map((f) => f.code))], ['BR-CL-22']);
  assert.equal(strict('ublbe-v1.31-tc01-invoice-pdf.xml').valid, true, 'a plain UBL.BE invoice also passes the Peppol arithmetic');
});

test('embedding a PDF into the Peppol examples gives them a visual and keeps them valid', { skip }, () => {
  for (const name of Object.keys(EXPECTED).filter((n) => n.startsWith('peppol'))) {
    const verdict = validateUbl(embedPdf(read(name), makePdf([`Visual for ${name}`]), 'visual.pdf'));
    assert.equal(verdict.valid, true, describe(verdict));
    assert.equal(verdict.hasPdf, true);
    assert.deepEqual(verdict.warnings, []);
  }
});
