import { createRequire } from 'node:module';
import { DOMParser } from '@xmldom/xmldom';
import type { Finding } from '../verdict.js';

/** A validation stylesheet (the official Peppol/CEN Schematron compiled to XSLT), ready to run. */
export interface CompiledSchematron {
  /** The file it came from, for messages ("PEPPOL-EN16931-UBL.xslt"). */
  name: string;
  /** SaxonJS's compiled form (SEF JSON text). */
  sef: string;
}

const SVRL = 'http://purl.oclc.org/dsdl/svrl';

/** The artefacts could not run (a stale compiled file, a SaxonJS error); not a finding about the document. */
export class SchematronRunError extends Error {
  override readonly name = 'SchematronRunError';
}

/**
 * The official artefacts are Peppol BIS 3 (and CEN) rules: they apply to documents that claim Peppol
 * BIS 3. UBL.BE deliberately departs from some of them (R004, BR-CL-22, BR-IC-08), so running them
 * there would reject valid Belgian invoices.
 */
export const SCHEMATRON_RULE_SETS: ReadonlySet<string> = new Set(['peppol-bis3']);
const require = createRequire(import.meta.url);

interface SaxonJsApi {
  transform(options: { stylesheetText: string; sourceText: string; destination: 'serialized' }, mode: 'sync'): { principalResult: string };
}
let saxon: SaxonJsApi | null = null;

/**
 * Runs the official validation artefacts on a UBL document and turns their SVRL report into findings:
 * flag "fatal"/"error" is an error, anything else a warning, with the artefact's own rule id and
 * location. Optional: billsync's built-in checks stay the default and need none of this.
 */
export function runSchematron(sets: readonly CompiledSchematron[], ublText: string): Finding[] {
  saxon ??= require('saxon-js') as SaxonJsApi;
  const findings: Finding[] = [];
  for (const set of sets) {
    let report: string;
    try {
      report = saxon.transform({ stylesheetText: set.sef, sourceText: ublText, destination: 'serialized' }, 'sync').principalResult;
    } catch (error) {
      // A tooling failure says nothing about the document: the caller retries it later.
      throw new SchematronRunError(`${set.name} could not run: ${(error as Error).message}`);
    }
    findings.push(...svrlFindings(set.name, report));
  }
  return findings;
}

/** Failed assertions and successful reports of an SVRL document. */
export function svrlFindings(source: string, svrl: string): Finding[] {
  const doc = new DOMParser().parseFromString(svrl, 'application/xml');
  const findings: Finding[] = [];
  for (const tag of ['failed-assert', 'successful-report']) {
    const nodes = doc.getElementsByTagNameNS(SVRL, tag);
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const flag = (node.getAttribute('flag') ?? '').toLowerCase();
      const text = node.getElementsByTagNameNS(SVRL, 'text')[0]?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      const location = node.getAttribute('location') ?? undefined;
      findings.push({
        code: node.getAttribute('id') || `${source}:${tag}`,
        severity: flag === 'fatal' || flag === 'error' ? 'error' : 'warning',
        message: `${text}${text ? ' ' : ''}(${source})`,
        ...(location ? { location } : {}),
      });
    }
  }
  return findings;
}
