import { DossierImportError } from './dossier-import-error.js';

export type CsvDelimiter = ';' | ',' | '\t';

/** Tie order: Belgian Excel writes `;`, "Unicode text" writes tabs, the rest of the world writes `,`. */
const DELIMITERS: readonly CsvDelimiter[] = [';', '\t', ','];
/** A title block above the header rarely takes more lines than this. */
const DETECTION_LINES = 50;

/**
 * The delimiter of the first line that contains one (outside quotes): the header, or a title row that Excel
 * padded with delimiters. The most frequent of `;`, tab and `,` wins, so a header such as
 * `Naam, voornaam;KBO;Map` is still read as semicolon-separated. `,` when no line has any.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>();
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && lines < DETECTION_LINES; i++) {
    const char = text[i]!;
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === ';' || char === ',' || char === '\t')) counts.set(char, (counts.get(char) ?? 0) + 1);
    else if (!quoted && (char === '\n' || char === '\r')) {
      if (counts.size > 0) break;
      lines++;
    }
  }
  let best: CsvDelimiter = ',';
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = counts.get(delimiter) ?? 0;
    if (count > bestCount) [best, bestCount] = [delimiter, count];
  }
  return best;
}

/**
 * RFC 4180 CSV: fields in double quotes may hold the delimiter, line breaks and `""` for a quote; CRLF, LF
 * and CR all end a record. Lenient where Excel and hand edits are sloppy (a quote inside an unquoted field is
 * kept as text), strict where leniency would lose rows: a quote that is never closed is an error naming its line.
 *
 * Line numbers are kept: rows[i] is the record that starts on line i + 1. A record whose quoted field spans
 * several lines is followed by empty rows, so every later record keeps its line number (what the user sees
 * in a text editor). Empty lines are empty rows; trailing empty rows are dropped.
 */
export function parseCsv(text: string, delimiter: CsvDelimiter = detectDelimiter(text)): string[][] {
  const rows: string[][] = [];
  let record: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let i = 0;

  const endRecord = (): void => {
    record.push(field);
    while (rows.length < recordLine - 1) rows.push([]);
    rows.push(record.length === 1 && record[0] === '' ? [] : record);
    record = [];
    field = '';
  };

  while (i < text.length) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false;
      } else {
        if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) line++;
        field += char;
      }
      i++;
      continue;
    }
    if (char === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (char === delimiter) {
      record.push(field);
      field = '';
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += char;
    }
    i++;
  }
  if (quoted) throw new DossierImportError(`line ${quoteLine}: a field opened with a double quote (") is never closed; check the quotes on that line`, 'bad-csv');
  if (field !== '' || record.length > 0) endRecord();
  while (rows.length > 0 && rows[rows.length - 1]!.every((cell) => cell === '')) rows.pop();
  return rows;
}
