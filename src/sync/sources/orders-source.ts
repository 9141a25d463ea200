import { odataAnd, odataDateTime, odataString } from '../../billit/odata.js';
import type { OrderSummary } from '../../billit/schemas.js';
import { APPROVED } from '../../core/approval-status.js';
import { addDays, fromBrusselsLocal, toBrusselsLocal } from '../../core/brussels-time.js';
import type { DocumentKind } from '../../core/document-kind.js';
import { brusselsDateOf, lastFullMonth } from '../../core/months.js';
import { KIND_FOLDERS, resolveInside, ublFileName } from '../../export/layout.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import type { DossierMapping } from '../dossier-mapping.js';
import { eligibility } from '../eligibility.js';
import { documentFailed } from '../failures.js';
import { inManualPeriod, type Pass } from '../pass.js';
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

const EXPORTED_STATES = new Set(['acknowledged', 'picked_up']);

interface PassState {
  /** Orders the entrepreneur approved since billsync last looked. */
  approved: number;
  newest: string | null;
  /** The oldest LastModified that must be listed again (failed, or not due yet for a reason Billit will not signal). */
  hold: string | null;
  /** Orders handled already in this pass (the two listings of a policy pass overlap). */
  handled: Set<number>;
  firstListing: boolean;
}

export interface OrdersResult { approved: number; }

function stampOf(text: string): string | null {
  const date = fromBrusselsLocal(text);
  return date ? toBrusselsLocal(date) : null;
}

function directionFilter(kinds: ReadonlySet<DocumentKind>): string | null {
  if (kinds.has('purchase') && kinds.has('sales')) return null;
  return `OrderDirection eq ${odataString(kinds.has('purchase') ? 'Cost' : 'Income')}`;
}

/**
 * Direct mode, one dossier. A policy pass reads what changed since the watermark (to notice
 * approvals and new documents) and, for last-month dossiers, the last full month; every due order goes
 * to Purchases/ or Sales/. A manual pass exports a period, optionally re-delivering exported ones.
 */
export async function syncOrders(ctx: SyncContext, dossier: DossierMapping, kinds: ReadonlySet<DocumentKind>, pass: Pass): Promise<OrdersResult> {
  const exportsOrders = kinds.has('purchase') || kinds.has('sales');
  const watermark = ctx.ledger.watermarks.get(dossier.partyId, 'orders');
  const state: PassState = { approved: 0, newest: watermark, hold: null, handled: new Set(), firstListing: watermark === null };
  const list = async (filter: string) => {
    for await (const page of ctx.client.orderPages(dossier.partyId, { filter, orderBy: 'LastModified asc' })) {
      for (const summary of page.items) await handleListed(ctx, dossier, summary, kinds, pass, state);
    }
  };

  if (pass.kind === 'manual') {
    if (!exportsOrders) return { approved: 0 };
    const until = pass.to === null ? null : addDays(pass.to, 1);
    await list(odataAnd(
      pass.from !== null && `OrderDate ge DateTime'${pass.from}T00:00:00'`,
      until !== null && `OrderDate lt DateTime'${until}T00:00:00'`,
      directionFilter(kinds),
    ));
    return { approved: state.approved };
  }

  // Everything that changed since the watermark: new documents, approvals, after-10-minutes candidates.
  const since = watermark ? fromBrusselsLocal(watermark) : null;
  await list(since ? `LastModified ge ${odataDateTime(new Date(since.getTime() - WATERMARK_OVERLAP_MS))}` : '');
  if (exportsOrders && pass.policy.frequency === 'last-month' && !pass.watchOnly) {
    const month = lastFullMonth(pass.now);
    await list(odataAnd(
      `OrderDate ge DateTime'${month.from}T00:00:00'`,
      `OrderDate lt DateTime'${month.until}T00:00:00'`,
      pass.policy.lockAfterExport && 'ExportedToConnector eq false',
      directionFilter(kinds),
    ));
  }
  // The watermark never passes an order that must be listed again.
  const next = state.hold ?? state.newest;
  const allKinds = kinds.has('purchase') && kinds.has('sales');
  if (allKinds && !ctx.dryRun && next && next !== watermark) ctx.ledger.watermarks.set(dossier.partyId, 'orders', next);
  return { approved: state.approved };
}

