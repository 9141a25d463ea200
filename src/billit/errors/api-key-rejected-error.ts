import { BillitError } from './billit-error.js';

/** Billit answered 401 to a call that needs only the key: the API key (or OAuth token) is not accepted. */
export class ApiKeyRejectedError extends BillitError {
  override name = 'ApiKeyRejectedError';

  constructor(readonly status: number, readonly billitCode: string | null, detail: string) {
    super(`Billit rejected the API key (${status}${billitCode ? ` ${billitCode}` : ''}${detail ? `: ${detail}` : ''}). `
      + 'Check that the key belongs to this environment (production or Billit sandbox) and set a valid one with '
      + '`billsync config set apiKey` or on the status page under Settings.');
  }
}
