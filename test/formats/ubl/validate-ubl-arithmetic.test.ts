import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dec, r2 } from '../../../src/formats/ubl/ubl-decimal.js';
import { validateUbl } from '../../../src/formats/ubl/validate-ubl.js';
import type { InvoicePlan } from '../../../src/sandbox/data/invoice-plan.js';
import {
  BIS3, UBL_BE, assertClean, assertError, assertNoFinding, assertWarning, describe, findPlan, handPlan, leaf, plusCents,
  removeLeaf, render, replaceFirst, setLeaf, withBelgianCodes,
} from './ubl-fixtures.js';
import type { From, HandLine } from './ubl-fixtures.js';

const check = (xml: string) => validateUbl(Buffer.from(xml, 'utf8'));
const doc = (plan: InvoicePlan): string => render(plan, { pdf: true }).toString('utf8');
const hand = (lines: HandLine[], kind: 'Invoice' | 'CreditNote' = 'Invoice'): string => withBelgianCodes(doc(handPlan(lines, kind)));
/** Adds cents to the first <qname> at or after `from`. */
const bump = (xml: string, qname: string, cents: bigint, from?: From): string => setLeaf(xml, qname, plusCents(leaf(xml, qname, from), cents), from);

const singleS = (): string => doc(findPlan((p) => p.vatBreakdown.length === 1 && p.vatBreakdown[0]!.category === 'S' && p.allowanceCharges.length === 0 && !p.lines.some((l) => l.allowance)));
const withAllowance = (): string => doc(findPlan((p) => p.allowanceCharges.some((ac) => !ac.chargeIndicator)));
const withCharge = (): string => doc(findPlan((p) => p.allowanceCharges.some((ac) => ac.chargeIndicator)));
const withLineAllowance = (): string => doc(findPlan((p) => p.lines.some((l) => l.allowance) && p.allowanceCharges.length === 0));
const LMT = '<cac:LegalMonetaryTotal>';
const LINE = '<cac:InvoiceLine>';

test('r2 rounds half toward +∞ as XPath round() does', () => {
  assert.equal(r2(dec('0.005')), dec('0.01'));
  assert.equal(r2(dec('-0.005')), 0n);
  assert.equal(r2(dec('-0.015')), dec('-0.01'));
  assert.equal(r2(dec('2.344999')), dec('2.34'));
  assert.equal(r2(dec('-2.346')), dec('-2.35'));
});

test('the document totals hold on generated documents with allowances, charges and line allowances', () => {
  for (const xml of [singleS(), withAllowance(), withCharge(), withLineAllowance()]) assertClean(check(xml));
});

const TOTALS: Array<[string, () => string, (xml: string) => string]> = [
  ['BR-CO-10', singleS, (x) => bump(x, 'cbc:LineExtensionAmount', 1n, LMT)],
  ['BR-CO-11', withAllowance, (x) => bump(x, 'cbc:AllowanceTotalAmount', 1n)],
  ['BR-CO-11', withAllowance, (x) => removeLeaf(x, 'cbc:AllowanceTotalAmount')],
  ['BR-CO-12', withCharge, (x) => bump(x, 'cbc:ChargeTotalAmount', 1n)],
  ['BR-CO-13', singleS, (x) => bump(x, 'cbc:TaxExclusiveAmount', 1n)],
  ['BR-CO-14', singleS, (x) => bump(x, 'cbc:TaxAmount', 1n, '<cac:TaxTotal>')],
  ['BR-CO-15', singleS, (x) => bump(x, 'cbc:TaxInclusiveAmount', 1n)],
  ['BR-CO-16', singleS, (x) => bump(x, 'cbc:PayableAmount', -1n)],
];
for (const [code, base, mutate] of TOTALS) {
  test(`a total off by one cent is reported as ${code}`, () => {
    assertNoFinding(check(base()), code);
    assertError(check(mutate(base())), code);
  });
}

test('a prepaid amount and a rounding amount enter the amount due (BR-CO-16)', () => {
  const xml = singleS();
  const payable = leaf(xml, 'cbc:PayableAmount');
  const prepaid = replaceFirst(xml, /(\s*)<cbc:PayableAmount currencyID="EUR">[^<]*/,
    `$1<cbc:PrepaidAmount currencyID="EUR">10.00</cbc:PrepaidAmount>$1<cbc:PayableRoundingAmount currencyID="EUR">0.01</cbc:PayableRoundingAmount>$1<cbc:PayableAmount currencyID="EUR">${plusCents(payable, -999n)}`);
  assertClean(check(prepaid));
  assertError(check(bump(prepaid, 'cbc:PayableAmount', 1n)), 'BR-CO-16');
});

