import { validateCoda } from '../formats/coda/validate-coda.js';
import { describeVerdict } from '../formats/report.js';
import { validateUbl, type UblVerdict } from '../formats/ubl/validate-ubl.js';
import type { DocumentRow } from '../ledger/document-row.js';
import { unwrapSbdh } from '../formats/ubl/sbdh.js';
import { SCHEMATRON_RULE_SETS } from '../formats/ubl/schematron.js';
import { quarantine } from './pipeline.js';
import type { SyncContext } from './sync-context.js';
import { prepareUbl } from './sources/ubl-document.js';

/**
 * The format gate in the engine: nothing reaches a Venice folder that would fail there. A document
 * that fails goes to quarantine with the full report, is not acknowledged to Billit, and raises an
 * event; warnings travel with the document in the event trail.
 */
export async function gateUbl(ctx: SyncContext, row: DocumentRow, served: Buffer, fileName: string): Promise<{ document: Buffer; verdict: UblVerdict } | null> {
  const verdict = validateUbl(served);
  if (verdict.valid && ctx.extraUblChecks && SCHEMATRON_RULE_SETS.has(verdict.ruleSet)) {
    for (const finding of ctx.extraUblChecks(unwrapSbdh(served).document)) {
      (finding.severity === 'error' ? verdict.errors : verdict.warnings).push(finding);
    }
    verdict.valid = verdict.errors.length === 0;
  }
  if (!verdict.valid) {
    await quarantine(ctx, row, served, fileName, describeVerdict(fileName, verdict));
    return null;
  }
  // The gate's parse already told whether an SBDH envelope is there; a bare UBL (most of Billit's
  // files) goes as served, without a second full parse of its ~250 KB just to learn that again.
  const document = verdict.envelope === null ? served : await prepareUbl(ctx, row, served, fileName);
  if (document === null) return null;
  reportWarnings(ctx, row, fileName, verdict.warnings.map((w) => `${w.code}: ${w.message}`));
  return { document, verdict };
}

/** CODA files are checked the same way; a damaged bank statement never reaches the bank journal. */
export async function gateCoda(ctx: SyncContext, row: DocumentRow, bytes: Buffer, fileName: string): Promise<boolean> {
  const verdict = validateCoda(bytes);
  if (!verdict.valid) {
    await quarantine(ctx, row, bytes, fileName, describeVerdict(fileName, verdict));
    return false;
  }
  reportWarnings(ctx, row, fileName, verdict.warnings.map((w) => `${w.code}: ${w.message}`));
  return true;
}

function reportWarnings(ctx: SyncContext, row: DocumentRow, fileName: string, warnings: string[]): void {
  if (warnings.length === 0) return;
  ctx.emit({
    type: 'validation-warnings', level: 'info', dossierPartyId: row.dossierPartyId, documentId: row.id,
    message: `${fileName}: ${warnings.length} warning(s): ${warnings.slice(0, 3).join('; ')}${warnings.length > 3 ? ' …' : ''}`,
    data: { warnings },
  });
}
