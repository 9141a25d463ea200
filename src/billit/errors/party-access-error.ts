import { BillitError } from './billit-error.js';

/** The key is valid, but the dossier's PartyID is not a company this key may act for (anymore). */
export class PartyAccessError extends BillitError {
  override name = 'PartyAccessError';

  constructor(readonly partyId: number, readonly status: number) {
    super(`Billit refused access to dossier PartyID ${partyId} (${status}): the API key is valid, but this company is not `
      + 'among the companies the account may act for. The entrepreneur may have ended the link with the office; '
      + 'check the dossier in the Billit accountant portal and refresh the dossier list (`billsync dossiers list`).');
  }
}
