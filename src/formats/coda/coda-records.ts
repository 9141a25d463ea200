import type { Findings } from '../verdict.js';

/**
 * Steps 1 and 2 of the CODA checks (coda.md §2): bytes → Latin-1 text → records. The text is decoded
 * as Latin-1 only, never UTF-8 first, so that one character is one byte and positions stay byte
 * positions; a UTF-8 round trip is exactly the damage this step has to catch.
 */

export const RECORD_LENGTH = 128;

/** Record kinds as the grammar sees them: '0', '1', '21' … '33', '4', '8', '9'. */
export type RecordKind = '0' | '1' | '21' | '22' | '23' | '31' | '32' | '33' | '4' | '8' | '9';

export interface CodaRecord {
  /** 1-based line number in the physical file: what messages call "record N". */
  line: number;
  /** The record without its line terminator, never trimmed: trailing blanks are data. */
  text: string;
  /** null when the record type is unknown (already reported). */
  kind: RecordKind | null;
  /** Exactly 128 characters: only then are positions meaningful. */
  fullLength: boolean;
}

const SIMPLE_KINDS = new Set(['0', '1', '4', '8', '9']);

/** Valid UTF-8 multi-byte sequences, seen through Latin-1 (each byte one character). */
const UTF8_SEQUENCE = /[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}/g;
const HIGH = /[\x80-\xFF]/;
/** U+FFFD REPLACEMENT CHARACTER in UTF-8: what a lossy UTF-8 decode leaves behind. */
const REPLACEMENT = '\xEF\xBF\xBD';

