import { BillitError } from './billit-error.js';

/** Billit answered 2xx with a body that does not have the documented shape. */
export class MalformedResponseError extends BillitError {
  override name = 'MalformedResponseError';

  constructor(readonly method: string, readonly endpoint: string, readonly problems: string[]) {
    super(`Billit answered ${method} ${endpoint} with an unexpected body: ${problems.slice(0, 5).join('; ')}`
      + `${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}. Nothing was written; the call will be tried again on the next run.`);
  }
}
