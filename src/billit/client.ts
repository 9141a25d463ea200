import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeStrictBase64 } from '../core/base64.js';
import { BillitHttpError } from './errors/billit-http-error.js';
import { MalformedResponseError } from './errors/malformed-response-error.js';
import { resolveBillitOptions, type BillitClientOptions } from './options.js';
import {
  AccountInformationSchema, DeletedOrderSchema, DocumentSchema, FeedItemSchema, FeedSchema, FileDetailsSchema, FileSchema,
  OrderSchema, OrderSummarySchema, pageSchema, TransactionSchema,
  type AccountInformation, type BillitDocument, type DeletedOrder, type FeedItem, type Order, type OrderSummary, type Page, type Transaction,
} from './schemas.js';
import { Transport } from './transport.js';

/** A downloaded file, decoded and checked. */
export interface DownloadedFile {
  fileId: string;
  fileName: string;
  mimeType: string | null;
  bytes: Buffer;
  sha256: string;
}

export interface ListQuery {
  /** OData $filter, e.g. built with odataAnd(...). */
  filter?: string;
  orderBy?: string;
}

/** Fields `PATCH /v1/orders/{id}` accepts. */
export interface OrderPatch {
  ExportedToConnector?: boolean;
  AccountantVerificationNeeded?: boolean;
  ApprovalStatus?: string | null;
  InternalInfo?: string | null;
  Paid?: boolean;
  PaidDate?: string | null;
  IsSent?: boolean;
  Invoiced?: boolean;
  AccountCode?: string | null;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Billit's REST API as billsync uses it. Every call is paced, retried where safe, validated at the
 * boundary and turned into a typed result or a BillitError that says what to do.
 */
export class BillitClient {
  private readonly transport: Transport;

  constructor(options: BillitClientOptions) {
    this.transport = new Transport(resolveBillitOptions(options));
  }

  /** The companies (dossiers) this key may act for. */
  accountInformation(): Promise<AccountInformation> {
    return this.transport.call({ method: 'GET', path: 'v1/account/accountInformation', schema: AccountInformationSchema });
  }

  /** Pages of orders of a dossier, following NextPageLink (or $skip) until the end. */
  orderPages(partyId: number, query: ListQuery = {}): AsyncGenerator<Page<OrderSummary>> {
    return this.pages('v1/orders', partyId, query, OrderSummarySchema, (o) => o.OrderID);
  }

  async *orders(partyId: number, query: ListQuery = {}): AsyncGenerator<OrderSummary> {
    for await (const page of this.orderPages(partyId, query)) yield* page.items;
  }

  deletedOrderPages(partyId: number, query: ListQuery = {}): AsyncGenerator<Page<DeletedOrder>> {
    return this.pages('v1/orders/deleted', partyId, query, DeletedOrderSchema, (o) => o.OrderID);
  }

  order(partyId: number, orderId: number): Promise<Order> {
    return this.transport.call({ method: 'GET', path: `v1/orders/${orderId}`, partyId, schema: OrderSchema });
  }

  /** Changes patchable fields; `{ExportedToConnector: true}` marks an order exported. Idempotent. */
  patchOrder(partyId: number, orderId: number, patch: OrderPatch): Promise<void> {
    return this.transport.call({ method: 'PATCH', path: `v1/orders/${orderId}`, partyId, json: patch });
  }

  /** Downloads `GET /v1/files/{id}`, decoding base64 strictly; damaged content is retried, then reported. */
  async file(partyId: number, fileId: string): Promise<DownloadedFile> {
    // The integrity check decodes; the bytes it produced are kept rather than decoded a second time.
    let bytes: Buffer = Buffer.alloc(0);
    const body = await this.transport.call({
      method: 'GET', path: `v1/files/${encodeURIComponent(fileId)}`, partyId, schema: FileSchema,
      integrity: (answer) => {
        const decoded = decodeStrictBase64(answer.FileContent);
        if (!decoded.ok) return { problem: `base64 content: ${decoded.reason}`, fileName: answer.FileName, fileId };
        bytes = decoded.bytes;
        return null;
      },
    });
    return { fileId: body.FileID, fileName: body.FileName, mimeType: body.MimeType ?? null, bytes, sha256: sha256(bytes) };
  }

