/**
 * Strict base64: Node's decoder silently skips invalid characters and accepts truncated input, which
 * would hand Venice a damaged file. This check refuses both, before decoding.
 */
const STRICT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64Strict(text: string): { ok: true; bytes: Buffer } | { ok: false; problem: string } {
  const compact = text.replace(/\r?\n/g, '');
  if (compact.length % 4 !== 0) return { ok: false, problem: `base64 content has ${compact.length} characters, not a multiple of 4 (truncated?)` };
  if (!STRICT.test(compact)) {
    const bad = /[^A-Za-z0-9+/=]/.exec(compact);
    return { ok: false, problem: bad ? `base64 content has an invalid character ${JSON.stringify(bad[0])} at position ${bad.index}` : 'base64 padding is misplaced' };
  }
  return { ok: true, bytes: Buffer.from(compact, 'base64') };
}
