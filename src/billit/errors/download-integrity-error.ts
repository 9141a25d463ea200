import { BillitError } from './billit-error.js';

/** A downloaded file is damaged: its base64 does not decode cleanly or its SHA-256 does not match. */
export class DownloadIntegrityError extends BillitError {
  override name = 'DownloadIntegrityError';

  constructor(readonly fileName: string, readonly fileId: string, readonly problem: string, readonly attempts: number) {
    super(`Download of "${fileName}" (file ${fileId}) is damaged: ${problem}. Tried ${attempts} time${attempts === 1 ? '' : 's'}; `
      + 'nothing was written and the document will be fetched again on the next run.');
  }
}
