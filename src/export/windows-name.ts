/**
 * One path segment that is safe on Windows (NTFS, SMB shares Venice reads) and on POSIX, and that can
 * never name its parent or another folder (product.md §4). Pure string functions: no I/O.
 *
 * Names must be stable (the same invoice always gets the same file name, or we would write duplicates),
 * so every rule here is deterministic and idempotent: sanitizeSegment(sanitizeSegment(x)) === sanitizeSegment(x).
 * resolveInside() relies on that to refuse segments that did not go through this module.
 */

export const DEFAULT_MAX_SEGMENT_LENGTH = 120;
/** NTFS and SMB refuse segments longer than 255 UTF-16 units. */
export const MAX_NTFS_SEGMENT_LENGTH = 255;

const REPLACEMENT = '_';
/** Characters Windows refuses in a name; `/` is also the POSIX separator. */
const WINDOWS_FORBIDDEN = new Set(['<', '>', ':', '"', '/', '\\', '|', '?', '*']);

/**
 * Look-alikes of `/` and `\` (Unicode confusables.txt, symbol entries) that a human reads as a folder
 * separator, or that a lossy conversion may turn into one. Letters and ideographs that are also listed as
 * confusables (Katakana ノ, CJK 丿 and 丶, Coptic Ⳇ) stay: they are real text in real names.
 */
const SEPARATOR_LOOKALIKES = new Set([
  0x1735, // PHILIPPINE SINGLE PUNCTUATION
  0x2041, // CARET INSERTION POINT
  0x2044, // FRACTION SLASH
  0x2215, // DIVISION SLASH
  0x2216, // SET MINUS
  0x2571, // BOX DRAWINGS LIGHT DIAGONAL UPPER RIGHT TO LOWER LEFT
  0x2572, // BOX DRAWINGS LIGHT DIAGONAL UPPER LEFT TO LOWER RIGHT
  0x27cb, // MATHEMATICAL RISING DIAGONAL
  0x27cd, // MATHEMATICAL FALLING DIAGONAL
  0x29f5, // REVERSE SOLIDUS OPERATOR
  0x29f8, // BIG SOLIDUS
  0x29f9, // BIG REVERSE SOLIDUS
  0x2f02, // KANGXI RADICAL DOT (confusable with \)
  0x2f03, // KANGXI RADICAL SLASH
  0x3033, // VERTICAL KANA REPEAT MARK UPPER HALF
  0x31d3, // CJK STROKE SP
  0x31d4, // CJK STROKE D
  0xfe68, // SMALL REVERSE SOLIDUS
  0xff0f, // FULLWIDTH SOLIDUS
  0xff3c, // FULLWIDTH REVERSE SOLIDUS
  0x1d20f, // GREEK VOCAL NOTATION SYMBOL-16
  0x1d23a, // GREEK INSTRUMENTAL NOTATION SYMBOL-47
  0x1d23b, // GREEK INSTRUMENTAL NOTATION SYMBOL-48
  // Code pages 932 (Japanese) and 949 (Korean) put ¥ and ₩ on byte 0x5C: an ANSI program there reads them as `\`.
  0x00a5,
  0x20a9,
  // One- and two-dot leaders and small/fullwidth full stops: `․․` reads as `..` and is `..` after NFKC.
  0x2024, 0x2025, 0xfe52, 0xff0e,
]);

/** Reserved DOS device names; Windows opens the device instead of a file, whatever the extension. */
const RESERVED_DEVICE = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)$/i;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const compatibilityCache = new Map<number, boolean>();

export interface SanitizeOptions {
  /** UTF-16 units; default 120, at most 255. */
  maxLength?: number;
  /** Used when nothing usable is left; must itself be a safe segment. Default `_`. */
  fallback?: string;
}

