export { LedgerMigrationError, type LedgerMigrationProblem } from './ledger-migration-error.js';
export { IllegalTransitionError } from './illegal-transition-error.js';
export { LedgerRecordNotFoundError } from './ledger-record-not-found-error.js';
export { DossierFolderTakenError } from './dossier-folder-taken-error.js';
