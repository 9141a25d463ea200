import { BillitError } from './billit-error.js';

export interface BillitErrorEntry { code: string; description: string; }

/** A non-success answer from Billit that is not an authentication problem, after any retries. */
export class BillitHttpError extends BillitError {
  override name = 'BillitHttpError';

  constructor(
    readonly status: number,
    readonly method: string,
    readonly endpoint: string,
    readonly errors: BillitErrorEntry[],
    advice = '',
  ) {
    const detail = errors.map((e) => (e.description ? `${e.code}: ${e.description}` : e.code)).join('; ');
    super(`Billit answered ${status} to ${method} ${endpoint}${detail ? ` (${detail})` : ''}.${advice ? ` ${advice}` : ''}`);
  }

  /** The first Billit error code, e.g. "GenericError" or "NotFound". */
  get code(): string | null {
    return this.errors[0]?.code ?? null;
  }
}
