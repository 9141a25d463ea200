import { odataAnd, odataDateTime } from '../../billit/odata.js';
import type { OrderSummary } from '../../billit/schemas.js';
import type { DocumentKind } from '../../core/document-kind.js';
import { fromBrusselsLocal, toBrusselsLocal } from '../../core/brussels-time.js';
import { KIND_FOLDERS, resolveInside, ublFileName } from '../../export/layout.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import type { DossierMapping } from '../dossier-mapping.js';
import { documentFailed } from '../failures.js';
import { acknowledge, deliver, place, reportRenamed } from '../pipeline.js';
import type { SyncContext } from '../sync-context.js';
import { prepareUbl } from './ubl-document.js';

/** Billit's clocks and ours disagree a little, and an order can change while we page: re-read this much. */
const WATERMARK_OVERLAP_MS = 10 * 60 * 1000;

export function kindOfOrder(direction: string): DocumentKind | null {
  if (direction === 'Cost') return 'purchase';
  if (direction === 'Income') return 'sales';
  return null;
}

/**
 * Direct mode: every order of the dossier not yet exported in Billit (ExportedToConnector false),
 * changed since the watermark, goes to Purchases/ or Sales/ and is then marked exported.
 */
export async function syncOrders(ctx: SyncContext, dossier: DossierMapping, kinds: ReadonlySet<DocumentKind>): Promise<void> {
  const allKinds = kinds.has('purchase') && kinds.has('sales');
  if (!kinds.has('purchase') && !kinds.has('sales')) return;
  const watermark = ctx.ledger.watermarks.get(dossier.partyId, 'orders');
  const since = watermark ? fromBrusselsLocal(watermark) : null;
  const filter = odataAnd(
    'ExportedToConnector eq false',
    since && `LastModified ge ${odataDateTime(new Date(since.getTime() - WATERMARK_OVERLAP_MS))}`,
    !allKinds && `OrderDirection eq '${kinds.has('purchase') ? 'Cost' : 'Income'}'`,
  );
  let newest: string | null = watermark;
  let oldestFailure: string | null = null;
  for await (const page of ctx.client.orderPages(dossier.partyId, { filter, orderBy: 'LastModified asc' })) {
    for (const summary of page.items) {
      const ok = await syncOrder(ctx, dossier, summary, kinds);
      const stamp = normalise(summary.LastModified);
      if (stamp && (!newest || stamp > newest)) newest = stamp;
      if (!ok && stamp && (!oldestFailure || stamp < oldestFailure)) oldestFailure = stamp;
    }
  }
  // The watermark never passes a failed order, so the next run lists it again.
  const next = oldestFailure ?? newest;
  if (allKinds && !ctx.dryRun && next && next !== watermark) ctx.ledger.watermarks.set(dossier.partyId, 'orders', next);
}

function normalise(stamp: string): string | null {
  const date = fromBrusselsLocal(stamp);
  return date ? toBrusselsLocal(date) : null;
}

/** Exports one order; false when it failed and must be tried again. */
async function syncOrder(ctx: SyncContext, dossier: DossierMapping, summary: OrderSummary, kinds: ReadonlySet<DocumentKind>): Promise<boolean> {
  const kind = kindOfOrder(summary.OrderDirection);
  if (kind === null || !kinds.has(kind)) {
    ctx.counts.skipped += 1;
    return true;
  }
  const existing = ctx.ledger.documents.find('orders', String(summary.OrderID));
  if (ctx.dryRun) {
    if (!existing || existing.state === 'seen') ctx.progress(1, `would export ${kind} ${summary.OrderNumber ?? summary.OrderID}`);
    return true;
  }
  let row: DocumentRow | null = null;
  try {
    row = ctx.ledger.documents.ensureSeen({
      source: 'orders', billitId: String(summary.OrderID), dossierPartyId: dossier.partyId, kind,
      title: summary.OrderNumber ?? null, billitLastModified: summary.LastModified,
    });
    if (row.state === 'acknowledged' || row.state === 'picked_up' || row.state === 'quarantined') {
      // Exported before, or refused by the checks; re-export is an explicit choice (billsync export --include-exported).
      ctx.counts.skipped += 1;
      return true;
    }
    if (row.state === 'placed') {
      await acknowledge(ctx, row);
      return true;
    }
    if (row.state === 'fetched') {
      await acknowledge(ctx, await place(ctx, row));
      return true;
    }
    const order = await ctx.client.order(dossier.partyId, summary.OrderID);
    const xml = (order.Attachments ?? []).filter((a) => (a.FileName ?? '').toLowerCase().endsWith('.xml'));
    if (xml.length === 0) {
      documentFailed(ctx, row, `order ${order.OrderNumber ?? order.OrderID}`, new Error('Billit has no UBL attachment for it yet (still in fast input, or approval ongoing); it will be tried again'));
      return false;
    }
    const file = await ctx.client.file(dossier.partyId, xml[0]!.FileID);
    const ubl = await prepareUbl(ctx, row, file.bytes, file.fileName);
    if (ubl === null) return true;
    const parts = {
      issueDate: (order.OrderDate ?? summary.OrderDate ?? summary.Created ?? '').slice(0, 10) || 'undated',
      counterpartyVat: order.CounterParty?.VATNumber ?? (kind === 'purchase' ? order.Supplier?.VATNumber : order.Customer?.VATNumber) ?? null,
      invoiceNumber: order.OrderNumber ?? String(order.OrderID),
    };
    const fileName = ublFileName(parts);
    reportRenamed(ctx, row, `${parts.issueDate}_${parts.counterpartyVat ?? 'NOVAT'}_${parts.invoiceNumber}.xml`, fileName);
    const target = resolveInside(ctx.exportRoot, dossier.folder, KIND_FOLDERS[kind], fileName);
    await deliver(ctx, row, ubl, file.bytes, target);
    ctx.progress(1, `${dossier.name}: ${fileName}`);
    return true;
  } catch (error) {
    documentFailed(ctx, row, `order ${summary.OrderNumber ?? summary.OrderID} of ${dossier.name}`, error);
    return false;
  }
}
