/**
 * Strict base64, shared by the Billit client (FileContent of downloads) and the UBL checks (embedded
 * attachments): Node's decoder silently skips invalid characters and accepts truncated input, which
 * would hand Venice a damaged file.
 */
export type Base64Result = { ok: true; bytes: Buffer } | { ok: false; reason: string };

const WHITESPACE = /[\t\n\r ]+/g;

/**
 * Strict base64 (xs:base64Binary): only the 64 symbols, whitespace, and 0-2 '=' at the very end, in
 * groups of four, with zero unused bits. Node's decoder silently skips invalid characters, so instead of
 * scanning characters one by one (slow on 250 KB) we decode and re-encode: the canonical re-encoding
 * equals the input exactly when the input was valid. Measured ~0.4 ms for a 250 KB block.
 */
export function decodeStrictBase64(content: string): Base64Result {
  const compact = content.replace(WHITESPACE, '');
  if (compact.length === 0) return { ok: false, reason: 'the content is empty' };
  if (compact.length % 4 !== 0) return { ok: false, reason: `${compact.length} base64 characters, not a multiple of 4 (truncated?)` };
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.toString('base64') !== compact) {
    const bad = /[^A-Za-z0-9+/=]/.exec(compact);
    const reason = bad
      ? `invalid character ${JSON.stringify(bad[0])} at position ${bad.index}`
      : 'misplaced padding or non-zero trailing bits';
    return { ok: false, reason };
  }
  return { ok: true, bytes };
}

