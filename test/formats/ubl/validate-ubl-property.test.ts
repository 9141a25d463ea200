import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateUbl } from '../../../src/formats/ubl/validate-ubl.js';
import type { UblVerdict } from '../../../src/formats/ubl/validate-ubl.js';
import { describe, generatePlan, leaf, plusCents, removeLeaf, render, replaceFirst, setLeaf } from './ubl-fixtures.js';

/**
 * Property: every document the sandbox generates (invoices and credit notes, with and without PDF, bare or
 * in an SBDH envelope) is valid, and each single mutation of one is caught with the right rule.
 */

interface Sample { xml: string; kind: 'Invoice' | 'CreditNote'; pdf: boolean; sbdh: boolean }

const SEEDS = ['prop-alpha', 'prop-beta', 'prop-gamma', 'prop-delta', 'prop-epsilon'];

function samples(): Sample[] {
  const out: Sample[] = [];
  for (const seed of SEEDS) {
    for (let i = 0; i < 60; i++) {
      const kind = i % 4 === 3 ? 'CreditNote' : 'Invoice';
      const pdf = i % 5 % 2 === 0; // independent of the kind's cycle of 4, so credit notes come with and without PDF
      const sbdh = i % 3 === 0;
      out.push({ xml: render(generatePlan(seed, i, kind), { pdf, sbdh }).toString('utf8'), kind, pdf, sbdh });
    }
  }
  return out;
}

const SAMPLES = samples();
const check = (xml: string): UblVerdict => validateUbl(Buffer.from(xml, 'utf8'));

test('three hundred generated invoices and credit notes all pass', () => {
  assert.equal(SAMPLES.length, 300);
  const count = (f: (s: Sample) => boolean): number => SAMPLES.filter(f).length;
  assert.ok(count((s) => s.kind === 'CreditNote') >= 70 && count((s) => s.pdf) === 180 && count((s) => s.sbdh) === 100);
  for (const sample of SAMPLES) {
    const verdict = check(sample.xml);
    assert.equal(verdict.errors.length, 0, describe(verdict));
    assert.deepEqual(verdict.warnings.map((w) => w.code), sample.pdf ? [] : ['BILLSYNC-NO-PDF'], describe(verdict));
    assert.equal(verdict.valid, true);
    assert.equal(verdict.hasPdf, sample.pdf);
    assert.equal(verdict.documentType, sample.kind);
    assert.equal(verdict.ruleSet, 'peppol-bis3');
    assert.equal(verdict.envelope !== null, sample.sbdh);
  }
});

interface Mutation { name: string; code: string; applies?: (s: Sample) => boolean; mutate: (s: Sample) => string }

const lineTag = (s: Sample): string => (s.kind === 'Invoice' ? '<cac:InvoiceLine>' : '<cac:CreditNoteLine>');

const MUTATIONS: Mutation[] = [
  {
    name: 'a line amount changed by 0.05', code: 'PEPPOL-EN16931-R120',
    mutate: (s) => setLeaf(s.xml, 'cbc:LineExtensionAmount', plusCents(leaf(s.xml, 'cbc:LineExtensionAmount', lineTag(s)), 5n), lineTag(s)),
  },
  {
    name: 'the amount due changed', code: 'BR-CO-16',
    mutate: (s) => setLeaf(s.xml, 'cbc:PayableAmount', plusCents(leaf(s.xml, 'cbc:PayableAmount'), 100n)),
  },
  { name: 'a currencyID broken', code: 'PEPPOL-EN16931-R051', mutate: (s) => replaceFirst(s.xml, 'currencyID="EUR"', 'currencyID="EURO"') },
  {
    name: 'a 0208 enterprise number that fails mod 97', code: 'PEPPOL-COMMON-R043',
    mutate: (s) => {
      const value = leaf(s.xml, 'cbc:EndpointID');
      return setLeaf(s.xml, 'cbc:EndpointID', value.slice(0, 9) + String((Number(value[9]) + 1) % 10));
    },
  },
  {
    name: 'the PDF base64 corrupted', code: 'BILLSYNC-ATTACHMENT-BASE64', applies: (s) => s.pdf,
    mutate: (s) => replaceFirst(s.xml, /(<cbc:EmbeddedDocumentBinaryObject[^>]*>[A-Za-z0-9+/]{40})[A-Za-z0-9+/]/, '$1%'),
  },
  { name: 'the issue date removed', code: 'BR-03', mutate: (s) => removeLeaf(s.xml, 'cbc:IssueDate') },
  { name: 'the buyer name removed', code: 'BR-07', mutate: (s) => removeLeaf(s.xml, 'cbc:RegistrationName', '<cac:AccountingCustomerParty>') },
  {
    name: 'a DOCTYPE with an entity added', code: 'UBL-XML-UNSAFE',
    mutate: (s) => s.xml.replace(/^(<\?xml[^?]*\?>)/, '$1\n<!DOCTYPE x [<!ENTITY boom "boom">]>'),
  },
];

for (const mutation of MUTATIONS) {
  test(`${mutation.name} is caught as ${mutation.code} on a hundred generated documents`, () => {
    // A hundred documents spread over all seeds, kinds, PDF and SBDH variants keep the run short.
    const candidates = SAMPLES.filter((s) => mutation.applies?.(s) ?? true);
    const step = Math.max(1, Math.floor(candidates.length / 100));
    const chosen = candidates.filter((_, i) => i % step === 0);
    assert.ok(chosen.length >= 100 && chosen.some((s) => s.sbdh) && chosen.some((s) => s.kind === 'CreditNote'));
    for (const [index, sample] of chosen.entries()) {
      const mutated = mutation.mutate(sample);
      assert.notEqual(mutated, sample.xml);
      const verdict = check(mutated);
      assert.equal(verdict.valid, false, `${mutation.name} on sample ${index} was not rejected`);
      assert.ok(verdict.errors.some((f) => f.code === mutation.code), `sample ${index}: expected ${mutation.code}, got:\n${describe(verdict)}`);
    }
  });
}
