import { createRequire } from 'node:module';

/** A desktop notification; `target` is the folder or page a click opens. */
export interface Notification {
  title: string;
  message: string;
  target?: string;
}

/** Desktop notifications behind an interface: node-notifier in the product, a recording one in tests. */
export interface Notifier {
  notify(notification: Notification): Promise<void>;
}

const require = createRequire(import.meta.url);

/**
 * node-notifier (notify-send on Linux, toast on Windows, Notification Center on macOS). It never
 * throws; failures (no display, no notification daemon) come back in its callback and are passed to
 * `onFailure` once, so a headless server logs it rather than crash. A notification with a target
 * waits for the user: a click (reported by the toast and Notification Center; notify-send cannot)
 * calls `onClick` with the target.
 */
export function nodeNotifier(onFailure: (reason: string) => void, onClick: (target: string) => void = () => undefined): Notifier {
  let reported = false;
  return {
    notify: (notification) => new Promise<void>((resolve) => {
      const notifier = require('node-notifier') as { notify(options: object, callback: (error: Error | null, response?: string, metadata?: { activationType?: string }) => void): void };
      const target = notification.target;
      // Resolve as soon as the notification is up; the click may come much later or never.
      let settled = false;
      const done = () => { if (!settled) { settled = true; resolve(); } };
      notifier.notify({ title: notification.title, message: notification.message, wait: target !== undefined }, (error, response, metadata) => {
        if (error && !reported) {
          reported = true;
          onFailure(error.message);
        }
        if (!error && target !== undefined && isClick(response, metadata?.activationType)) onClick(target);
        done();
      });
      if (target !== undefined) setTimeout(done, 1000).unref();
    }),
  };
}

/** node-notifier reports a click as "activate" (toast) or "clicked"/"contentsClicked" (macOS). */
export function isClick(response: string | undefined, activationType: string | undefined): boolean {
  return /^(activate|clicked|contentsclicked)$/i.test(activationType ?? '') || /^(activate|clicked)$/i.test(response ?? '');
}

/** Keeps what would have been shown; for tests. */
export class RecordingNotifier implements Notifier {
  readonly shown: Notification[] = [];

  async notify(notification: Notification): Promise<void> {
    this.shown.push(notification);
  }
}
