/** A repository was asked to change a row that does not exist; nothing was written. */
export class LedgerRecordNotFoundError extends Error {
  override name = 'LedgerRecordNotFoundError';

  constructor(readonly table: 'documents' | 'runs', readonly id: number) {
    super(`The ledger has no ${table === 'documents' ? 'document' : 'run'} with id ${id}.`);
  }
}
