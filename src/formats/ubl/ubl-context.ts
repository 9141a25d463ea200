import type { Element } from '@xmldom/xmldom';
import type { Reporter } from './rule-policy.js';
import { readDecimal } from './ubl-decimal.js';
import { UBL_NS, cbc, kids, textOf } from './ubl-dom.js';

/** What every check needs: the parsed document, its kind, and the reporter for the active rule set. */
export interface UblContext {
  root: Element;
  kind: 'Invoice' | 'CreditNote';
  rules: Reporter;
  /** BT-5, trimmed; null when absent. */
  currency: string | null;
  /** BT-6, trimmed; null when absent. */
  taxCurrency: string | null;
  /** cac:InvoiceLine or cac:CreditNoteLine children of the root. */
  lines: Element[];
  /** Base64 blocks cut out of the text before parsing (see ubl-input.ts). */
  blocks: readonly string[];
}

export function linesOf(root: Element, kind: 'Invoice' | 'CreditNote'): Element[] {
  return kids(root, UBL_NS.cac, kind === 'Invoice' ? 'InvoiceLine' : 'CreditNoteLine');
}

/** The value of an element in 10^-10 units; null when absent or not a decimal (reported once as UBL-DECIMAL). */
export function valueOf(el: Element | undefined): bigint | null {
  const text = textOf(el);
  if (text === null) return null;
  return readDecimal(text)?.units ?? null;
}

/** The value of a cbc child. */
export function cbcValue(parent: Element | undefined, local: string): bigint | null {
  return valueOf(cbc(parent, local));
}

/** ChargeIndicator as xs:boolean ("true"/"1" or "false"/"0"); null when absent or invalid. */
export function chargeIndicator(allowanceCharge: Element): boolean | null {
  const text = textOf(cbc(allowanceCharge, 'ChargeIndicator'));
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return null;
}

/** Σ of cbc:Amount over allowance/charge elements of one kind; null if any amount is unreadable. */
export function sumAmounts(allowanceCharges: readonly Element[], charge: boolean): { sum: bigint; count: number } | null {
  let sum = 0n;
  let count = 0;
  for (const ac of allowanceCharges) {
    if (chargeIndicator(ac) !== charge) continue;
    const amount = cbcValue(ac, 'Amount');
    if (amount === null) return null;
    sum += amount;
    count++;
  }
  return { sum, count };
}
