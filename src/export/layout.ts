/**
 * The folder layout and file names of product.md §4, as pure functions. Every name that reaches the disk
 * comes from here and is one sanitised segment; resolveInside() is the last gate before a path is used.
 */
import path from 'node:path';
import type { PlatformPath } from 'node:path';
import type { DocumentKind } from '../core/document-kind.js';
import {
  DEFAULT_MAX_SEGMENT_LENGTH,
  MAX_NTFS_SEGMENT_LENGTH,
  fitFileName,
  replaceUnsafeCharacters,
  sanitizeExtension,
  sanitizeSegment,
} from './windows-name.js';

/** Folder per document kind inside a dossier folder (names Venice is configured to read). */
export const KIND_FOLDERS = {
  purchase: 'Purchases',
  sales: 'Sales',
  document: 'Documents',
  coda: 'FinancialTransactions',
} as const satisfies Record<DocumentKind, string>;

export const DEFAULT_DOSSIER_TEMPLATE = '{name} ({enterprise})';

export interface FolderTemplateVars {
  name: string;
  enterprise: string;
  vat: string;
  partyId: number;
}

const PLACEHOLDERS = ['name', 'enterprise', 'vat', 'partyId'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/**
 * Renders a dossier folder name. Values are sanitised before substitution, and the result is sanitised as
 * ONE segment: a template cannot create subfolders (`{name}/x` gives `Name_x`). Unknown placeholders and
 * stray braces throw, so a typo shows up in the settings preview instead of as a literal `{nmae}` folder.
 */
export function renderFolderTemplate(template: string, vars: FolderTemplateVars): string {
  const known = PLACEHOLDERS.map((p) => `{${p}}`).join(', ');
  const rendered = template.replace(/\{([^{}]*)\}/g, (_whole, key: string) => {
    if (!isPlaceholder(key)) throw new RangeError(`unknown placeholder {${key}} in folder template; known placeholders: ${known}`);
    return templateValue(String(vars[key]));
  });
  const stray = /[{}]/.exec(template.replace(/\{[^{}]*\}/g, ''));
  if (stray !== null) {
    throw new RangeError(`unbalanced "${stray[0]}" in folder template ${JSON.stringify(template)}; known placeholders: ${known}`);
  }
  return sanitizeSegment(rendered);
}

function isPlaceholder(key: string): key is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(key);
}

/** A blank value stays blank (`Name ()` is clearer than `Name (_)`); anything else becomes a safe fragment. */
function templateValue(value: string): string {
  return value.trim() === '' ? '' : sanitizeSegment(value, { maxLength: MAX_NTFS_SEGMENT_LENGTH });
}

/**
 * `{issueDate}_{counterpartyVat}_{invoiceNumber}.xml`. Invoice numbers such as `2026/0042` keep their
 * reading as `2026-0042`; VAT numbers are compacted (`BE 0123.456.789` → `BE0123456789`) so the same
 * counterparty always gives the same name. Long names are cut in the invoice number: callers must still
 * check for an existing different file and use conflictName().
 */
export function ublFileName(input: { issueDate: string; counterpartyVat: string | null; invoiceNumber: string }): string {
  const date = namePart(input.issueDate) || 'NODATE';
  const vat = namePart((input.counterpartyVat ?? '').replace(/[\s.\-]/g, '').toUpperCase()) || 'NOVAT';
  const number = namePart(input.invoiceNumber.replace(/[/\\]/g, '-')) || 'NONUMBER';
  return fitFileName(`${date}_${vat}_${number}`, '', '.xml', DEFAULT_MAX_SEGMENT_LENGTH);
}

/** `{iban}_{newBalanceDate}_{sequence}.cod`, sequence zero-padded to 3 digits (longer sequences kept whole). */
export function codaFileName(input: { iban: string; newBalanceDate: string; sequence: number | string }): string {
  const iban = namePart(input.iban.replace(/\s/g, '').toUpperCase()) || 'NOIBAN';
  const date = namePart(input.newBalanceDate) || 'NODATE';
  return fitFileName(`${iban}_${date}_${codaSequence(input.sequence)}`, '', '.cod', DEFAULT_MAX_SEGMENT_LENGTH);
}

function codaSequence(sequence: number | string): string {
  const text = String(sequence).trim();
  // A non-numeric sequence would silently merge statements; the caller must quarantine instead.
  if (!/^\d+$/.test(text)) throw new RangeError(`CODA sequence must be a non-negative integer, got ${JSON.stringify(sequence)}`);
  return String(Number(text)).padStart(3, '0');
}

/**
 * `Huurcontract 2026-01-05 (500123).pdf`: Billit document names are not unique, the id makes them so and is
 * never truncated away. A name that already ends in the extension does not get it twice.
 */
