/**
 * Base of every error the Billit client throws. Messages say what failed, where, and what to do;
 * they never contain the API key, tokens or request headers.
 */
export class BillitError extends Error {
  override name = 'BillitError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
