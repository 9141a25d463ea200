export { Ledger, type LedgerOptions } from './ledger.js';
export { migrate, migrationChecksum, migrationLabel, type MigrateOptions } from './migrate.js';
export { MIGRATIONS, type Migration } from './migrations/index.js';
export { DossierRepository, type DossierInput, type DossierRow } from './dossier-repository.js';
export { DocumentRepository, type DocumentCount, type DocumentRow, type SeenInput } from './document-repository.js';
export { WatermarkRepository } from './watermark-repository.js';
export { RunRepository, type FinishedRunStatus, type RunRow, type RunStatus } from './run-repository.js';
export { EventRepository, type EventInput, type EventQuery, type EventRow } from './event-repository.js';
export {
  DossierFolderTakenError, IllegalTransitionError, LedgerMigrationError, LedgerRecordNotFoundError, type LedgerMigrationProblem,
} from './errors/index.js';