test('a positive amount due without due date or payment terms is reported as BR-CO-25', () => {
  const xml = singleS();
  const noTerms = replaceFirst(xml, /\s*<cac:PaymentTerms>[\s\S]*?<\/cac:PaymentTerms>/, '');
  assertClean(check(noTerms), []);
  assertError(check(removeLeaf(noTerms, 'cbc:DueDate')), 'BR-CO-25');
  const creditNote = doc(findPlan(() => true, 'CreditNote'));
  const cnNoTerms = replaceFirst(creditNote, /\s*<cac:PaymentTerms>[\s\S]*?<\/cac:PaymentTerms>/, '');
  assertClean(check(cnNoTerms));
  // The official rule is bound to /ubl:Invoice: a credit note without any due date or terms is valid.
  assertClean(check(removeLeaf(cnNoTerms, 'cbc:PaymentDueDate')));
});

test('a standard-rated taxable amount may be off by less than 1.00 but not by 1.00 (BR-S-08)', () => {
  const xml = singleS();
  assertNoFinding(check(bump(xml, 'cbc:TaxableAmount', 99n)), 'BR-S-08');
  assertError(check(bump(xml, 'cbc:TaxableAmount', 100n)), 'BR-S-08');
  assertError(check(bump(xml, 'cbc:TaxableAmount', -100n)), 'BR-S-08');
});

const EXACT_CATEGORIES: Array<[string, HandLine]> = [
  ['BR-Z-08', { category: 'Z', percent: '0', quantity: '3', price: '12.50' }],
  ['BR-E-08', { category: 'E', percent: '0', quantity: '2', price: '80.00' }],
  ['BR-AE-08', { category: 'AE', percent: '0', quantity: '5', price: '40.00', exemptionCode: 'VATEX-EU-AE' }],
  ['BR-IC-08', { category: 'K', percent: '0', quantity: '1', price: '999.99', exemptionCode: 'VATEX-EU-IC' }],
  ['BR-G-08', { category: 'G', percent: '0', quantity: '4', price: '19.95', exemptionCode: 'VATEX-EU-G' }],
  ['BR-O-08', { category: 'O', percent: '0', quantity: '1', price: '50.00', exemptionCode: 'VATEX-EU-O' }],
];
for (const [code, line] of EXACT_CATEGORIES) {
  test(`a ${line.category} taxable amount must match its lines exactly (${code}) and carry no VAT (${code.replace('-08', '-09')})`, () => {
    const xml = hand([{ category: 'S', percent: '21', quantity: '1', price: '100.00' }, line]);
    assertClean(check(xml));
    const sub = `<cbc:ID>${line.category}</cbc:ID>`;
    const at = xml.lastIndexOf('<cac:TaxSubtotal>', xml.indexOf(sub));
    assertError(check(bump(xml, 'cbc:TaxableAmount', 1n, at)), code);
    assertError(check(bump(xml, 'cbc:TaxAmount', 1n, at)), code.replace('-08', '-09'));
  });
}

test('a tax amount within ±1 of r2(taxable × rate) passes, beyond fails (BR-S-09, BR-CO-17)', () => {
  const xml = singleS();
  const sub = '<cac:TaxSubtotal>';
  assertNoFinding(check(bump(xml, 'cbc:TaxAmount', 99n, sub)), 'BR-S-09');
  assertError(check(bump(xml, 'cbc:TaxAmount', 100n, sub)), 'BR-S-09');
  const igic = hand([{ category: 'L', percent: '7', quantity: '1', price: '100.00' }]);
  assertClean(check(igic));
  assertNoFinding(check(bump(igic, 'cbc:TaxAmount', 100n, sub)), 'BR-CO-17');
  assertError(check(bump(igic, 'cbc:TaxAmount', 101n, sub)), 'BR-CO-17');
});

test('a category used on a line needs a breakdown, and a breakdown needs lines (BR-x-01, BR-x-08)', () => {
  const xml = hand([{ category: 'S', percent: '21', quantity: '1', price: '100.00' }, { category: 'E', percent: '0', quantity: '1', price: '30.00' }]);
  assertClean(check(xml));
  const withoutE = replaceFirst(xml, /\s*<cac:TaxSubtotal>(?:(?!<\/cac:TaxSubtotal>)[\s\S])*?<cbc:ID>E<\/cbc:ID>[\s\S]*?<\/cac:TaxSubtotal>/, '');
  assertError(check(withoutE), 'BR-E-01');
  const otherRate = setLeaf(xml, 'cbc:Percent', '12', LINE);
  const verdict = check(otherRate);
  assertError(verdict, 'BR-S-08');
  assert.ok(verdict.errors.some((f) => f.code === 'BR-S-08' && /no VAT subtotal has that category and rate/.test(f.message)), describe(verdict));
  const unused = replaceFirst(xml, /(<\/cac:TaxSubtotal>)(\s*<\/cac:TaxTotal>)/,
    '$1<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">5.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">0.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>Z</cbc:ID><cbc:Percent>0</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>$2');
  const unusedVerdict = check(unused);
  assertError(unusedVerdict, 'BR-Z-08');
  assert.match(unusedVerdict.errors.find((f) => f.code === 'BR-Z-08')!.message, /no line or allowance\/charge uses it/);
});

