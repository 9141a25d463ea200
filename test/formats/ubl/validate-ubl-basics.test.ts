import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unwrapSbdh } from '../../../src/formats/ubl/sbdh.js';
import { validateUbl } from '../../../src/formats/ubl/validate-ubl.js';
import {
  BIS3, UBL_BE, assertClean, assertError, assertWarning, generate, generatePlan, render, replaceFirst, setLeaf,
} from './ubl-fixtures.js';

const check = (xml: string | Buffer) => validateUbl(Buffer.isBuffer(xml) ? xml : Buffer.from(xml, 'utf8'));
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

test('a generated Peppol BIS 3 invoice is valid and summarised', () => {
  const plan = generatePlan('basics', 0);
  const verdict = check(render(plan, { pdf: true }));
  assertClean(verdict);
  assert.equal(verdict.format, 'ubl');
  assert.equal(verdict.ruleSet, 'peppol-bis3');
  assert.equal(verdict.documentType, 'Invoice');
  assert.equal(verdict.hasPdf, true);
  assert.equal(verdict.envelope, null);
  assert.deepEqual(verdict.summary, {
    id: plan.number, issueDate: plan.issueDate, currency: 'EUR', payable: plan.totals.payable,
    supplierVat: plan.supplier.vatNumber, customerVat: plan.customer.vatNumber,
  });
});

test('a generated credit note is valid and reported as a CreditNote', () => {
  const verdict = check(generate('basics', 1, { kind: 'CreditNote', pdf: true }));
  assertClean(verdict);
  assert.equal(verdict.documentType, 'CreditNote');
});

test('a DOCTYPE with an entity is refused before parsing', () => {
  const xml = generate('basics', 2).replace(DECLARATION, `${DECLARATION}\n<!DOCTYPE Invoice [<!ENTITY lol "lol">]>`);
  const verdict = check(xml);
  assertError(verdict, 'UBL-XML-UNSAFE');
  assert.equal(verdict.errors.length, 1);
  assert.equal(verdict.summary, null, 'nothing was parsed');
});

test('an entity declaration anywhere in the text is refused, even a lone one', () => {
  const xml = generate('basics', 2).replace('<cbc:Note>', '<!ENTITY x SYSTEM "file:///etc/passwd"><cbc:Note>');
  assertError(check(xml.includes('<!ENTITY') ? xml : `${xml}<!ENTITY x "y">`), 'UBL-XML-UNSAFE');
});

test('comments and CDATA sections are not mistaken for declarations', () => {
  const xml = replaceFirst(generate('basics', 3), '<cbc:ID>', '<!-- generated --><cbc:ID>');
  assertClean(check(xml), ['BILLSYNC-NO-PDF']);
  // What comments and CDATA hold is text: a note carrying an HTML page, a comment quoting a DTD.
  const html = replaceFirst(generate('basics', 3), '<cbc:ID>', '<!-- was: <!ENTITY foo "bar"> --><cbc:ID>')
    .replace(/<cbc:Note>[^<]*<\/cbc:Note>/, '<cbc:Note><![CDATA[<!DOCTYPE html><html><body>Bedankt!</body></html>]]></cbc:Note>');
  assertClean(check(html), ['BILLSYNC-NO-PDF']);
});

test('a UTF-8 byte order mark is tolerated', () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), render(generatePlan('basics', 4), { pdf: true })]);
  assertClean(check(bytes));
});

test('a Latin-1 declared document keeps its accents', () => {
  const plan = generatePlan('basics', 5);
  const xml = render(plan, { pdf: true }).toString('utf8')
    .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    .replace(`<cbc:RegistrationName>${plan.customer.name}`, '<cbc:RegistrationName>Société Liège');
  const verdict = check(Buffer.from(xml, 'latin1'));
  assertClean(verdict);
});

test('text that is not well-formed XML is rejected with the parser message', () => {
  const verdict = check(generate('basics', 6).replace('</cbc:IssueDate>', '</cbc:IssueDat>'));
  assertError(verdict, 'UBL-XML-MALFORMED');
  assert.match(verdict.errors[0]!.message, /not well-formed XML: .+/);
  assertError(check('not xml at all'), 'UBL-XML-MALFORMED');
  assertError(check(''), 'UBL-XML-MALFORMED');
});

test('an SBDH envelope is opened and its sender and receiver are reported', () => {
  const plan = generatePlan('basics', 7);
  const verdict = check(render(plan, { pdf: true, sbdh: true }));
  assertClean(verdict);
  assert.deepEqual(verdict.envelope, { sender: `0208:${plan.supplier.enterpriseNumber}`, receiver: `0208:${plan.customer.enterpriseNumber}` });
  assert.equal(verdict.summary?.id, plan.number);
});

test('validating a wrapped file finds exactly what validating unwrapSbdh output finds', () => {
  for (let i = 0; i < 6; i++) {
    let xml = render(generatePlan('basics-sbdh', i, i % 2 ? 'CreditNote' : 'Invoice'), { pdf: i % 3 === 0, sbdh: true }).toString('utf8');
    if (i >= 3) xml = setLeaf(xml, 'cbc:PayableAmount', '1.00'); // also compare a failing verdict
    const wrapped = check(xml);
    const bare = check(unwrapSbdh(Buffer.from(xml)).document);
    assert.notEqual(wrapped.envelope, null);
    assert.deepEqual({ ...wrapped, envelope: null }, bare);
  }
});

