/** Why a mapping file could not be turned into an import plan. */
export type DossierImportErrorCode =
  /** The file does not exist, is a folder, or cannot be opened (e.g. locked by Excel). */
  | 'unreadable'
  /** Not a format billsync reads (.xls, .ods, a PDF…): the message says what to save it as. */
  | 'unsupported-format'
  /** The file has no bytes. */
  | 'empty-file'
  /** A CSV/text file that breaks its own quoting. */
  | 'bad-csv'
  /** Looks like an .xlsx workbook but cannot be read as one. */
  | 'bad-xlsx'
  /** No row names both an enterprise-number column and a folder column. */
  | 'no-header';

/**
 * A mapping file that cannot be imported at all (as opposed to single rows that cannot be applied, which
 * are outcomes in the ImportPlan). The message names the file when it is known and says what to do.
 * The CLI turns it into exit code 2; a UI shows the message as is.
 */
export class DossierImportError extends Error {
  override readonly name = 'DossierImportError';

  constructor(message: string, readonly code: DossierImportErrorCode, readonly file: string | null = null, options?: ErrorOptions) {
    super(message, options);
  }
}
