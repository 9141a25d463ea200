import type { Element } from '@xmldom/xmldom';
import { ALWAYS, CEN, DECIMALS_DOCUMENT } from './rule-policy.js';
import { cbcValue, chargeIndicator, sumAmounts, valueOf } from './ubl-context.js';
import type { UblContext } from './ubl-context.js';
import { readDecimal, r2, show } from './ubl-decimal.js';
import { UBL_NS, cacPath, cbc, kids, nonEmpty, pathBelow, pathOf, textOf } from './ubl-dom.js';

/**
 * Document totals (BG-22) and the single VAT total: presence (BR-12…BR-15, BR-CO-18, PEPPOL-EN16931-R053),
 * the EN 16931 sums BR-CO-10…BR-CO-16 compared exactly after r2 (as the CEN Schematron does), BR-CO-25 and
 * the document-level BR-DEC decimals.
 */

/** The one TaxTotal with subtotals (BG-23 lives there); reports when there are none or several. */
export function mainTaxTotal(ctx: UblContext): Element | undefined {
  const totals = kids(ctx.root, UBL_NS.cac, 'TaxTotal');
  const withSubtotals = totals.filter((t) => kids(t, UBL_NS.cac, 'TaxSubtotal').length > 0);
  if (withSubtotals.length === 0) {
    ctx.rules.report(ALWAYS, 'BR-CO-18', `no cac:TaxTotal with a cac:TaxSubtotal (VAT breakdown BG-23); found ${totals.length} TaxTotal(s) without one`,
      pathBelow(ctx.root, 'cac:TaxTotal/cac:TaxSubtotal'));
  } else if (withSubtotals.length > 1) {
    ctx.rules.report(ALWAYS, 'PEPPOL-EN16931-R053', `${withSubtotals.length} cac:TaxTotal elements carry subtotals; exactly one may`,
      pathOf(withSubtotals[1]!));
  }
  return withSubtotals[0] ?? totals[0];
}

export function checkTotals(ctx: UblContext, taxTotal: Element | undefined): void {
  const { root, rules } = ctx;
  const lmt = cacPath(root, 'LegalMonetaryTotal');
  const lmtPath = pathBelow(root, 'cac:LegalMonetaryTotal');
  const stated = (code: string, local: string, what: string): bigint | null => {
    const el = cbc(lmt, local);
    if (!el) rules.report(ALWAYS, code, `${what} (cbc:${local}) is missing`, `${lmtPath}/cbc:${local}`);
    return valueOf(el);
  };
  const lineExtension = stated('BR-12', 'LineExtensionAmount', 'the sum of line net amounts BT-106');
  const taxExclusive = stated('BR-13', 'TaxExclusiveAmount', 'the total without VAT BT-109');
  const taxInclusive = stated('BR-14', 'TaxInclusiveAmount', 'the total with VAT BT-112');
  const payable = stated('BR-15', 'PayableAmount', 'the amount due BT-115');
  const optional = (local: string): bigint => cbcValue(lmt, local) ?? 0n;

  const expectEqual = (code: string, local: string, actual: bigint | null, expected: bigint | null, formula: string): void => {
    if (actual === null || expected === null || actual === r2(expected)) return;
    rules.report(ALWAYS, code, `${local} is ${show(actual)} but ${formula} = ${show(r2(expected))}`, `${lmtPath}/cbc:${local}`);
  };

  // BR-CO-10: Σ line net amounts.
  let lineSum: bigint | null = 0n;
  for (const line of ctx.lines) {
    const amount = cbcValue(line, 'LineExtensionAmount');
    lineSum = amount === null || lineSum === null ? null : lineSum + amount;
  }
  if (ctx.lines.length > 0) expectEqual('BR-CO-10', 'LineExtensionAmount', lineExtension, lineSum, 'Σ line LineExtensionAmount');

  // BR-CO-11/12: document-level allowances and charges; the total must be there exactly when they are.
  const documentAcs = kids(root, UBL_NS.cac, 'AllowanceCharge');
  for (const [code, local, charge] of [['BR-CO-11', 'AllowanceTotalAmount', false], ['BR-CO-12', 'ChargeTotalAmount', true]] as const) {
    const sum = sumAmounts(documentAcs, charge);
    const el = cbc(lmt, local);
    if (el) expectEqual(code, local, valueOf(el), sum?.sum ?? null, `Σ document-level ${charge ? 'charge' : 'allowance'} amounts`);
    else if (lmt && sum !== null && sum.count > 0) {
      rules.report(ALWAYS, code, `cbc:${local} is missing although the document has ${sum.count} ${charge ? 'charge(s)' : 'allowance(s)'} totalling ${show(sum.sum)}`,
        `${lmtPath}/cbc:${local}`);
    }
  }

  // BR-CO-13…16 are computed from the stated totals, as the CEN Schematron does.
  if (lineExtension !== null) {
    expectEqual('BR-CO-13', 'TaxExclusiveAmount', taxExclusive,
      lineExtension - optional('AllowanceTotalAmount') + optional('ChargeTotalAmount'),
      'LineExtensionAmount − AllowanceTotalAmount + ChargeTotalAmount');
  }
  const taxAmountEl = documentCurrencyTaxAmount(ctx);
  const taxAmount = valueOf(taxAmountEl);
  if (taxTotal) {
    const subtotals = kids(taxTotal, UBL_NS.cac, 'TaxSubtotal');
    let sum: bigint | null = 0n;
    for (const sub of subtotals) {
      const amount = cbcValue(sub, 'TaxAmount');
      sum = amount === null || sum === null ? null : sum + amount;
    }
    const totalEl = cbc(taxTotal, 'TaxAmount');
    if (!totalEl) rules.report(ALWAYS, 'BR-CO-14', 'the total VAT amount (cac:TaxTotal/cbc:TaxAmount, BT-110) is missing', pathBelow(taxTotal, 'cbc:TaxAmount'));
    const total = valueOf(totalEl);
    if (subtotals.length > 0 && total !== null && sum !== null && total !== r2(sum)) {
      rules.report(ALWAYS, 'BR-CO-14', `TaxTotal/TaxAmount is ${show(total)} but Σ TaxSubtotal/TaxAmount = ${show(r2(sum))}`, pathOf(totalEl!));
    }
  }
  if (taxExclusive !== null && taxAmount !== null) {
    expectEqual('BR-CO-15', 'TaxInclusiveAmount', taxInclusive, taxExclusive + taxAmount, 'TaxExclusiveAmount + TaxTotal/TaxAmount');
  }
  if (taxInclusive !== null) {
    expectEqual('BR-CO-16', 'PayableAmount', payable,
      taxInclusive - optional('PrepaidAmount') + optional('PayableRoundingAmount'),
      'TaxInclusiveAmount − PrepaidAmount + PayableRoundingAmount');
  }

  // BR-CO-25: a positive amount due needs a due date or payment terms. The official rule is bound to
  // /ubl:Invoice; credit notes without payment terms are common and valid.
  if (payable !== null && payable > 0n && root.localName === 'Invoice') {
    const dueDate = nonEmpty(textOf(cbc(root, 'DueDate'))) ||
      kids(root, UBL_NS.cac, 'PaymentMeans').some((m) => nonEmpty(textOf(cbc(m, 'PaymentDueDate'))));
    const terms = kids(root, UBL_NS.cac, 'PaymentTerms').some((t) => nonEmpty(textOf(cbc(t, 'Note'))));
    if (!dueDate && !terms) {
      rules.report(CEN, 'BR-CO-25', `the amount due is ${show(payable)} (positive) but neither a due date nor payment terms (cac:PaymentTerms/cbc:Note) is given`,
        pathBelow(root, 'cbc:DueDate'));
    }
  }
  checkDocumentDecimals(ctx, lmt, documentAcs, taxTotal);
}

