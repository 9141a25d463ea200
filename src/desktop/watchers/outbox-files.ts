/**
 * The files side of the Outbox (product.md §8), as small pieces the Outbox uploader puts together:
 * which names are the accountant's documents, what a file is (from its bytes), moving a file on
 * without overwriting anything, and the reason file beside a failed one.
 */
import { basename, dirname, join } from 'node:path';
import { toBrusselsLocal, BUSINESS_TIME_ZONE } from '../../core/brussels-time.js';
import { conflictName } from '../../export/layout.js';
import { sniffFormat } from '../../formats/sniff.js';
import { decodeXmlText, findUnsafeDeclaration } from '../../formats/ubl/ubl-input.js';
import { namespaceDeclarations, scanElements } from '../../formats/ubl/xml-scan.js';
import { isNotFound, type FileSystem } from '../../platform/fs/file-system.js';
import { renameWithRetry, TEMP_PREFIX, writeFileAtomic } from '../../platform/fs/atomic-write.js';

/** The folder in each dossier folder that the accountant drops files into. */
export const OUTBOX_FOLDER = 'Outbox';
/** Inside Outbox/: where sent files go, and where failed ones go with a `.txt` reason. */
export const SENT_FOLDER = 'sent';
export const FAILED_FOLDER = 'failed';

/**
 * The largest file billsync uploads. Billit publishes no limit for POST /v1/toProcess; the file
 * travels base64-encoded inside one JSON body (a third larger), and a scanned purchase invoice is
 * well under a few MB. 25 MB keeps a misplaced video or archive from being pushed up the line.
 */
export const MAX_OUTBOX_FILE_BYTES = 25 * 1024 * 1024;

/** What billsync uploads: the kinds Billit's fast input reads (PDF, UBL, scans and photos). */
export type OutboxFileKind = 'pdf' | 'ubl' | 'jpeg' | 'png';

export interface OutboxFileType {
  kind: OutboxFileKind;
  mimeType: string;
}

export type Classification = { ok: true; type: OutboxFileType } | { ok: false; reason: string };

const UBL_NAMESPACES: Record<string, string> = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
};

/** Names Windows, macOS and Office leave in folders by themselves; never the accountant's documents. */
const SYSTEM_FILE = /^(?:desktop\.ini|thumbs\.db|ehthumbs\.db|\.ds_store|~\$.*|.*\.(?:tmp|crdownload|part|partial|download))$/i;

/**
 * True for a name in Outbox/ that is a document to send: not hidden, not a billsync temporary file,
 * not the sent/failed folders, not a system file or an unfinished download.
 */
export function isOutboxDocumentName(name: string): boolean {
  if (name === '' || name.startsWith('.') || name.startsWith(TEMP_PREFIX)) return false;
  const lower = name.toLowerCase();
  if (lower === SENT_FOLDER || lower === FAILED_FOLDER) return false;
  return !SYSTEM_FILE.test(name);
}

/**
 * What the file is, from its bytes (never the extension: a scan saved as `.jpg.pdf` or without an
 * extension is common). A refusal says what was expected, for the reason file.
 */
export function classifyOutboxFile(bytes: Buffer): Classification {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty (0 bytes)' };
  if (bytes.length > MAX_OUTBOX_FILE_BYTES) return { ok: false, reason: tooLargeReason(bytes.length) };
  // Readers accept the header anywhere in the first 1024 bytes; the end marker shows the file is whole.
  if (bytes.subarray(0, 1024).includes('%PDF-')) {
    if (!bytes.subarray(Math.max(0, bytes.length - 2048)).includes('%%EOF')) {
      return { ok: false, reason: 'the PDF is incomplete (it has no %%EOF end marker): save or scan it again' };
    }
    return { ok: true, type: { kind: 'pdf', mimeType: 'application/pdf' } };
  }
  // Images, like PDFs, must show their end: a scan or copy that stalls longer than the stability
  // window would otherwise go out cut, and again (another hash) once it is complete.
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    // The end-of-image marker FF D9, possibly followed by a little padding some cameras add.
    if (!bytes.subarray(Math.max(0, bytes.length - 1024)).includes(Buffer.from([0xff, 0xd9]))) {
      return { ok: false, reason: 'the JPEG image is incomplete (it has no end-of-image marker): save or scan it again' };
    }
    return { ok: true, type: { kind: 'jpeg', mimeType: 'image/jpeg' } };
  }
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    if (!bytes.subarray(Math.max(0, bytes.length - 64)).includes('IEND')) {
      return { ok: false, reason: 'the PNG image is incomplete (it has no IEND chunk): save or scan it again' };
    }
    return { ok: true, type: { kind: 'png', mimeType: 'image/png' } };
  }
  if (sniffFormat(bytes) === 'ubl') {
    const problem = ublProblem(bytes);
    return problem === null ? { ok: true, type: { kind: 'ubl', mimeType: 'text/xml' } } : { ok: false, reason: problem };
  }
  return { ok: false, reason: 'it is not a PDF, a UBL invoice or credit note (XML), or a JPEG or PNG image; Billit\'s fast input reads only those' };
}

