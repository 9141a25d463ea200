import { isApprovalStatus } from '../../core/approval-status.js';
import { brusselsDate } from '../../core/brussels-time.js';
import { ApiError, ok } from '../http/reply.js';
import type { Router } from '../http/router.js';
import { FaultInjector, RateLimiter, type FaultRule } from '../faults.js';
import type { RequestStats } from '../stats.js';
import { addGeneratedDocument, addGeneratedOrder } from '../world/generate.js';
import type { World } from '../world/world.js';
import { issueRefreshToken } from './account.js';
import { describeUpload } from './to-process.js';

export interface ControlServices {
  world: World;
  faults: FaultInjector;
  stats: RequestStats;
  rateLimit: { limiter: RateLimiter | null };
}

function object(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'InvalidBody', 'The body must be a JSON object.');
  return body as Record<string, unknown>;
}

function optionalInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new ApiError(400, 'InvalidValue', `${name} must be a non-negative integer.`);
  return value;
}

function dossier(world: World, value: unknown) {
  const company = world.dossiers.get(Number(value));
  if (!company) throw new ApiError(404, 'NotFound', `No dossier with PartyID ${String(value)}.`);
  return company;
}

/** `/_sandbox/…`: controls for demos, tests and benchmarks. Documented in the README. */
export function addControlRoutes(router: Router, services: ControlServices): void {
  const { world, faults, stats } = services;

  router.add('GET', '/_sandbox/info', (ctx) => ok({
    baseUrl: ctx.baseUrl, apiKey: world.apiKey, accountantPartyId: world.accountant.partyId, now: world.nowLocal(),
    seed: world.options.seed, dossiers: [...world.dossiers.values()].map((d) => ({ partyId: d.partyId, name: d.name, enterpriseNumber: d.enterpriseNumber })),
    orders: world.orders.size, documents: world.documents.size, codaFiles: world.codaFiles.size,
  }));

  router.add('POST', '/_sandbox/clock', (ctx) => {
    const body = object(ctx.body);
    if (typeof body.set === 'string') {
      const instant = new Date(body.set);
      if (Number.isNaN(instant.getTime())) throw new ApiError(400, 'InvalidValue', 'set must be an ISO timestamp with offset, e.g. 2026-12-01T06:00:00+01:00.');
      world.clock.set(instant);
    } else if (typeof body.advanceSeconds === 'number' && Number.isFinite(body.advanceSeconds)) {
      world.clock.advance(body.advanceSeconds * 1000);
    } else {
      throw new ApiError(400, 'InvalidBody', 'Give {"advanceSeconds": N} or {"set": "<ISO timestamp>"}.');
    }
    return ok({ now: world.nowLocal() });
  });

  router.add('POST', '/_sandbox/documents', (ctx) => {
    const body = object(ctx.body);
    const company = dossier(world, body.partyId);
    const count = optionalInt(body.count, 'count', 1);
    const kind = body.kind ?? 'order';
    const rnd = world.rnd.fork(`added:${world.nextOrderId}:${world.nextDocumentId}`);
    const today = brusselsDate(world.clock.now());
    if (kind === 'document') {
      const before = world.nextDocumentId;
      for (let i = 0; i < count; i++) addGeneratedDocument(world, company, rnd, today);
      return ok({ documentIds: Array.from({ length: count }, (_, i) => before + i) });
    }
    if (body.approvalStatus !== undefined && body.approvalStatus !== null && !isApprovalStatus(body.approvalStatus)) {
      throw new ApiError(400, 'InvalidValue', 'approvalStatus is not a known approval state.');
    }
    const overrides: Parameters<typeof addGeneratedOrder>[5] = {};
    if (body.direction === 'Income' || body.direction === 'Cost') overrides.direction = body.direction;
    if (body.type === 'Invoice' || body.type === 'CreditNote') overrides.type = body.type;
    if (body.approvalStatus !== undefined) overrides.approvalStatus = isApprovalStatus(body.approvalStatus) ? body.approvalStatus : null;
    const orderDate = typeof body.orderDate === 'string' ? body.orderDate : today;
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(orderDate)) throw new ApiError(400, 'InvalidValue', 'orderDate must be YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (Brussels local).');
    const createdAt = typeof body.created === 'string' ? body.created : world.nowLocal();
    const orders = Array.from({ length: count }, () => addGeneratedOrder(world, company, rnd, orderDate.length === 16 ? `${orderDate}:00` : orderDate, createdAt, overrides));
    // Whatever its creation time, a document appears in Billit now: that is when it last changed.
    for (const order of orders) order.lastModified = world.nowLocal();
    return ok({ orderIds: orders.map((o) => o.orderId) });
  });

  router.add('POST', '/_sandbox/approve', (ctx) => {
    const body = object(ctx.body);
    const ids = Array.isArray(body.orderIds) ? body.orderIds.map(Number) : null;
    const company = body.partyId === undefined ? null : dossier(world, body.partyId);
    const limit = optionalInt(body.count, 'count', Number.MAX_SAFE_INTEGER);
    const approved: number[] = [];
    for (const order of world.orders.values()) {
      if (approved.length >= limit) break;
      if (ids !== null ? !ids.includes(order.orderId) : order.approvalStatus !== 'Pending' && order.approvalStatus !== 'ToApproveByMe') continue;
      if (company !== null && order.companyId !== company.partyId) continue;
      order.approvalStatus = 'Approved';
      world.touch(order);
      approved.push(order.orderId);
    }
    return ok({ approved });
  });

  // The entrepreneur changes an order in Billit. Billit refuses it once the order was marked exported
  // (the dossier's "niet meer aanpassen na export" behaviour that billsync's lockAfterExport relies on).
  router.add('POST', '/_sandbox/orders/{id}/edit', (ctx) => {
    const order = world.orders.get(Number(ctx.params.id));
    if (!order) throw new ApiError(404, 'NotFound', `Order ${ctx.params.id} was not found.`);
    if (order.exportedToConnector) {
      throw new ApiError(409, 'OrderLocked', `Order ${order.orderId} was exported to the accounting software and can no longer be changed.`);
    }
    const body = object(ctx.body);
    const note = typeof body.note === 'string' ? body.note : 'edited';
    order.plan = { ...order.plan, buyerReference: `${order.plan.buyerReference} ${note}`.slice(0, 100) };
    world.touch(order);
    return ok({ orderId: order.orderId, lastModified: order.lastModified });
  });

  // A supplier sends a UBL whose totals do not add up ({"damaged": true}), or a corrected one
  // ({"damaged": false}); either way the order changes in Billit.
  router.add('POST', '/_sandbox/orders/{id}/damage', (ctx) => {
    const order = world.orders.get(Number(ctx.params.id));
    if (!order) throw new ApiError(404, 'NotFound', `Order ${ctx.params.id} was not found.`);
    order.ublDamaged = object(ctx.body).damaged !== false;
    world.touch(order);
    return ok({ orderId: order.orderId, damaged: order.ublDamaged });
  });

  router.add('POST', '/_sandbox/orders/{id}/delete', (ctx) => {
    const deleted = world.deleteOrder(Number(ctx.params.id));
    if (!deleted) throw new ApiError(404, 'NotFound', `Order ${ctx.params.id} was not found.`);
    return ok(deleted);
  });

  router.add('POST', '/_sandbox/feeds/export', (ctx) => {
    const body = object(ctx.body);
    const company = body.partyId === undefined ? null : dossier(world, body.partyId);
    const ids = Array.isArray(body.orderIds) ? body.orderIds.map(Number) : null;
    const entries: Array<{ entityId: number; entityType: 'Order' | 'Document'; partyId: number }> = [];
    for (const order of world.orders.values()) {
      if (company !== null && order.companyId !== company.partyId) continue;
      if (ids !== null ? !ids.includes(order.orderId) : order.exportedToConnector) continue;
      entries.push({ entityId: order.orderId, entityType: 'Order', partyId: order.companyId });
    }
    if (body.includeDocuments === true) {
      for (const document of world.documents.values()) {
        if (company === null || document.companyId === company.partyId) entries.push({ entityId: document.documentId, entityType: 'Document', partyId: document.companyId });
      }
    }
    return ok({ items: world.enqueueFeedItems(entries).length });
  });

  router.add('POST', '/_sandbox/oauth/refresh-token', () => ok({ refresh_token: issueRefreshToken(world) }));

  router.add('GET', '/_sandbox/faults', () => ok({ rules: faults.list(), injected: faults.injected }));
  router.add('POST', '/_sandbox/faults', (ctx) => {
    const body = object(ctx.body);
    const rules = (Array.isArray(body.rules) ? body.rules : [body]) as FaultRule[];
    try {
      return ok({ ids: rules.map((rule) => faults.add(rule)) });
    } catch (error) {
      throw new ApiError(400, 'InvalidFault', (error as Error).message);
    }
  });
  router.add('DELETE', '/_sandbox/faults', () => { faults.clear(); return ok(); });

  router.add('POST', '/_sandbox/rate-limit', (ctx) => {
    const body = object(ctx.body);
    const rate = body.ratePerSecond;
    if (rate === null) { services.rateLimit.limiter = null; return ok(); }
    if (typeof rate !== 'number' || !(rate > 0)) throw new ApiError(400, 'InvalidValue', 'ratePerSecond must be a positive number, or null to lift the limit.');
    const burst = typeof body.burst === 'number' && body.burst >= 1 ? body.burst : Math.max(1, Math.ceil(rate));
    services.rateLimit.limiter = new RateLimiter(rate, burst);
    return ok();
  });

  // What the fast input received (POST /v1/toProcess), with each file's size and SHA-256, so a test
  // or a demo can check that an Outbox file arrived whole and once.
  router.add('GET', '/_sandbox/uploads', () => ok({ uploads: world.uploads.map(describeUpload) }));

  router.add('GET', '/_sandbox/stats', () => ok({ ...stats.toJSON(), faultsInjected: faults.injected }));
  router.add('DELETE', '/_sandbox/stats', () => { stats.reset(); return ok(); });
}
