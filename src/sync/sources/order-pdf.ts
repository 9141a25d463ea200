import type { Order } from '../../billit/schemas.js';
import { EmbedPdfError, embedPdf } from '../../formats/ubl/embed-pdf.js';
import { validateUbl } from '../../formats/ubl/validate-ubl.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import { BillitHttpError } from '../../billit/errors/billit-http-error.js';
import { BillitUnreachableError } from '../../billit/errors/billit-unreachable-error.js';
import { DownloadIntegrityError } from '../../billit/errors/download-integrity-error.js';
import { isFatal } from '../failures.js';

/** Runs an invoice waits for Billit's PDF before it goes without a visual. */
const MAX_PDF_ATTEMPTS = 3;
import type { SyncContext } from '../sync-context.js';

/**
 * Venice shows the PDF embedded in a UBL next to the booking. Many Peppol invoices carry none, while
 * Billit has one (the supplier's or its own rendering, `OrderPDF`): billsync embeds it. If that goes
 * is missing or unusable the invoice still goes, without a visual, and the event trail says why.
 */
export async function withBillitPdf(ctx: SyncContext, row: DocumentRow, partyId: number, order: Order, ubl: Buffer): Promise<Buffer> {
  const skip = (why: string): Buffer => {
    ctx.emit({ type: 'pdf-not-embedded', level: 'info', dossierPartyId: partyId, documentId: row.id, message: `${order.OrderNumber ?? order.OrderID}: Billit's PDF was not embedded (${why}); Venice shows no visual` });
    return ubl;
  };
  let pdf: Buffer;
  try {
    pdf = (await ctx.client.file(partyId, order.OrderPDF!.FileID)).bytes;
  } catch (error) {
    // A passing network or server hiccup fails the invoice for now, so that it does not cost Venice
    // its visual for good; anything else, or the third time, ships the invoice without it.
    const transient = error instanceof BillitUnreachableError || error instanceof DownloadIntegrityError
      || (error instanceof BillitHttpError && (error.status === 429 || error.status >= 500));
    if (isFatal(error) || (transient && row.attempts < MAX_PDF_ATTEMPTS)) throw error;
    return skip(`download failed: ${(error as Error).message}`);
  }
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return skip('Billit\'s file is not a PDF');
  const name = `${(order.OrderNumber ?? String(order.OrderID)).replace(/[^\w.-]+/g, '_').slice(0, 80)}.pdf`;
  let embedded: Buffer;
  try {
    embedded = embedPdf(ubl, pdf, name);
  } catch (error) {
    if (error instanceof EmbedPdfError) return skip(error.message);
    throw error;
  }
  if (!validateUbl(embedded).valid) return skip('the UBL would no longer validate');
  return embedded;
}
