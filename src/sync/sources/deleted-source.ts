import { odataDateTime } from '../../billit/odata.js';
import { fromBrusselsLocal, toBrusselsLocal } from '../../core/brussels-time.js';
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
  for await (const page of ctx.client.deletedOrderPages(dossier.partyId, filter ? { filter } : {})) {
    for (const deleted of page.items) {
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
  }
  if (!ctx.dryRun && newest && newest !== watermark) ctx.ledger.watermarks.set(dossier.partyId, 'orders-deleted', newest);
}
