import { join } from 'node:path';
import { AWAITING_APPROVAL } from '../core/approval-status.js';
import type { BillsyncConfig } from '../config/schema.js';
import { resolvePolicy } from '../config/resolve-policy.js';
import { brusselsDate } from '../core/brussels-time.js';
import type { Ledger } from '../ledger/ledger.js';

/** What a dossier has, as the dashboard and the dossier pages count it. */
export interface DossierCounts {
  partyId: number;
  name: string;
  /** Folder name under the export root. */
  folder: string;
  /** The folder, absolute. */
  folderPath: string | null;
  disabled: boolean;
  /** Held back by Billit until the entrepreneur approves them. */
  waitingApproval: number;
  /**
   * Due by the dossier's policy and not delivered yet, without failures so far (or on its way now).
   * A document whose month has not ended (last-month), dated before the dossier's export-from date,
   * or of a dossier that is switched off or exports only by hand, is not counted: nothing is to do yet.
   */
  toExport: number;
  /** Not delivered, and at least one attempt failed (tried again at the next run). */
  failing: number;
  quarantined: number;
  /** Delivered: acknowledged in Billit, or already taken by Venice. */
  exported: number;
}

export type CountKey = 'waitingApproval' | 'toExport' | 'failing' | 'quarantined' | 'exported';

export type Totals = Record<CountKey, number> & { dossiers: number };

const WAITING = new Set<string>(AWAITING_APPROVAL);

/**
 * Per-dossier counts from the ledger (never cached, so never stale). Each undelivered document is
 * counted once: waiting for approval, else failing (attempts > 0), else to export. Documents deleted
 * in Billit before delivery, and those the entrepreneur rejected, are left out: they will never go
 * by themselves (a manual export can still send them).
 */
export function dossierCounts(ledger: Ledger, config: BillsyncConfig, now: Date = new Date()): DossierCounts[] {
  const byId = new Map<number, DossierCounts>();
  const root = config.exportRoot ?? null;
  for (const dossier of ledger.dossiers.list()) {
    byId.set(dossier.partyId, {
      partyId: dossier.partyId, name: dossier.name, folder: dossier.folder, folderPath: root === null ? null : join(root, dossier.folder),
      disabled: config.dossiers[String(dossier.partyId)]?.disabled ?? false,
      waitingApproval: 0, toExport: 0, failing: 0, quarantined: 0, exported: 0,
    });
  }
  for (const count of ledger.documents.countsByDossier()) {
    const entry = byId.get(count.dossierPartyId);
    if (!entry) continue;
    if (count.state === 'quarantined') entry.quarantined += count.count;
    else if (count.state === 'acknowledged' || count.state === 'picked_up') entry.exported += count.count;
  }
  const month = brusselsDate(now).slice(0, 7);
  const policies = new Map<number, ReturnType<typeof resolvePolicy>>();
  const policyOf = (partyId: number) => policies.get(partyId) ?? policies.set(partyId, resolvePolicy(config, partyId)).get(partyId)!;
  for (const group of ledger.documents.undeliveredGroups()) {
    const entry = byId.get(group.dossierPartyId);
    // Deleted in Billit, or rejected by the entrepreneur: these never go automatically.
    if (!entry || group.deletedInBillit || (group.state === 'seen' && group.approvalStatus === 'Rejected')) continue;
    if (group.state === 'seen' && group.approvalStatus !== null && WAITING.has(group.approvalStatus)) entry.waitingApproval += group.count;
    else if (group.failing) entry.failing += group.count;
    else if (group.state !== 'seen' || isDue(policyOf(group.dossierPartyId), entry.disabled, group.documentDate, month)) entry.toExport += group.count;
  }
  return [...byId.values()];
}

/** Whether a known document goes at the dossier's next pass (eligibility.ts, from what the ledger keeps). */
function isDue(policy: ReturnType<typeof resolvePolicy>, disabled: boolean, documentDate: string | null, currentMonth: string): boolean {
  if (disabled || policy.frequency === 'never') return false;
  if (documentDate !== null && policy.exportFrom !== null && documentDate < policy.exportFrom) return false;
  // A document without a known date is counted: better one line too many than one missed.
  return policy.frequency !== 'last-month' || documentDate === null || documentDate.slice(0, 7) < currentMonth;
}

/** Whether the dashboard lists the dossier: something waits, is to go, or is in trouble. */
export function needsAttention(counts: DossierCounts): boolean {
  return counts.waitingApproval + counts.toExport + counts.failing + counts.quarantined > 0;
}

export function totalsOf(all: readonly DossierCounts[]): Totals {
  const totals: Totals = { dossiers: all.length, waitingApproval: 0, toExport: 0, failing: 0, quarantined: 0, exported: 0 };
  for (const d of all) {
    totals.waitingApproval += d.waitingApproval;
    totals.toExport += d.toExport;
    totals.failing += d.failing;
    totals.quarantined += d.quarantined;
    totals.exported += d.exported;
  }
  return totals;
}