test('IGIC (L) and IPSI (M) may have a subtotal per rate, as S may (BR-AF-01, BR-AG-01 say "at least one"); B is a known category code', () => {
  for (const category of ['L', 'M']) {
    const xml = hand([{ category, percent: '7', quantity: '1', price: '100.00' }, { category, percent: '3', quantity: '1', price: '50.00' }]);
    const verdict = check(xml);
    assertNoFinding(verdict, category === 'L' ? 'BR-AF-01' : 'BR-AG-01');
    assert.equal(verdict.valid, true, describe(verdict));
  }
  const split = check(setLeaf(hand([{ category: 'S', percent: '22', quantity: '1', price: '100.00' }]), 'cbc:ID', 'B', LINE.replace('InvoiceLine', 'ClassifiedTaxCategory')));
  assertNoFinding(split, 'BR-CL-18');
});

test('exempt categories need an exemption reason and use VATEX codes (BR-E-10, BR-CL-22)', () => {
  const xml = hand([{ category: 'E', percent: '0', quantity: '1', price: '30.00' }]);
  assertClean(check(xml));
  const noReason = removeLeaf(removeLeaf(xml, 'cbc:TaxExemptionReasonCode'), 'cbc:TaxExemptionReason');
  assertError(check(noReason), 'BR-E-10');
  assertError(check(setLeaf(xml, 'cbc:TaxExemptionReasonCode', 'BETE-EX')), 'BR-CL-22');
});

test('UBL.BE: a K breakdown split per Belgian tax code with BETE codes is conformant (tc14)', () => {
  const lines: HandLine[] = [
    { category: 'K@46/GO', percent: '0', quantity: '2', price: '200.00', exemptionCode: 'BETE-46/GO' },
    { category: 'K@44', percent: '0', quantity: '1', price: '300.00', exemptionCode: 'BETE-44' },
  ];
  const peppol = hand(lines);
  const ublBe = peppol.replace(BIS3, UBL_BE);
  assertClean(check(ublBe));
  const strict = check(peppol);
  for (const code of ['BR-IC-01', 'BR-IC-08', 'BR-CL-22']) assertError(strict, code);
  // UBL.BE's own mismatch beyond the split is still pointed out, as a warning.
  const off = check(bump(ublBe, 'cbc:TaxableAmount', 1n, '<cac:TaxSubtotal>'));
  assert.equal(off.valid, true);
  assertWarning(off, 'BR-IC-08');
});

test('UBL.BE: a taxable amount that departs from the line sum is a warning, not an error', () => {
  const xml = singleS().replace(BIS3, UBL_BE);
  const verdict = check(bump(xml, 'cbc:TaxableAmount', 500n));
  assertWarning(verdict, 'BR-S-08');
  assert.ok(!verdict.errors.some((f) => f.code === 'BR-S-08'));
});

test('a line amount within 0.02 of quantity × price passes, beyond fails (PEPPOL-EN16931-R120)', () => {
  // 3 × 12.50 is exact; R120 compares with the unrounded product, so 38.25 × 74.58 = 2852.685 would already use 0.005 of the slack.
  const xml = hand([{ category: 'S', percent: '21', quantity: '3', price: '12.50' }]);
  assertClean(check(xml));
  assertNoFinding(check(bump(xml, 'cbc:LineExtensionAmount', 2n, LINE)), 'PEPPOL-EN16931-R120');
  assertError(check(bump(xml, 'cbc:LineExtensionAmount', 3n, LINE)), 'PEPPOL-EN16931-R120');
  assertError(check(bump(xml, 'cbc:LineExtensionAmount', -5n, LINE)), 'PEPPOL-EN16931-R120');
});

test('a base quantity divides the price (R120) and must be positive (R121)', () => {
  const xml = singleS();
  const price = leaf(xml, 'cbc:PriceAmount');
  const perTwo = replaceFirst(xml, /<cbc:PriceAmount currencyID="EUR">[^<]*<\/cbc:PriceAmount>/,
    `<cbc:PriceAmount currencyID="EUR">${plusCents(price, BigInt(Math.round(Number(price) * 100)))}</cbc:PriceAmount><cbc:BaseQuantity unitCode="C62">2</cbc:BaseQuantity>`);
  assertClean(check(perTwo));
  assertError(check(setLeaf(perTwo, 'cbc:PriceAmount', price)), 'PEPPOL-EN16931-R120');
  assertError(check(setLeaf(perTwo, 'cbc:BaseQuantity', '0')), 'PEPPOL-EN16931-R121');
});

