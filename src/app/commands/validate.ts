import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkContinuity } from '../../formats/coda/continuity.js';
import { validateCoda, type CodaVerdict } from '../../formats/coda/validate-coda.js';
import { describeVerdict, findingsJson } from '../../formats/report.js';
import { sniffFormat } from '../../formats/sniff.js';
import { validateUbl } from '../../formats/ubl/validate-ubl.js';
import { verdictOf, type Finding, type Verdict } from '../../formats/verdict.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { join } from 'node:path';
import { runSchematron, SCHEMATRON_RULE_SETS, type CompiledSchematron } from '../../formats/ubl/schematron.js';
import { unwrapSbdh } from '../../formats/ubl/sbdh.js';
import { defaultPaths } from '../../platform/paths.js';
import { loadSchematronDir } from '../../platform/schematron-compiler.js';

export const VALIDATE_HELP = `billsync validate [--json] FILE…

Checks UBL invoices and credit notes (Peppol BIS 3, UBL.BE, SBDH envelopes) and CODA bank statements
the way billsync checks them before Venice sees them. The format comes from the content, not the
file name. CODA files given together are also checked for continuity (sequence numbers, balances).
--schematron DIR also runs the official Peppol/CEN validation XSLTs of DIR (compiled once).
Exit code 0 when every file is valid, 1 when one is not, 2 on usage errors.`;

/** Validates one file's bytes by its sniffed format. */
export function validateBytes(bytes: Buffer, schematron: readonly CompiledSchematron[] = []): Verdict {
  const format = sniffFormat(bytes);
  if (format === 'ubl') {
    const verdict = validateUbl(bytes);
    const readable = verdict.errors.every((e) => !/^UBL-(XML|SBDH|ROOT)/.test(e.code));
    if (schematron.length > 0 && readable && SCHEMATRON_RULE_SETS.has(verdict.ruleSet)) {
      try {
        for (const finding of runSchematron(schematron, unwrapSbdh(bytes).document.toString('utf8'))) {
          (finding.severity === 'error' ? verdict.errors : verdict.warnings).push(finding);
        }
      } catch (error) {
        verdict.errors.push({ code: 'SCHEMATRON-FAILED', severity: 'error', message: (error as Error).message });
      }
      verdict.valid = verdict.errors.length === 0;
    }
    return verdict;
  }
  if (format === 'coda') return validateCoda(bytes);
  return verdictOf('unknown', [{ code: 'FORMAT-UNKNOWN', severity: 'error', message: 'neither UBL XML nor a CODA file (a CODA header record starts with 0 and four zeros)' }]);
}

export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { json: { type: 'boolean', default: false }, schematron: { type: 'string' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) { console.log(VALIDATE_HELP); return EXIT.ok; }
  if (positionals.length === 0) throw new UsageError('give one or more files: billsync validate [--json] FILE…');
  const schematron = values.schematron ? await loadSchematronDir(values.schematron, join(defaultPaths().dataDir, 'schematron-cache')) : [];
  const results: Array<{ file: string; verdict: Verdict }> = [];
  for (const file of positionals) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    results.push({ file, verdict: validateBytes(bytes, schematron) });
  }
  // Continuity across the CODA files of one call: its findings belong to the later file of each pair.
  const coda = results.filter((r): r is { file: string; verdict: CodaVerdict } => r.verdict.format === 'coda');
  if (coda.length > 1) {
    for (const finding of checkContinuity(coda.map((r) => ({ name: r.file, verdict: r.verdict })))) attach(results, finding);
  }
  if (values.json) {
    console.log(JSON.stringify({
      files: results.map(({ file, verdict }) => ({
        file, format: verdict.format, valid: verdict.valid, errors: findingsJson(verdict.errors), warnings: findingsJson(verdict.warnings),
      })),
    }));
  } else {
    for (const { file, verdict } of results) console.log(describeVerdict(file, verdict));
  }
  return results.every((r) => r.verdict.valid) ? EXIT.ok : EXIT.documentFailures;
}

/** Adds a continuity finding to the file it names (its location), or to the last CODA file. */
function attach(results: Array<{ file: string; verdict: Verdict }>, finding: Finding): void {
  const target = results.find((r) => finding.location !== undefined && finding.location === r.file)
    ?? [...results].reverse().find((r) => r.verdict.format === 'coda');
  if (!target) return;
  const list = finding.severity === 'error' ? target.verdict.errors : target.verdict.warnings;
  list.push(finding);
  if (finding.severity === 'error') target.verdict.valid = false;
}
