import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateUbl } from '../../../src/formats/ubl/validate-ubl.js';
import { BIS3, UBL_BE, assertClean, assertNoFinding, describe, generate, removeLeaf, replaceFirst, setLeaf } from './ubl-fixtures.js';

const check = (xml: string) => validateUbl(Buffer.from(xml, 'utf8'));

const invoice = (): string => generate('mandatory', 0, { pdf: true });
const creditNote = (): string => generate('mandatory', 1, { kind: 'CreditNote', pdf: true });
const removeBlock = (xml: string, qname: string, from?: string): string =>
  replaceFirst(xml, new RegExp(`\\s*<${qname}>[\\s\\S]*?</${qname}>`), '', from);

interface Case { code: string; sentence: string; base?: () => string; mutate: (xml: string) => string; severity?: 'error' | 'warning' }

const CASES: Case[] = [
  { code: 'BR-01', sentence: 'a missing CustomizationID', mutate: (x) => removeLeaf(x, 'cbc:CustomizationID') },
  { code: 'PEPPOL-EN16931-R001', sentence: 'a missing ProfileID', mutate: (x) => removeLeaf(x, 'cbc:ProfileID') },
  { code: 'PEPPOL-EN16931-R007', sentence: 'a ProfileID not of the form billing:NN:1.0', mutate: (x) => setLeaf(x, 'cbc:ProfileID', 'urn:fdc:peppol.eu:2017:poacc:billing:1.0') },
  { code: 'BR-02', sentence: 'a missing invoice number', mutate: (x) => removeLeaf(x, 'cbc:ID') },
  { code: 'BR-03', sentence: 'a missing issue date', mutate: (x) => removeLeaf(x, 'cbc:IssueDate') },
  { code: 'UBL-DATE', sentence: 'an issue date that does not exist', mutate: (x) => setLeaf(x, 'cbc:IssueDate', '2025-02-30') },
  { code: 'UBL-DATE', sentence: 'a due date in the wrong format', mutate: (x) => setLeaf(x, 'cbc:DueDate', '30/01/2025') },
  { code: 'PEPPOL-EN16931-F001', sentence: 'a Peppol issue date with a timezone', mutate: (x) => setLeaf(x, 'cbc:IssueDate', '2025-03-01+01:00') },
  { code: 'BR-04', sentence: 'a missing invoice type code', mutate: (x) => removeLeaf(x, 'cbc:InvoiceTypeCode') },
  { code: 'BR-04', sentence: 'a missing credit note type code', base: creditNote, mutate: (x) => removeLeaf(x, 'cbc:CreditNoteTypeCode') },
  { code: 'BR-05', sentence: 'a missing document currency', mutate: (x) => removeLeaf(x, 'cbc:DocumentCurrencyCode') },
  { code: 'BR-CL-04', sentence: 'a currency that is not an ISO 4217 code', mutate: (x) => setLeaf(x, 'cbc:DocumentCurrencyCode', 'Euro') },
  { code: 'BR-06', sentence: 'a missing seller name', mutate: (x) => removeLeaf(x, 'cbc:RegistrationName') },
  { code: 'BR-07', sentence: 'a missing buyer name', mutate: (x) => removeLeaf(x, 'cbc:RegistrationName', '<cac:AccountingCustomerParty>') },
  { code: 'BR-08', sentence: 'a missing seller postal address', mutate: (x) => removeBlock(x, 'cac:PostalAddress') },
  { code: 'BR-09', sentence: 'a missing seller country code', mutate: (x) => removeBlock(x, 'cac:Country') },
  { code: 'BR-10', sentence: 'a missing buyer postal address', mutate: (x) => removeBlock(x, 'cac:PostalAddress', '<cac:AccountingCustomerParty>') },
  { code: 'BR-11', sentence: 'a missing buyer country code', mutate: (x) => removeBlock(x, 'cac:Country', '<cac:AccountingCustomerParty>') },
  { code: 'BR-16', sentence: 'a document without lines', mutate: (x) => x.replace(/\s*<cac:InvoiceLine>[\s\S]*?<\/cac:InvoiceLine>/g, '') },
  { code: 'BR-21', sentence: 'a line without an identifier', mutate: (x) => removeLeaf(x, 'cbc:ID', '<cac:InvoiceLine>') },
  { code: 'BR-22', sentence: 'a line without a quantity', mutate: (x) => removeLeaf(x, 'cbc:InvoicedQuantity') },
  { code: 'BR-22', sentence: 'a credit note line without a quantity', base: creditNote, mutate: (x) => removeLeaf(x, 'cbc:CreditedQuantity') },
  { code: 'BR-23', sentence: 'a quantity without a unit code', mutate: (x) => replaceFirst(x, /(<cbc:InvoicedQuantity) unitCode="[^"]*"/, '$1') },
  { code: 'BR-24', sentence: 'a line without a net amount', mutate: (x) => removeLeaf(x, 'cbc:LineExtensionAmount', '<cac:InvoiceLine>') },
  { code: 'BR-25', sentence: 'an item without a name', mutate: (x) => removeLeaf(x, 'cbc:Name', '<cac:Item>') },
  { code: 'BR-26', sentence: 'a line without a net price', mutate: (x) => removeLeaf(x, 'cbc:PriceAmount') },
  { code: 'BR-CO-04', sentence: 'an item without a VAT category', mutate: (x) => removeLeaf(x, 'cbc:ID', '<cac:ClassifiedTaxCategory>') },
  { code: 'PEPPOL-EN16931-R003', sentence: 'neither a buyer reference nor an order reference', mutate: (x) => removeLeaf(x, 'cbc:BuyerReference') },
  { code: 'PEPPOL-EN16931-R008', sentence: 'an empty element', mutate: (x) => setLeaf(x, 'cbc:PaymentID', '') },
  { code: 'PEPPOL-EN16931-R051', sentence: 'an amount in another currency than the document', mutate: (x) => replaceFirst(x, 'currencyID="EUR"', 'currencyID="USD"') },
  { code: 'UBL-CURRENCYID', sentence: 'an amount without a currencyID', mutate: (x) => replaceFirst(x, /<cbc:PayableAmount currencyID="EUR">/, '<cbc:PayableAmount>') },
  { code: 'UBL-DECIMAL', sentence: 'an amount written with a decimal comma', mutate: (x) => setLeaf(x, 'cbc:TaxInclusiveAmount', '12,50') },
  { code: 'BR-12', sentence: 'a missing sum of line net amounts', mutate: (x) => removeLeaf(x, 'cbc:LineExtensionAmount', '<cac:LegalMonetaryTotal>') },
  { code: 'BR-13', sentence: 'a missing total without VAT', mutate: (x) => removeLeaf(x, 'cbc:TaxExclusiveAmount') },
  { code: 'BR-14', sentence: 'a missing total with VAT', mutate: (x) => removeLeaf(x, 'cbc:TaxInclusiveAmount') },
  { code: 'BR-15', sentence: 'a missing amount due', mutate: (x) => removeLeaf(x, 'cbc:PayableAmount') },
  { code: 'BR-CO-18', sentence: 'a VAT total without any VAT breakdown', mutate: (x) => x.replace(/\s*<cac:TaxSubtotal>[\s\S]*?<\/cac:TaxSubtotal>/g, '') },
  { code: 'PEPPOL-EN16931-R053', sentence: 'two VAT totals with breakdowns', mutate: (x) => x.replace(/(\s*<cac:TaxTotal>[\s\S]*?<\/cac:TaxTotal>)/, '$1$1') },
];

for (const c of CASES) {
  test(`${c.sentence} is reported as ${c.code}`, () => {
    const base = (c.base ?? invoice)();
    const before = check(base);
    assertClean(before);
    assertNoFinding(before, c.code);
    const after = check(c.mutate(base));
    const finding = [...after.errors, ...after.warnings].find((f) => f.code === c.code);
    assert.ok(finding, `expected ${c.code}, got:\n${describe(after)}`);
    assert.equal(finding.severity, c.severity ?? 'error');
    assert.ok(finding.message.length > 10 && finding.location?.startsWith('/'), `message and location: ${finding.message} @ ${finding.location}`);
  });
}

test('Peppol-only requirements do not apply to UBL.BE documents, other mandatory terms do', () => {
  const ublBe = invoice().replace(BIS3, UBL_BE);
  assertClean(check(removeLeaf(ublBe, 'cbc:BuyerReference')));
  const verdict = check(removeLeaf(ublBe, 'cbc:IssueDate'));
  assert.ok(verdict.errors.some((f) => f.code === 'BR-03'));
});

test('a date with a timezone is a valid xs:date: only Peppol forbids it, and only for its header dates', () => {
  const ublBe = check(setLeaf(invoice().replace(BIS3, UBL_BE), 'cbc:IssueDate', '2025-03-01+01:00'));
  assert.equal(ublBe.valid, true, describe(ublBe));
  assert.ok(ublBe.warnings.some((f) => f.code === 'PEPPOL-EN16931-F001'));
  const paymentDue = invoice().includes('<cbc:PaymentDueDate>')
    ? setLeaf(invoice(), 'cbc:PaymentDueDate', '2025-04-01Z')
    : invoice().replace('<cbc:PaymentMeansCode', '<cbc:PaymentDueDate>2025-04-01Z</cbc:PaymentDueDate><cbc:PaymentMeansCode');
  const verdict = check(paymentDue);
  assert.equal(verdict.valid, true, describe(verdict));
  assert.ok(verdict.warnings.some((f) => f.code === 'UBL-DATE-TIMEZONE'), describe(verdict));
  assert.equal(check(setLeaf(invoice(), 'cbc:IssueDate', '2025-02-30+01:00')).errors.some((f) => f.code === 'UBL-DATE'), true);
});

test('empty elements only warn outside Peppol BIS 3', () => {
  const verdict = check(setLeaf(invoice().replace(BIS3, UBL_BE), 'cbc:PaymentID', ''));
  assert.equal(verdict.valid, true);
  assert.ok(verdict.warnings.some((f) => f.code === 'PEPPOL-EN16931-R008'));
});

test('an order reference satisfies the buyer reference requirement', () => {
  const xml = replaceFirst(invoice(), /\s*<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, '');
  const withOrder = replaceFirst(xml, /(\s*)<cac:AdditionalDocumentReference>/, '$1<cac:OrderReference><cbc:ID>PO-1</cbc:ID></cac:OrderReference>$1<cac:AdditionalDocumentReference>');
  assertClean(check(withOrder));
});

test('the VAT total in the accounting currency may use the tax currency', () => {
  const xml = invoice();
  const tax = /<cac:TaxTotal>\s*<cbc:TaxAmount currencyID="EUR">([^<]+)</.exec(xml)![1]!;
  const withTaxCurrency = replaceFirst(
    replaceFirst(xml, /(<cbc:DocumentCurrencyCode>EUR<\/cbc:DocumentCurrencyCode>)/, '$1<cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>'),
    /(<\/cac:TaxTotal>)/, `$1<cac:TaxTotal><cbc:TaxAmount currencyID="SEK">${tax}</cbc:TaxAmount></cac:TaxTotal>`);
  assertClean(check(withTaxCurrency));
  const elsewhere = replaceFirst(withTaxCurrency, /<cbc:PayableAmount currencyID="EUR">/, '<cbc:PayableAmount currencyID="SEK">');
  assert.ok(check(elsewhere).errors.some((f) => f.code === 'PEPPOL-EN16931-R051'));
});
