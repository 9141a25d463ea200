import { SBDH_NS } from './sbdh.js';
import { UBL_NS, cbcText, childElements, parseXml } from './ubl-dom.js';
import { extractBinaryObjects, findUnsafeDeclaration } from './ubl-input.js';
import { namespaceDeclarations, scanElements } from './xml-scan.js';
import type { ScannedElement } from './xml-scan.js';

/**
 * Embeds a PDF into a UBL invoice or credit note as the visual Venice shows (BG-24 with an
 * EmbeddedDocumentBinaryObject). The new AdditionalDocumentReference is inserted as text, so every other
 * byte of the supplier's document stays exactly as it was (no re-serialisation that could reorder
 * namespace declarations, re-escape text or drop a signature's canonical form).
 */

export class EmbedPdfError extends Error {
  override readonly name = 'EmbedPdfError';
}

/**
 * The children that the UBL 2.1 XSD sequence puts before AdditionalDocumentReference, plus
 * AdditionalDocumentReference itself: the new one goes after the last of these, before ProjectReference,
 * Signature and AccountingSupplierParty. The two sequences differ: in a CreditNote, Statement- and
 * OriginatorDocumentReference come after AdditionalDocumentReference, and DiscrepancyResponse before it.
 */
const COMMON_BEFORE = ['UBLExtensions', 'UBLVersionID', 'CustomizationID', 'ProfileID', 'ProfileExecutionID', 'ID',
  'CopyIndicator', 'UUID', 'IssueDate', 'IssueTime', 'TaxPointDate', 'Note', 'DocumentCurrencyCode', 'TaxCurrencyCode',
  'PricingCurrencyCode', 'PaymentCurrencyCode', 'PaymentAlternativeCurrencyCode', 'AccountingCostCode', 'AccountingCost',
  'LineCountNumeric', 'BuyerReference', 'InvoicePeriod', 'OrderReference', 'BillingReference', 'DespatchDocumentReference',
  'ReceiptDocumentReference', 'ContractDocumentReference', 'AdditionalDocumentReference'];
const BEFORE: Record<'Invoice' | 'CreditNote', ReadonlySet<string>> = {
  Invoice: new Set([...COMMON_BEFORE, 'DueDate', 'InvoiceTypeCode', 'StatementDocumentReference', 'OriginatorDocumentReference']),
  CreditNote: new Set([...COMMON_BEFORE, 'CreditNoteTypeCode', 'DiscrepancyResponse']),
};

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) =>
  c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;');

