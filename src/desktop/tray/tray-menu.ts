import type { AgentSnapshot, AgentState, DossierStatus } from '../../app/agent-status.js';

/**
 * One clickable (or greyed-out) line of the tray menu. `key` names the action, stable across
 * updates ("sync-now", "dossier:<partyId>", …): clicks come back as keys, never as titles or
 * positions, so a menu that reorders between two clicks still does what the user saw.
 */
export interface TrayEntry {
  key: string;
  title: string;
  tooltip?: string;
  enabled: boolean;
  checked?: boolean;
  /** A submenu ("Dossiers ▸"). Never empty: the builder puts a disabled placeholder in instead. */
  items?: TrayItem[];
}

export interface TraySeparator {
  separator: true;
}

export type TrayItem = TrayEntry | TraySeparator;

/** What the tray shows: which icon (one per agent state), the hover text and the menu. */
export interface TrayMenu {
  icon: AgentState;
  tooltip: string;
  items: TrayItem[];
}

export interface TrayMenuContext {
  /** The status page with its per-start token, or null while it is not running. */
  statusPageUrl: string | null;
}

export const SEPARATOR: TraySeparator = { separator: true };

export const isSeparator = (item: TrayItem): item is TraySeparator => 'separator' in item;

/**
 * The tray menu of product.md §7 for one snapshot. Pure: the controller calls it on every status
 * change and the host works out what changed, so this may build the whole menu every time.
 */
export function trayMenu(snapshot: AgentSnapshot, context: TrayMenuContext): TrayMenu {
  const paused = snapshot.state === 'paused';
  return {
    icon: snapshot.state,
    tooltip: `billsync: ${snapshot.line}`,
    items: [
      { key: 'status', title: snapshot.line, enabled: false },
      SEPARATOR,
      // Always enabled, also while a run is going or paused: the queue drops a duplicate request,
      // and "Sync now" while paused is the user overriding the pause on purpose.
      { key: 'sync-now', title: 'Sync now', enabled: true },
      {
        key: 'pause', title: 'Pause', enabled: true,
        items: [
          { key: 'pause-hour', title: 'Pause 1 hour', enabled: !paused },
          { key: 'pause-tomorrow', title: 'Pause until tomorrow', enabled: !paused },
          { key: 'resume', title: 'Resume', enabled: paused },
        ],
      },
      SEPARATOR,
      { key: 'open-export', title: 'Open export folder', enabled: true },
      { key: 'dossiers', title: 'Dossiers', enabled: true, items: dossierItems(snapshot.dossiers) },
      { key: 'approvals', title: `Approvals waiting (${snapshot.approvalsWaiting})`, enabled: true, items: approvalItems(snapshot.dossiers, context) },
      SEPARATOR,
      { key: 'open-status-page', title: 'Open status page', enabled: context.statusPageUrl !== null, ...(context.statusPageUrl === null ? { tooltip: 'The status page is not running' } : {}) },
      { key: 'open-logs', title: 'Open log folder', enabled: true },
      { key: 'diagnostics', title: 'Copy diagnostics', tooltip: 'Saves a report for support (no keys or passwords) and shows it in its folder', enabled: true },
      SEPARATOR,
      { key: 'quit', title: 'Quit', enabled: true },
    ],
  };
}

// Names sort the way an accountant reads a client list: case and accents ignored, "Dossier 9"
// before "Dossier 10".
const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

const somethingWaiting = (d: DossierStatus): boolean => d.waitingApproval + d.toExport + d.quarantined > 0;

function compareDossiers(a: DossierStatus, b: DossierStatus): number {
  return byName.compare(a.name, b.name) || a.partyId - b.partyId;
}

function dossierItems(dossiers: readonly DossierStatus[]): TrayItem[] {
  if (dossiers.length === 0) return [{ key: 'dossiers-none', title: 'No dossiers yet', enabled: false }];
  // Dossiers that need something first, so the ones to look at are at the top of a long list.
  const sorted = [...dossiers].sort((a, b) => Number(somethingWaiting(b)) - Number(somethingWaiting(a)) || compareDossiers(a, b));
  return sorted.map((d) => ({ key: `dossier:${d.partyId}`, title: `${d.name}${countsText(d)}`, tooltip: d.folder, enabled: true }));
}

function countsText(d: DossierStatus): string {
  const parts = [
    d.waitingApproval > 0 ? `${d.waitingApproval} waiting for approval` : '',
    d.toExport > 0 ? `${d.toExport} to export` : '',
    d.quarantined > 0 ? `${d.quarantined} held back` : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` — ${parts.join(', ')}` : '';
}

function approvalItems(dossiers: readonly DossierStatus[], context: TrayMenuContext): TrayItem[] {
  const waiting = dossiers.filter((d) => d.waitingApproval > 0).sort(compareDossiers);
  if (waiting.length === 0) return [{ key: 'approvals-none', title: 'Nothing waiting', enabled: false }];
  const tooltip = context.statusPageUrl !== null ? 'Open the status page' : 'Open the dossier folder';
  return waiting.map((d) => ({ key: `approvals:${d.partyId}`, title: `${d.name}: ${d.waitingApproval}`, tooltip, enabled: true }));
}
