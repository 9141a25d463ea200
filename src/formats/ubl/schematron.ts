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
      findings.push({ code: 'SCHEMATRON-FAILED', severity: 'error', message: `${set.name} could not run on this document: ${(error as Error).message}` });
      continue;
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
