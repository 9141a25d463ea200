import { hostname } from 'node:os';
import type { BillitClient } from '../billit/client.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../core/document-kind.js';
import type { BillsyncConfig } from '../config/schema.js';
import { checkExportRoot } from '../export/export-root.js';
import { sanitizeSegment } from '../export/windows-name.js';
import type { Ledger } from '../ledger/ledger.js';
import type { FileSystem } from '../platform/fs/file-system.js';
import { mapDossiers, type DossierMapping } from './dossier-mapping.js';
import { isFatal } from './failures.js';
import { reconcile } from './reconcile.js';
import { acquireRunLock } from './run-lock.js';
import { syncCoda } from './sources/coda-source.js';
import { syncDocuments } from './sources/documents-source.js';
import { syncFeed } from './sources/feed-source.js';
import { syncOrders } from './sources/orders-source.js';
import { syncDeletedOrders } from './sources/deleted-source.js';
import type { Pass } from './pass.js';
import { resolvePolicy } from '../config/resolve-policy.js';
import { runSchematron, type CompiledSchematron } from '../formats/ubl/schematron.js';
import { emptyCounts, type RunCounts, type SyncContext, type SyncEvent } from './sync-context.js';

export interface SyncDeps {
  client: BillitClient;
  ledger: Ledger;
  fs: FileSystem;
  config: BillsyncConfig;
  exportRoot: string;
  dataDir: string;
  onEvent?: (event: SyncEvent) => void;
  onProgress?: (done: number, note: string) => void;
  /** The clock policies are evaluated against. @default real time */
  now?: () => Date;
  /** The official validation artefacts, compiled (validation.schematronDir). */
  schematron?: CompiledSchematron[];
}

export interface SyncOptions {
  /** Only this dossier (PartyID). */
  dossier?: number;
  /** Only these dossiers (the scheduler's groups). Unknown ones are skipped silently. */
  dossiers?: readonly number[];
  /** Notice approvals and deletions only; export nothing (between monthly runs). */
  watchOnly?: boolean;
  kinds?: DocumentKind[];
  dryRun?: boolean;
  trigger?: string;
  /** A manual export of a period instead of the policy's pass (billsync export). */
  manual?: { from: string | null; to: string | null; includeExported: boolean };
  /** Leave out the deleted-orders check (frequent polls; a deletion is news, not work). */
  skipDeleted?: boolean;
}

export interface SyncSummary {
  runId: number;
  status: 'ok' | 'partial' | 'failed';
  counts: RunCounts;
  dossiers: number;
  error?: string;
}

/** A requested dossier that is not among the key's companies. */
export class UnknownDossierError extends Error {
  override readonly name = 'UnknownDossierError';
}

/** A manual export was asked for where it cannot run. */
export class ManualExportUnavailableError extends Error {
  override readonly name = 'ManualExportUnavailableError';
}

