import type { Findings, Severity } from '../verdict.js';

/**
 * Which rules apply, and how hard, depends on what the document claims to be (its CustomizationID).
 * A rule is reported through a policy that maps each rule set to a severity, or to null when the rule
 * does not apply; this keeps every "is this an error for UBL.BE?" decision in one table instead of
 * scattered through the checks.
 */

export type RuleSet = 'peppol-bis3' | 'ubl-be' | 'legacy' | 'unknown';

export type Policy = Readonly<Record<RuleSet, Severity | null>>;

/** Structure, totals, identities and attachments: without them Venice cannot book the document at all. */
export const ALWAYS: Policy = { 'peppol-bis3': 'error', 'ubl-be': 'error', legacy: 'error', unknown: 'error' };

/** EN 16931 core rules; legacy (pre-EN 16931) documents are only checked for the basics and totals. */
export const CEN: Policy = { 'peppol-bis3': 'error', 'ubl-be': 'error', legacy: null, unknown: 'error' };

/**
 * EN 16931 rules from which UBL.BE declares conformant deviations: it splits K/AE breakdowns per Belgian
 * tax code (tc14) and lets the taxable amount differ from the line sum for financial discounts, standard
 * exchanges and VAT-inclusive prices (Conformance statement V1.31). A UBL.BE file that trips them is still
 * valid; we only warn.
 */
export const CEN_BE_LENIENT: Policy = { 'peppol-bis3': 'error', 'ubl-be': 'warning', legacy: null, unknown: 'error' };

/**
 * Peppol BIS 3 arithmetic and structure rules (R008, R040, R120 …). Fatal under Peppol; outside it they
 * still point at a real inconsistency, so we warn rather than stay silent.
 */
export const PEPPOL: Policy = { 'peppol-bis3': 'error', 'ubl-be': 'warning', legacy: null, unknown: 'warning' };

/** Peppol-only requirements (ProfileID, buyer reference) that other specifications do not make. */
export const PEPPOL_ONLY: Policy = { 'peppol-bis3': 'error', 'ubl-be': null, legacy: null, unknown: null };

/**
 * BR-DEC on document-level amounts. An error under Peppol: the sending access point validates BR-DEC as
 * fatal, so a Peppol file with 3-decimal totals did not come through the network untouched. Elsewhere a
 * warning: our arithmetic is exact whatever the decimals, so Venice can still book the amounts.
 */
export const DECIMALS_DOCUMENT: Policy = { 'peppol-bis3': 'error', 'ubl-be': 'warning', legacy: 'warning', unknown: 'warning' };

/** BR-DEC on line amounts: UBL.BE explicitly allows 4 decimals at line level, so not even a warning there. */
export const DECIMALS_LINE: Policy = { 'peppol-bis3': 'error', 'ubl-be': null, legacy: 'warning', unknown: 'warning' };

/** Advice for the user whatever the rule set (e.g. no PDF visual): never blocks the document. */
export const ADVICE: Policy = { 'peppol-bis3': 'warning', 'ubl-be': 'warning', legacy: 'warning', unknown: 'warning' };

export class Reporter {
  constructor(readonly ruleSet: RuleSet, private readonly findings: Findings) {}

  applies(policy: Policy): boolean {
    return policy[this.ruleSet] !== null;
  }

  report(policy: Policy, code: string, message: string, location?: string): void {
    const severity = policy[this.ruleSet];
    if (severity === 'error') this.findings.error(code, message, location);
    else if (severity === 'warning') this.findings.warning(code, message, location);
  }
}

const PEPPOL_BIS3 = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';

/**
 * The rule set a document claims by its CustomizationID (BT-24). Legacy covers the pre-EN 16931 Belgian
 * and Peppol formats Venice still accepts: e-fff v1/v3 and Peppol BIS 2 (CEN BII transactions).
 */
export function ruleSetOf(customizationId: string | null): RuleSet {
  const id = customizationId?.trim() ?? '';
  if (id.startsWith(PEPPOL_BIS3)) return 'peppol-bis3';
  if (id.includes('urn:UBL.BE:')) return 'ubl-be';
  if (id.includes('urn:www.cenbii.eu:transaction:') || /e-fff/i.test(id) || id.includes('urn:www.peppol.eu:bis:peppol')) return 'legacy';
  return 'unknown';
}
