/**
 * Content checks for cbc:EmbeddedDocumentBinaryObject: strict base64 and, for PDFs, the file markers.
 */

/** BR-CL-24 / PEPPOL-EN16931-CL001: the MIME codes EN 16931 allows for attachments. */
export const ALLOWED_MIME_CODES: ReadonlySet<string> = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.spreadsheet',
]);

export { decodeStrictBase64, type Base64Result } from '../../core/base64.js';

/**
 * A PDF has its "%PDF-" header within the first 1024 bytes and "%%EOF" within its last 1024 bytes
 * (PDF 32000-1 §7.5.5, Annex H; readers search those windows). Returns null for a PDF; 'not-pdf' for
 * content that is no PDF at all (mislabelled: an image, an executable); 'damaged' for a PDF whose
 * end is missing (cut off) or buried under trailing bytes, which readers may or may not show.
 */
export function pdfProblem(bytes: Buffer): { kind: 'not-pdf' | 'damaged'; message: string } | null {
  if (!bytes.subarray(0, 1024).includes('%PDF-', 0, 'latin1')) {
    return { kind: 'not-pdf', message: `the decoded content starts with ${JSON.stringify(bytes.subarray(0, 8).toString('latin1'))}, not "%PDF-"` };
  }
  if (!bytes.subarray(Math.max(0, bytes.length - 1024)).includes('%%EOF', 0, 'latin1')) {
    return { kind: 'damaged', message: 'there is no "%%EOF" marker near the end: the PDF is cut off, or followed by other bytes' };
  }
  return null;
}
