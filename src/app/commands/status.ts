import { parseArgs } from 'node:util';
import { AWAITING_APPROVAL } from '../../core/approval-status.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openApp } from '../app-context.js';
import { runningInstance } from '../instance.js';
import { EXIT } from '../exit-codes.js';

export interface DossierStatus {
  partyId: number;
  name: string;
  folder: string;
  exported: number;
  waiting: number;
  failed: number;
  quarantined: number;
  /** Documents waiting for the entrepreneur's approval. */
  awaitingApproval: number;
  /** Orders deleted in Billit after billsync saw them. */
  deletedInBillit: number;
}

export interface StatusReport {
  dossiers: DossierStatus[];
  lastRun: { id: number; status: string; startedAt: string; finishedAt: string | null } | null;
}

/** Per dossier: exported (acknowledged or picked up), waiting (on its way), failed (retries pending), quarantined. */
export function statusReport(ledger: Ledger): StatusReport {
  const byDossier = new Map<number, DossierStatus>();
  for (const dossier of ledger.dossiers.list()) {
    byDossier.set(dossier.partyId, { partyId: dossier.partyId, name: dossier.name, folder: dossier.folder, exported: 0, waiting: 0, failed: 0, quarantined: 0, awaitingApproval: 0, deletedInBillit: 0 });
  }
  for (const count of ledger.documents.countsByDossier()) {
    const status = byDossier.get(count.dossierPartyId);
    if (!status) continue;
    if (count.state === 'acknowledged' || count.state === 'picked_up') status.exported += count.count;
    else if (count.state === 'quarantined') status.quarantined += count.count;
    else status.waiting += count.count;
  }
  for (const row of ledger.documents.listByState(['seen', 'fetched', 'placed'])) {
    if (row.attempts > 0) {
      const status = byDossier.get(row.dossierPartyId);
      if (status) { status.failed += 1; status.waiting -= 1; }
    }
  }
  for (const waiting of ledger.documents.awaitingApproval(AWAITING_APPROVAL)) {
    const status = byDossier.get(waiting.dossierPartyId);
    if (status) status.awaitingApproval = waiting.count;
  }
  for (const event of ledger.events.list({ limit: 100_000, type: 'deleted-in-billit' })) {
    const status = event.dossierPartyId === null ? undefined : byDossier.get(event.dossierPartyId);
    if (status) status.deletedInBillit += 1;
  }
  const last = ledger.runs.last();
  return {
    dossiers: [...byDossier.values()],
    lastRun: last ? { id: last.id, status: last.status, startedAt: last.startedAt, finishedAt: last.finishedAt } : null,
  };
}

export async function statusCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  const app = await openApp(values.config);
  try {
    const report = statusReport(app.ledger);
    // The running agent's status page (its address carries the page's token; this user's data dir only).
    const agent = await runningInstance(app.paths.dataDir);
    const statusPage = agent?.info.statusUrl ?? null;
    if (values.json) {
      console.log(JSON.stringify({ ...report, agent: agent ? { pid: agent.pid, startedAt: agent.info.startedAt ?? null } : null, statusPage }));
      return EXIT.ok;
    }
    console.log(agent ? `billsync runs (process ${agent.pid})${statusPage ? `; status page: ${statusPage}` : ''}` : 'billsync is not running (start it with billsync run).');
    console.log(report.lastRun ? `Last run #${report.lastRun.id}: ${report.lastRun.status}, started ${report.lastRun.startedAt}` : 'No run yet.');
    for (const d of report.dossiers) {
      console.log(`  ${d.name} (${d.partyId}) → ${d.folder}: ${d.exported} exported, ${d.waiting} waiting`
        + ` (${d.awaitingApproval} for approval), ${d.failed} failed, ${d.quarantined} quarantined${d.deletedInBillit ? `, ${d.deletedInBillit} deleted in Billit` : ''}`);
    }
    return EXIT.ok;
  } finally {
    app.close();
  }
}
