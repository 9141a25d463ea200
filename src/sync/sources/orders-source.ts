import { odataAnd, odataDateTime, odataString } from '../../billit/odata.js';
import type { Order, OrderSummary } from '../../billit/schemas.js';
import { isApproved } from '../../core/approval-status.js';
import { addDays, fromBrusselsLocal, toBrusselsLocal } from '../../core/brussels-time.js';
import type { DocumentKind } from '../../core/document-kind.js';
import { brusselsDateOf, lastFullMonth } from '../../core/months.js';
import { KIND_FOLDERS, resolveInside, ublFileName } from '../../export/layout.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import type { SearchMetadata } from '../../ledger/search-repository.js';
import type { DossierMapping } from '../dossier-mapping.js';
import { eligibility } from '../eligibility.js';
import { documentFailed } from '../failures.js';
import { inManualPeriod, type Pass } from '../pass.js';
import { acknowledge, deliver, place, reportRenamed } from '../pipeline.js';
import type { SyncContext } from '../sync-context.js';
import { gateUbl } from '../gate.js';
import { withBillitPdf } from './order-pdf.js';

/**
 * Re-read this much before the watermark: Billit's clocks and ours disagree a little, an order can
 * change while we page, and Billit's offset-less local times repeat an hour in the autumn (an hour
 * and ten minutes covers that).
 */
const WATERMARK_OVERLAP_MS = 70 * 60 * 1000;

/**
 * The overlap is for orders that show up below the watermark after a listing ran. Once listings with
 * the overlap have gone on for longer than the overlap while the watermark stood still, every such
 * order has had time to show up and be listed, so later listings start at the watermark itself. Without
 * this, an after-10-minutes dossier whose last change was a bulk export re-reads those orders every
 * minute for as long as nothing else changes. Kept per dossier as 'orders-overlap': the watermark and
 * when a listing first used it (this machine's clock), then that it is settled.
 */
interface OverlapState {
  watermark: string;
  since: string;
  settled: boolean;
}

function readOverlap(text: string | null): OverlapState | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<OverlapState>;
    return typeof value.watermark === 'string' && typeof value.since === 'string' && typeof value.settled === 'boolean' ? value as OverlapState : null;
  } catch {
    return null;
  }
}

/** Order types that are invoices for Venice; offers, delivery notes and the like stay in Billit. */
const INVOICE_TYPES = new Set(['invoice', 'creditnote']);

/** Cost → purchase, Income → sales (any letter case); anything else is not filed. */
export function kindOfOrder(direction: string | null | undefined): DocumentKind | null {
  const value = direction?.trim().toLowerCase();
  if (value === 'cost') return 'purchase';
  if (value === 'income') return 'sales';
  return null;
}

const EXPORTED_STATES = new Set(['acknowledged', 'picked_up']);

/**
 * The earliest document date a last-month dossier exports automatically: exportFrom, or else the
 * first day of the month before billsync first saw the dossier (or before this pass, whichever is
 * earlier), so that a new dossier's history does not flood Venice.
 */
export function lastMonthCutoff(ctx: SyncContext, partyId: number, exportFrom: string | null, now: Date): string {
  if (exportFrom !== null) return exportFrom;
  const created = ctx.ledger.dossiers.get(partyId)?.createdAt;
  const since = created ? new Date(Math.min(Date.parse(created), now.getTime())) : now;
  return lastFullMonth(since).from;
}

interface PassState {
  /** Orders the entrepreneur approved since billsync last looked. */
  approved: number;
  newest: string | null;
  /** The oldest LastModified that must be listed again (failed, or not due yet for a reason Billit will not signal). */
  hold: string | null;
  /** Orders handled already in this pass (the two listings of a policy pass overlap). */
  handled: Set<number>;
  firstListing: boolean;
  cutoff: string | null;
}

export interface OrdersResult { approved: number; }