export function documentFileName(input: { name: string; documentId: string | number; extension: string }): string {
  const ext = sanitizeExtension(input.extension);
  const id = namePart(String(input.documentId));
  if (id === '') throw new RangeError('documentFileName needs a non-empty documentId: it is what keeps the name unique');
  let name = input.name.trim();
  if (ext !== '' && name.toLowerCase().endsWith(ext)) name = name.slice(0, -ext.length);
  return fitFileName(name, ` (${id})`, ext, DEFAULT_MAX_SEGMENT_LENGTH);
}

/**
 * `name (conflict 2).xml`: a second, different file wanted the same name (two hostile names can sanitise
 * to one string). An existing ` (conflict k)` suffix is replaced rather than stacked.
 */
export function conflictName(fileName: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`conflict number must be a positive integer, got ${n}`);
  const dot = fileName.lastIndexOf('.');
  const hasExt = dot > 0 && /^\.[A-Za-z0-9]{1,16}$/.test(fileName.slice(dot));
  const ext = hasExt ? fileName.slice(dot) : '';
  const base = (hasExt ? fileName.slice(0, dot) : fileName).replace(/ \(conflict \d+\)$/, '');
  return fitFileName(base, ` (conflict ${n})`, ext, DEFAULT_MAX_SEGMENT_LENGTH);
}

/** A cleaned fragment of a file name; the joined name is sanitised as a whole afterwards. */
function namePart(value: string): string {
  return replaceUnsafeCharacters(value).trim();
}

/** Thrown when a path would leave the export root, or a segment did not come out of sanitizeSegment. */
export class PathEscapeError extends Error {
  override readonly name = 'PathEscapeError';
  readonly root: string;
  readonly attempted: string;

  constructor(root: string, attempted: string, reason: string) {
    super(`refusing ${JSON.stringify(attempted)}: ${reason} (export root ${JSON.stringify(root)})`);
    this.root = root;
    this.attempted = attempted;
  }
}

type SegmentsAndPathApi = string[] | [...segments: string[], pathApi: PlatformPath];

/**
 * Joins sanitised segments to an absolute root and proves the result is strictly inside it. Pass
 * `path.win32` (or `path.posix`) as the last argument to pick the semantics; default is the host's.
 * This checks strings only: symlinks and junctions inside the root are the writer's concern (lstat).
 */
export function resolveInside(root: string, ...rest: SegmentsAndPathApi): string {
  const { pathApi, segments } = splitPathApi(rest);
  const win32 = pathApi.sep === '\\';
  if (!pathApi.isAbsolute(root)) throw new RangeError(`export root must be an absolute path, got ${JSON.stringify(root)}`);
  const base = pathApi.resolve(root);
  // A win32 root without drive or UNC share (`\Export`) depends on the current drive: refuse it.
  if (win32 && !/^(?:[A-Za-z]:\\|\\\\[^\\]+\\[^\\]+)/.test(base)) {
    throw new RangeError(`export root must start with a drive letter or \\\\server\\share, got ${JSON.stringify(root)}`);
  }
  const attempted = pathApi.resolve(base, ...segments);
  if (segments.length === 0) throw new PathEscapeError(root, attempted, 'no segment given, the root itself is not inside the root');
  for (const segment of segments) {
    if (typeof segment !== 'string' || segment === '' || segment !== sanitizeSegment(segment, { maxLength: MAX_NTFS_SEGMENT_LENGTH })) {
      throw new PathEscapeError(root, attempted, `segment ${JSON.stringify(segment)} is not a sanitised path segment`);
    }
  }
  const relative = pathApi.relative(base, attempted);
  const parts = relative.split(pathApi.sep);
  const escapes =
    relative === '' ||
    relative === '..' ||
    relative.startsWith(`..${pathApi.sep}`) ||
    pathApi.isAbsolute(relative) ||
    (win32 && /^[A-Za-z]:/.test(relative)) ||
    parts.length !== segments.length;
  if (escapes) throw new PathEscapeError(root, attempted, 'the path is not strictly inside the export root');
  return attempted;
}

function splitPathApi(rest: SegmentsAndPathApi): { pathApi: PlatformPath; segments: string[] } {
  const last = rest[rest.length - 1];
  if (last !== undefined && typeof last === 'object') return { pathApi: last, segments: rest.slice(0, -1) as string[] };
  return { pathApi: path, segments: rest as string[] };
}

/** Windows MAX_PATH: 260 UTF-16 units including the terminating NUL, so 259 usable. */
export const WINDOWS_MAX_PATH = 260;

/** Length in UTF-16 units of the path as Windows will see it (`\` separators, normalised). */
export function windowsPathLength(root: string, ...segments: string[]): number {
  return path.win32.join(root, ...segments).length;
}

/**
 * True when Windows programs without long-path support (Venice, Explorer) cannot open the path. Callers
 * report it as a warning; note that folders have a lower practical limit (248) for CreateDirectory.
 */
export function exceedsWindowsMaxPath(root: string, ...segments: string[]): boolean {
  return windowsPathLength(root, ...segments) >= WINDOWS_MAX_PATH;
}
