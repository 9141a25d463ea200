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
 * A PDF starts with "%PDF-" and ends with "%%EOF" within its last 1024 bytes (PDF 32000-1 §7.5.5; readers
 * search that window). Anything else will not display as the visual in Venice. Returns the problem or null.
 */
export function pdfProblem(bytes: Buffer): string | null {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
    return `the decoded content starts with ${JSON.stringify(bytes.subarray(0, 8).toString('latin1'))}, not "%PDF-"`;
  }
  if (!bytes.subarray(Math.max(0, bytes.length - 1024)).includes('%%EOF', 0, 'latin1')) {
    return 'no "%%EOF" marker near the end: the PDF is truncated';
  }
  return null;
}
