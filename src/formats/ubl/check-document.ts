import type { Element } from '@xmldom/xmldom';
import { passesPeppol0208 } from '../../core/belgian-ids.js';
import { ALWAYS, PEPPOL } from './rule-policy.js';
import type { UblContext } from './ubl-context.js';
import { readDecimal } from './ubl-decimal.js';
import { UBL_NS, isElement, pathOf } from './ubl-dom.js';

/**
 * Checks that concern every element, done in a single walk of the tree: number formats, currencyID
 * (PEPPOL-EN16931-R051), empty elements (PEPPOL-EN16931-R008) and 0208 enterprise numbers
 * (PEPPOL-COMMON-R043). Returns the binary objects for the attachment checks.
 */

/** cbc elements holding xs:decimal values (AmountType, QuantityType, PercentType, NumericType) that we compute with. */
function isNumeric(local: string): boolean {
  return local.endsWith('Amount') || local.endsWith('Quantity') || local === 'Percent' || local === 'MultiplierFactorNumeric';
}

function hasContent(el: Element): boolean {
  // R008: an element with no child node other than comments (whitespace text counts as content).
  for (let node = el.firstChild; node; node = node.nextSibling) if (node.nodeType !== 8) return true;
  return false;
}

export function checkDocumentWide(ctx: UblContext): Element[] {
  const binaries: Element[] = [];
  const stack: Element[] = [ctx.root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    const local = el.localName ?? '';
    if (!hasContent(el)) {
      ctx.rules.report(PEPPOL, 'PEPPOL-EN16931-R008', `${local} is empty; the document must not contain empty elements`, pathOf(el));
    }
    if (el.namespaceURI === UBL_NS.cbc) {
      if (local === 'EmbeddedDocumentBinaryObject') binaries.push(el);
      else checkValue(ctx, el, local);
    }
    const scheme = el.getAttribute('schemeID');
    if (scheme !== null && scheme.trim() === '0208') checkEnterpriseNumber(ctx, el);
    for (let node = el.lastChild; node; node = node.previousSibling) if (isElement(node)) stack.push(node);
  }
  return binaries;
}

function checkValue(ctx: UblContext, el: Element, local: string): void {
  if (isNumeric(local)) {
    // Also when empty: the schema wants a number, and an empty amount must not slip past the arithmetic.
    const text = (el.textContent ?? '').trim();
    if (readDecimal(text) === null) {
      ctx.rules.report(ALWAYS, 'UBL-DECIMAL', `${local} is ${text === '' ? 'empty' : JSON.stringify(text)}, not a decimal number`, pathOf(el));
    }
  }
  const currency = el.getAttribute('currencyID');
  if (currency === null) {
    // The UBL schema makes currencyID mandatory on every AmountType element; Venice's schema check rejects it.
    if (local.endsWith('Amount')) ctx.rules.report(ALWAYS, 'UBL-CURRENCYID', `${local} has no currencyID attribute`, pathOf(el));
    return;
  }
  if (ctx.currency === null || currency.trim() === ctx.currency) return;
  if (isAccountingCurrencyTotal(ctx, el) && currency.trim() === ctx.taxCurrency) return;
  ctx.rules.report(ALWAYS, 'PEPPOL-EN16931-R051',
    `${local} has currencyID "${currency}", expected the document currency "${ctx.currency}"`, pathOf(el));
}

/** BT-111: a document-level TaxTotal/TaxAmount, the only amount allowed in the VAT accounting currency. */
function isAccountingCurrencyTotal(ctx: UblContext, el: Element): boolean {
  const parent = el.parentNode;
  return el.localName === 'TaxAmount' && isElement(parent) && parent.localName === 'TaxTotal' &&
    parent.namespaceURI === UBL_NS.cac && parent.parentNode === ctx.root;
}

function checkEnterpriseNumber(ctx: UblContext, el: Element): void {
  const value = (el.textContent ?? '').trim();
  if (passesPeppol0208(value)) return;
  const why = /^\d{10}$/.test(value) ? 'fails the mod-97 check' : 'is not 10 digits';
  ctx.rules.report(ALWAYS, 'PEPPOL-COMMON-R043',
    `${el.localName} with schemeID 0208 is "${value}", which ${why} of a Belgian enterprise number`, pathOf(el));
}
