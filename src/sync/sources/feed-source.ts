import type { FeedItem, Order } from '../../billit/schemas.js';
import type { DocumentKind } from '../../core/document-kind.js';
import { documentFileName, KIND_FOLDERS, resolveInside } from '../../export/layout.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import type { DossierMapping } from '../dossier-mapping.js';
import { documentFailed } from '../failures.js';
import { acknowledge, deliver, place, quarantine } from '../pipeline.js';
import type { SyncContext } from '../sync-context.js';
import { kindOfOrder, orderFileName, orderSearchMetadata } from './orders-source.js';
import { sniffFormat } from '../../formats/sniff.js';
import { gateUbl } from '../gate.js';
import { withBillitPdf } from './order-pdf.js';
import { BillitHttpError } from '../../billit/errors/index.js';

/** Billit asks to query a feed's index at most once a minute. */
export const FEED_POLL_INTERVAL_MS = 60_000;

/** When the feed index was last read, from the event trail (so the pace survives restarts). */
function lastPoll(ctx: SyncContext): number | null {
  const [event] = ctx.ledger.events.list({ limit: 1, type: 'feed-polled' });
  return event ? Date.parse(event.at) : null;
}

/**
 * Portal-queue mode: the items the office exported in Billit's portal, downloaded (SHA-256 checked by
 * the client), placed, then confirmed with where they went. Returns false when the index was not read
 * because the last read was less than a minute ago.
 */
export async function syncFeed(ctx: SyncContext, dossiers: ReadonlyMap<number, DossierMapping>, kinds: ReadonlySet<DocumentKind>): Promise<boolean> {
  const now = ctx.now().getTime();
  const last = lastPoll(ctx);
  if (last !== null && now - last < FEED_POLL_INTERVAL_MS) {
    ctx.emit({ type: 'feed-paced', level: 'info', message: `the feed was read ${Math.round((now - last) / 1000)} s ago; Billit asks for at most one read a minute` });
    return false;
  }
  if (!feedKnownReady(ctx)) await ensureFeed(ctx);
  let items: FeedItem[];
  try {
    items = await ctx.client.feedItems(ctx.feedName);
  } catch (error) {
    // Deleted in the portal since (or never there): register it again and read it at the next tick.
    if (!(error instanceof BillitHttpError) || error.status !== 404) throw error;
    await ensureFeed(ctx);
    return true;
  }
  ctx.emit({ type: 'feed-polled', level: 'info', message: `feed ${ctx.feedName}: ${items.length} item(s) waiting`, data: { items: items.length } });
  for (const item of items) {
    const dossier = dossiers.get(item.PartyID);
    if (!dossier || dossier.disabled) continue;
    await syncFeedItem(ctx, dossier, item, kinds);
  }
  return true;
}

/** Whether this ledger has seen the feed exist in Billit (registered by billsync, or found there). */
function feedKnownReady(ctx: SyncContext): boolean {
  return ctx.ledger.events.list({ limit: 50, type: 'feed-ready' }).some((event) => (event.data as { feed?: unknown } | null)?.feed === ctx.feedName);
}

/**
 * Makes sure the accountant feed exists in Billit: a feed receives only what is exported after it was
 * registered (POST /v1/accountant/feeds), so billsync registers it on first use instead of reading a
 * feed Billit does not have.
 */
async function ensureFeed(ctx: SyncContext): Promise<void> {
  const existing = await ctx.client.feeds();
  let created = false;
  if (!existing.some((feed) => feed.Name === ctx.feedName)) {
    try {
      await ctx.client.createFeed(ctx.feedName);
      created = true;
    } catch (error) {
      // Registered meanwhile (another billsync of the office, a second try): that is what was wanted.
      if (!(error instanceof BillitHttpError && error.status < 500 && /exist/i.test(error.message))) throw error;
    }
  }
  ctx.emit({
    type: 'feed-ready', level: created ? 'warn' : 'info', data: { feed: ctx.feedName, created },
    message: created
      ? `registered the accountant feed ${ctx.feedName} in Billit: documents exported in the portal from now on arrive in it (earlier exports are not in it)`
      : `the accountant feed ${ctx.feedName} exists in Billit`,
  });
}

async function syncFeedItem(ctx: SyncContext, dossier: DossierMapping, item: FeedItem, kinds: ReadonlySet<DocumentKind>): Promise<void> {
  const billitId = String(item.FeedItemID);
  const existing = ctx.ledger.documents.find('feed', billitId);
  let row: DocumentRow | null = existing;
  try {
    if (existing?.state === 'placed') { await acknowledge(ctx, existing); return; }
    if (existing?.state === 'fetched') { await acknowledge(ctx, await place(ctx, existing)); return; }
    if (existing && existing.state !== 'seen') {
      // Delivered before but still queued: the confirmation was lost; confirm again.
      if (existing.state === 'acknowledged') await acknowledge(ctx, existing);
      return;
    }
    let kind: DocumentKind = 'document';
    let order: Order | null = null;
    if (item.EntityType.trim().toLowerCase() === 'order') {
      order = await ctx.client.order(dossier.partyId, item.EntityID);
      const orderKind = kindOfOrder(order.OrderDirection);
      if (orderKind === null) return;
      kind = orderKind;
    }
    if (!kinds.has(kind)) return;
    if (ctx.dryRun) { ctx.progress(1, `would export feed item ${billitId}`); return; }
    row = ctx.ledger.documents.ensureSeen({ source: 'feed', billitId, dossierPartyId: dossier.partyId, kind, title: `${order !== null ? 'Order' : item.EntityType} ${item.EntityID}` });
    if (order !== null) ctx.ledger.search.record(row.id, orderSearchMetadata(order));
    const file = await ctx.client.feedItemFile(ctx.feedName, item);
    let bytes = file.bytes;
    let fileName: string;
    if (order !== null) {
      // An invoice goes to Venice as UBL only; whatever else the feed serves for it is kept aside.
      if (sniffFormat(file.bytes) !== 'ubl') {
        await quarantine(ctx, row, file.bytes, file.fileName, `the feed served ${file.fileName}, not a UBL document, for ${kind} invoice ${order.OrderNumber ?? order.OrderID}`);
        return;
      }
      const gated = await gateUbl(ctx, row, file.bytes, file.fileName);
      if (gated === null) return;
      bytes = gated.verdict.hasPdf || !order.OrderPDF?.FileID ? gated.document : await withBillitPdf(ctx, row, dossier.partyId, order, gated.document);
      fileName = orderFileName(ctx, row, order, kind);
    } else {
      const dot = file.fileName.lastIndexOf('.');
      fileName = documentFileName({ name: dot > 0 ? file.fileName.slice(0, dot) : file.fileName, documentId: item.EntityID, extension: dot > 0 ? file.fileName.slice(dot) : '.bin' });
    }
    await deliver(ctx, row, bytes, file.bytes, resolveInside(ctx.exportRoot, dossier.folder, KIND_FOLDERS[kind], fileName));
    ctx.progress(1, `${dossier.name}: ${fileName}`);
  } catch (error) {
    documentFailed(ctx, row, `feed item ${billitId} (${item.EntityType} ${item.EntityID}) of ${dossier.name}`, error);
  }
}
