import { createHash } from 'node:crypto';
import { ApiError, ok } from '../http/reply.js';
import type { RequestContext, Router } from '../http/router.js';
import type { Upload } from '../world/model.js';
import { requireParty } from './auth.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function idempotencyKey(ctx: RequestContext): string | null {
  const raw = ctx.headers['idempotency-key'] ?? ctx.headers['idempotent-key'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && value.length > 0 ? value : null;
}

/** An upload as `GET /_sandbox/uploads` lists it: everything but the bytes, which are summed up by size and SHA-256. */
export function describeUpload(upload: Upload) {
  return {
    uploadId: upload.uploadId, partyId: upload.companyId, fileName: upload.fileName, mimeType: upload.mimeType,
    size: upload.bytes.length, sha256: createHash('sha256').update(upload.bytes).digest('hex'),
    idempotencyKey: upload.idempotencyKey, receivedAt: upload.receivedAt,
  };
}

/** Fast input ("snelle invoer"): uploads of purchase documents for OCR. */
export function addToProcessRoutes(router: Router): void {
  router.add('POST', '/v1/toProcess', (ctx) => {
    const companyId = requireParty(ctx);
    const body = ctx.body as { File?: { FileName?: unknown; FileContent?: unknown; MimeType?: unknown } } | undefined;
    const file = body?.File;
    if (!file || typeof file.FileName !== 'string' || file.FileName.trim() === '') throw new ApiError(400, 'Invalid Filename', 'Please change the file name to the correct format');
    if (typeof file.FileContent !== 'string' || file.FileContent.length === 0 || !BASE64.test(file.FileContent)) {
      throw new ApiError(400, 'InvalidFileContent', 'FileContent must be the file encoded as base64.');
    }
    const key = idempotencyKey(ctx);
    if (key !== null && ctx.world.uploads.some((u) => u.idempotencyKey === key && u.companyId === companyId)) {
      throw new ApiError(409, 'Idempotent token already exists', `An upload with idempotency key ${key} was already accepted.`);
    }
    const upload = {
      uploadId: ctx.world.nextUploadId++, companyId, fileName: file.FileName, mimeType: typeof file.MimeType === 'string' ? file.MimeType : 'application/octet-stream',
      bytes: Buffer.from(file.FileContent, 'base64'), receivedAt: ctx.world.nowLocal(), idempotencyKey: key,
    };
    ctx.world.uploads.push(upload);
    return ok(upload.uploadId);
  });
  router.add('GET', '/v1/toProcess', (ctx) => {
    const companyId = requireParty(ctx);
    const items = ctx.world.uploads.filter((u) => u.companyId === companyId)
      .map((u) => ({ UploadID: u.uploadId, FileName: u.fileName, MimeType: u.mimeType, Size: u.bytes.length, Created: u.receivedAt }));
    return ok({ Items: items, NextPageLink: null, Count: items.length });
  });
}
