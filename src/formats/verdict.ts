/**
 * What the format gate says about one file: findings with a rule id (the official one where it
 * exists, e.g. "BR-CO-10", "PEPPOL-EN16931-R120", otherwise a billsync id such as "CODA-BALANCE"),
 * a severity, and a message naming the element path or record and the values found and expected.
 */
export type Severity = 'error' | 'warning';

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  /** XPath-like element path ("/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount") or "record 12" for CODA. */
  location?: string;
}

export type Format = 'ubl' | 'coda' | 'unknown';

export interface Verdict {
  format: Format;
  /** No finding of severity error. */
  valid: boolean;
  errors: Finding[];
  warnings: Finding[];
}

/** Builds a verdict from findings; `valid` is derived, never set by hand. */
export function verdictOf(format: Format, findings: readonly Finding[]): Verdict {
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  return { format, valid: errors.length === 0, errors, warnings };
}

/** Collects findings while a validator walks a document. */
export class Findings {
  readonly list: Finding[] = [];

  error(code: string, message: string, location?: string): void {
    this.list.push({ code, severity: 'error', message, ...(location === undefined ? {} : { location }) });
  }

  warning(code: string, message: string, location?: string): void {
    this.list.push({ code, severity: 'warning', message, ...(location === undefined ? {} : { location }) });
  }
}
