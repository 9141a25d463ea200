import { toBrusselsLocal } from '../../../src/core/brussels-time.js';
import { clientFor, control } from '../../support/sandbox.js';
import { documentCount, openBenchSandbox, workspace, type WorldSize } from './bench-world.js';
import { runEngine } from './agent-runs.js';
import { RequestWatch } from './request-watch.js';

/** Request counts do not depend on the client's pace; the engine runs unpaced to keep the benchmark short. */
const UNPACED = { rate: 100_000, maxConcurrent: 8 };

export interface RequestCount { documents: number; requests: number; perDocument: number; byRoute: Record<string, number>; }

/**
 * Portal-queue mode: the office exports everything in Billit's portal (orders and other documents
 * into the feed), then one sync drains the feed and fetches the dossiers' CODA files.
 */
export async function measureFeedRequests(size: WorldSize): Promise<RequestCount> {
  const sandbox = await openBenchSandbox(size, 'bench-feed');
  const ws = workspace(sandbox, 'feed');
  try {
    await clientFor(sandbox).createFeed('billsync');
    await control(sandbox, 'POST', 'feeds/export', { includeDocuments: true });
    const watch = new RequestWatch(sandbox);
    watch.reset();
    ws.writeConfig({ billit: { mode: 'feed', feedName: 'billsync', ratePerSecond: 100, maxConcurrent: 8 } });
    const run = await runEngine(ws, UNPACED);
    const documents = run.summary.counts.exported;
    if (documents !== documentCount(sandbox)) throw new Error(`feed mode exported ${documents} of ${documentCount(sandbox)} documents`);
    return { documents, requests: watch.total, perDocument: watch.total / documents, byRoute: watch.byRoute() };
  } finally {
    ws.remove();
    await sandbox.close();
  }
}

export interface NoChange {
  dossiers: number;
  /** After the first export. */
  small: { exported: number; requests: number; byRoute: Record<string, number> };
  /** After `addedOrdersPerDossier` more orders per dossier were exported too. */
  grown: { exported: number; requests: number; byRoute: Record<string, number> };
  addedOrdersPerDossier: number;
}

/**
 * A sync with nothing new, over many dossiers, measured twice: after a first export, and after more
 * documents per dossier were added in Billit and exported. Small files (no PDF padding): only the
 * number of calls matters here.
 */
export async function measureNoChange(size: WorldSize, addedOrdersPerDossier: number): Promise<NoChange> {
  const sandbox = await openBenchSandbox(size, 'bench-no-change', 0);
  const ws = workspace(sandbox, 'no-change');
  try {
    const watch = new RequestWatch(sandbox);
    ws.writeConfig({ billit: { ratePerSecond: 100, maxConcurrent: 8 } });
    const exportAll = async () => (await runEngine(ws, UNPACED)).summary.counts.exported;
    const quietSync = async () => {
      watch.reset();
      const run = await runEngine(ws, UNPACED);
      if (run.summary.counts.exported !== 0) throw new Error(`a sync with nothing new exported ${run.summary.counts.exported} documents`);
      return { requests: watch.total, byRoute: watch.byRoute() };
    };
    let exported = await exportAll();
    const small = { exported, ...await quietSync() };
    // Created a day ago: due at once under the after-10-minutes policy.
    const created = toBrusselsLocal(new Date(Date.now() - 24 * 3600_000));
    for (const partyId of sandbox.world.dossiers.keys()) await control(sandbox, 'POST', 'documents', { partyId, count: addedOrdersPerDossier, created, approvalStatus: 'Approved' });
    exported += await exportAll();
    if (exported !== documentCount(sandbox)) throw new Error(`exported ${exported} of ${documentCount(sandbox)} documents`);
    const grown = { exported, ...await quietSync() };
    return { dossiers: size.dossiers, small, grown, addedOrdersPerDossier };
  } finally {
    ws.remove();
    await sandbox.close();
  }
}
