import { brusselsDateOf } from '../../core/months.js';
import { codaFileName, KIND_FOLDERS, resolveInside } from '../../export/layout.js';
import { sanitizeFileName } from '../../export/windows-name.js';
import { readCodaIdentity } from '../../formats/coda/coda-identity.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import type { DossierMapping } from '../dossier-mapping.js';
import { documentFailed } from '../failures.js';
import { inManualPeriod, type Pass } from '../pass.js';
import { acknowledge, deliver, place } from '../pipeline.js';
import { gateCoda } from '../gate.js';
import type { SyncContext } from '../sync-context.js';

const EXPORTED = new Set(['acknowledged', 'picked_up']);

/**
 * New CODA files (by CodaFileID on the dossier's bank transactions) go to FinancialTransactions/.
 * Bank statements are wanted daily whatever the invoice frequency, except in a dossier set to never.
 */
export async function syncCoda(ctx: SyncContext, dossier: DossierMapping, pass: Pass): Promise<void> {
  if (pass.kind === 'policy' && pass.policy.frequency === 'never') return;
  const files = new Map<string, string[]>();
  // Unfiltered: Billit documents no filterable properties for transactions, and it keeps about
  // three months of them, so the list stays short.
  for await (const page of ctx.client.transactionPages(dossier.partyId)) for (const transaction of page.items) {
    if (!transaction.CodaFileID) continue;
    const dates = files.get(transaction.CodaFileID) ?? [];
    const date = brusselsDateOf(transaction.ValueDate);
    if (date) dates.push(date);
    files.set(transaction.CodaFileID, dates);
  }
  for (const [codaFileId, dates] of files) {
    const existing = ctx.ledger.documents.find('coda', codaFileId);
    const exported = existing !== null && EXPORTED.has(existing.state);
    const due = pass.kind === 'manual'
      ? dates.some((date) => inManualPeriod(pass, date)) && (!exported || pass.includeExported)
      : !exported && existing?.state !== 'quarantined'
        && (pass.policy.exportFrom === null || dates.some((date) => date >= pass.policy.exportFrom!));
    if (!due) continue;
    if (ctx.dryRun) {
      ctx.progress(1, `would export CODA ${codaFileId}`);
      continue;
    }
    let row: DocumentRow | null = existing;
    try {
      row = existing ?? ctx.ledger.documents.ensureSeen({ source: 'coda', billitId: codaFileId, dossierPartyId: dossier.partyId, kind: 'coda' });
      ctx.ledger.search.record(row.id, { documentDate: [...dates].sort().at(-1) ?? null });
      if (exported || row.state === 'quarantined') row = ctx.ledger.documents.reopen(row.id, 're-export requested');
      if (row.state === 'placed') { await acknowledge(ctx, row); continue; }
      if (row.state === 'fetched') { await acknowledge(ctx, await place(ctx, row)); continue; }
      const file = await ctx.client.file(dossier.partyId, codaFileId);
      if (!(await gateCoda(ctx, row, file.bytes, file.fileName))) continue;
      const identity = readCodaIdentity(file.bytes);
      if (identity) ctx.ledger.search.record(row.id, { reference: identity.account, documentDate: identity.newBalanceDate });
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
