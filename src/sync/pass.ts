import type { Policy } from '../core/policy.js';

/**
 * What a run is asked to do for a dossier. A policy pass applies the dossier's policy (what
 * `billsync sync` and the scheduler run); a manual pass is the accountant's explicit export of a
 * period, regardless of frequency and approval (the seed: "je kunt de documenten wel ten allen tijde
 * doorsturen").
 */
export type Pass =
  /** watchOnly: only notice approvals and deletions, export nothing (between monthly runs). */
  | { kind: 'policy'; policy: Policy; now: Date; watchOnly?: boolean }
  | { kind: 'manual'; policy: Policy; now: Date; from: string | null; to: string | null; includeExported: boolean };

/** Document dates (YYYY-MM-DD) inside a manual pass's period, both ends inclusive. */
export function inManualPeriod(pass: Extract<Pass, { kind: 'manual' }>, date: string | null): boolean {
  if (pass.from === null && pass.to === null) return true;
  if (date === null) return false;
  if (pass.from !== null && date < pass.from) return false;
  if (pass.to !== null && date > pass.to) return false;
  return true;
}
