import { odataDateTime } from '../../billit/odata.js';
import { fromBrusselsLocal, toBrusselsLocal } from '../../core/brussels-time.js';
import { BillitHttpError } from '../../billit/errors/index.js';
import type { DeletedOrder } from '../../billit/schemas.js';
import type { DossierMapping } from '../dossier-mapping.js';
import type { SyncContext } from '../sync-context.js';

/**
 * Orders deleted in Billit (GET /v1/orders/deleted): recorded in the ledger and reported, never
 * deleted from disk — Venice may have booked the file already, and the accountant decides.
 */
export async function syncDeletedOrders(ctx: SyncContext, dossier: DossierMapping): Promise<void> {
  const watermark = ctx.ledger.watermarks.get(dossier.partyId, 'orders-deleted');
  const since = watermark ? fromBrusselsLocal(watermark) : null;
  let newest = watermark;
  const filter = since ? `LastModified ge ${odataDateTime(new Date(since.getTime() - 10 * 60 * 1000))}` : '';
  for await (const deleted of deletedOrders(ctx, dossier, filter)) {
    const stamp = deleted.LastModified ? fromBrusselsLocal(deleted.LastModified) : null;
    const local = stamp ? toBrusselsLocal(stamp) : null;
    if (local && (!newest || local > newest)) newest = local;
    const row = ctx.ledger.documents.find('orders', String(deleted.OrderID));
    if (!row || row.deletedInBillitAt !== null || ctx.dryRun) continue;
    ctx.ledger.documents.markDeletedInBillit(row.id);
    ctx.emit({
      type: 'deleted-in-billit', level: 'warn', dossierPartyId: dossier.partyId, documentId: row.id,
      message: row.finalPath
        ? `order ${row.title ?? deleted.OrderID} was deleted in Billit; its file stays at ${row.finalPath}`
        : `order ${row.title ?? deleted.OrderID} was deleted in Billit before it was exported`,
      data: { orderId: deleted.OrderID, finalPath: row.finalPath },
    });
  }
  if (!ctx.dryRun && newest && newest !== watermark) ctx.ledger.watermarks.set(dossier.partyId, 'orders-deleted', newest);
}

/**
 * The deleted orders, filtered on LastModified when Billit takes that filter. The endpoint is in
 * the Swagger only, without its filterable properties: a 400 to the filter (GenericError "Could not
 * find a property") is answered by reading the list unfiltered, where the ledger tells old from new.
 */
async function* deletedOrders(ctx: SyncContext, dossier: DossierMapping, filter: string): AsyncGenerator<DeletedOrder> {
  try {
    for await (const page of ctx.client.deletedOrderPages(dossier.partyId, filter ? { filter } : {})) yield* page.items;
  } catch (error) {
    if (!filter || !(error instanceof BillitHttpError) || error.status !== 400) throw error;
    ctx.emit({ type: 'deleted-unfiltered', level: 'info', dossierPartyId: dossier.partyId, message: `Billit refused the LastModified filter on deleted orders (${error.message}); read unfiltered` });
    for await (const page of ctx.client.deletedOrderPages(dossier.partyId, {})) yield* page.items;
  }
}
