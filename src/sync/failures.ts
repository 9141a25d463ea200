import { ApiKeyRejectedError } from '../billit/errors/api-key-rejected-error.js';
import { BillitUnreachableError } from '../billit/errors/billit-unreachable-error.js';
import { ExportRootError } from '../export/export-root.js';
import type { DocumentRow } from '../ledger/document-row.js';
import type { SyncContext } from './sync-context.js';

/** Network failures in a row, across documents, after which Billit counts as unreachable for this run. */
export const NETWORK_FAILURES_BEFORE_GIVING_UP = 5;

/**
 * Errors that stop the whole run instead of one document: nothing else can succeed while the key is
 * refused, Billit cannot be connected to, the export root is gone or the disk is full or read-only.
 * A cut or slow download hurts one document; only a run of them means Billit is gone.
 */
export function isFatal(error: unknown): boolean {
  if (error instanceof ApiKeyRejectedError || error instanceof ExportRootError) return true;
  if (error instanceof BillitUnreachableError) return error.kind === 'refused' || error.kind === 'dns';
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOSPC' || code === 'EROFS' || code === 'EDQUOT';
}

/** Records a document's failure in the ledger and the event trail; rethrows fatal errors. */
export function documentFailed(ctx: SyncContext, row: DocumentRow | null, what: string, error: unknown): void {
  if (isFatal(error)) throw error;
  if (error instanceof BillitUnreachableError) {
    ctx.networkFailuresInARow += 1;
    if (ctx.networkFailuresInARow >= NETWORK_FAILURES_BEFORE_GIVING_UP) throw error;
  }
  const message = `${what}: ${(error as Error).message ?? String(error)}`;
  if (row) {
    ctx.ledger.documents.recordFailure(row.id, message);
    ctx.failuresByDossier.set(row.dossierPartyId, (ctx.failuresByDossier.get(row.dossierPartyId) ?? 0) + 1);
  }
  ctx.counts.failed += 1;
  ctx.emit({ type: 'document-failed', level: 'error', message, ...(row ? { dossierPartyId: row.dossierPartyId, documentId: row.id } : {}) });
}

