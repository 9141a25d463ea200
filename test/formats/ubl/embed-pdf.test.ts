import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import type { Element } from '@xmldom/xmldom';
import { EmbedPdfError, embedPdf } from '../../../src/formats/ubl/embed-pdf.js';
import { validateUbl } from '../../../src/formats/ubl/validate-ubl.js';
import { makePdf } from '../../../src/sandbox/data/pdf.js';
import { UBL_NAMESPACES } from '../../../src/sandbox/data/ubl-render.js';
import { assertClean, generatePlan, render, replaceFirst } from './ubl-fixtures.js';

const PDF = makePdf(['Factuur', 'Totaal 121,00']);

/**
 * Asserts that `result` is `original` with one contiguous insertion of an element, and returns it. Where the
 * inserted text and the following original text begin alike ("\n  <cac:A…"), several split points fit; the
 * element boundary is the one right after a '>' of the original where the insertion starts a line or a tag.
 */
function insertion(original: Buffer, result: Buffer): { offset: number; inserted: string } {
  const added = result.length - original.length;
  assert.ok(added > 0);
  let firstDifference = 0;
  while (firstDifference < original.length && original[firstDifference] === result[firstDifference]) firstDifference++;
  assert.ok(result.subarray(firstDifference + added).equals(original.subarray(firstDifference)), 'everything after the insertion is untouched');
  for (let offset = firstDifference; offset >= 0; offset--) {
    if (offset < firstDifference && original[offset] !== result[offset + added]) break; // no longer a valid split
    const inserted = result.subarray(offset, offset + added).toString('utf8');
    if (original[offset - 1] === 0x3e && /^(?:\r?\n|<)/.test(inserted)) return { offset, inserted };
  }
  assert.fail('no element boundary for the insertion');
}

function rootChildren(xml: Buffer): string[] {
  const root = new DOMParser().parseFromString(xml.toString('utf8'), 'application/xml').documentElement!;
  const ubl = root.localName === 'StandardBusinessDocument' ? [...root.children].find((c) => c.localName !== 'StandardBusinessDocumentHeader')! : root;
  return [...(ubl as Element).children].map((c) => c.localName ?? '');
}

const bare = (seed: number, kind: 'Invoice' | 'CreditNote' = 'Invoice'): Buffer => render(generatePlan('embed', seed, kind));

test('a PDF is inserted as text and every other byte stays as it was', () => {
  const original = bare(0);
  const result = embedPdf(original, PDF, 'F2025-0001.pdf');
  const { inserted } = insertion(original, result);
  assert.match(inserted, /^\n {2}<cac:AdditionalDocumentReference>\n {4}<cbc:ID>F2025-0001<\/cbc:ID>\n {4}<cbc:DocumentDescription>CommercialInvoice<\/cbc:DocumentDescription>\n {4}<cac:Attachment>\n {6}<cbc:EmbeddedDocumentBinaryObject mimeCode="application\/pdf" filename="F2025-0001.pdf">[A-Za-z0-9+/=]+<\/cbc:EmbeddedDocumentBinaryObject>\n {4}<\/cac:Attachment>\n {2}<\/cac:AdditionalDocumentReference>$/);
  const verdict = validateUbl(result);
  assertClean(verdict);
  assert.equal(verdict.hasPdf, true);
  assert.deepEqual(rootChildren(result).slice(rootChildren(result).indexOf('BuyerReference'), rootChildren(result).indexOf('BuyerReference') + 3),
    ['BuyerReference', 'AdditionalDocumentReference', 'AccountingSupplierParty']);
});

test('in a credit note the PDF goes after the billing reference', () => {
  const original = bare(1, 'CreditNote');
  const result = embedPdf(original, PDF, 'cn.pdf');
  insertion(original, result);
  const children = rootChildren(result);
  assert.equal(children.indexOf('AdditionalDocumentReference'), children.indexOf('BillingReference') + 1);
  assert.match(result.toString('utf8'), /<cbc:DocumentDescription>CreditNote<\/cbc:DocumentDescription>/);
  assertClean(validateUbl(result));
});

test('the PDF goes after existing supporting documents and before a project reference', () => {
  const xml = replaceFirst(bare(2).toString('utf8'), /(\s*)<cac:AccountingSupplierParty>/,
    '$1<cac:AdditionalDocumentReference><cbc:ID>DR35141</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>' +
    '$1<cac:ProjectReference><cbc:ID>PRJ-1</cbc:ID></cac:ProjectReference>$1<cac:AccountingSupplierParty>');
  const result = embedPdf(Buffer.from(xml), PDF, 'v.pdf');
  const children = rootChildren(result);
  const at = children.indexOf('ProjectReference');
  assert.deepEqual(children.slice(at - 2, at + 2), ['AdditionalDocumentReference', 'AdditionalDocumentReference', 'ProjectReference', 'AccountingSupplierParty']);
  assert.match(result.toString('utf8'), /<cbc:DocumentTypeCode>130<\/cbc:DocumentTypeCode><\/cac:AdditionalDocumentReference>\n {2}<cac:AdditionalDocumentReference>\n {4}<cbc:ID>/);
  assertClean(validateUbl(result));
});

