import { join } from 'node:path';
import { KIND_FOLDERS, resolveInside } from '../export/layout.js';
import { isTempName } from '../platform/fs/atomic-write.js';
import { isNotFound } from '../platform/fs/file-system.js';
import { documentFailed } from './failures.js';
import { acknowledge, place } from './pipeline.js';
import type { SyncContext } from './sync-context.js';

async function removeTempFiles(ctx: SyncContext, dir: string): Promise<number> {
  let names: string[];
  try {
    names = await ctx.fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names) {
    if (!isTempName(name)) continue;
    await ctx.fs.unlink(join(dir, name)).catch((error: unknown) => { if (!isNotFound(error)) throw error; });
    removed += 1;
  }
  return removed;
}

/**
 * Runs before anything new after a start or a crash: leftover temporary files go, fetched documents
 * are placed, placed documents are acknowledged. Afterwards ledger, disk and Billit agree again.
 */
export async function reconcile(ctx: SyncContext): Promise<void> {
  let removed = await removeTempFiles(ctx, ctx.exportRoot);
  removed += await removeTempFiles(ctx, join(ctx.dataDir, 'staging'));
  for (const dossier of ctx.ledger.dossiers.list()) {
    for (const folder of Object.values(KIND_FOLDERS)) {
      removed += await removeTempFiles(ctx, resolveInside(ctx.exportRoot, dossier.folder, folder));
    }
  }
  if (removed > 0) ctx.emit({ type: 'temp-files-removed', level: 'info', message: `removed ${removed} unfinished temporary file(s) left by an interrupted run` });

  for (const row of ctx.ledger.documents.listByState(['fetched'])) {
    try {
      const staged = row.stagedPath ? await ctx.fs.access(row.stagedPath).then(() => true, () => false) : false;
      if (!staged) {
        ctx.ledger.documents.reopen(row.id, 'staged file missing after an interruption; fetching again');
        continue;
      }
      await place(ctx, row);
    } catch (error) {
      documentFailed(ctx, row, `placing ${row.targetPath ?? row.billitId} after an interruption`, error);
    }
  }
  for (const row of ctx.ledger.documents.listByState(['placed'])) {
    try {
      // A kill between placing and removing the staged copy leaves that copy behind; placed, it is not needed.
      if (row.stagedPath) await ctx.fs.unlink(row.stagedPath).catch(() => undefined);
      await acknowledge(ctx, row);
    } catch (error) {
      documentFailed(ctx, row, `acknowledging ${row.finalPath ?? row.billitId} to Billit`, error);
    }
  }
}
