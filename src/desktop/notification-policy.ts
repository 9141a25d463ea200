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
 * after one of the last two. One per kind and dossier per ten minutes.
 */
export class NotificationPolicy {
  private readonly last = new Map<string, number>();
  private troubled = false;

  constructor(private readonly notifier: Notifier, private readonly now: () => number = Date.now, private readonly links: NotificationLinks = { exportRoot: '', quarantine: '' }) {}

  /** Called for every sync event; shows what deserves a notification. */
  async onEvent(event: SyncEvent): Promise<void> {
    if (event.type === 'approvals') {
      const folder = event.dossierPartyId === undefined ? undefined : this.links.dossierFolder?.(event.dossierPartyId);
      await this.show('approvals', event.dossierPartyId, { title: 'Documents approved', message: event.message, ...(folder ? { target: folder } : {}) });
    } else if (event.type === 'quarantined') {
      await this.show('quarantined', event.dossierPartyId, { title: 'Document held back', message: `${event.message}. It did not go to Venice; see the report.`, target: this.links.quarantine });
    } else if (event.type === 'run-failed' && /rejected the API key/.test(event.message)) {
      this.troubled = true;
      await this.show('key-rejected', undefined, { title: 'Billit refused the API key', message: 'billsync cannot fetch documents until a valid key is set (Settings).', ...this.page() });
    } else if (event.type === 'run-failed' && /export root .* (cannot be reached|no \.billsync marker)/.test(event.message)) {
      this.troubled = true;
      await this.show('root-unreachable', undefined, { title: 'Export folder unreachable', message: event.message, target: this.links.exportRoot });
    }
  }

  /** Called after every run; a good run after trouble says so once. */
  async onRunSucceeded(): Promise<void> {
    if (!this.troubled) return;
    this.troubled = false;
    await this.show('back-to-normal', undefined, { title: 'billsync is back to normal', message: 'Billit and the export folder can be reached again.' });
  }

  private page(): { target?: string } {
    const page = this.links.statusPage?.();
    return page ? { target: page } : {};
  }

  private async show(kind: Kind, dossier: number | undefined, notification: Notification): Promise<void> {
    const key = `${kind}:${dossier ?? '*'}`;
    const now = this.now();
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < QUIET_MS) return;
    this.last.set(key, now);
    await this.notifier.notify(notification);
  }
}