/** BT-110: the TaxTotal/TaxAmount in the document currency (BT-111 may sit beside it in the tax currency). */
function documentCurrencyTaxAmount(ctx: UblContext): Element | undefined {
  for (const total of kids(ctx.root, UBL_NS.cac, 'TaxTotal')) {
    const amount = cbc(total, 'TaxAmount');
    if (amount && (amount.getAttribute('currencyID') ?? '').trim() === ctx.currency) return amount;
  }
  return undefined;
}

const LMT_DECIMALS: ReadonlyArray<[string, string]> = [
  ['BR-DEC-09', 'LineExtensionAmount'], ['BR-DEC-10', 'AllowanceTotalAmount'], ['BR-DEC-11', 'ChargeTotalAmount'],
  ['BR-DEC-12', 'TaxExclusiveAmount'], ['BR-DEC-14', 'TaxInclusiveAmount'], ['BR-DEC-16', 'PrepaidAmount'],
  ['BR-DEC-17', 'PayableRoundingAmount'], ['BR-DEC-18', 'PayableAmount'],
];

function checkDocumentDecimals(ctx: UblContext, lmt: Element | undefined, acs: Element[], taxTotal: Element | undefined): void {
  const check = (code: string, el: Element | undefined): void => {
    const decimals = readDecimal(textOf(el) ?? '')?.decimals ?? 0;
    if (el && decimals > 2) {
      ctx.rules.report(DECIMALS_DOCUMENT, code, `${el.localName} "${textOf(el)}" has ${decimals} decimals; at most 2 are allowed`, pathOf(el));
    }
  };
  for (const [code, local] of LMT_DECIMALS) check(code, cbc(lmt, local));
  for (const ac of acs) {
    const charge = chargeIndicator(ac) === true;
    check(charge ? 'BR-DEC-05' : 'BR-DEC-01', cbc(ac, 'Amount'));
    check(charge ? 'BR-DEC-06' : 'BR-DEC-02', cbc(ac, 'BaseAmount'));
  }
  for (const total of kids(ctx.root, UBL_NS.cac, 'TaxTotal')) {
    const amount = cbc(total, 'TaxAmount');
    const inTaxCurrency = ctx.taxCurrency !== null && (amount?.getAttribute('currencyID') ?? '').trim() === ctx.taxCurrency;
    check(inTaxCurrency ? 'BR-DEC-15' : 'BR-DEC-13', amount);
  }
  for (const sub of kids(taxTotal, UBL_NS.cac, 'TaxSubtotal')) {
    check('BR-DEC-19', cbc(sub, 'TaxableAmount'));
    check('BR-DEC-20', cbc(sub, 'TaxAmount'));
  }
}
