/** Importing a "Billit company → Venice dossier folder" mapping from an Excel or CSV file. */
export { applyImport } from './apply-import.js';
export { DossierImportError, type DossierImportErrorCode } from './dossier-import-error.js';
export { formatEnterpriseNumber, normaliseEnterpriseNumber } from './enterprise-number.js';
export { ENTERPRISE_HEADERS, FOLDER_HEADERS } from './header-names.js';
export {
  IMPORT_OUTCOMES, PROBLEM_OUTCOMES, importProblems, planImport,
  type ImportCompany, type ImportOutcome, type ImportPlan, type ImportRow, type PlanImportOptions,
} from './plan-import.js';
export { readTable, tableFromBytes } from './read-table.js';
