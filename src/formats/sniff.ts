import type { Format } from './verdict.js';

/**
 * Which format a file is, from its content (never the extension: Billit and banks name files freely).
 * XML (after an optional BOM and whitespace) is UBL; a first record "0" followed by four zeros and
 * a creation date, as CODA headers start, is CODA.
 */
export function sniffFormat(bytes: Buffer): Format {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  while (start < bytes.length && (bytes[start] === 0x20 || bytes[start] === 0x09 || bytes[start] === 0x0d || bytes[start] === 0x0a)) start += 1;
  if (bytes[start] === 0x3c /* < */) return 'ubl';
  // CODA is judged after the same wrappers (a BOM, leading line breaks) that the CODA reader tolerates.
  const head = bytes.subarray(start, start + 24).toString('latin1');
  if (/^0{5}\d{6}/.test(head)) return 'coda';
  return 'unknown';
}
