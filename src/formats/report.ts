import type { Finding, Verdict } from './verdict.js';

const line = (finding: Finding): string => `  ${finding.severity} ${finding.code}${finding.location ? ` at ${finding.location}` : ''}: ${finding.message}`;

/** A verdict as text for people: the quarantine report and `billsync validate` without --json. */
export function describeVerdict(name: string, verdict: Verdict): string {
  const head = `${name}: ${verdict.valid ? 'valid' : 'INVALID'} (${verdict.format}${verdict.errors.length ? `, ${verdict.errors.length} error(s)` : ''}${verdict.warnings.length ? `, ${verdict.warnings.length} warning(s)` : ''})`;
  return [head, ...verdict.errors.map(line), ...verdict.warnings.map(line)].join('\n');
}

/** Findings as the JSON of `billsync validate --json`: code and message, the location folded into the message. */
export function findingsJson(findings: readonly Finding[]): Array<{ code: string; message: string }> {
  return findings.map((f) => ({ code: f.code, message: f.location ? `${f.location}: ${f.message}` : f.message }));
}
