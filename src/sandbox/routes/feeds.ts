import { createHash } from 'node:crypto';
import { ApiError, ok } from '../http/reply.js';
import type { RequestContext, Router } from '../http/router.js';

function feedOf(ctx: RequestContext): Map<number, import('../world/model.js').FeedItem> {
  const feed = ctx.world.feeds.get(ctx.params.name ?? '');
  if (!feed) throw new ApiError(404, 'NotFound', `Feed '${ctx.params.name}' does not exist.`);
  return feed;
}

function itemOf(ctx: RequestContext) {
  const item = feedOf(ctx).get(Number(ctx.params.itemId));
  if (!item) throw new ApiError(404, 'NotFound', `Feed item ${ctx.params.itemId} is not in feed '${ctx.params.name}'.`);
  return item;
}

/** The accountant feed: a queue of exported orders and documents, confirmed item by item. */
export function addFeedRoutes(router: Router): void {
  router.add('GET', '/v1/accountant/feeds', (ctx) => ok([...ctx.world.feeds.keys()].map((name) => ({ Name: name }))));
  router.add('POST', '/v1/accountant/feeds', (ctx) => {
    const name = (ctx.body as { Name?: unknown } | undefined)?.Name;
    if (typeof name !== 'string' || !/^[\w.-]{1,100}$/.test(name)) throw new ApiError(400, 'InvalidFeedName', 'Name must be 1-100 letters, digits, dots, dashes or underscores.');
    if (ctx.world.feeds.has(name)) throw new ApiError(400, 'FeedAlreadyExists', `A feed named '${name}' already exists.`);
    ctx.world.feeds.set(name, new Map());
    return ok();
  });
  router.add('DELETE', '/v1/accountant/feeds/{name}', (ctx) => {
    feedOf(ctx);
    ctx.world.feeds.delete(ctx.params.name!);
    return ok();
  });
  router.add('GET', '/v1/accountant/feeds/{name}', (ctx) => ok([...feedOf(ctx).values()].map((item) => ({
    FeedItemID: item.feedItemId, EntityID: item.entityId, EntityType: item.entityType, PartyID: item.partyId,
  }))));
  router.add('GET', '/v1/accountant/feeds/{name}/{itemId}', (ctx) => {
    const item = itemOf(ctx);
    const world = ctx.world;
    const fileId = item.entityType === 'Order' ? world.orders.get(item.entityId)?.ublFileId : world.documents.get(item.entityId)?.fileId;
    const file = fileId === undefined ? undefined : world.files.get(fileId);
    if (!file) throw new ApiError(404, 'NotFound', `${item.entityType} ${item.entityId} no longer exists.`);
    const bytes = file.produce();
    return ok({ FileName: file.fileName, FileContent: bytes.toString('base64'), FileContentSHA256Hash: createHash('sha256').update(bytes).digest('hex') });
  });
  router.add('POST', '/v1/accountant/feeds/{name}/{itemId}/confirm', (ctx) => {
    const item = itemOf(ctx);
    const body = (ctx.body ?? {}) as { RemoteServerName?: unknown; RemotePath?: unknown };
    feedOf(ctx).delete(item.feedItemId);
    ctx.world.feedConfirmations.push({
      feedName: ctx.params.name!, feedItemId: item.feedItemId,
      remoteServerName: typeof body.RemoteServerName === 'string' ? body.RemoteServerName : null,
      remotePath: typeof body.RemotePath === 'string' ? body.RemotePath : null,
    });
    return ok();
  });
}