/** null when the XML is a whole UBL Invoice or CreditNote, else what is wrong with it. */
function ublProblem(bytes: Buffer): string | null {
  const text = decodeXmlText(bytes);
  const declaration = findUnsafeDeclaration(text);
  if (declaration !== null) return `the XML contains a ${declaration} declaration, which UBL never has`;
  let root;
  try {
    root = scanElements(text, 0)[0];
  } catch (error) {
    return `the XML is not well-formed (${(error as Error).message})`;
  }
  if (root === undefined) return 'the XML has no root element';
  const expected = UBL_NAMESPACES[root.localName];
  const prefix = root.qname.includes(':') ? root.qname.slice(0, root.qname.indexOf(':')) : '';
  if (expected === undefined || namespaceDeclarations(root.attributes).get(prefix) !== expected) {
    return `the XML is a <${root.qname}>, not a UBL Invoice or CreditNote`;
  }
  const selfClosing = /\/\s*>$/.test(text.slice(root.start, root.startTagEnd));
  if (!selfClosing && root.end === root.startTagEnd) return 'the XML is incomplete (the root element is never closed)';
  return null;
}

/** Why a file of `size` bytes is refused before it is even read. */
export function tooLargeReason(size: number): string {
  return `the file is ${megabytes(size)}; billsync sends files up to ${megabytes(MAX_OUTBOX_FILE_BYTES)}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

async function exists(fs: FileSystem, path: string): Promise<boolean> {
  try {
    await fs.stat(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/**
 * Moves `from` into `dir` (created if missing) as `name`, or as `name (conflict N).ext` when that is
 * taken: a file already in sent/ or failed/ is never overwritten. With `besideReason`, the name's
 * `.txt` must be free too. A rename, so it stays inside the Outbox's own tree. Returns the new path.
 * Called from the Outbox queue only, so nothing else creates names in these folders meanwhile.
 */
export async function moveWithoutOverwrite(fs: FileSystem, from: string, dir: string, name: string, besideReason = false): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  for (let n = 1; n <= 1000; n++) {
    const candidate = n === 1 ? name : conflictName(name, n);
    const target = join(dir, candidate);
    if (await exists(fs, target)) continue;
    if (besideReason && await exists(fs, `${target}.txt`)) continue;
    await renameWithRetry(fs, from, target);
    return target;
  }
  throw new Error(`more than 1000 files named like ${name} in ${dir}; refusing to add another`);
}

export interface ReasonInput {
  fileName: string;
  dossierName: string;
  dossierPartyId: number;
  at: Date;
  reason: string;
  sha256: string | null;
}

/** "2026-11-15 14:02:05" in Brussels, for people. */
export function brusselsStamp(at: Date): string {
  return toBrusselsLocal(at).slice(0, 19).replace('T', ' ');
}

/**
 * The text of `<file>.txt` in Outbox/failed/: what, which dossier, when, why, and what to do. CRLF
 * and a UTF-8 byte order mark, so Notepad on any Windows shows accents in company names correctly.
 */
export function reasonText(input: ReasonInput): string {
  const lines = [
    'billsync could not send this file to Billit.',
    '',
    `File:    ${input.fileName}`,
    `Dossier: ${input.dossierName} (Billit PartyID ${input.dossierPartyId})`,
    `Time:    ${brusselsStamp(input.at)} (${BUSINESS_TIME_ZONE})`,
    `Reason:  ${input.reason}`,
    ...(input.sha256 === null ? [] : [`SHA-256: ${input.sha256}`]),
    '',
    'To try again, remove the cause and put the file back into the Outbox folder.',
    'A file that reached Billit once is never sent a second time.',
    '',
  ];
  return `\uFEFF${lines.join('\r\n')}`;
}

/** Writes the reason file beside `failedPath` (atomically, so nobody reads half of it). */
export async function writeReason(fs: FileSystem, failedPath: string, text: string): Promise<string> {
  return writeFileAtomic(fs, dirname(failedPath), `${basename(failedPath)}.txt`, Buffer.from(text, 'utf8'));
}
