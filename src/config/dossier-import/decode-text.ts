/**
 * Bytes of a text file as Belgian offices produce them: UTF-8 with or without BOM (Excel "CSV UTF-8",
 * LibreOffice), UTF-16 with BOM (Excel "Unicode text"), or Windows-1252 (Excel "CSV (semicolon delimited)"
 * on a Dutch or French Windows).
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Windows-1252 bytes 0x80–0x9F. Node 20's TextDecoder('windows-1252') decodes them as ISO-8859-1 C1
 * controls (U+0080–U+009F) instead, which would turn the ’ in "l’Atelier" or a € into invisible control
 * characters; this table corrects them. The five bytes 1252 leaves undefined keep their C1 code point,
 * as the WHATWG Encoding Standard says.
 */
const CP1252_HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

/** Decodes a text file; a byte-order mark is honoured and removed. Never throws: 1252 decodes every byte. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not valid UTF-8: an ANSI file. Real UTF-8 text almost never passes as 1252 by accident, so no guessing beyond this.
    const latin = new TextDecoder('windows-1252').decode(bytes);
    return { text: latin.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c.charCodeAt(0))), encoding: 'windows-1252' };
  }
}
