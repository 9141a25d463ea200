import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateUbl } from '../../../src/formats/ubl/validate-ubl.js';
import { makePdf } from '../../../src/sandbox/data/pdf.js';
import { Random } from '../../../src/sandbox/data/random.js';
import {
  assertClean, assertError, assertNoFinding, assertWarning, generate, generatePlan, leaf, render, replaceFirst, setLeaf,
} from './ubl-fixtures.js';

const check = (xml: string) => validateUbl(Buffer.from(xml, 'utf8'));
const withPdf = (): string => generate('attachments', 0, { pdf: true });
const BLOB = /(<cbc:EmbeddedDocumentBinaryObject[^>]*>)([^<]*)(<\/cbc:EmbeddedDocumentBinaryObject>)/;
const setBlob = (xml: string, content: string): string => xml.replace(BLOB, (_m, open: string, _c: string, close: string) => `${open}${content}${close}`);
const blob = (xml: string): string => BLOB.exec(xml)![2]!;
/** Changes the last digit of a 10-digit number: the mod-97 check then fails. */
const breakDigit = (value: string): string => value.slice(0, 9) + String((Number(value[9]) + 1) % 10);

test('every 0208 identifier must pass the mod-97 check (PEPPOL-COMMON-R043)', () => {
  const plan = generatePlan('identifiers', 0);
  const xml = render(plan, { pdf: true }).toString('utf8');
  assertClean(check(xml));
  const number = plan.supplier.enterpriseNumber;
  for (const qname of ['cbc:EndpointID', 'cbc:ID', 'cbc:CompanyID']) {
    const from = qname === 'cbc:ID' ? '<cac:PartyIdentification>' : qname === 'cbc:CompanyID' ? '<cac:PartyLegalEntity>' : undefined;
    const mutated = setLeaf(xml, qname, breakDigit(number), from);
    const verdict = check(mutated);
    assertError(verdict, 'PEPPOL-COMMON-R043');
    assert.equal(verdict.errors.filter((f) => f.code === 'PEPPOL-COMMON-R043').length, 1, `only the ${qname} is wrong`);
  }
  assertError(check(setLeaf(xml, 'cbc:EndpointID', '123456789')), 'PEPPOL-COMMON-R043');
  // Peppol's rule is 10 digits and mod 97, nothing about the first digit.
  assertNoFinding(check(setLeaf(xml, 'cbc:EndpointID', '2123456791')), 'PEPPOL-COMMON-R043');
});

test('identifiers under other schemes are not checked against mod 97', () => {
  const plan = generatePlan('identifiers', 1);
  const xml = render(plan, { pdf: true }).toString('utf8').replace(
    `<cbc:EndpointID schemeID="0208">${plan.supplier.enterpriseNumber}</cbc:EndpointID>`, '<cbc:EndpointID schemeID="0088">7300010000001</cbc:EndpointID>');
  assertClean(check(xml));
});

test('a Belgian VAT number failing mod 97 is a warning (BILLSYNC-BE-VAT, no standard\'s rule); every VAT id needs a country prefix (BR-CO-09)', () => {
  const plan = generatePlan('identifiers', 2);
  const xml = render(plan, { pdf: true }).toString('utf8');
  const seller = plan.supplier.vatNumber;
  const buyer = plan.customer.vatNumber;
  for (const broken of [
    check(xml.replace(`<cbc:CompanyID>${seller}</cbc:CompanyID>`, `<cbc:CompanyID>BE${breakDigit(seller.slice(2))}</cbc:CompanyID>`)),
    check(xml.replace(`<cbc:CompanyID>${buyer}</cbc:CompanyID>`, `<cbc:CompanyID>BE${breakDigit(buyer.slice(2))}</cbc:CompanyID>`)),
  ]) {
    assertWarning(broken, 'BILLSYNC-BE-VAT');
    assert.equal(broken.valid, true);
  }
  // The ways people write a valid number: dots, dashes, spaces, the old 9-digit form.
  const digits = seller.slice(2);
  for (const written of [`BE ${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`, `BE-${digits.slice(0, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`,
    ...(digits.startsWith('0') ? [`BE${digits.slice(1)}`] : [])]) {
    assertNoFinding(check(xml.replace(`<cbc:CompanyID>${seller}</cbc:CompanyID>`, `<cbc:CompanyID>${written}</cbc:CompanyID>`)), 'BILLSYNC-BE-VAT');
  }
  const foreign = check(xml.replace(`<cbc:CompanyID>${buyer}</cbc:CompanyID>`, '<cbc:CompanyID>NL123456789B01</cbc:CompanyID>'));
  assertClean(foreign);
  assertError(check(xml.replace(`<cbc:CompanyID>${buyer}</cbc:CompanyID>`, `<cbc:CompanyID>${buyer.slice(2)}</cbc:CompanyID>`)), 'BR-CO-09');
});

test('an embedded PDF is found and reported as the visual', () => {
  const verdict = check(withPdf());
  assertClean(verdict);
  assert.equal(verdict.hasPdf, true);
});