test('an SBDH envelope holding two documents is rejected', () => {
  const xml = render(generatePlan('basics', 8), { sbdh: true }).toString('utf8');
  const payload = /<Invoice[\s\S]*<\/Invoice>/.exec(xml)![0];
  const verdict = check(xml.replace('</StandardBusinessDocument>', `${payload}\n</StandardBusinessDocument>`));
  assertError(verdict, 'UBL-SBDH');
});

test('a root other than Invoice or CreditNote in the UBL namespaces is rejected', () => {
  assertError(check(`${DECLARATION}<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>`), 'UBL-ROOT');
  const wrongNamespace = generate('basics', 9).replace('xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"', 'xmlns="urn:example:invoice"');
  const verdict = check(wrongNamespace);
  assertError(verdict, 'UBL-ROOT');
  assert.match(verdict.errors[0]!.message, /\{urn:example:invoice\}Invoice/);
  assert.equal(verdict.documentType, null);
});

test('a UBL.BE CustomizationID selects the ubl-be rule set', () => {
  const verdict = check(generate('basics', 10, { pdf: true }).replace(BIS3, UBL_BE));
  assertClean(verdict);
  assert.equal(verdict.ruleSet, 'ubl-be');
});

test('an e-fff or BIS 2 CustomizationID is legacy: a warning, and only basics and totals are checked', () => {
  const legacyId = 'urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:urn:www.peppol.eu:bis:peppol5a:ver2.0:extended:e-fff:ver3.0';
  const xml = generate('basics', 11, { pdf: true }).replace(BIS3, legacyId);
  const verdict = check(xml);
  assert.equal(verdict.ruleSet, 'legacy');
  assertWarning(verdict, 'UBL-LEGACY');
  assert.equal(verdict.valid, true);
  // Peppol-only and CEN-only rules do not apply …
  const noBuyerReference = check(xml.replace(/\s*<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, '').replace(/\s*<cbc:ProfileID>[^<]*<\/cbc:ProfileID>/, ''));
  assert.equal(noBuyerReference.valid, true);
  // … but the totals do.
  assertError(check(setLeaf(xml, 'cbc:PayableAmount', '0.01')), 'BR-CO-16');
});

test('an unknown CustomizationID warns and applies the EN 16931 core', () => {
  const xml = generate('basics', 12, { pdf: true }).replace(BIS3, 'urn:cen.eu:en16931:2017');
  const verdict = check(xml);
  assert.equal(verdict.ruleSet, 'unknown');
  assertWarning(verdict, 'UBL-RULESET-UNKNOWN');
  assert.equal(verdict.valid, true);
  assertError(check(setLeaf(xml, 'cbc:TaxableAmount', '1.00')), 'BR-S-08');
});

test('every finding names a rule, a severity, a message and an element path', () => {
  const xml = setLeaf(generate('basics', 13), 'cbc:PayableAmount', '1.00');
  const verdict = check(xml);
  const finding = verdict.errors.find((f) => f.code === 'BR-CO-16');
  assert.ok(finding);
  assert.equal(finding.location, '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount');
  assert.match(finding.message, /PayableAmount is 1\.00 but TaxInclusiveAmount − PrepaidAmount \+ PayableRoundingAmount = \d+\.\d\d/);
});

test('what a strict XML parser rejects is malformed even where xmldom is lenient', () => {
  const xml = generate('basics', 14);
  assertError(check(xml.replace('<cbc:InvoiceTypeCode>', '<cbc:InvoiceTypeCode listID=UNCL1001>')), 'UBL-XML-MALFORMED');
  assertError(check(replaceFirst(xml, /<cbc:Note>|<cbc:DocumentCurrencyCode>/, '<cbc:Note>Ca & Co</cbc:Note><cbc:DocumentCurrencyCode>')), 'UBL-XML-MALFORMED');
  assertError(check(xml.replace('</cbc:ID>', '\u0001</cbc:ID>')), 'UBL-XML-MALFORMED');
  assertError(check(`${xml}junk`), 'UBL-XML-MALFORMED');
  // A bare '&' is legal inside CDATA and comments, and references are fine anywhere.
  const legal = replaceFirst(xml, '<cbc:DocumentCurrencyCode>', '<!-- a & b --><cbc:Note><![CDATA[Ca & Co]]> &amp; &#233;</cbc:Note><cbc:DocumentCurrencyCode>');
  assertClean(check(legal), ['BILLSYNC-NO-PDF']);
});

test('an empty amount is not a number, whatever the rule set', () => {
  const verdict = check(setLeaf(generate('basics', 15, { pdf: true }).replace(BIS3, UBL_BE), 'cbc:PayableAmount', ''));
  assertError(verdict, 'UBL-DECIMAL');
});
