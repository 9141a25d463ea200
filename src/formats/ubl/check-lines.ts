import type { Element } from '@xmldom/xmldom';
import { CEN, DECIMALS_LINE, PEPPOL } from './rule-policy.js';
import { cbcValue, chargeIndicator, sumAmounts } from './ubl-context.js';
import type { UblContext } from './ubl-context.js';
import { ONE, abs, dec, r2, readDecimal, show } from './ubl-decimal.js';
import { UBL_NS, cacPath, cbc, kids, pathOf, textOf } from './ubl-dom.js';

/**
 * Line arithmetic and allowance/charge percentages (Peppol): R120 (net amount = quantity × price / base
 * quantity + charges − allowances, ±0.02), R121 (base quantity > 0), R040…R042 (amount = base × percent,
 * ±0.02), R044/R046 (price discounts); EN 16931 BR-27/BR-28 (prices not negative) and the line BR-DEC.
 * Negative quantities and amounts are legal (correction invoices), so no sign is checked except prices.
 */

const TOLERANCE = dec('0.02');

export function checkLines(ctx: UblContext): void {
  for (const line of ctx.lines) checkLine(ctx, line);
  for (const ac of kids(ctx.root, UBL_NS.cac, 'AllowanceCharge')) checkPercentage(ctx, ac);
}

function checkLine(ctx: UblContext, line: Element): void {
  const { rules } = ctx;
  const price = cacPath(line, 'Price');
  const priceAmountEl = cbc(price, 'PriceAmount');
  const priceAmount = cbcValue(price, 'PriceAmount');
  if (priceAmount !== null && priceAmount < 0n) {
    rules.report(CEN, 'BR-27', `the item net price is ${show(priceAmount)}; it must not be negative`, pathOf(priceAmountEl!));
  }
  checkPriceDiscount(ctx, price, priceAmount);

  const baseQuantityEl = cbc(price, 'BaseQuantity');
  const baseQuantity = baseQuantityEl ? cbcValue(price, 'BaseQuantity') : ONE;
  if (baseQuantityEl && baseQuantity !== null && baseQuantity <= 0n) {
    rules.report(PEPPOL, 'PEPPOL-EN16931-R121', `the base quantity is ${show(baseQuantity)}; it must be positive`, pathOf(baseQuantityEl));
  }

  const lineAcs = kids(line, UBL_NS.cac, 'AllowanceCharge');
  for (const ac of lineAcs) checkPercentage(ctx, ac);
  checkLineDecimals(ctx, line, lineAcs);

  const quantity = cbcValue(line, ctx.kind === 'Invoice' ? 'InvoicedQuantity' : 'CreditedQuantity');
  const amountEl = cbc(line, 'LineExtensionAmount');
  const amount = cbcValue(line, 'LineExtensionAmount');
  const allowances = sumAmounts(lineAcs, false);
  const charges = sumAmounts(lineAcs, true);
  if (quantity === null || priceAmount === null || amount === null || baseQuantity === null || baseQuantity <= 0n ||
      allowances === null || charges === null) return;
  // Peppol rounds the line allowance and charge sums to 2 decimals before using them.
  const adjustment = r2(charges.sum) - r2(allowances.sum);
  // |amount − (q × p / b + adjustment)| ≤ 0.02, multiplied through by b to stay in integers.
  const difference = amount * baseQuantity - quantity * priceAmount - adjustment * baseQuantity;
  if (abs(difference) > TOLERANCE * baseQuantity) {
    const expected = (quantity * priceAmount) / baseQuantity + adjustment;
    const base = baseQuantityEl ? ` / ${show(baseQuantity)}` : '';
    const adjust = adjustment === 0n ? '' : ` ${adjustment < 0n ? '−' : '+'} ${show(abs(adjustment))}`;
    rules.report(PEPPOL, 'PEPPOL-EN16931-R120',
      `the line net amount is ${show(amount)} but ${show(quantity)} × ${show(priceAmount)}${base}${adjust} = ${show(r2(expected))} (tolerance ±0.02)`,
      pathOf(amountEl!));
  }
}

