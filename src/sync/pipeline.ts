import { createHash } from 'node:crypto';
import { extname, join, relative } from 'node:path';
import type { DocumentRow } from '../ledger/document-row.js';
import { checkExportRoot } from '../export/export-root.js';
import { exceedsWindowsMaxPath, windowsPathLength } from '../export/layout.js';
import { placeFile, type Placement } from '../export/placement.js';
import { isNotFound } from '../platform/fs/file-system.js';
import { BillitHttpError } from '../billit/errors/index.js';
import { writeFileAtomic } from '../platform/fs/atomic-write.js';
import type { SyncContext } from './sync-context.js';

/**
 * The steps every document takes, in the order that makes a crash at any instant recoverable:
 * stage (bytes durable in the data dir, ledger 'fetched' with the target path) → place (file
 * atomically under the export root, ledger 'placed') → acknowledge (tell Billit, ledger
 * 'acknowledged'). Reconciliation resumes a document from whichever step it reached.
 */

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Where a fetched document waits between download and placement. */
export function stagedPathFor(ctx: SyncContext, row: DocumentRow, targetPath: string): string {
  return join(ctx.dataDir, 'staging', `${row.id}${extname(targetPath).toLowerCase() || '.bin'}`);
}

/** Keeps Billit's original bytes when billsync changed them (SBDH unwrap), for audit. */
export async function keepOriginal(ctx: SyncContext, row: DocumentRow, original: Buffer, name: string): Promise<string> {
  const dir = join(ctx.dataDir, 'originals', String(row.dossierPartyId));
  return writeFileAtomic(ctx.fs, dir, `${row.source}-${row.billitId}-${name.replace(/[^\w.-]/g, '_')}`, original);
}

/** Step 1: the bytes to place are durable in the data dir and the ledger knows the target. */
export async function stage(ctx: SyncContext, row: DocumentRow, bytes: Buffer, original: Buffer, targetPath: string): Promise<DocumentRow> {
  const staged = stagedPathFor(ctx, row, targetPath);
  await writeFileAtomic(ctx.fs, join(ctx.dataDir, 'staging'), relative(join(ctx.dataDir, 'staging'), staged), bytes);
  return ctx.ledger.documents.markFetched(row.id, { stagedPath: staged, sha256: sha256(bytes), originalSha256: sha256(original), targetPath });
}

/** Step 2: the staged bytes appear whole under the export root; the ledger records where. */
export async function place(ctx: SyncContext, row: DocumentRow): Promise<DocumentRow> {
  if (!row.stagedPath || !row.targetPath) throw new Error(`document ${row.id} has no staged file or target to place`);
  const bytes = await ctx.fs.readFile(row.stagedPath);
  const digest = sha256(bytes);
  if (row.sha256 && digest !== row.sha256) {
    // Damaged in the data dir (disk, antivirus): start over from Billit rather than place it.
    await ctx.fs.unlink(row.stagedPath).catch(() => undefined);
    ctx.ledger.documents.reopen(row.id, 'staged file changed on disk; fetching again');
    throw new Error(`staged file ${row.stagedPath} of document ${row.id} changed on disk since it was fetched; it will be fetched again`);
  }
  // Before any folder is made: a root deleted or unmounted mid-run (its parent still there) must not
  // be recreated empty by the recursive mkdir of the placement; the marker proves it is the real one.
  await checkExportRoot(ctx.fs, ctx.exportRoot, false);
  let placement: Placement;
  try {
    placement = await placeFile(ctx.fs, row.targetPath, bytes);
  } catch (error) {
    // A folder missing under the root is how an unmounted share shows mid-run: stop the run with the
    // root's own (fatal) error instead of failing every remaining document against it.
    if (isNotFound(error)) await checkExportRoot(ctx.fs, ctx.exportRoot, false);
    throw error;
  }
  const placed = ctx.ledger.documents.markPlaced(row.id, { finalPath: placement.path, sha256: digest });
  if (exceedsWindowsMaxPath(placement.path)) {
    ctx.emit({
      type: 'path-too-long', level: 'warn', dossierPartyId: row.dossierPartyId, documentId: row.id,
      message: `${placement.path} is ${windowsPathLength(placement.path)} characters long: Venice and Explorer cannot open paths of 260 or more; choose a shorter export root or dossier folder`,
      data: { path: placement.path, length: windowsPathLength(placement.path) },
    });
  }
  if (placement.status === 'identical') ctx.counts.identical += 1;
  else ctx.counts.exported += 1;
  if (placement.status === 'conflict') {
    ctx.counts.conflicts += 1;
    ctx.emit({
      type: 'conflict', level: 'warn', dossierPartyId: row.dossierPartyId, documentId: row.id,
      message: `${placement.conflictWith} already holds a different file; kept it and wrote ${placement.path}`,
      data: { existing: placement.conflictWith, written: placement.path },
    });
  }
  await ctx.fs.unlink(row.stagedPath).catch((error: unknown) => { if (!isNotFound(error)) throw error; });
  return placed;
}