async function handleListed(ctx: SyncContext, dossier: DossierMapping, summary: OrderSummary, kinds: ReadonlySet<DocumentKind>, pass: Pass, state: PassState): Promise<void> {
  if (state.handled.has(summary.OrderID)) return;
  state.handled.add(summary.OrderID);
  const stamp = stampOf(summary.LastModified);
  if (stamp && (!state.newest || stamp > state.newest)) state.newest = stamp;
  const hold = () => { if (stamp && (!state.hold || stamp < state.hold)) state.hold = stamp; };
  const kind = kindOfOrder(summary.OrderDirection);
  if (kind === null) return;

  const existing = ctx.ledger.documents.find('orders', String(summary.OrderID));
  const exported = existing !== null && EXPORTED_STATES.has(existing.state);
  const decision = pass.kind === 'policy' && pass.watchOnly
    ? { due: false, holdWatermark: false, reason: 'watching approvals only' }
    : pass.kind === 'manual'
    ? { due: inManualPeriod(pass, brusselsDateOf(summary.OrderDate)) && kinds.has(kind) && (!exported || pass.includeExported), holdWatermark: false, reason: 'manual export' }
    : eligibility(pass.policy, { documentDate: summary.OrderDate ?? null, created: summary.Created ?? null, approvalStatus: summary.ApprovalStatus ?? null, hasApprovalFlow: true }, pass.now);
  if (ctx.dryRun) {
    if (decision.due && kinds.has(kind) && (!exported || pass.kind === 'manual')) ctx.progress(1, `would export ${kind} ${summary.OrderNumber ?? summary.OrderID}`);
    return;
  }

  let row: DocumentRow | null = null;
  try {
    row = ctx.ledger.documents.ensureSeen({
      source: 'orders', billitId: String(summary.OrderID), dossierPartyId: dossier.partyId, kind,
      title: summary.OrderNumber ?? null, billitLastModified: summary.LastModified,
    });
    const before = ctx.ledger.documents.recordApprovalStatus(row.id, summary.ApprovalStatus ?? null);
    if (summary.ApprovalStatus === APPROVED && before !== APPROVED && !exported && !(existing === null && state.firstListing)) state.approved += 1;
    if (!decision.due || !kinds.has(kind)) {
      if (decision.holdWatermark && kinds.has(kind)) hold();
      return;
    }
    if (exported) {
      if (pass.kind !== 'manual' || !pass.includeExported) return;
      ctx.emit({ type: 're-export', level: 'info', dossierPartyId: dossier.partyId, documentId: row.id, message: `re-exporting ${summary.OrderNumber ?? summary.OrderID} (include already exported)`, data: { previousPath: row.finalPath } });
      row = ctx.ledger.documents.reopen(row.id, 're-export requested');
    } else if (row.state === 'quarantined') {
      if (pass.kind !== 'manual') return;
      row = ctx.ledger.documents.reopen(row.id, 'manual export retries a quarantined document');
    }
    if (!(await exportOrder(ctx, dossier, row, summary.OrderID, kind))) hold();
  } catch (error) {
    documentFailed(ctx, row, `order ${summary.OrderNumber ?? summary.OrderID} of ${dossier.name}`, error);
    hold();
  }
}

/** Takes one order from wherever it got to, to acknowledged. False when it must be tried again. */
async function exportOrder(ctx: SyncContext, dossier: DossierMapping, row: DocumentRow, orderId: number, kind: DocumentKind): Promise<boolean> {
  if (row.state === 'placed') { await acknowledge(ctx, row); return true; }
  if (row.state === 'fetched') { await acknowledge(ctx, await place(ctx, row)); return true; }
  const order = await ctx.client.order(dossier.partyId, orderId);
  const xml = (order.Attachments ?? []).filter((a) => (a.FileName ?? '').toLowerCase().endsWith('.xml'));
  if (xml.length === 0) {
    documentFailed(ctx, row, `order ${order.OrderNumber ?? order.OrderID}`, new Error('Billit has no UBL attachment for it yet (still in fast input, or approval ongoing); it will be tried again'));
    return false;
  }
  const file = await ctx.client.file(dossier.partyId, xml[0]!.FileID);
  const ubl = await prepareUbl(ctx, row, file.bytes, file.fileName);
  if (ubl === null) return true;
  const parts = {
    issueDate: brusselsDateOf(order.OrderDate) ?? brusselsDateOf(order.Created) ?? 'undated',
    counterpartyVat: order.CounterParty?.VATNumber ?? (kind === 'purchase' ? order.Supplier?.VATNumber : order.Customer?.VATNumber) ?? null,
    invoiceNumber: order.OrderNumber ?? String(order.OrderID),
  };
  const fileName = ublFileName(parts);
  reportRenamed(ctx, row, `${parts.issueDate}_${parts.counterpartyVat ?? 'NOVAT'}_${parts.invoiceNumber}.xml`, fileName);
  await deliver(ctx, row, ubl, file.bytes, resolveInside(ctx.exportRoot, dossier.folder, KIND_FOLDERS[kind], fileName));
  ctx.progress(1, `${dossier.name}: ${fileName}`);
  return true;
}
