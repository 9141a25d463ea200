import { toBrusselsLocal } from '../../core/brussels-time.js';
import type { SandboxCompany } from '../data/company.js';
import { Random } from '../data/random.js';
import { SandboxClock } from '../clock.js';
import type {
  DeletedOrder, FeedItem, SandboxCodaFile, SandboxDocument, SandboxFile, SandboxOrder, SandboxTransaction, Upload,
} from './model.js';
import type { WorldOptions } from './options.js';

/**
 * Everything the sandbox knows: the accountant, its dossiers and their orders, files, documents,
 * bank statements, feeds and uploads. Routes read and change it; nothing here speaks HTTP.
 */
export class World {
  readonly rnd: Random;
  readonly clock: SandboxClock;
  accountant!: SandboxCompany;
  apiKey!: string;
  readonly dossiers = new Map<number, SandboxCompany>();
  readonly counterparties = new Map<number, SandboxCompany[]>();
  readonly orders = new Map<number, SandboxOrder>();
  readonly ordersByCompany = new Map<number, SandboxOrder[]>();
  readonly deleted: DeletedOrder[] = [];
  readonly files = new Map<string, SandboxFile>();
  readonly documents = new Map<number, SandboxDocument>();
  readonly codaFiles = new Map<string, SandboxCodaFile>();
  readonly transactions: SandboxTransaction[] = [];
  readonly feeds = new Map<string, Map<number, FeedItem>>();
  readonly uploads: Upload[] = [];
  /** Confirmed feed items with what the client said about where they went (for tests and demos). */
  readonly feedConfirmations: Array<{ feedName: string; feedItemId: number; remoteServerName: string | null; remotePath: string | null }> = [];
  /** OAuth refresh tokens that are still unused, and live access tokens with their expiry (ms). */
  readonly refreshTokens = new Set<string>();
  readonly accessTokens = new Map<string, number>();
  nextOrderId = 1_000_001;
  nextDocumentId = 500_001;
  nextTransactionId = 7_000_001;
  nextFeedItemId = 900_001;
  nextUploadId = 300_001;

  constructor(readonly options: WorldOptions, clock?: SandboxClock) {
    this.rnd = new Random(options.seed);
    this.clock = clock ?? new SandboxClock();
  }

  /** "Now" as Billit writes it (Brussels local, no offset). */
  nowLocal(): string {
    return toBrusselsLocal(this.clock.now());
  }

  addOrder(order: SandboxOrder): void {
    this.orders.set(order.orderId, order);
    const list = this.ordersByCompany.get(order.companyId) ?? [];
    list.push(order);
    this.ordersByCompany.set(order.companyId, list);
  }

  companyOrders(companyId: number): SandboxOrder[] {
    return this.ordersByCompany.get(companyId) ?? [];
  }

  deleteOrder(orderId: number): DeletedOrder | undefined {
    const order = this.orders.get(orderId);
    if (!order) return undefined;
    this.orders.delete(orderId);
    const list = this.companyOrders(order.companyId);
    list.splice(list.indexOf(order), 1);
    const record: DeletedOrder = {
      orderId, companyId: order.companyId, lastModified: this.nowLocal(), orderNumber: order.plan.number,
      direction: order.direction, type: order.type,
    };
    this.deleted.push(record);
    return record;
  }

  /** Marks a change to the order the way Billit does: LastModified moves to now. */
  touch(order: SandboxOrder): void {
    order.lastModified = this.nowLocal();
  }

  /** Puts entities in every registered feed, as the accountant portal's "Exporteer documenten" does. */
  enqueueFeedItems(entries: Array<{ entityId: number; entityType: 'Order' | 'Document'; partyId: number }>): FeedItem[] {
    const added: FeedItem[] = [];
    for (const feed of this.feeds.values()) {
      for (const entry of entries) {
        const item: FeedItem = { feedItemId: this.nextFeedItemId++, ...entry };
        feed.set(item.feedItemId, item);
        added.push(item);
      }
    }
    return added;
  }
}