  transactionPages(partyId: number, query: ListQuery = {}): AsyncGenerator<Page<Transaction>> {
    return this.pages('v1/financialTransactions', partyId, query, TransactionSchema, (t) => t.BankAccountTransactionID);
  }

  documentPages(partyId: number, query: ListQuery = {}): AsyncGenerator<Page<BillitDocument>> {
    return this.pages('v1/documents', partyId, query, DocumentSchema, (d) => d.DocumentID);
  }

  /**
   * Uploads a file to the dossier's fast input. The idempotency key makes a retry safe: when Billit
   * says the key was already used, the earlier upload succeeded and `duplicate` is true.
   */
  async uploadToProcess(partyId: number, file: { fileName: string; bytes: Buffer; mimeType: string }, idempotencyKey: string = randomUUID()): Promise<{ uploadId: number | null; duplicate: boolean }> {
    try {
      // Billit documents the answer as the upload's id; any 2xx means it has the file, whatever the body says.
      const body = await this.transport.call({
        method: 'POST', path: 'v1/toProcess', partyId, idempotencyKey, schema: z.unknown(), bodyOptional: true,
        json: { File: { FileName: file.fileName, MimeType: file.mimeType, FileContent: file.bytes.toString('base64') } },
      });
      return { uploadId: uploadIdOf(body), duplicate: false };
    } catch (error) {
      if (isIdempotencyConflict(error)) return { uploadId: null, duplicate: true };
      throw error;
    }
  }

  feeds(): Promise<Array<{ Name: string }>> {
    return this.transport.call({ method: 'GET', path: 'v1/accountant/feeds', schema: z.array(FeedSchema) });
  }

  createFeed(name: string): Promise<void> {
    return this.transport.call({ method: 'POST', path: 'v1/accountant/feeds', json: { Name: name } });
  }

  deleteFeed(name: string): Promise<void> {
    return this.transport.call({ method: 'DELETE', path: `v1/accountant/feeds/${encodeURIComponent(name)}` });
  }

  /** The queue of a feed. Billit asks to query this at most once a minute; the caller paces it. */
  feedItems(name: string): Promise<FeedItem[]> {
    return this.transport.call({
      method: 'GET', path: `v1/accountant/feeds/${encodeURIComponent(name)}`,
      // Billit may wrap the list in a page. Unwrapped before checking, so a bad item is named ("[0].PartyID")
      // instead of zod's bare "Invalid input" for a union that matched neither form.
      schema: z.preprocess((body) => (body !== null && typeof body === 'object' && !Array.isArray(body) && 'Items' in body ? body.Items : body), z.array(FeedItemSchema)),
    });
  }

  /** Downloads a feed item; the SHA-256 Billit sends must match the decoded bytes. */
  async feedItemFile(name: string, item: FeedItem): Promise<DownloadedFile> {
    const fileId = `feed item ${item.FeedItemID}`;
    let bytes: Buffer = Buffer.alloc(0);
    const body = await this.transport.call({
      method: 'GET', path: `v1/accountant/feeds/${encodeURIComponent(name)}/${item.FeedItemID}`, partyId: item.PartyID, schema: FileDetailsSchema,
      integrity: (answer) => {
        const decoded = decodeStrictBase64(answer.FileContent);
        if (!decoded.ok) return { problem: `base64 content: ${decoded.reason}`, fileName: answer.FileName, fileId };
        const actual = sha256(decoded.bytes);
        const expected = answer.FileContentSHA256Hash.trim().toLowerCase();
        if (actual !== expected) return { problem: `SHA-256 ${actual} does not match the ${expected} Billit announced`, fileName: answer.FileName, fileId };
        bytes = decoded.bytes;
        return null;
      },
    });
    return { fileId, fileName: body.FileName, mimeType: null, bytes, sha256: sha256(bytes) };
  }

