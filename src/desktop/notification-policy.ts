import { join } from 'node:path';
import type { Notification, Notifier } from '../platform/notify.js';
import type { SyncEvent } from '../sync/sync-context.js';

/** At most one notification per kind and dossier in this window (product: no notification storms). */
export const QUIET_MS = 10 * 60 * 1000;

/** Where a click on a notification leads. */
export interface NotificationLinks {
  exportRoot: string;
  quarantine: string;
  /** The folder of a dossier, where its approved documents arrive. */
  dossierFolder?: (partyId: number) => string | undefined;
  /** The status page (settings, connection test), when it runs. */
  statusPage?: () => string | undefined;
}

type Kind = 'approvals' | 'quarantined' | 'key-rejected' | 'root-unreachable' | 'back-to-normal';

/**
 * Turns engine events into the notifications an accountant wants: approvals by the entrepreneur,
 * documents quarantined, the API key rejected, the export root unreachable, and "back to normal"
 * after one of the last two. One per kind and dossier per ten minutes. Approvals that come within
 * a dossier's quiet time are not dropped: they are counted and told once the quiet time is over
 * (with the next approvals of that dossier, or after the next run).
 */
export class NotificationPolicy {
  private readonly last = new Map<string, number>();
  private readonly heldApprovals = new Map<number, { name: string; count: number }>();
  private troubled = false;

  constructor(private readonly notifier: Notifier, private readonly now: () => number = Date.now, private readonly links: NotificationLinks = { exportRoot: '', quarantine: '' }) {}

  /** Called for every sync event; shows what deserves a notification. */
  async onEvent(event: SyncEvent): Promise<void> {
    if (event.type === 'approvals') {
      const count = typeof event.data?.count === 'number' ? event.data.count : null;
      const name = typeof event.data?.dossier === 'string' ? event.data.dossier : null;
      if (event.dossierPartyId === undefined || count === null || name === null) {
        await this.show('approvals', event.dossierPartyId, { title: 'Documents approved', message: event.message });
        return;
      }
      const held = this.heldApprovals.get(event.dossierPartyId);
      this.heldApprovals.set(event.dossierPartyId, { name, count: (held?.count ?? 0) + count });
      await this.tellApprovals(event.dossierPartyId);
    } else if (event.type === 'quarantined') {
      // The dossier's own quarantine folder, where the file and its report lie.
      const folder = event.dossierPartyId === undefined ? this.links.quarantine : join(this.links.quarantine, String(event.dossierPartyId));
      await this.show('quarantined', event.dossierPartyId, { title: 'Document held back', message: `${event.message}. It did not go to Venice; see the report.`, target: folder });
    } else if (event.type === 'run-failed' && /rejected the API key/.test(event.message)) {
      this.troubled = true;
      await this.show('key-rejected', undefined, { title: 'Billit refused the API key', message: 'billsync cannot fetch documents until a valid key is set (Settings).', ...this.page() });
    } else if (event.type === 'run-failed' && /export root .* (cannot be reached|no \.billsync marker)/.test(event.message)) {
      this.troubled = true;
      // The folder itself cannot be opened; the status page shows the connection and the settings.
      await this.show('root-unreachable', undefined, { title: 'Export folder unreachable', message: event.message, ...this.page() });
    }
  }

  /** Called after every run: approvals held in a quiet time are told once it is over; a good run after trouble says so once. */
  async onRunSucceeded(): Promise<void> {
    for (const partyId of [...this.heldApprovals.keys()]) await this.tellApprovals(partyId);
    if (!this.troubled) return;
    this.troubled = false;
    await this.show('back-to-normal', undefined, { title: 'billsync is back to normal', message: 'Billit and the export folder can be reached again.', ...this.page() });
  }

  /** Shows a dossier's approvals counted so far, unless its quiet time still runs (they stay counted). */
  private async tellApprovals(partyId: number): Promise<void> {
    const held = this.heldApprovals.get(partyId);
    if (!held) return;
    // Claimed and cleared before the await: approvals arriving meanwhile start a new count.
    if (!this.claim('approvals', partyId)) return;
    this.heldApprovals.delete(partyId);
    const folder = this.links.dossierFolder?.(partyId);
    await this.notifier.notify({
      title: 'Documents approved', message: `${held.name} approved ${held.count} document${held.count === 1 ? '' : 's'}`, ...(folder ? { target: folder } : {}),
    });
  }

  private page(): { target?: string } {
    const page = this.links.statusPage?.();
    return page ? { target: page } : {};
  }

  /** Shows the notification unless its kind and dossier had one within the quiet time. */
  private async show(kind: Kind, dossier: number | undefined, notification: Notification): Promise<void> {
    if (this.claim(kind, dossier)) await this.notifier.notify(notification);
  }

  /** Takes the kind and dossier's turn when its quiet time is over; false while it runs. */
  private claim(kind: Kind, dossier: number | undefined): boolean {
    const key = `${kind}:${dossier ?? '*'}`;
    const now = this.now();
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < QUIET_MS) return false;
    this.last.set(key, now);
    return true;
  }
}