/** One dossier's share of a run: its orders, deletions, other documents and bank statements. */
async function syncDossier(ctx: SyncContext, dossier: DossierMapping, kinds: ReadonlySet<DocumentKind>, options: SyncOptions): Promise<void> {
  const policy = ctx.policyFor(dossier.partyId);
  const now = ctx.now();
  const pass: Pass = options.manual ? { kind: 'manual', policy, now, ...options.manual } : { kind: 'policy', policy, now, watchOnly: options.watchOnly ?? false };
  // Each source on its own: a listing Billit refuses (or answers in a shape billsync cannot read)
  // fails that source, reported, while the dossier's other sources still run.
  const guarded = async (source: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      if (isFatal(error) || error instanceof UnknownDossierError) throw error;
      ctx.counts.failed += 1;
      ctx.failuresByDossier.set(dossier.partyId, (ctx.failuresByDossier.get(dossier.partyId) ?? 0) + 1);
      ctx.emit({ type: 'dossier-failed', level: 'error', dossierPartyId: dossier.partyId, message: `${dossier.name} (${source}): ${(error as Error).message ?? String(error)}`, data: { source } });
    }
  };
  if (ctx.mode === 'direct' && (kinds.has('purchase') || kinds.has('sales') || options.watchOnly)) {
    await guarded('invoices', async () => {
      const { approved } = await syncOrders(ctx, dossier, kinds, pass);
      if (approved > 0 && policy.requireApproval) {
        ctx.emit({
          type: 'approvals', level: 'info', dossierPartyId: dossier.partyId,
          message: `${dossier.name} approved ${approved} document${approved === 1 ? '' : 's'}`, data: { count: approved, dossier: dossier.name },
        });
      }
    });
    if (pass.kind === 'policy' && !options.skipDeleted) await guarded('deleted invoices', () => syncDeletedOrders(ctx, dossier));
    if (kinds.has('document') && !options.watchOnly) await guarded('documents', () => syncDocuments(ctx, dossier, pass));
  }
  if (kinds.has('coda') && !options.watchOnly) await guarded('bank statements', () => syncCoda(ctx, dossier, pass));
  // A completed last-month pass over every kind is this month's monthly run, whoever triggered it.
  // With documents still failing it is not done: the scheduler tries again soon rather than next month.
  if (pass.kind === 'policy' && !options.watchOnly && policy.frequency === 'last-month' && kinds.size === DOCUMENT_KINDS.length && !ctx.dryRun) {
    if ((ctx.failuresByDossier.get(dossier.partyId) ?? 0) === 0) ctx.ledger.schedule.completed(monthlyJob(dossier.partyId), now);
  }
}

/** The schedule key of a dossier's monthly run. */
export const monthlyJob = (partyId: number): string => `monthly:${partyId}`;

/** Runs `task` over `items` with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (next < items.length && failure === null) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw failure;
}

/**
 * One sync pass: check the root, reconcile, refresh the dossier list, then every dossier's sources
 * (several dossiers at once within the client's rate limit; one dossier is never worked on twice at
 * once because each appears once in the pool). The ledger records the run and its outcome.
 */
