/**
 * Two dossiers mapped to one folder would mix two companies' invoices in the folder Venice reads
 * for one of them, so the second mapping is refused and names the dossier that holds the folder.
 */
export class DossierFolderTakenError extends Error {
  override name = 'DossierFolderTakenError';

  constructor(readonly folder: string, readonly partyId: number, readonly takenByPartyId: number) {
    super(`Folder "${folder}" cannot be mapped to dossier ${partyId}: dossier ${takenByPartyId} already exports into it. `
      + 'Choose another folder name for one of them.');
  }
}
