import { Findings, type Verdict, verdictOf } from '../verdict.js';
import { checkFieldTypes } from './coda-field-types.js';
import { readRecords } from './coda-records.js';
import { checkFlags, checkLinks, checkOrder, splitStatements } from './coda-structure.js';
import { type CodaStatementSummary, checkStatementTotals } from './coda-totals.js';

/**
 * The CODA format gate: a bad CODA file silently corrupts a bank journal in Venice, so every file
 * is checked before it is handed over. Pure: bytes in, verdict out. The checks follow coda.md §2 in
 * order: encoding, lines, then per logical statement (one per record 0; a physical file may hold
 * several) structure, field types, trailer totals, balance equation, account identity, and
 * informational warnings. Continuity across files is `checkContinuity` (continuity.ts).
 */

export type { CodaStatementSummary } from './coda-totals.js';

export interface CodaVerdict extends Verdict {
  format: 'coda';
  /** One entry per statement with a readable record 1, in file order (also for invalid files). */
  statements: CodaStatementSummary[];
}

export function validateCoda(bytes: Buffer): CodaVerdict {
  const findings = new Findings();
  const records = readRecords(bytes, findings);
  const summaries: CodaStatementSummary[] = [];
  for (const statement of splitStatements(records, findings)) {
    checkOrder(statement, findings);
    checkFlags(statement, findings);
    checkLinks(statement, findings);
    const header = checkFieldTypes(statement, findings);
    const summary = checkStatementTotals(statement, header, findings);
    if (summary) summaries.push(summary);
  }
  return { ...verdictOf('coda', findings.list), format: 'coda', statements: summaries };
}