test('line allowances enter the line amount (R120) and must match their percentage (R040)', () => {
  const xml = withLineAllowance();
  assertClean(check(xml));
  const marker = xml.lastIndexOf(LINE, xml.indexOf('<cbc:MultiplierFactorNumeric>', xml.indexOf(LINE)));
  assertError(check(bump(xml, 'cbc:Amount', 5n, marker)), 'PEPPOL-EN16931-R120');
  assertError(check(setLeaf(xml, 'cbc:MultiplierFactorNumeric', '50', marker)), 'PEPPOL-EN16931-R040');
});

test('a document allowance must match base × percentage within 0.02 (R040), with both or neither given (R041, R042)', () => {
  const xml = withAllowance();
  const base = leaf(xml, 'cbc:BaseAmount');
  const factor = leaf(xml, 'cbc:MultiplierFactorNumeric');
  assertError(check(setLeaf(xml, 'cbc:MultiplierFactorNumeric', String(Number(factor) + 1))), 'PEPPOL-EN16931-R040');
  assertNoFinding(check(setLeaf(xml, 'cbc:BaseAmount', plusCents(base, 1n))), 'PEPPOL-EN16931-R040');
  assertError(check(removeLeaf(xml, 'cbc:BaseAmount')), 'PEPPOL-EN16931-R041');
  assertError(check(removeLeaf(xml, 'cbc:MultiplierFactorNumeric')), 'PEPPOL-EN16931-R042');
});

test('prices must not be negative (BR-27) and price discounts must add up (R044, R046)', () => {
  const xml = singleS();
  assertError(check(setLeaf(xml, 'cbc:PriceAmount', '-1.00')), 'BR-27');
  const price = leaf(xml, 'cbc:PriceAmount');
  const discount = (charge: boolean, gross: string): string => replaceFirst(xml, /(<cbc:PriceAmount currencyID="EUR">[^<]*<\/cbc:PriceAmount>)/,
    `$1<cac:AllowanceCharge><cbc:ChargeIndicator>${charge}</cbc:ChargeIndicator><cbc:Amount currencyID="EUR">1.00</cbc:Amount><cbc:BaseAmount currencyID="EUR">${gross}</cbc:BaseAmount></cac:AllowanceCharge>`);
  assertClean(check(discount(false, plusCents(price, 100n))));
  assertError(check(discount(false, plusCents(price, 101n))), 'PEPPOL-EN16931-R046');
  assertError(check(discount(true, plusCents(price, 100n))), 'PEPPOL-EN16931-R044');
});

test('more than 2 decimals is an error under Peppol and at most a warning under UBL.BE (BR-DEC)', () => {
  const xml = singleS();
  const payable = setLeaf(xml, 'cbc:PayableAmount', `${leaf(xml, 'cbc:PayableAmount')}0`);
  assertError(check(payable), 'BR-DEC-18');
  assertWarning(check(payable.replace(BIS3, UBL_BE)), 'BR-DEC-18');
  assert.equal(check(payable.replace(BIS3, UBL_BE)).valid, true);
  const lineAmount = setLeaf(xml, 'cbc:LineExtensionAmount', `${leaf(xml, 'cbc:LineExtensionAmount', LINE)}00`, LINE);
  assertError(check(lineAmount), 'BR-DEC-23');
  assertClean(check(lineAmount.replace(BIS3, UBL_BE)));
});

test('negative quantities and amounts are allowed on a correction invoice', () => {
  const xml = hand([{ category: 'S', percent: '25', quantity: '7', price: '400.00' }, { category: 'S', percent: '25', quantity: '-3', price: '500.00' }]);
  assert.match(xml, /<cbc:LineExtensionAmount currencyID="EUR">-1500.00</);
  assertClean(check(xml));
  const allNegative = hand([{ category: 'S', percent: '21', quantity: '-2', price: '10.00' }]);
  assertClean(check(replaceFirst(allNegative, /\s*<cac:PaymentTerms>[\s\S]*?<\/cac:PaymentTerms>/, '')));
});

test('a credit note keeps positive amounts and is valid', () => {
  const xml = doc(findPlan((p) => p.lines.length > 2, 'CreditNote'));
  assert.doesNotMatch(xml, />-\d/);
  assertClean(check(xml));
  assertError(check(bump(xml, 'cbc:LineExtensionAmount', 5n, '<cac:CreditNoteLine>')), 'PEPPOL-EN16931-R120');
});