  /** Removes the item from the queue; RemoteServerName/RemotePath are for Billit's log. */
  async confirmFeedItem(name: string, item: FeedItem, where: { remoteServerName: string; remotePath: string }): Promise<void> {
    try {
      await this.transport.call({
        method: 'POST', path: `v1/accountant/feeds/${encodeURIComponent(name)}/${item.FeedItemID}/confirm`, partyId: item.PartyID,
        json: { RemoteServerName: where.remoteServerName, RemotePath: where.remotePath },
      });
    } catch (error) {
      // A retried confirm whose first attempt went through finds the item gone: that is success.
      if (error instanceof BillitHttpError && error.status === 404) return;
      throw error;
    }
  }

  /**
   * `idOf` names an item: a page holding only items listed before means the server ignores $skip or its
   * NextPageLink goes round in circles, and paging on would never end (a hostile or broken server).
   */
  /**
   * Where a NextPageLink leads: relative to the page it came on; on the configured host whatever host
   * it names (a server behind a TLS-terminating proxy or a load balancer writes its own name), so that
   * the credentials only ever go to billit.baseUrl.
   */
  private nextPageUrl(link: string, current: URL): string {
    const resolved = new URL(link, current);
    const base = this.transport.options.baseUrl;
    if (resolved.origin === base.origin) return resolved.href;
    // Anything but a web address (file:, javascript:…) is refused by resolveUrl as another host.
    if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return resolved.href;
    return new URL(`${resolved.pathname}${resolved.search}`, base.origin).href;
  }

  private async *pages<S extends z.ZodType>(path: string, partyId: number, query: ListQuery, item: S, idOf: (item: z.infer<S>) => number): AsyncGenerator<Page<z.infer<S>>> {
    const schema = pageSchema(item);
    const pageSize = this.transport.options.pageSize;
    const first: Record<string, string> = { $top: String(pageSize) };
    if (query.filter) first.$filter = query.filter;
    if (query.orderBy) first.$orderby = query.orderBy;
    let next: { path: string; query?: Record<string, string> } | null = { path, query: first };
    let skip = 0;
    const seen = new Set<string>();
    const listed = new Set<number>();
    for (let pageNumber = 1; next; pageNumber++) {
      const current = this.transport.resolveUrl(next.path, next.query);
      const body: z.infer<typeof schema> = await this.transport.call({ method: 'GET', path: next.path, ...(next.query ? { query: next.query } : {}), partyId, schema });
      const items = body.Items as Array<z.infer<S>>;
      if (pageNumber > 1 && items.length > 0 && items.every((entry) => listed.has(idOf(entry)))) {
        throw new MalformedResponseError('GET', `/${path}`, [`page ${pageNumber} only repeats items of earlier pages (Billit ignored $skip, or NextPageLink goes round in circles); stopped listing`]);
      }
      for (const entry of items) listed.add(idOf(entry));
      yield { items, nextPageLink: body.NextPageLink ?? null, count: body.Count ?? null };
      skip += items.length;
      if (items.length === 0) return;
      if (body.NextPageLink) {
        // Guard against a server that keeps returning the same link.
        if (seen.has(body.NextPageLink)) return;
        seen.add(body.NextPageLink);
        next = { path: this.nextPageUrl(body.NextPageLink, current) };
      } else if (items.length >= pageSize && (body.Count === null || body.Count === undefined || skip < body.Count)) {
        // No link: a full page means there may be more (Billit sends Count only sometimes); a short
        // page is the last (Billit pages by 120), whatever Count claims.
        next = { path, query: { ...first, $skip: String(skip) } };
      } else {
        next = null;
      }
    }
  }
}

/**
 * Billit's answer to a reused idempotency key: 409 with "Idempotent token already exists"
 * (billit-api.md §3). A 409 that names another reason is not taken as "already uploaded"; one with
 * no error body is, since the key is the only conflict documented for uploads.
 */
function isIdempotencyConflict(error: unknown): boolean {
  if (!(error instanceof BillitHttpError) || error.status !== 409) return false;
  return error.errors.length === 0 || error.errors.some((e) => /idempot/i.test(`${e.code} ${e.description}`));
}

/** The upload id in an answer to POST /v1/toProcess: a number, a numeric string, or an object naming it; else null. */
function uploadIdOf(body: unknown): number | null {
  const numeric = (value: unknown): number | null => {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value) : NaN;
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  };
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) if (/^(upload)?id$/i.test(key) && numeric(value) !== null) return numeric(value);
    return null;
  }
  return numeric(body);
}