/** Turns any string into ONE safe path segment (never empty, `.`, `..`, a device name or a path). */
export function sanitizeSegment(input: string, options?: SanitizeOptions): string {
  const maxLength = checkMaxLength(options?.maxLength ?? DEFAULT_MAX_SEGMENT_LENGTH);
  const fallback = options?.fallback ?? REPLACEMENT;
  if (fallback !== REPLACEMENT) checkFallback(fallback, maxLength);

  let name = tidyEnds(replaceUnsafeCharacters(input));
  if (isEmptyish(name)) return fallback;
  name = tidyEnds(truncate(name, maxLength));
  name = defuseShortNameAlias(name);
  if (isReservedDeviceName(name)) name = tidyEnds(truncate(REPLACEMENT + name, maxLength));
  return isEmptyish(name) ? fallback : name;
}

/**
 * `base` + `extension` as one segment of at most maxLength units: the extension (sanitised, lower-cased)
 * is kept whole and only the base is shortened, so Venice still recognises the file type.
 */
export function sanitizeFileName(base: string, extension: string, maxLength = DEFAULT_MAX_SEGMENT_LENGTH): string {
  return fitFileName(base, '', extension, maxLength);
}

/**
 * Like sanitizeFileName, with a `suffix` (e.g. ` (500123)`, ` (conflict 2)`) that carries uniqueness and is
 * therefore never truncated: only the base gives way.
 */
export function fitFileName(base: string, suffix: string, extension: string, maxLength = DEFAULT_MAX_SEGMENT_LENGTH): string {
  checkMaxLength(maxLength);
  const ext = sanitizeExtension(extension);
  const tail = stripTrailing(replaceUnsafeCharacters(suffix)) + ext;
  const budget = maxLength - tail.length;
  if (budget < 1) throw new RangeError(`suffix and extension "${tail}" leave no room for a name within ${maxLength} characters`);
  const name = sanitizeSegment(base, { maxLength: budget }) + tail;
  // Only a pathological suffix could make the joined name unstable; sanitising again keeps the guarantee.
  return sanitizeSegment(name, { maxLength });
}

/** `.XML`, `xml`, ` .Pdf ` → `.xml`, `.pdf`; ASCII letters and digits only (inner dots kept: `.tar.gz`); '' if none. */
export function sanitizeExtension(extension: string): string {
  const cleaned = extension
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^a-z0-9.]/g, '')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 16)
    .replace(/\.+$/, '');
  return cleaned === '' ? '' : `.${cleaned}`;
}

/**
 * NFC, then every unsafe code point becomes `_` and whitespace runs become one space. Does not trim, so it
 * can clean parts of a name before they are joined (the joined name still goes through sanitizeSegment).
 */
export function replaceUnsafeCharacters(input: string): string {
  let out = '';
  for (const char of String(input).normalize('NFC')) out += isUnsafeCodePoint(char.codePointAt(0) ?? 0) ? REPLACEMENT : char;
  return out.replace(/\s+/g, ' ');
}

/** Device names match on the part before the first dot, trailing spaces ignored (`Nul .txt`, `con.tar.gz`). */
export function isReservedDeviceName(name: string): boolean {
  const stem = name.split('.')[0] ?? '';
  return RESERVED_DEVICE.test(stem.replace(/\s+$/, ''));
}

function isUnsafeCodePoint(cp: number): boolean {
  if (cp < 0x80) return cp < 0x20 || cp === 0x7f || WINDOWS_FORBIDDEN.has(String.fromCharCode(cp));
  if (cp <= 0x9f) return true; // C1 controls
  if (cp >= 0xd800 && cp <= 0xdfff) return true; // lone surrogate: not encodable in UTF-8 or valid UTF-16
  if (SEPARATOR_LOOKALIKES.has(cp)) return true;
  if (isNoncharacter(cp)) return true;
  const char = String.fromCodePoint(cp);
  // Format characters: zero-width, bidi overrides/isolates (U+202E turns "fdp.exe" into "exe.pdf"), BOM,
  // soft hyphen, tags. Private use: Mac SFM and Samba catia map U+F001–U+F0FF back to `:` `/` `\` etc. on shares.
  if (/[\p{Cf}\p{Co}]/u.test(char)) return true;
  return hasUnsafeCompatibilityForm(cp, char);
}