export function embedPdf(ublBytes: Buffer, pdf: Buffer, fileName: string): Buffer {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new EmbedPdfError('the file to embed is not a PDF (no %PDF- header)');
  if (fileName.trim() === '') throw new EmbedPdfError('a file name is required (UBL-DT-07)');
  // Decoded with its BOM kept, so that text offsets convert to byte offsets exactly.
  const text = ublBytes.toString('utf8');
  if (findUnsafeDeclaration(text) !== null) throw new EmbedPdfError('the UBL contains a DOCTYPE or entity declaration');
  const { kind, documentId, wrapped } = describe(text);

  const scanned = scanElements(text, wrapped ? 2 : 1);
  const targetIndex = scanned.findIndex((el) => el.localName === kind && el.depth === (wrapped ? 1 : 0));
  const target = scanned[targetIndex];
  if (!target) throw new EmbedPdfError(`no ${kind} element found in the text`);
  const children = scanned.filter((el) => el.parent === targetIndex);
  const anchor = children.filter((el) => BEFORE[kind].has(el.localName)).at(-1);

  // In-scope namespace declarations of the target (and of the SBDH root around it), innermost last.
  const scopes = [...(wrapped && target.parent >= 0 ? [scanned[target.parent]!] : []), target];
  const bindings = new Map<string, string>();
  for (const el of scopes) for (const [prefix, uri] of namespaceDeclarations(el.attributes)) bindings.set(prefix, uri);
  const prefixFor = (uri: string, fallback: string): { prefix: string; declare: string } => {
    const found = [...bindings].find(([, bound]) => bound === uri)?.[0];
    if (found !== undefined) return { prefix: found === '' ? '' : `${found}:`, declare: '' };
    return { prefix: `${fallback}:`, declare: ` xmlns:${fallback}="${uri}"` };
  };
  const cac = prefixFor(UBL_NS.cac, 'cac');
  const cbc = prefixFor(UBL_NS.cbc, 'cbc');

  const offset = anchor ? anchor.end : target.startTagEnd;
  const { eol, indent, unit } = layoutAt(text, anchor ?? children[0], wrapped ? 2 : 1);
  const snippet = [
    `${eol}${indent}<${cac.prefix}AdditionalDocumentReference${cac.declare}${cbc.declare}>`,
    `${eol}${indent}${unit}<${cbc.prefix}ID>${escape(documentId ?? fileName)}</${cbc.prefix}ID>`,
    `${eol}${indent}${unit}<${cbc.prefix}DocumentDescription>${kind === 'Invoice' ? 'CommercialInvoice' : 'CreditNote'}</${cbc.prefix}DocumentDescription>`,
    `${eol}${indent}${unit}<${cac.prefix}Attachment>`,
    `${eol}${indent}${unit}${unit}<${cbc.prefix}EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="${escape(fileName)}">${pdf.toString('base64')}</${cbc.prefix}EmbeddedDocumentBinaryObject>`,
    `${eol}${indent}${unit}</${cac.prefix}Attachment>`,
    `${eol}${indent}</${cac.prefix}AdditionalDocumentReference>`,
  ].join('');
  const byteOffset = Buffer.byteLength(text.slice(0, offset), 'utf8');
  return Buffer.concat([ublBytes.subarray(0, byteOffset), Buffer.from(snippet, 'utf8'), ublBytes.subarray(byteOffset)]);
}

/** Checks the document with the real parser and says what it is. */
function describe(text: string): { kind: 'Invoice' | 'CreditNote'; documentId: string | null; wrapped: boolean } {
  const parsed = parseXml(extractBinaryObjects(text.replace(/^\uFEFF/, '')).text);
  if ('error' in parsed) throw new EmbedPdfError(`the UBL is not well-formed XML: ${parsed.error}`);
  let root = parsed.root;
  const wrapped = root.localName === 'StandardBusinessDocument' && root.namespaceURI === SBDH_NS;
  if (wrapped) {
    const payloads = childElements(root).filter((el) => !(el.localName === 'StandardBusinessDocumentHeader' && el.namespaceURI === SBDH_NS));
    if (payloads.length !== 1) throw new EmbedPdfError(`the SBDH envelope holds ${payloads.length} documents; expected exactly one`);
    root = payloads[0]!;
  }
  const kind = root.localName === 'Invoice' && root.namespaceURI === UBL_NS.Invoice ? 'Invoice'
    : root.localName === 'CreditNote' && root.namespaceURI === UBL_NS.CreditNote ? 'CreditNote' : null;
  if (kind === null) throw new EmbedPdfError(`the document is {${root.namespaceURI ?? ''}}${root.localName}, not a UBL Invoice or CreditNote`);
  return { kind, documentId: cbcText(root, 'ID'), wrapped };
}

/**
 * Follows the document's own layout: when the sibling we copy sits on its own line, the new element gets
 * its own lines with the same indentation and line ending; in a single-line document it stays inline.
 */
function layoutAt(text: string, sibling: ScannedElement | undefined, depth: number): { eol: string; indent: string; unit: string } {
  if (!sibling) return { eol: '', indent: '', unit: '' };
  const lineStart = text.lastIndexOf('\n', sibling.start - 1);
  const indent = text.slice(lineStart + 1, sibling.start);
  if (lineStart < 0 || !/^[ \t]*$/.test(indent)) return { eol: '', indent: '', unit: '' };
  const eol = text[lineStart - 1] === '\r' ? '\r\n' : '\n';
  // The sibling is `depth` levels deep, so one level of its indentation is the document's indent unit.
  const perLevel = indent.length / depth;
  const unit = Number.isInteger(perLevel) && perLevel > 0 ? indent.slice(0, perLevel) : indent.includes('\t') ? '\t' : '  ';
  return { eol, indent, unit };
}
