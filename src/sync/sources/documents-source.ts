import { extname } from 'node:path';
import { documentFileName, KIND_FOLDERS, resolveInside } from '../../export/layout.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import type { DossierMapping } from '../dossier-mapping.js';
import { documentFailed } from '../failures.js';
import { acknowledge, deliver, place, reportRenamed } from '../pipeline.js';
import type { SyncContext } from '../sync-context.js';
import { listWithOptionalFilter } from './list-with-fallback.js';

/** Other documents (contracts, tickets, statements as PDF or image) go to Documents/. */
export async function syncDocuments(ctx: SyncContext, dossier: DossierMapping): Promise<void> {
  for await (const document of listWithOptionalFilter('documents', (q) => ctx.client.documentPages(dossier.partyId, q), null)) {
    const billitId = String(document.DocumentID);
    const existing = ctx.ledger.documents.find('documents', billitId);
    if (existing && existing.state !== 'seen' && existing.state !== 'fetched' && existing.state !== 'placed') continue;
    if (!document.File?.FileID) continue;
    if (ctx.dryRun) {
      ctx.progress(1, `would export document ${document.Name ?? billitId}`);
      continue;
    }
    let row: DocumentRow | null = null;
    try {
      row = existing ?? ctx.ledger.documents.ensureSeen({ source: 'documents', billitId, dossierPartyId: dossier.partyId, kind: 'document', title: document.Name ?? null });
      if (row.state === 'placed') { await acknowledge(ctx, row); continue; }
      if (row.state === 'fetched') { await acknowledge(ctx, await place(ctx, row)); continue; }
      const file = await ctx.client.file(dossier.partyId, document.File.FileID);
      const extension = extname(file.fileName) || extname(document.File.FileName ?? '') || '.bin';
      const baseName = document.Name || file.fileName.replace(/\.[^.]*$/, '');
      const name = documentFileName({ name: baseName, documentId: billitId, extension });
      reportRenamed(ctx, row, `${baseName} (${billitId})${extension.toLowerCase()}`, name);
      await deliver(ctx, row, file.bytes, file.bytes, resolveInside(ctx.exportRoot, dossier.folder, KIND_FOLDERS.document, name));
      ctx.progress(1, `${dossier.name}: ${name}`);
    } catch (error) {
      documentFailed(ctx, row, `document ${document.Name ?? billitId} of ${dossier.name}`, error);
    }
  }
}
