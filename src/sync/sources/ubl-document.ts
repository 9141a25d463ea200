import { SbdhError, unwrapSbdh } from '../../formats/ubl/sbdh.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import { keepOriginal, quarantine } from '../pipeline.js';
import type { SyncContext } from '../sync-context.js';

/**
 * Turns what Billit served into the bytes Venice gets: the bare UBL, with the SBDH envelope's
 * original kept for audit. Returns null when the document went to quarantine instead.
 */
export async function prepareUbl(ctx: SyncContext, row: DocumentRow, served: Buffer, fileName: string): Promise<Buffer | null> {
  try {
    const result = unwrapSbdh(served);
    if (result.wrapped) await keepOriginal(ctx, row, served, fileName);
    return result.document;
  } catch (error) {
    if (!(error instanceof SbdhError)) throw error;
    await quarantine(ctx, row, served, fileName, `the UBL is not usable: ${error.message}`);
    return null;
  }
}
