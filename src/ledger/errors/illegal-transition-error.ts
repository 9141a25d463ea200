import type { DocumentState } from '../../core/document-kind.js';

/**
 * A caller asked for a state change the document life cycle does not allow (e.g. acknowledging to
 * Billit a document that was never placed). That is a bug in the caller, not bad data: the row is
 * left as it was, so the ledger never claims more than happened on disk.
 */
export class IllegalTransitionError extends Error {
  override name = 'IllegalTransitionError';

  constructor(readonly documentId: number, readonly from: DocumentState, readonly to: DocumentState, reason?: string) {
    super(`Document ${documentId} cannot go from '${from}' to '${to}'${reason === undefined ? '' : `: ${reason}`}.`);
  }
}
