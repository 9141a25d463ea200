/**
 * The tray icon cannot be shown: no graphical session, the helper binary would not start, or it
 * never said it was ready. Not fatal: billsync keeps syncing without an icon, and `reason` is the
 * one line the log gets about it.
 */
export class TrayUnavailableError extends Error {
  override name = 'TrayUnavailableError';

  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`The tray icon is not available: ${reason}`, options);
  }
}
