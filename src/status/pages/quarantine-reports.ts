import { join } from 'node:path';
import type { DocumentRow } from '../../ledger/document-row.js';
import type { FileSystem } from '../../platform/fs/file-system.js';

/** A report larger than this is cut: it is read into the page. */
const MAX_REPORT_BYTES = 256 * 1024;

/** `<data dir>/quarantine/<PartyID>/`: where the sync's quarantine() keeps a dossier's failed documents (sync/pipeline.ts). */
export function quarantineDir(dataDir: string, dossierPartyId: number): string {
  return join(dataDir, 'quarantine', String(dossierPartyId));
}

export interface QuarantineReport {
  /** The quarantined copy of the document, beside its report. */
  copyName: string;
  reportName: string;
  text: string;
  truncated: boolean;
}

/**
 * The report quarantine() wrote for a document: `<source>-<billitId>-<file name>.txt` beside the copy.
 * A document quarantined more than once (a new version that failed again) has several; the newest
 * counts. Null when there is none (the folder was cleaned by hand).
 */
export async function readQuarantineReport(fs: FileSystem, dataDir: string, row: Pick<DocumentRow, 'source' | 'billitId' | 'dossierPartyId'>): Promise<QuarantineReport | null> {
  const dir = quarantineDir(dataDir, row.dossierPartyId);
  const prefix = `${row.source}-${row.billitId}-`;
  let names: string[];
  try {
    names = (await fs.readdir(dir)).map(String).filter((name) => name.startsWith(prefix) && name.endsWith('.txt'));
  } catch {
    return null;
  }
  let newest: { name: string; mtime: number } | null = null;
  for (const name of names) {
    try {
      const stats = await fs.stat(join(dir, name));
      if (stats.isFile() && (newest === null || stats.mtimeMs > newest.mtime)) newest = { name, mtime: stats.mtimeMs };
    } catch { /* removed meanwhile */ }
  }
  if (newest === null) return null;
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(join(dir, newest.name));
  } catch {
    return null;
  }
  const truncated = bytes.length > MAX_REPORT_BYTES;
  return { copyName: newest.name.slice(0, -'.txt'.length), reportName: newest.name, text: bytes.subarray(0, MAX_REPORT_BYTES).toString('utf8'), truncated };
}
