import { BillitError } from './billit-error.js';

/** What went wrong on the way: refused and dns mean Billit cannot be reached at all; the others may hit one call. */
export type NetworkFailureKind = 'refused' | 'dns' | 'timeout' | 'cut' | 'other';

/** Billit could not be reached (DNS, refused connection, timeout, cut connection, a proxy in the way) after all retries. */
export class BillitUnreachableError extends BillitError {
  override name = 'BillitUnreachableError';

  /** `options.message` replaces the standard wording, for subclasses that know better what to say. */
  constructor(readonly method: string, readonly endpoint: string, readonly attempts: number, reason: string, readonly kind: NetworkFailureKind = 'other', options?: { cause?: unknown; message?: string }) {
    super(options?.message ?? `Could not reach Billit for ${method} ${endpoint} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}. `
      + 'Check the network, the proxy settings and the base URL.', options && 'cause' in options ? { cause: options.cause } : undefined);
  }
}
