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

/**
 * More findings than anyone reads. Past it they are counted, not kept: a 130 MB CODA file of bad records
 * gave 3 million findings (2 GB of memory, and a 320 MB quarantine report).
 */
export const MAX_FINDINGS = 1000;

/** Collects findings while a validator walks a document; the last of MAX_FINDINGS sums up the rest. */
export class Findings {
  readonly list: Finding[] = [];
  #omitted = { error: 0, warning: 0 };

  error(code: string, message: string, location?: string): void {
    this.#add({ code, severity: 'error', message, ...(location === undefined ? {} : { location }) });
  }

  warning(code: string, message: string, location?: string): void {
    this.#add({ code, severity: 'warning', message, ...(location === undefined ? {} : { location }) });
  }

  #add(finding: Finding): void {
    if (this.list.length < MAX_FINDINGS - 1) {
      this.list.push(finding);
      return;
    }
    this.#omitted[finding.severity] += 1;
    const { error, warning } = this.#omitted;
    // An error among the omitted keeps the verdict invalid.
    this.list[MAX_FINDINGS - 1] = {
      code: 'TOO-MANY-FINDINGS', severity: error > 0 ? 'error' : 'warning',
      message: `${error + warning} more findings (${error} errors, ${warning} warnings) are not listed; the first ${MAX_FINDINGS - 1} are`,
    };
  }
}