/** R044 (no price-level charges), R046 (net = gross − discount) and BR-28 (gross price not negative). */
function checkPriceDiscount(ctx: UblContext, price: Element | undefined, net: bigint | null): void {
  for (const ac of kids(price, UBL_NS.cac, 'AllowanceCharge')) {
    if (chargeIndicator(ac) === true) {
      ctx.rules.report(PEPPOL, 'PEPPOL-EN16931-R044', 'a charge on price level is not allowed; only a price discount (ChargeIndicator false)', pathOf(ac));
    }
    const gross = cbcValue(ac, 'BaseAmount');
    const discount = cbcValue(ac, 'Amount');
    if (gross !== null && gross < 0n) {
      ctx.rules.report(CEN, 'BR-28', `the item gross price is ${show(gross)}; it must not be negative`, pathOf(cbc(ac, 'BaseAmount')!));
    }
    if (gross !== null && discount !== null && net !== null && net !== gross - discount) {
      ctx.rules.report(PEPPOL, 'PEPPOL-EN16931-R046',
        `the item net price is ${show(net)} but gross price ${show(gross)} − discount ${show(discount)} = ${show(gross - discount)}`, pathOf(ac));
    }
  }
}

/** R040…R042 on a line or document-level allowance/charge: Amount = BaseAmount × MultiplierFactorNumeric / 100. */
function checkPercentage(ctx: UblContext, ac: Element): void {
  const factorEl = cbc(ac, 'MultiplierFactorNumeric');
  const baseEl = cbc(ac, 'BaseAmount');
  if (factorEl && !baseEl) {
    ctx.rules.report(PEPPOL, 'PEPPOL-EN16931-R041', 'a percentage (cbc:MultiplierFactorNumeric) is given without its base amount (cbc:BaseAmount)', pathOf(factorEl));
  }
  if (baseEl && !factorEl) {
    ctx.rules.report(PEPPOL, 'PEPPOL-EN16931-R042', 'a base amount (cbc:BaseAmount) is given without its percentage (cbc:MultiplierFactorNumeric)', pathOf(baseEl));
  }
  const factor = cbcValue(ac, 'MultiplierFactorNumeric');
  const base = cbcValue(ac, 'BaseAmount');
  const amount = cbcValue(ac, 'Amount');
  if (factor === null || base === null || amount === null) return;
  // |amount − base × factor / 100| ≤ 0.02, scaled by ONE × 100 to stay in integers.
  if (abs(amount * ONE * 100n - base * factor) > TOLERANCE * ONE * 100n) {
    ctx.rules.report(PEPPOL, 'PEPPOL-EN16931-R040',
      `the allowance/charge amount is ${show(amount)} but ${show(base)} × ${show(factor)} % = ${show(r2((base * factor) / (ONE * 100n)))} (tolerance ±0.02)`,
      pathOf(cbc(ac, 'Amount')!));
  }
}

function checkLineDecimals(ctx: UblContext, line: Element, lineAcs: readonly Element[]): void {
  const check = (code: string, el: Element | undefined): void => {
    const decimals = readDecimal(textOf(el) ?? '')?.decimals ?? 0;
    if (el && decimals > 2) {
      ctx.rules.report(DECIMALS_LINE, code, `${el.localName} "${textOf(el)}" has ${decimals} decimals; at most 2 are allowed`, pathOf(el));
    }
  };
  check('BR-DEC-23', cbc(line, 'LineExtensionAmount'));
  for (const ac of lineAcs) {
    const charge = chargeIndicator(ac) === true;
    check(charge ? 'BR-DEC-27' : 'BR-DEC-24', cbc(ac, 'Amount'));
    check(charge ? 'BR-DEC-28' : 'BR-DEC-25', cbc(ac, 'BaseAmount'));
  }
}