const maxDate = (a: string, b: string): string => (a > b ? a : b);

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
  const cutoff = pass.policy.frequency === 'last-month' ? lastMonthCutoff(ctx, dossier.partyId, pass.policy.exportFrom, pass.now) : null;
  const state: PassState = { approved: 0, newest: watermark, hold: null, handled: new Set(), firstListing: watermark === null, cutoff };
  // The whole listing is read before anything is exported: marking an order exported changes its
  // LastModified and takes it out of "ExportedToConnector eq false", which would shift later
  // $skip pages under the cursor and skip orders.
  const list = async (filter: string) => {
    const listed: OrderSummary[] = [];
    for await (const page of ctx.client.orderPages(dossier.partyId, { filter, orderBy: 'LastModified asc' })) listed.push(...page.items);
    for (const summary of listed) await handleListed(ctx, dossier, summary, kinds, pass, state);
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
  const overlap = readOverlap(ctx.ledger.watermarks.get(dossier.partyId, 'orders-overlap'));
  const settled = overlap !== null && overlap.settled && overlap.watermark === watermark;
  await list(since ? `LastModified ge ${odataDateTime(settled ? since : new Date(since.getTime() - WATERMARK_OVERLAP_MS))}` : '');
  if (exportsOrders && pass.policy.frequency === 'last-month' && !pass.watchOnly && cutoff !== null) {
    // Orders that became due because a month ended, without changing in Billit. With the lock on,
    // "not exported" is a Billit filter and everything since the cutoff can be asked; without it,
    // from the month the previous monthly run covered (later arrivals show up as changes).
    const until = lastFullMonth(pass.now).until;
    const previous = ctx.ledger.schedule.lastRun(`monthly:${dossier.partyId}`);
    const from = pass.policy.lockAfterExport || previous === null ? cutoff : maxDate(cutoff, lastFullMonth(previous).from);
    await list(odataAnd(
      `OrderDate ge DateTime'${from}T00:00:00'`,
      `OrderDate lt DateTime'${until}T00:00:00'`,
      pass.policy.lockAfterExport && 'ExportedToConnector eq false',
      directionFilter(kinds),
    ));
  }
  // The watermark never passes an order that must be listed again, and a pass that only watches
  // approvals does not move it: it decided nothing about exporting.
  const next = state.hold ?? state.newest;
  const allKinds = kinds.has('purchase') && kinds.has('sales');
  if (allKinds && !pass.watchOnly && !ctx.dryRun && next && next !== watermark) ctx.ledger.watermarks.set(dossier.partyId, 'orders', next);
  if (allKinds && !pass.watchOnly && !ctx.dryRun && watermark !== null && next === watermark && !settled) {
    // The watermark stood still through this listing with the overlap: note when that began, and once
    // the overlap's length has passed since, that it is settled.
    const began = overlap?.watermark === watermark ? overlap.since : pass.now.toISOString();
    const done = pass.now.getTime() - Date.parse(began) >= WATERMARK_OVERLAP_MS;
    if (overlap?.watermark !== watermark || done) {
      ctx.ledger.watermarks.set(dossier.partyId, 'orders-overlap', JSON.stringify({ watermark, since: began, settled: done } satisfies OverlapState));
    }
  }
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
  if (summary.OrderType && !INVOICE_TYPES.has(summary.OrderType.toLowerCase())) return;

  const existing = ctx.ledger.documents.find('orders', String(summary.OrderID));
  const exported = existing !== null && EXPORTED_STATES.has(existing.state);
  // A quarantined order is tried again once Billit changed it (a corrected UBL).
  const changedSinceQuarantine = existing?.state === 'quarantined' && existing.billitLastModified !== null
    && stampOf(existing.billitLastModified) !== stamp;
  const decision = pass.kind === 'policy' && pass.watchOnly
    ? { due: false, holdWatermark: false, reason: 'watching approvals only' }
    : pass.kind === 'manual'
    ? { due: inManualPeriod(pass, brusselsDateOf(summary.OrderDate)) && kinds.has(kind) && (!exported || pass.includeExported), holdWatermark: false, reason: 'manual export' }
    : eligibility(pass.policy, { documentDate: summary.OrderDate ?? null, created: summary.Created ?? null, approvalStatus: summary.ApprovalStatus ?? null, hasApprovalFlow: true }, pass.now, state.cutoff);
  if (ctx.dryRun) {
    if (decision.due && kinds.has(kind) && (!exported || pass.kind === 'manual')) ctx.progress(1, `would export ${kind} ${summary.OrderNumber ?? summary.OrderID}`);
    return;
  }

  let row: DocumentRow | null = null;
  try {
    // Nothing new in the listing (the overlap re-reads every order changed in the last 70 minutes,
    // every minute for after-10-minutes dossiers): no write at all. Otherwise one commit (one fsync)
    // for what the listing taught about the order, instead of three.
    const unchanged = existing !== null && existing.title === (summary.OrderNumber ?? null)
      && existing.approvalStatus === (summary.ApprovalStatus ?? null)
      && (existing.state === 'quarantined' || existing.billitLastModified === summary.LastModified);
    const seen = unchanged ? { row: existing, before: existing.approvalStatus } : ctx.ledger.transaction(() => {
      const seenRow = ctx.ledger.documents.ensureSeen({
        source: 'orders', billitId: String(summary.OrderID), dossierPartyId: dossier.partyId, kind,
        // While quarantined, the row keeps the LastModified of the version that failed, so that any pass
        // (also an approvals or CODA pass that exports nothing) can tell when Billit serves a new one.
        title: summary.OrderNumber ?? null, billitLastModified: existing?.state === 'quarantined' ? existing.billitLastModified : summary.LastModified,
      });
      ctx.ledger.search.record(seenRow.id, orderSearchMetadata(summary));
      return { row: seenRow, before: ctx.ledger.documents.recordApprovalStatus(seenRow.id, summary.ApprovalStatus ?? null) };
    });
    row = seen.row;
    const before = seen.before;
    if (isApproved(summary.ApprovalStatus) && !isApproved(before) && !exported && !(existing === null && state.firstListing)) state.approved += 1;
    if (!decision.due || !kinds.has(kind)) {
      if (decision.holdWatermark && kinds.has(kind)) hold();
      return;
    }
    if (exported) {
      if (pass.kind !== 'manual' || !pass.includeExported) return;
      ctx.emit({ type: 're-export', level: 'info', dossierPartyId: dossier.partyId, documentId: row.id, message: `re-exporting ${summary.OrderNumber ?? summary.OrderID} (include already exported)`, data: { previousPath: row.finalPath } });
      row = ctx.ledger.documents.reopen(row.id, 're-export requested');
    } else if (row.state === 'quarantined') {
      if (pass.kind !== 'manual' && !changedSinceQuarantine) return;
      row = ctx.ledger.documents.reopen(row.id, changedSinceQuarantine ? 'Billit serves a new version' : 'manual export retries a quarantined document');
    }
    if (!(await exportOrder(ctx, dossier, row, summary.OrderID, kind))) hold();
  } catch (error) {
    documentFailed(ctx, row, `order ${summary.OrderNumber ?? summary.OrderID} of ${dossier.name}`, error);
    hold();
  }
}

