import { codaFileName, KIND_FOLDERS, resolveInside } from '../../export/layout.js';
import { sanitizeFileName } from '../../export/windows-name.js';
import { readCodaIdentity } from '../../formats/coda/coda-identity.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import type { DossierMapping } from '../dossier-mapping.js';
import { documentFailed } from '../failures.js';
import { acknowledge, deliver, place } from '../pipeline.js';
import type { SyncContext } from '../sync-context.js';
import { listWithOptionalFilter } from './list-with-fallback.js';

/** New CODA files (by CodaFileID on the dossier's bank transactions) go to FinancialTransactions/. */
export async function syncCoda(ctx: SyncContext, dossier: DossierMapping): Promise<void> {
  const fileIds = new Set<string>();
  for await (const transaction of listWithOptionalFilter('financialTransactions', (q) => ctx.client.transactionPages(dossier.partyId, q), null)) {
    if (transaction.CodaFileID) fileIds.add(transaction.CodaFileID);
  }
  for (const codaFileId of fileIds) {
    const existing = ctx.ledger.documents.find('coda', codaFileId);
    if (existing && existing.state !== 'seen' && existing.state !== 'fetched' && existing.state !== 'placed') continue;
    if (ctx.dryRun) {
      ctx.progress(1, `would export CODA ${codaFileId}`);
      continue;
    }
    let row: DocumentRow | null = null;
    try {
      row = existing ?? ctx.ledger.documents.ensureSeen({ source: 'coda', billitId: codaFileId, dossierPartyId: dossier.partyId, kind: 'coda' });
      if (row.state === 'placed') { await acknowledge(ctx, row); continue; }
      if (row.state === 'fetched') { await acknowledge(ctx, await place(ctx, row)); continue; }
      const file = await ctx.client.file(dossier.partyId, codaFileId);
      const identity = readCodaIdentity(file.bytes);
      const name = identity
        ? codaFileName({ iban: identity.account, newBalanceDate: identity.newBalanceDate, sequence: identity.sequence })
        : sanitizeFileName(file.fileName.replace(/\.[^.]*$/, ''), '.cod');
      if (!identity) ctx.emit({ type: 'coda-unnamed', level: 'warn', dossierPartyId: dossier.partyId, documentId: row.id, message: `CODA file ${file.fileName} has no readable account and date; kept Billit's name` });
      await deliver(ctx, row, file.bytes, file.bytes, resolveInside(ctx.exportRoot, dossier.folder, KIND_FOLDERS.coda, name));
      ctx.progress(1, `${dossier.name}: ${name}`);
    } catch (error) {
      documentFailed(ctx, row, `CODA file ${codaFileId} of ${dossier.name}`, error);
    }
  }
}
