import { isApprovalStatus } from '../../core/approval-status.js';
import { parseLocalDateTime, type EntitySpec } from '../odata.js';
import { ApiError, ok } from '../http/reply.js';
import type { RequestContext, Router } from '../http/router.js';
import { deletedOrderView, orderSummaryView, orderView } from '../views.js';
import type { DeletedOrder, SandboxOrder } from '../world/model.js';
import { requireParty } from './auth.js';
import { page } from './paging.js';

const dt = (text: string | null): Date | null => (text === null ? null : parseLocalDateTime(text));

/** The filterable properties Billit lists (17/03/2026); others answer GenericError. */
const ORDER_SPEC: EntitySpec<SandboxOrder> = {
  typeName: 'Domain.Order.OrderPartyPerformanceSafeColumns',
  fields: {
    OrderID: { type: 'number', get: (o) => o.orderId },
    'CounterParty/PartyID': { type: 'number', get: (o) => o.counterparty.partyId },
    CompanyID: { type: 'number', get: (o) => o.companyId },
    OrderDirection: { type: 'string', get: (o) => o.direction },
    OrderType: { type: 'string', get: (o) => o.type },
    OrderDate: { type: 'datetime', get: (o) => dt(o.orderDate) },
    OrderNumber: { type: 'string', get: (o) => o.plan.number },
    ExpiryDate: { type: 'datetime', get: (o) => dt(o.plan.dueDate) },
    ExportedToConnector: { type: 'boolean', get: (o) => o.exportedToConnector },
    AccountantVerificationNeeded: { type: 'boolean', get: (o) => o.accountantVerificationNeeded },
    TotalExcl: { type: 'number', get: (o) => Number(o.plan.totals.taxExclusive) },
    TotalVAT: { type: 'number', get: (o) => Number(o.plan.totals.tax) },
    TotalIncl: { type: 'number', get: (o) => Number(o.plan.totals.taxInclusive) },
    Paid: { type: 'boolean', get: (o) => o.paid },
    Currency: { type: 'string', get: () => 'EUR' },
    PaymentReference: { type: 'string', get: (o) => o.plan.paymentReference },
    LastModified: { type: 'datetime', get: (o) => dt(o.lastModified) },
    Created: { type: 'datetime', get: (o) => dt(o.created) },
    ApprovalStatus: { type: 'string', get: (o) => o.approvalStatus },
    PaidDate: { type: 'datetime', get: (o) => dt(o.paidDate) },
    IsSent: { type: 'boolean', get: (o) => o.isSent },
  },
};

const DELETED_SPEC: EntitySpec<DeletedOrder> = {
  typeName: 'Domain.Order.OrderPartyPerformanceSafeColumns',
  fields: {
    OrderID: { type: 'number', get: (o) => o.orderId },
    LastModified: { type: 'datetime', get: (o) => dt(o.lastModified) },
    OrderDirection: { type: 'string', get: (o) => o.direction },
    OrderType: { type: 'string', get: (o) => o.type },
  },
};

function findOrder(ctx: RequestContext): SandboxOrder {
  const companyId = requireParty(ctx);
  const id = Number(ctx.params.id);
  const order = Number.isInteger(id) ? ctx.world.orders.get(id) : undefined;
  if (!order || order.companyId !== companyId) throw new ApiError(404, 'NotFound', `Order ${ctx.params.id} was not found.`);
  return order;
}

type Patcher = (order: SandboxOrder, value: unknown) => void;
const bool = (name: string, set: (o: SandboxOrder, v: boolean) => void): Patcher => (order, value) => {
  if (typeof value !== 'boolean') throw new ApiError(400, 'InvalidValue', `${name} must be true or false.`);
  set(order, value);
};
const text = (name: string, set: (o: SandboxOrder, v: string | null) => void): Patcher => (order, value) => {
  if (value !== null && typeof value !== 'string') throw new ApiError(400, 'InvalidValue', `${name} must be a string.`);
  set(order, value);
};

/** Patchable order properties (docs.billit.be patchable-properties, plus ExportedToConnector). */
const PATCHABLE: Record<string, Patcher> = {
  Paid: bool('Paid', (o, v) => { o.paid = v; }),
  IsSent: bool('IsSent', (o, v) => { o.isSent = v; }),
  Invoiced: bool('Invoiced', (o, v) => { o.invoiced = v; }),
  AccountantVerificationNeeded: bool('AccountantVerificationNeeded', (o, v) => { o.accountantVerificationNeeded = v; }),
  ExportedToConnector: bool('ExportedToConnector', (o, v) => { o.exportedToConnector = v; }),
  InternalInfo: text('InternalInfo', (o, v) => { o.internalInfo = v; }),
  AccountCode: text('AccountCode', (o, v) => { o.accountCode = v; }),
  PaidDate: (order, value) => {
    if (value !== null && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value))) {
      throw new ApiError(400, 'InvalidValue', 'PaidDate must be a full timestamp such as 2025-01-31T00:00:00.');
    }
    order.paidDate = value;
  },
  ApprovalStatus: (order, value) => {
    if (value !== null && !isApprovalStatus(value)) throw new ApiError(400, 'InvalidValue', `ApprovalStatus ${JSON.stringify(value)} is not a known approval state.`);
    order.approvalStatus = value;
  },
};

export function addOrderRoutes(router: Router): void {
  router.add('GET', '/v1/orders/deleted', (ctx) => {
    const companyId = requireParty(ctx);
    return ok(page(ctx, DELETED_SPEC, ctx.world.deleted.filter((d) => d.companyId === companyId), deletedOrderView));
  });
  router.add('GET', '/v1/orders', (ctx) => {
    const companyId = requireParty(ctx);
    return ok(page(ctx, ORDER_SPEC, ctx.world.companyOrders(companyId), (order) => orderSummaryView(ctx.world, order)));
  });
  router.add('GET', '/v1/orders/{id}', (ctx) => ok(orderView(ctx.world, findOrder(ctx))));
  router.add('PATCH', '/v1/orders/{id}', (ctx) => {
    const order = findOrder(ctx);
    const body = ctx.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'InvalidBody', 'The body must be a JSON object of patchable properties.');
    const entries = Object.entries(body as Record<string, unknown>);
    for (const [key] of entries) {
      if (!(key in PATCHABLE)) throw new ApiError(400, 'PropertyNotPatchable', `The property '${key}' can not be patched.`);
    }
    // Validate on a copy first so a bad value leaves the order untouched.
    const draft = { ...order };
    for (const [key, value] of entries) PATCHABLE[key]!(draft, value);
    for (const [key, value] of entries) PATCHABLE[key]!(order, value);
    ctx.world.touch(order);
    return ok();
  });
}