/** What the ledger search knows of an order (a listed summary or the full order: the same fields). */
export function orderSearchMetadata(order: OrderSummary): SearchMetadata {
  return {
    reference: order.OrderNumber, counterpartyName: order.CounterParty?.Name, counterpartyVat: order.CounterParty?.VATNumber,
    amount: order.TotalIncl, documentDate: brusselsDateOf(order.OrderDate),
  };
}

/** The UBL file name of an order (product.md §4), the same in direct and feed mode; reports a sanitised name. */
export function orderFileName(ctx: SyncContext, row: DocumentRow, order: Order, kind: DocumentKind): string {
  const parts = {
    issueDate: brusselsDateOf(order.OrderDate) ?? brusselsDateOf(order.Created) ?? 'undated',
    counterpartyVat: order.CounterParty?.VATNumber ?? (kind === 'purchase' ? order.Supplier?.VATNumber : order.Customer?.VATNumber) ?? null,
    invoiceNumber: order.OrderNumber ?? String(order.OrderID),
  };
  const fileName = ublFileName(parts);
  reportRenamed(ctx, row, `${parts.issueDate}_${parts.counterpartyVat ?? 'NOVAT'}_${parts.invoiceNumber}.xml`, fileName);
  return fileName;
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
  const gated = await gateUbl(ctx, row, file.bytes, file.fileName);
  if (gated === null) return true;
  const ubl = !gated.verdict.hasPdf && order.OrderPDF?.FileID ? await withBillitPdf(ctx, row, dossier.partyId, order, gated.document) : gated.document;
  const fileName = orderFileName(ctx, row, order, kind);
  await deliver(ctx, row, ubl, file.bytes, resolveInside(ctx.exportRoot, dossier.folder, KIND_FOLDERS[kind], fileName));
  ctx.progress(1, `${dossier.name}: ${fileName}`);
  return true;
}
