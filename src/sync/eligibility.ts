import { brusselsDate, fromBrusselsLocal } from '../core/brussels-time.js';
import { isExportableApproval } from '../core/approval-status.js';
import { brusselsDateOf, brusselsMonthOf, lastFullMonth } from '../core/months.js';
import { AFTER_CREATION_DELAY_MS, type Policy } from '../core/policy.js';

export interface Eligibility {
  due: boolean;
  /** Not due yet, and nothing in Billit will change to tell us when it is: keep it in the next listing. */
  holdWatermark: boolean;
  reason: string;
}

export interface DocumentFacts {
  /** Billit's document date (OrderDate / DocumentDate), no offset = Brussels. */
  documentDate: string | null;
  /** Billit's creation timestamp. */
  created: string | null;
  /** null for documents without an approval flow (other documents, CODA). */
  approvalStatus: string | null;
  /** Whether the approval rule applies to this kind of document at all. */
  hasApprovalFlow: boolean;
}

/**
 * Whether the dossier's policy sends this document now (product.md §5). For last-month, "the last
 * full month" is read as "every month before the current one, from `cutoff` on": a month missed
 * while billsync was off, an invoice that arrives after the monthly run, or one approved late still
 * goes at the next pass, while `cutoff` (exportFrom, or the month before billsync first saw the
 * dossier) keeps years of history out.
 */
export function eligibility(policy: Policy, facts: DocumentFacts, now: Date, cutoff: string | null = null): Eligibility {
  if (policy.frequency === 'never') return { due: false, holdWatermark: false, reason: 'the dossier exports only manually' };
  const date = brusselsDateOf(facts.documentDate);
  if (policy.exportFrom !== null && date !== null && date < policy.exportFrom) {
    return { due: false, holdWatermark: false, reason: `dated ${date}, before the dossier's export-from date ${policy.exportFrom}` };
  }
  if (facts.hasApprovalFlow && !isExportableApproval(facts.approvalStatus, policy.requireApproval)) {
    // Approval changes LastModified in Billit, so the order comes back in the next listing by itself.
    return { due: false, holdWatermark: false, reason: policy.requireApproval ? 'waiting for the entrepreneur\'s approval' : 'rejected by the entrepreneur' };
  }
  if (policy.frequency === 'after-10-minutes') {
    const created = facts.created ? fromBrusselsLocal(facts.created) : null;
    if (created === null) return { due: true, holdWatermark: false, reason: 'no creation time; exported' };
    const dueAt = created.getTime() + AFTER_CREATION_DELAY_MS;
    return dueAt <= now.getTime()
      ? { due: true, holdWatermark: false, reason: 'created more than 10 minutes ago' }
      : { due: false, holdWatermark: true, reason: 'created less than 10 minutes ago' };
  }
  const month = brusselsMonthOf(facts.documentDate);
  const current = brusselsDate(now).slice(0, 7);
  if (month === null) return { due: false, holdWatermark: false, reason: 'no document date' };
  if (month >= current) return { due: false, holdWatermark: false, reason: `dated in ${month}; it goes after that month ends` };
  if (cutoff !== null && date !== null && date < cutoff) return { due: false, holdWatermark: false, reason: `dated ${date}, before ${cutoff}, where billsync started for this dossier` };
  return { due: true, holdWatermark: false, reason: `dated in ${month}, a full month before ${lastFullMonth(now).until}` };
}