test('the document\'s own prefixes are used', () => {
  const xml = bare(3).toString('utf8').replace(/<(\/?)cac:/g, '<$1ns2:').replace(/<(\/?)cbc:/g, '<$1ns3:')
    .replace('xmlns:cac=', 'xmlns:ns2=').replace('xmlns:cbc=', 'xmlns:ns3=');
  const original = Buffer.from(xml);
  assertClean(validateUbl(original), ['BILLSYNC-NO-PDF']);
  const result = embedPdf(original, PDF, 'v.pdf');
  const { inserted } = insertion(original, result);
  assert.match(inserted, /<ns2:AdditionalDocumentReference>\s*<ns3:ID>/);
  assert.doesNotMatch(inserted, /xmlns/);
  assertClean(validateUbl(result));
});

test('namespaces declared only on other elements are declared on the new one', () => {
  let xml = bare(4).toString('utf8')
    .replace(` xmlns:cac="${UBL_NAMESPACES.cac}"`, '').replace(` xmlns:cbc="${UBL_NAMESPACES.cbc}"`, '');
  xml = xml.replace(/^( {2}<(?:cac|cbc):\w+)/gm, `$1 xmlns:cac="${UBL_NAMESPACES.cac}" xmlns:cbc="${UBL_NAMESPACES.cbc}"`);
  const original = Buffer.from(xml);
  assertClean(validateUbl(original), ['BILLSYNC-NO-PDF']);
  const result = embedPdf(original, PDF, 'v.pdf');
  assert.match(insertion(original, result).inserted, new RegExp(`<cac:AdditionalDocumentReference xmlns:cac="${UBL_NAMESPACES.cac}" xmlns:cbc="${UBL_NAMESPACES.cbc}">`));
  assertClean(validateUbl(result));
});

test('CRLF line endings, a byte order mark and an SBDH envelope are kept', () => {
  const crlf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(bare(5).toString('utf8').replace(/\n/g, '\r\n'))]);
  const result = embedPdf(crlf, PDF, 'v.pdf');
  const { inserted } = insertion(crlf, result);
  assert.ok(inserted.startsWith('\r\n  <cac:AdditionalDocumentReference>\r\n    <cbc:ID>'));
  assert.doesNotMatch(inserted.replace(/\r\n/g, ''), /\n/);
  assertClean(validateUbl(result));

  const wrapped = render(generatePlan('embed', 6), { sbdh: true });
  const embedded = embedPdf(wrapped, PDF, 'v.pdf');
  assert.match(insertion(wrapped, embedded).inserted, /^\n {2}<cac:AdditionalDocumentReference>/);
  const verdict = validateUbl(embedded);
  assertClean(verdict);
  assert.notEqual(verdict.envelope, null);
});

test('a document on a single line gets the new element inline', () => {
  const oneLine = Buffer.from(bare(7).toString('utf8').replace(/>\s+</g, '><'));
  const result = embedPdf(oneLine, PDF, 'v.pdf');
  assert.match(insertion(oneLine, result).inserted, /^<cac:AdditionalDocumentReference><cbc:ID>/);
  assertClean(validateUbl(result));
});

test('file names and document numbers are escaped', () => {
  const result = embedPdf(bare(8), PDF, 'F&1 "quoted" <x>.pdf');
  const verdict = validateUbl(result);
  assertClean(verdict);
  const blob = new DOMParser().parseFromString(result.toString('utf8'), 'application/xml')
    .getElementsByTagNameNS(UBL_NAMESPACES.cbc, 'EmbeddedDocumentBinaryObject')[0]!;
  assert.equal(blob.getAttribute('filename'), 'F&1 "quoted" <x>.pdf');
});

test('embedPdf refuses what it cannot embed into or with', () => {
  const ubl = bare(9);
  assert.throws(() => embedPdf(ubl, Buffer.from('GIF89a'), 'v.pdf'), EmbedPdfError);
  assert.throws(() => embedPdf(ubl, PDF, ' '), EmbedPdfError);
  assert.throws(() => embedPdf(Buffer.from('<Invoice><unclosed></Invoice>'), PDF, 'v.pdf'), EmbedPdfError);
  assert.throws(() => embedPdf(Buffer.from(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>${ubl.toString('utf8').replace(/^<\?xml[^?]*\?>/, '')}`), PDF, 'v.pdf'), EmbedPdfError);
  assert.throws(() => embedPdf(Buffer.from('<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'), PDF, 'v.pdf'), EmbedPdfError);
});
