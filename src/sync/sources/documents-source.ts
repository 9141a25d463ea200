import { extname } from 'node:path';
import type { BillitDocument } from '../../billit/schemas.js';
import { brusselsDateOf } from '../../core/months.js';
import { documentFileName, KIND_FOLDERS, resolveInside } from '../../export/layout.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import type { DossierMapping } from '../dossier-mapping.js';
import { eligibility } from '../eligibility.js';
import { documentFailed } from '../failures.js';
import { inManualPeriod, type Pass } from '../pass.js';
import { acknowledge, deliver, place, reportRenamed } from '../pipeline.js';
import type { SyncContext } from '../sync-context.js';

const EXPORTED = new Set(['acknowledged', 'picked_up']);

/** Other documents (contracts, tickets, statements as PDF or image) go to Documents/, by the same policy as invoices (no approval flow). */
export async function syncDocuments(ctx: SyncContext, dossier: DossierMapping, pass: Pass): Promise<void> {
  // Unfiltered: which properties Billit filters documents on is not documented.
  for await (const page of ctx.client.documentPages(dossier.partyId)) {
    for (const document of page.items) await handleDocument(ctx, dossier, document, pass);
  }
}

async function handleDocument(ctx: SyncContext, dossier: DossierMapping, document: BillitDocument, pass: Pass): Promise<void> {
  const billitId = String(document.DocumentID);
  if (!document.File?.FileID) return;
  const existing = ctx.ledger.documents.find('documents', billitId);
  const exported = existing !== null && EXPORTED.has(existing.state);
  const due = pass.kind === 'manual'
    ? inManualPeriod(pass, brusselsDateOf(document.DocumentDate)) && (!exported || pass.includeExported)
    : !exported && existing?.state !== 'quarantined' && eligibility(pass.policy, { documentDate: document.DocumentDate ?? null, created: document.CreationDate ?? null, approvalStatus: null, hasApprovalFlow: false }, pass.now).due;
  if (!due) return;
  if (ctx.dryRun) {
    ctx.progress(1, `would export document ${document.Name ?? billitId}`);
    return;
  }
  let row: DocumentRow | null = existing;
  try {
    row = existing ?? ctx.ledger.documents.ensureSeen({ source: 'documents', billitId, dossierPartyId: dossier.partyId, kind: 'document', title: document.Name ?? null });
    ctx.ledger.search.record(row.id, { reference: document.Name, documentDate: brusselsDateOf(document.DocumentDate) });
    if (exported || row.state === 'quarantined') {
      ctx.emit({ type: 're-export', level: 'info', dossierPartyId: dossier.partyId, documentId: row.id, message: `re-exporting document ${document.Name ?? billitId}`, data: { previousPath: row.finalPath } });
      row = ctx.ledger.documents.reopen(row.id, 're-export requested');
    }
    if (row.state === 'placed') { await acknowledge(ctx, row); return; }
    if (row.state === 'fetched') { await acknowledge(ctx, await place(ctx, row)); return; }
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