const hex = (text: string): string => [...text].map((c) => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')).join(' ');

/**
 * Encoding: control bytes other than CR/LF are errors (they never occur in a bank file), so are the
 * bytes of U+FFFD and lines whose high bytes all form UTF-8 sequences (a name with é re-encoded as
 * UTF-8). Other bytes ≥ 0x80 are fine: they are Latin-1 / Windows-1252 accents.
 */
function checkEncoding(lines: string[], findings: Findings): void {
  lines.forEach((raw, i) => {
    const line = i + 1;
    const location = `record ${line}`;
    // CRs are terminators only right before the LF (the end of the piece; CR CR LF counts as one);
    // inside a record of 128 one would otherwise pass unnoticed, and split the record in two for Venice.
    const terminatorAt = raw.replace(/\r+$/, '').length;
    for (let p = 0; p < raw.length; p++) {
      const c = raw.charCodeAt(p);
      if (c < 0x20 && !(c === 0x0d && p >= terminatorAt)) {
        findings.error('CODA-ENCODING', `record ${line}, position ${p + 1}: control byte 0x${c.toString(16).toUpperCase().padStart(2, '0')}; only CR and LF may appear as line terminators`, location);
        break;
      }
    }
    if (raw.includes(REPLACEMENT)) {
      findings.error('CODA-ENCODING', `record ${line}, position ${raw.indexOf(REPLACEMENT) + 1}: bytes EF BF BD (U+FFFD replacement character); the file went through a lossy UTF-8 conversion`, location);
      return;
    }
    if (!HIGH.test(raw)) return;
    const sequences = raw.match(UTF8_SEQUENCE);
    if (sequences && !HIGH.test(raw.replace(UTF8_SEQUENCE, ''))) {
      const first = sequences[0];
      const decoded = Buffer.from(first, 'latin1').toString('utf8');
      findings.error('CODA-ENCODING', `record ${line}, position ${raw.indexOf(first) + 1}: bytes ${hex(first)} are "${decoded}" encoded as UTF-8; CODA is Latin-1, one byte per character`, location);
    }
  });
}

function kindOf(text: string): RecordKind | null {
  const first = text[0] ?? '';
  if (SIMPLE_KINDS.has(first)) return first as RecordKind;
  if (first !== '2' && first !== '3') return null;
  const second = text[1] ?? '';
  return second === '1' || second === '2' || second === '3' ? (`${first}${second}` as RecordKind) : null;
}

/**
 * Decodes and splits a physical file. Reports encoding, line terminators, record length and record
 * type, in that order; returns every record so that later steps can still see the file's shape.
 */
export function readRecords(bytes: Buffer, findings: Findings): CodaRecord[] {
  if (bytes.length === 0) {
    findings.error('CODA-EMPTY', 'the file is empty; a CODA file holds at least records 0, 1 and 9');
    return [];
  }
  // Wrappers some tools add around intact records: a UTF-8 byte-order mark, an MS-DOS end-of-file
  // character (Ctrl-Z) and blank lines at the end. Dropped with a warning; the records are what count.
  let text = bytes.toString('latin1');
  if (text.startsWith('\u00EF\u00BB\u00BF')) {
    text = text.slice(3);
    findings.warning('CODA-WRAPPER', 'the file starts with a UTF-8 byte-order mark, which is not part of CODA; ignored');
  }
  // Keep the last record's own terminator (CRLF or LF); drop what follows it: blank lines, spaces,
  // Ctrl-Z, in any order (what transfer tools and old editors leave behind).
  const trimmed = text.replace(/(\r?\n)[ \t\r\n\x1a]+$/, '$1').replace(/\x1a+$/, '');
  if (trimmed !== text) findings.warning('CODA-WRAPPER', 'blank lines or an end-of-file character after the last record; ignored');
  text = trimmed;
  const pieces = text.split('\n');
  // A terminator after the last record leaves one empty piece: allowed once, and only at the end.
  if (pieces.length > 1 && pieces[pieces.length - 1] === '') pieces.pop();
  checkEncoding(pieces, findings);

  let crlf = 0;
  let lf = 0;
  let firstLf = 0;
  let firstCrlf = 0;
  let doubled = 0;
  const texts = pieces.map((piece, i) => {
    const terminated = i < pieces.length - 1 || text.endsWith('\n');
    if (!terminated) return piece;
    if (piece.endsWith('\r')) {
      crlf++;
      firstCrlf ||= i + 1;
      // CR CR LF: a transfer that turned an existing CRLF into CR CRLF. The record before it is intact.
      const carriageReturns = piece.length - piece.replace(/\r+$/, '').length;
      if (carriageReturns > 1) doubled++;
      return piece.slice(0, -carriageReturns);
    }
    lf++;
    firstLf ||= i + 1;
    return piece;
  });
  if (doubled > 0) findings.warning('CODA-LINE-ENDINGS', `${doubled} records end in CR CR LF (a file transfer that converted line endings twice); read as CRLF`);
  if (crlf > 0 && lf > 0) {
    findings.warning('CODA-LINE-ENDINGS', `mixed line terminators: ${crlf} records end in CRLF (first: record ${firstCrlf}) and ${lf} in LF alone (first: record ${firstLf})`);
  }

  const records = texts.map((text, i): CodaRecord => ({ line: i + 1, text, kind: kindOf(text), fullLength: text.length === RECORD_LENGTH }));
  for (const r of records) {
    if (r.fullLength) continue;
    const detail = r.text.length === 0 ? 'is empty' : `has ${r.text.length} characters`;
    const cr = r.text.includes('\r') ? ' (it holds a CR that is not part of a CRLF terminator)' : '';
    findings.error('CODA-LENGTH', `record ${r.line} ${detail}${cr}; every CODA record has exactly ${RECORD_LENGTH} characters`, `record ${r.line}`);
  }
  for (const r of records) {
    if (r.kind !== null || r.text.length === 0) continue;
    const first = r.text[0]!;
    const message = first === '2' || first === '3'
      ? `record ${r.line} is of type ${first} with article code ${JSON.stringify(r.text[1] ?? '')}; expected ${first}1, ${first}2 or ${first}3`
      : `record ${r.line} starts with ${JSON.stringify(first)}; a CODA record starts with 0, 1, 2, 3, 4, 8 or 9`;
    findings.error('CODA-RECORD-TYPE', message, `record ${r.line}`);
  }
  return records;
}