test('a document without an embedded PDF gets the no-visual warning and stays valid', () => {
  const verdict = check(generate('attachments', 1));
  assert.equal(verdict.valid, true);
  assert.equal(verdict.hasPdf, false);
  assertWarning(verdict, 'BILLSYNC-NO-PDF');
  assert.match(verdict.warnings[0]!.message, /Venice will show no visual/);
});

test('an attachment needs a mimeCode from the allowed list and a filename (UBL-DT-06, BR-CL-24, UBL-DT-07)', () => {
  const xml = withPdf();
  assertError(check(xml.replace(' mimeCode="application/pdf"', '')), 'UBL-DT-06');
  assertError(check(xml.replace('mimeCode="application/pdf"', 'mimeCode="application/zip"')), 'BR-CL-24');
  assertError(check(xml.replace(/ filename="[^"]*"/, '')), 'UBL-DT-07');
});

test('base64 must be strict: a foreign character or a truncated block is rejected', () => {
  const xml = withPdf();
  const content = blob(xml);
  const middle = Math.floor(content.length / 2);
  assertError(check(setBlob(xml, `${content.slice(0, middle)}*${content.slice(middle + 1)}`)), 'BILLSYNC-ATTACHMENT-BASE64');
  assertError(check(setBlob(xml, content.slice(0, -3))), 'BILLSYNC-ATTACHMENT-BASE64');
  assertError(check(setBlob(xml, `${content}=`)), 'BILLSYNC-ATTACHMENT-BASE64');
  assertError(check(setBlob(xml, '')), 'BILLSYNC-ATTACHMENT-BASE64');
});

test('base64 wrapped in lines of 76 characters with CRLF is accepted', () => {
  const xml = withPdf();
  const wrapped = blob(xml).replace(/.{76}/g, '$&\r\n');
  assertClean(check(setBlob(xml, `\r\n${wrapped}\r\n\t\t`)));
});

test('a PDF attachment must decode to a PDF with an end-of-file marker (BILLSYNC-PDF-INVALID)', () => {
  const xml = withPdf();
  const pdf = Buffer.from(blob(xml), 'base64');
  const notPdf = Buffer.concat([Buffer.from('GIF89a'), pdf.subarray(6)]);
  const verdict = check(setBlob(xml, notPdf.toString('base64')));
  assertError(verdict, 'BILLSYNC-PDF-INVALID');
  assert.equal(verdict.hasPdf, false);
  assertNoFinding(verdict, 'BILLSYNC-NO-PDF');
  // A cut-off PDF is a damaged visual, not a broken invoice: a warning, and no PDF counted.
  const cut = check(setBlob(xml, pdf.subarray(0, pdf.length - 400).toString('base64')));
  assertWarning(cut, 'BILLSYNC-PDF-DAMAGED');
  assert.deepEqual([cut.valid, cut.hasPdf], [true, false]);
  // Bytes before the header (within the first 1024) still make a PDF readers show.
  const preceded = check(setBlob(xml, Buffer.concat([Buffer.from('\r\n'), pdf]).toString('base64')));
  assertNoFinding(preceded, 'BILLSYNC-PDF-INVALID');
  assert.equal(preceded.hasPdf, true);
});

test('a spreadsheet attachment is allowed but is no visual', () => {
  const xml = withPdf().replace('mimeCode="application/pdf"', 'mimeCode="text/csv"');
  const verdict = check(setBlob(xml, Buffer.from('a;b\n1;2\n').toString('base64')));
  assert.equal(verdict.valid, true);
  assertWarning(verdict, 'BILLSYNC-NO-PDF');
});

test('a supporting document needs a reference (BR-52)', () => {
  assertError(check(setLeaf(withPdf(), 'cbc:ID', '', '<cac:AdditionalDocumentReference>')), 'BR-52');
});

test('base64 holding character references is read through the parser and still validated', () => {
  const xml = withPdf();
  const content = blob(xml);
  const withReferences = setBlob(xml, `${content.slice(0, 100)}&#10;${content.slice(100)}`);
  assertClean(check(withReferences));
  assertError(check(setBlob(xml, `${content.slice(0, 100)}&#33;${content.slice(100)}`)), 'BILLSYNC-ATTACHMENT-BASE64');
});

test('a filename containing ">" does not confuse the extraction of the base64 block', () => {
  const xml = withPdf().replace(/filename="[^"]*"/, 'filename="a>b.pdf"');
  assertClean(check(xml));
});

test('a 250 KB PDF is validated in full', () => {
  const plan = generatePlan('attachments', 3);
  const pdf = makePdf(['big'], { padToBytes: 250000, rnd: new Random('big') });
  const xml = render(plan).toString('utf8');
  const big = replaceFirst(xml, /(\s*)<cac:AccountingSupplierParty>/,
    `$1<cac:AdditionalDocumentReference><cbc:ID>x</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="big.pdf">${pdf.toString('base64')}</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>$1<cac:AccountingSupplierParty>`);
  assertClean(check(big));
  const corrupt = big.replace(/(filename="big.pdf">.{200000})./s, '$1#');
  assertError(check(corrupt), 'BILLSYNC-ATTACHMENT-BASE64');
  assert.ok(leaf(big, 'cbc:ID', '<cac:AdditionalDocumentReference>') === 'x');
});
