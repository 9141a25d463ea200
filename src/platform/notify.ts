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
 * `onFailure` once, so a headless server logs it rather than crash.
 */
export function nodeNotifier(onFailure: (reason: string) => void): Notifier {
  let reported = false;
  return {
    notify: (notification) => new Promise<void>((resolve) => {
      const notifier = require('node-notifier') as { notify(options: object, callback: (error: Error | null) => void): void };
      notifier.notify({ title: notification.title, message: notification.message, wait: false }, (error) => {
        if (error && !reported) {
          reported = true;
          onFailure(error.message);
        }
        resolve();
      });
    }),
  };
}

/** Keeps what would have been shown; for tests. */
export class RecordingNotifier implements Notifier {
  readonly shown: Notification[] = [];

  async notify(notification: Notification): Promise<void> {
    this.shown.push(notification);
  }
}