export async function runSync(deps: SyncDeps, options: SyncOptions = {}): Promise<SyncSummary> {
  const now = deps.now ?? (() => new Date());
  if (options.manual && deps.config.billit.mode === 'feed') {
    throw new ManualExportUnavailableError('manual export works in direct mode; in feed mode, export from Billit\'s accountant portal and billsync delivers the feed');
  }
  const release = await acquireRunLock(deps.dataDir);
  const { ledger, config } = deps;
  const kinds = new Set<DocumentKind>(options.kinds && options.kinds.length > 0 ? options.kinds : DOCUMENT_KINDS);
  const runId = ledger.runs.start(options.trigger ?? 'manual');
  const ctx: SyncContext = {
    client: deps.client, ledger, fs: deps.fs, exportRoot: deps.exportRoot, dataDir: deps.dataDir,
    mode: config.billit.mode, feedName: config.billit.feedName, hostName: hostname(), runId,
    dryRun: options.dryRun ?? false, counts: emptyCounts(), networkFailuresInARow: 0, failuresByDossier: new Map(), lockRefused: new Set(),
    policyFor: (partyId) => resolvePolicy(config, partyId),
    extraUblChecks: deps.schematron && deps.schematron.length > 0 ? (document) => runSchematron(deps.schematron!, document.toString('utf8')) : null,
    now,
    emit: (event) => {
      ledger.events.append({
        type: event.type, message: event.message, runId,
        ...(event.dossierPartyId === undefined ? {} : { dossierPartyId: event.dossierPartyId }),
        ...(event.documentId === undefined ? {} : { documentId: event.documentId }),
        ...(event.data === undefined ? {} : { data: event.data }),
      });
      deps.onEvent?.(event);
    },
    progress: (done, note) => deps.onProgress?.(done, note),
  };
  let dossiers: DossierMapping[] = [];
  try {
    const everPlaced = ledger.documents.countsByDossier().some((c) => c.state !== 'seen' && c.state !== 'quarantined' && c.count > 0);
    await checkExportRoot(deps.fs, deps.exportRoot, !everPlaced);
    if (!ctx.dryRun) await reconcile(ctx);
    const account = await deps.client.accountInformation();
    const known = new Map(ledger.dossiers.list().map((d) => [d.partyId, d] as const));
    const mapped = mapDossiers(account.Companies, config, new Map([...known].map(([id, d]) => [id, d.folder] as const)));
    // One transaction for the whole mapping: one commit (one fsync) per run instead of one per dossier,
    // which with hundreds of dossiers polled every minute was most of an idle agent's disk writes.
    ledger.transaction(() => {
      for (const dossier of mapped) {
        const before = known.get(dossier.partyId);
        if (before && before.name !== dossier.name) {
          ctx.emit({ type: 'dossier-renamed', level: 'warn', dossierPartyId: dossier.partyId, message: `${before.name} is now called ${dossier.name} in Billit; its documents keep going to ${dossier.folder}`, data: { from: before.name, to: dossier.name } });
        }
        if (sanitizeSegment(dossier.name) !== dossier.name && ledger.dossiers.get(dossier.partyId) === null) {
          ctx.emit({ type: 'name-sanitized', level: 'warn', dossierPartyId: dossier.partyId, message: `the company name ${JSON.stringify(dossier.name)} is not a safe Windows folder name; its folder is ${JSON.stringify(dossier.folder)}`, data: { original: dossier.name, written: dossier.folder } });
        }
        if (dossier.clashedFolder !== undefined && ledger.dossiers.get(dossier.partyId) === null) {
          ctx.emit({ type: 'folder-clash', level: 'warn', dossierPartyId: dossier.partyId, message: `the folder ${JSON.stringify(dossier.clashedFolder)} belongs to another dossier (on Windows, names that differ only by case are one folder); the folder of ${dossier.name} is ${JSON.stringify(dossier.folder)}`, data: { wanted: dossier.clashedFolder, written: dossier.folder } });
        }
        if (!ctx.dryRun) ledger.dossiers.upsert({ partyId: dossier.partyId, name: dossier.name, vatNumber: dossier.vatNumber, enterpriseNumber: dossier.enterpriseNumber, folder: dossier.folder });
      }
    });
    const wanted = options.dossiers ? new Set(options.dossiers) : null;
    dossiers = mapped.filter((d) => !d.disabled && (options.dossier === undefined || d.partyId === options.dossier) && (wanted === null || wanted.has(d.partyId)));
    if (options.dossier !== undefined && dossiers.length === 0) {
      throw new UnknownDossierError(`dossier ${options.dossier} is not among the ${mapped.length} companies this API key may act for (or it is disabled); see billsync dossiers list`);
    }
    if (config.billit.mode === 'feed' && (kinds.has('purchase') || kinds.has('sales') || kinds.has('document'))) {
      try {
        await syncFeed(ctx, new Map(dossiers.map((d) => [d.partyId, d])), kinds);
      } catch (error) {
        // The feed's trouble (Billit refusing it, a broken answer) must not keep the CODA files back.
        if (isFatal(error)) throw error;
        ctx.counts.failed += 1;
        ctx.emit({ type: 'feed-failed', level: 'error', message: `the accountant feed ${ctx.feedName}: ${(error as Error).message ?? String(error)}` });
      }
    }
    await pool(dossiers, config.dossierConcurrency, async (dossier) => {
      try {
        await syncDossier(ctx, dossier, kinds, options);
      } catch (error) {
        // One dossier's trouble (a listing Billit keeps refusing) must not stop the others.
        if (isFatal(error) || error instanceof UnknownDossierError) throw error;
        ctx.counts.failed += 1;
        ctx.failuresByDossier.set(dossier.partyId, (ctx.failuresByDossier.get(dossier.partyId) ?? 0) + 1);
        ctx.emit({ type: 'dossier-failed', level: 'error', dossierPartyId: dossier.partyId, message: `${dossier.name}: ${(error as Error).message ?? String(error)}` });
      }
    });
    const status = ctx.counts.failed > 0 ? 'partial' : 'ok';
    ledger.runs.finish(runId, status, { counts: ctx.counts, dossiers: dossiers.length, dryRun: ctx.dryRun });
    return { runId, status, counts: ctx.counts, dossiers: dossiers.length };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    ctx.emit({ type: 'run-failed', level: 'error', message });
    ledger.runs.finish(runId, 'failed', { counts: ctx.counts, error: message, fatal: isFatal(error) });
    throw error;
  } finally {
    await release();
  }
}