/** Step 3: Billit learns the document was delivered; only after the file is durable. */
export async function acknowledge(ctx: SyncContext, row: DocumentRow): Promise<DocumentRow> {
  if (row.source === 'orders') {
    // Marking the order exported is what makes Billit refuse further changes to it (lock after
    // export). Without the lock the entrepreneur may still edit, and billsync's ledger alone
    // remembers the export.
    if (ctx.policyFor(row.dossierPartyId).lockAfterExport) {
      try {
        await ctx.client.patchOrder(row.dossierPartyId, Number(row.billitId), { ExportedToConnector: true });
      } catch (error) {
        if (!isLockRefusal(error)) throw error;
        // The file is in Venice already; Billit's refusal (the field is documented as patchable only
        // for the Access Point API, or the order is gone) must not hold the document, and with it the
        // dossier's watermark and monthly run, forever. The ledger remembers the export.
        if (!ctx.lockRefused.has(row.dossierPartyId)) {
          ctx.lockRefused.add(row.dossierPartyId);
          ctx.emit({
            type: 'lock-refused', level: 'warn', dossierPartyId: row.dossierPartyId, documentId: row.id,
            message: `Billit did not mark order ${row.billitId} as exported (${(error as Error).message}); it is in Venice, but the entrepreneur can still change it in Billit. Further refusals in this dossier during this run are not reported again.`,
          });
        }
      }
    }
  } else if (row.source === 'feed') {
    await ctx.client.confirmFeedItem(ctx.feedName, { FeedItemID: Number(row.billitId), PartyID: row.dossierPartyId, EntityID: 0, EntityType: '' }, {
      remoteServerName: ctx.hostName, remotePath: row.finalPath ?? '',
    });
  }
  // CODA files and other documents have no acknowledgement in Billit's API: delivered is done.
  ctx.counts.acknowledged += 1;
  ctx.networkFailuresInARow = 0;
  return ctx.ledger.documents.markAcknowledged(row.id);
}

/** Stage, place and acknowledge in one go, for a freshly downloaded document. */
export async function deliver(ctx: SyncContext, row: DocumentRow, bytes: Buffer, original: Buffer, targetPath: string): Promise<void> {
  const fetched = await stage(ctx, row, bytes, original, targetPath);
  const placed = await place(ctx, fetched);
  await acknowledge(ctx, placed);
}

/** A document billsync will not hand to Venice: kept with a readable report in the data dir. */
export async function quarantine(ctx: SyncContext, row: DocumentRow, bytes: Buffer, fileName: string, reason: string): Promise<void> {
  const dir = join(ctx.dataDir, 'quarantine', String(row.dossierPartyId));
  const safe = `${row.source}-${row.billitId}-${fileName.replace(/[^\w.-]/g, '_')}`;
  await writeFileAtomic(ctx.fs, dir, safe, bytes);
  const report = [`billsync quarantine report`, `document: ${row.source} ${row.billitId} (dossier ${row.dossierPartyId})`, `file: ${fileName}`, `reason: ${reason}`, ''].join('\r\n');
  await writeFileAtomic(ctx.fs, dir, `${safe}.txt`, Buffer.from(report, 'utf8'));
  ctx.ledger.documents.markQuarantined(row.id, reason);
  ctx.counts.quarantined += 1;
  ctx.emit({ type: 'quarantined', level: 'warn', dossierPartyId: row.dossierPartyId, documentId: row.id, message: `${fileName} quarantined: ${reason}`, data: { dir } });
}

/** Tells the user when a name from Billit had to change to be safe on Windows and inside the root. */
export function reportRenamed(ctx: SyncContext, row: DocumentRow, original: string, written: string): void {
  if (original === written) return;
  // Billit names can be megabytes long; the event keeps enough to recognise them.
  const shown = original.length > 300 ? `${original.slice(0, 300)}… (${original.length} characters)` : original;
  ctx.emit({
    type: 'name-sanitized', level: 'warn', dossierPartyId: row.dossierPartyId, documentId: row.id,
    message: `the name ${JSON.stringify(shown)} from Billit is not a safe Windows file name; wrote ${JSON.stringify(written)}`,
    data: { original: shown, written },
  });
}

/**
 * Billit answering the exported mark with a client error that says "not like this" (400, 403, 404,
 * 405, 422): not a fault to retry. 401 (the key), 409, 429 and 5xx keep their usual meaning.
 */
function isLockRefusal(error: unknown): boolean {
  return error instanceof BillitHttpError && [400, 403, 404, 405, 422].includes(error.status);
}