/**
 * Fullwidth and small forms (＂ ： ＜ ？ ｜ ﹕ …) and letterlike symbols (℀ = a/c) become reserved ASCII
 * under NFKC and under Windows "best fit" conversion in ANSI programs (the WorstFit attacks): a `：` can
 * turn into an NTFS alternate-data-stream colon. NFKC is stable for assigned characters, so names are too.
 */
function hasUnsafeCompatibilityForm(cp: number, char: string): boolean {
  const cached = compatibilityCache.get(cp);
  if (cached !== undefined) return cached;
  const compat = char.normalize('NFKC');
  let unsafe = false;
  if (compat !== char) {
    for (const c of compat) {
      const code = c.codePointAt(0) ?? 0;
      if (code < 0x80 && (code < 0x20 || code === 0x7f || WINDOWS_FORBIDDEN.has(c))) unsafe = true;
    }
  }
  if (compatibilityCache.size < 4096) compatibilityCache.set(cp, unsafe);
  return unsafe;
}

function isNoncharacter(cp: number): boolean {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
}

/**
 * Leading dots become `_` (a name must not be hidden on POSIX nor collide with our hidden temp files or the
 * `.billsync` marker); leading spaces and trailing spaces/dots go, because Windows silently drops them and the
 * file would then not be where we think it is.
 */
function tidyEnds(name: string): string {
  return stripTrailing(name.replace(/^ +/, '').replace(/^\.+/, (dots) => REPLACEMENT.repeat(dots.length)));
}

function stripTrailing(name: string): string {
  return name.replace(/[. ]+$/, '');
}

/** Empty, `.`, `..`, or only dots/underscores/spaces: nothing a user would recognise. */
function isEmptyish(name: string): boolean {
  return /^[._ ]*$/.test(name);
}

/**
 * A name shaped like an 8.3 short-name alias (`INVOIC~1.XML`: stem ≤ 8 with `~digit`, extension ≤ 3) can
 * resolve to a different, long-named file on volumes with short names, and a rename onto it would replace
 * that file. Its `~` becomes `_`.
 */
function defuseShortNameAlias(name: string): string {
  const dot = name.indexOf('.');
  const stem = dot === -1 ? name : name.slice(0, dot);
  const ext = dot === -1 ? '' : name.slice(dot + 1);
  if (stem.length > 8 || ext.length > 3 || ext.includes('.') || !/~\d/.test(stem)) return name;
  return stem.replace(/~/g, REPLACEMENT) + name.slice(stem.length);
}

/** Cuts at a grapheme boundary (never inside a surrogate pair or before a combining mark) within maxLength units. */
function truncate(name: string, maxLength: number): string {
  if (name.length <= maxLength) return name;
  let out = '';
  for (const { segment } of graphemes.segment(name)) {
    if (out.length + segment.length <= maxLength) {
      out += segment;
      continue;
    }
    // A single cluster longer than the budget (e.g. a stack of combining marks): fall back to code points.
    if (out === '') for (const char of segment) {
      if (out.length + char.length > maxLength) break;
      out += char;
    }
    break;
  }
  return out;
}

function checkMaxLength(maxLength: number): number {
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > MAX_NTFS_SEGMENT_LENGTH) {
    throw new RangeError(`maxLength must be an integer from 1 to ${MAX_NTFS_SEGMENT_LENGTH}, got ${maxLength}`);
  }
  return maxLength;
}

/** A fallback is returned as-is, so it must already be a safe, stable segment. */
function checkFallback(fallback: string, maxLength: number): void {
  if (fallback === '' || sanitizeSegment(fallback, { maxLength }) !== fallback) {
    throw new RangeError(`fallback ${JSON.stringify(fallback)} is not itself a safe path segment`);
  }
}
