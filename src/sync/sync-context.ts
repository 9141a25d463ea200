import type { BillitClient } from '../billit/client.js';
import type { Ledger } from '../ledger/ledger.js';
import type { FileSystem } from '../platform/fs/file-system.js';
import type { Policy } from '../core/policy.js';
import type { Finding } from '../formats/verdict.js';

/** Something worth telling the user or support: appended to the ledger's event trail and shown in logs. */
export interface SyncEvent {
  type: string;
  message: string;
  level: 'info' | 'warn' | 'error';
  dossierPartyId?: number;
  documentId?: number;
  data?: Record<string, unknown>;
}

/** Counts of one run, per outcome. */
export interface RunCounts {
  exported: number;
  identical: number;
  conflicts: number;
  acknowledged: number;
  failed: number;
  quarantined: number;
  skipped: number;
}

export const emptyCounts = (): RunCounts => ({ exported: 0, identical: 0, conflicts: 0, acknowledged: 0, failed: 0, quarantined: 0, skipped: 0 });

/** Everything a sync run works with. Built once by the app layer; sources only read it. */
export interface SyncContext {
  client: BillitClient;
  ledger: Ledger;
  fs: FileSystem;
  exportRoot: string;
  dataDir: string;
  mode: 'direct' | 'feed';
  feedName: string;
  /** Reported to Billit with feed confirmations. */
  hostName: string;
  runId: number;
  dryRun: boolean;
  /** The dossier's resolved policy (lockAfterExport decides whether Billit is told). */
  policyFor(partyId: number): Policy;
  /** Further checks of a bare UBL document (the official artefacts, when configured). */
  extraUblChecks: ((document: Buffer) => Finding[]) | null;
  /** The run's clock: real time, or a test's. */
  now(): Date;
  counts: RunCounts;
  /** Failures per dossier in this run: a monthly run with failures is not done yet. */
  failuresByDossier: Map<number, number>;
  /** Consecutive documents that failed on the network; see failures.ts. */
  networkFailuresInARow: number;
  /** Dossiers where Billit refused to mark an order exported in this run (reported once per dossier). */
  lockRefused: Set<number>;
  emit(event: SyncEvent): void;
  /** Progress for an interactive terminal: documents done so far. */
  progress(done: number, note: string): void;
}
