import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { readSheet, type SheetData } from 'read-excel-file/node';
import { decodeText } from './decode-text.js';
import { DossierImportError } from './dossier-import-error.js';
import { parseCsv } from './parse-csv.js';

const TEXT_EXTENSIONS = new Set(['.csv', '.txt', '.tsv']);
const XLSX_EXTENSIONS = new Set(['.xlsx', '.xlsm']);
/** Spreadsheets billsync does not read, with what to do instead. */
const OTHER_SPREADSHEETS: Record<string, string> = {
  '.xls': 'an old-format Excel workbook (.xls)',
  '.ods': 'an OpenDocument spreadsheet (.ods)',
  '.numbers': 'an Apple Numbers spreadsheet',
  '.xlsb': 'a binary Excel workbook (.xlsb)',
};
const SAVE_AS = 'open it and save it as .xlsx (Excel Workbook) or .csv';

/**
 * Reads the first sheet of an .xlsx workbook, or a .csv/.txt file, as rows of cell texts, so that rows[i] is
 * what the user sees on row/line i + 1. Throws DossierImportError naming the file and saying what to do.
 */
export async function readTable(file: string): Promise<string[][]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new DossierImportError(unreadableMessage(file, error as NodeJS.ErrnoException), 'unreadable', file, { cause: error });
  }
  return tableFromBytes(bytes, file);
}

/**
 * Like readTable, for bytes that did not come from a path (an upload in the status page). `fileName` picks the
 * format with the content's own signature and names the file in errors.
 */
export async function tableFromBytes(bytes: Uint8Array, fileName: string): Promise<string[][]> {
  const extension = extname(fileName).toLowerCase();
  const fail = (message: string, code: 'unsupported-format' | 'bad-xlsx' | 'empty-file'): never => {
    throw new DossierImportError(`${fileName} ${message}`, code, fileName);
  };
  if (bytes.length === 0) fail('is empty', 'empty-file');
  const signature = isZip(bytes) ? 'zip' : isOle2(bytes) ? 'ole2' : 'other';

  const other = OTHER_SPREADSHEETS[extension];
  if (other !== undefined) fail(`is ${other}, which billsync does not read: ${SAVE_AS}`, 'unsupported-format');
  // A password-protected .xlsx is an encrypted OLE2 container, exactly like an old .xls.
  if (signature === 'ole2') fail(`is an old-format (.xls) or password-protected Excel workbook: ${SAVE_AS}, without a password`, 'unsupported-format');
  if (signature === 'zip' && (XLSX_EXTENSIONS.has(extension) || TEXT_EXTENSIONS.has(extension))) return readXlsx(bytes, fileName);
  if (XLSX_EXTENSIONS.has(extension)) fail(`is not an Excel workbook (its content is not the ZIP package an .xlsx file is): ${SAVE_AS}`, 'bad-xlsx');
  if (!TEXT_EXTENSIONS.has(extension)) fail(`has a type billsync does not read (${extension || 'no extension'}): use an .xlsx, .csv or .txt file`, 'unsupported-format');
  try {
    return parseCsv(decodeText(bytes).text);
  } catch (error) {
    if (error instanceof DossierImportError && error.file === null) throw new DossierImportError(`${fileName}: ${error.message}`, error.code, fileName, { cause: error });
    throw error;
  }
}

async function readXlsx(bytes: Uint8Array, fileName: string): Promise<string[][]> {
  let sheet: SheetData<string>;
  try {
    // parseNumber keeps the number as written in the file: no float rounding, and we decide how it reads.
    sheet = await readSheet<string>(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 1, { parseNumber: numberText });
  } catch (error) {
    const reason = (error as Error).message;
    throw new DossierImportError(`${fileName} cannot be read as an Excel workbook (${reason}): ${SAVE_AS} again`, 'bad-xlsx', fileName, { cause: error });
  }
  return sheet.map((row) => row.map(cellText));
}

/**
 * A number cell as text: integers without a fraction or exponent ("123456749", never "123456749.0" or
 * "1.23456749E8"), other numbers as Excel stored them. The leading 0 Excel drops from an enterprise number
 * typed as a number is the plan's business (it knows the column).
 */
export function numberText(raw: string): string {
  const value = Number(raw);
  return Number.isSafeInteger(value) ? String(value) : raw;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function isOle2(bytes: Uint8Array): boolean {
  const magic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  return magic.every((byte, i) => bytes[i] === byte);
}

function unreadableMessage(file: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT': return `${file} does not exist`;
    case 'EISDIR': return `${file} is a folder, not a file`;
    case 'EBUSY':
    case 'EACCES':
    case 'EPERM': return `${file} cannot be opened (${error.code}): if it is open in Excel, close it and try again`;
    default: return `${file} cannot be read: ${error.message}`;
  }
}
