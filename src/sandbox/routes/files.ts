import { parseLocalDateTime, type EntitySpec } from '../odata.js';
import { ApiError, ok } from '../http/reply.js';
import type { Router } from '../http/router.js';
import { documentView, fileView, transactionView } from '../views.js';
import type { SandboxDocument, SandboxTransaction } from '../world/model.js';
import type { World } from '../world/world.js';
import { requireParty } from './auth.js';
import { page } from './paging.js';

const DOCUMENT_SPEC: EntitySpec<SandboxDocument> = {
  typeName: 'Domain.Document.DocumentApiView',
  fields: {
    DocumentID: { type: 'number', get: (d) => d.documentId },
    Name: { type: 'string', get: (d) => d.name },
    DocumentDate: { type: 'datetime', get: (d) => parseLocalDateTime(d.documentDate) },
    CreationDate: { type: 'datetime', get: (d) => parseLocalDateTime(d.creationDate) },
  },
};

function transactionSpec(world: World): EntitySpec<SandboxTransaction> {
  const movement = (t: SandboxTransaction) => world.codaFiles.get(t.codaFileId)!.statement.movements[t.movementIndex]!;
  return {
    typeName: 'Domain.BankAccountTransaction.Transaction',
    fields: {
      BankAccountTransactionID: { type: 'number', get: (t) => t.transactionId },
      CodaFileID: { type: 'string', get: (t) => t.codaFileId },
      ValueDate: { type: 'datetime', get: (t) => parseLocalDateTime(movement(t).valueDate) },
      IBAN: { type: 'string', get: (t) => world.codaFiles.get(t.codaFileId)!.statement.company.iban },
    },
  };
}

export function addFileRoutes(router: Router): void {
  router.add('GET', '/v1/files/{id}', (ctx) => {
    const companyId = requireParty(ctx);
    const file = ctx.world.files.get(ctx.params.id ?? '');
    if (!file || file.companyId !== companyId) throw new ApiError(404, 'NotFound', `File ${ctx.params.id} was not found.`);
    return ok(fileView(file, file.produce().toString('base64')));
  });
  router.add('GET', '/v1/documents', (ctx) => {
    const companyId = requireParty(ctx);
    const documents = [...ctx.world.documents.values()].filter((d) => d.companyId === companyId);
    return ok(page(ctx, DOCUMENT_SPEC, documents, (d) => documentView(ctx.world, d)));
  });
  router.add('GET', '/v1/documents/{id}', (ctx) => {
    const companyId = requireParty(ctx);
    const document = ctx.world.documents.get(Number(ctx.params.id));
    if (!document || document.companyId !== companyId) throw new ApiError(404, 'NotFound', `Document ${ctx.params.id} was not found.`);
    return ok(documentView(ctx.world, document));
  });
  router.add('GET', '/v1/financialTransactions', (ctx) => {
    const companyId = requireParty(ctx);
    const transactions = ctx.world.transactions.filter((t) => t.companyId === companyId);
    return ok(page(ctx, transactionSpec(ctx.world), transactions, (t) => transactionView(ctx.world, t)));
  });
}
