import type { Element } from '@xmldom/xmldom';
import { CEN, CEN_BE_LENIENT } from './rule-policy.js';
import { cbcValue, chargeIndicator } from './ubl-context.js';
import type { UblContext } from './ubl-context.js';
import { ONE, abs, r2, show } from './ubl-decimal.js';
import { UBL_NS, cacPath, cbc, cbcText, kids, nonEmpty, pathBelow, pathOf } from './ubl-dom.js';

/**
 * The VAT breakdown (BG-23) against the lines and document-level allowances/charges that use each
 * category: BR-x-01 (a breakdown for every category used), BR-x-08 (taxable amount), BR-S-09 / BR-x-09 /
 * BR-CO-17 (tax amount), BR-x-10 and BR-CL-22 (exemption reasons), BR-CL-17/18 (category codes).
 * x is the category's rule family: S, Z, E, AE, IC (code K), G, O, AF (L), AG (M).
 */

const FAMILY: Readonly<Record<string, string>> = { S: 'BR-S', Z: 'BR-Z', E: 'BR-E', AE: 'BR-AE', K: 'BR-IC', G: 'BR-G', O: 'BR-O', L: 'BR-AF', M: 'BR-AG' };
/** The VAT category codes of BR-CL-17/18: the families above and B (Italian split payment), whose own rules are not checked here. */
const UNCL5305 = new Set([...Object.keys(FAMILY), 'B']);
/** Categories that may have one subtotal per rate (BR-S-01, BR-AF-01, BR-AG-01 say "at least one"). */
const PER_RATE = new Set(['S', 'L', 'M']);
/** Categories whose VAT is 0 by definition (BR-x-09 wants TaxAmount 0), and which need an exemption reason (BR-x-10). */
const EXEMPT = new Set(['E', 'AE', 'K', 'G', 'O']);
const ZERO_TAX = new Set(['Z', 'E', 'AE', 'K', 'G', 'O']);

interface Use { id: string; percent: bigint | null; beCode: string | null; amount: bigint | null }

const plainKey = (id: string, percent: bigint | null): string => `${id}|${percent ?? ''}`;
/** UBL.BE splits a category per Belgian tax code (TaxCategory/cbc:Name, e.g. K "46/GO" and K "44"). */
const beKey = (id: string, percent: bigint | null, beCode: string | null): string => `${plainKey(id, percent)}|${beCode ?? ''}`;
const rateText = (percent: bigint | null): string => (percent === null ? 'without a rate' : `${show(percent).replace(/\.?0+$/, '')} %`);

function categoryOf(cat: Element | undefined): { id: string; percent: bigint | null; beCode: string | null } {
  return { id: cbcText(cat, 'ID') ?? '', percent: cbcValue(cat, 'Percent'), beCode: cbcText(cat, 'Name') };
}

/** Lines (their net amount) and document-level allowances (−) and charges (+), with their category. */
function collectUses(ctx: UblContext): Use[] {
  const uses: Use[] = [];
  for (const line of ctx.lines) {
    const cat = cacPath(line, 'Item', 'ClassifiedTaxCategory');
    if (!cat) continue;
    const category = categoryOf(cat);
    if (category.id && !UNCL5305.has(category.id)) {
      ctx.rules.report(CEN, 'BR-CL-18', `ClassifiedTaxCategory/ID "${category.id}" is not a UNCL5305 VAT category (S, Z, E, AE, K, G, O, L, M, B)`, pathOf(cat));
    }
    uses.push({ ...category, amount: cbcValue(line, 'LineExtensionAmount') });
  }
  for (const ac of kids(ctx.root, UBL_NS.cac, 'AllowanceCharge')) {
    const cat = cacPath(ac, 'TaxCategory');
    const charge = chargeIndicator(ac);
    if (!cat || charge === null) continue;
    const category = categoryOf(cat);
    if (category.id && !UNCL5305.has(category.id)) {
      ctx.rules.report(CEN, 'BR-CL-17', `TaxCategory/ID "${category.id}" is not a UNCL5305 VAT category`, pathOf(cat));
    }
    const amount = cbcValue(ac, 'Amount');
    uses.push({ ...category, amount: amount === null ? null : charge ? amount : -amount });
  }
  return uses;
}

function sums(uses: readonly Use[], keyOf: (u: Use) => string): Map<string, bigint | null> {
  const out = new Map<string, bigint | null>();
  for (const use of uses) {
    const key = keyOf(use);
    const before = out.has(key) ? out.get(key)! : 0n;
    out.set(key, before === null || use.amount === null ? null : before + use.amount);
  }
  return out;
}

export function checkVatBreakdown(ctx: UblContext, taxTotal: Element | undefined): void {
  const { rules } = ctx;
  const uses = collectUses(ctx);
  const subtotals = kids(taxTotal, UBL_NS.cac, 'TaxSubtotal');
  const byPlain = sums(uses, (u) => plainKey(u.id, u.percent));
  const byBe = sums(uses, (u) => beKey(u.id, u.percent, u.beCode));
  const breakdown = subtotals.map((sub) => ({ sub, ...categoryOf(cacPath(sub, 'TaxCategory')) }));

  // BR-x-01: a category used on a line or allowance/charge has a breakdown (exactly one, except S, L and M which have one per rate).
  for (const id of new Set(uses.map((u) => u.id))) {
    const family = FAMILY[id];
    if (!family) continue;
    const ofId = breakdown.filter((b) => b.id === id);
    const count = ofId.length;
    const at = pathBelow(taxTotal ?? ctx.root, 'cac:TaxSubtotal');
    // UBL.BE gives each Belgian tax code its own subtotal; distinct codes are its conformant form, not a duplicate.
    const splitPerBeCode = rules.ruleSet === 'ubl-be' && new Set(ofId.map((b) => b.beCode ?? '')).size === count && ofId.every((b) => nonEmpty(b.beCode));
    if (count === 0) rules.report(CEN, `${family}-01`, `category ${id} is used on lines or allowances/charges but the VAT breakdown has no ${id} subtotal`, at);
    else if (count > 1 && !PER_RATE.has(id) && !splitPerBeCode) {
      rules.report(CEN_BE_LENIENT, `${family}-01`, `the VAT breakdown has ${count} subtotals with category ${id}; exactly one is allowed`, at);
    }
  }
  // Rate level: each category/rate used must have its own subtotal.
  for (const [key, sum] of byPlain) {
    const [id = '', percentText = ''] = key.split('|');
    const family = FAMILY[id];
    if (!family || breakdown.some((b) => plainKey(b.id, b.percent) === key) || !breakdown.some((b) => b.id === id)) continue;
    const percent = percentText === '' ? null : BigInt(percentText);
    rules.report(CEN_BE_LENIENT, `${family}-08`,
      `lines or allowances/charges use category ${id} ${rateText(percent)} (net ${sum === null ? 'unknown' : show(sum)}) but no VAT subtotal has that category and rate`,
      pathBelow(taxTotal ?? ctx.root, 'cac:TaxSubtotal'));
  }

  for (const b of breakdown) checkSubtotal(ctx, b, byPlain, byBe);
}

interface Breakdown { sub: Element; id: string; percent: bigint | null; beCode: string | null }

function checkSubtotal(ctx: UblContext, b: Breakdown, byPlain: Map<string, bigint | null>, byBe: Map<string, bigint | null>): void {
  const { rules } = ctx;
  const at = pathOf(b.sub);
  const taxable = cbcValue(b.sub, 'TaxableAmount');
  const tax = cbcValue(b.sub, 'TaxAmount');
  if (!cbc(b.sub, 'TaxableAmount')) rules.report(CEN, 'BR-45', 'the VAT category taxable amount (cbc:TaxableAmount, BT-116) is missing', `${at}/cbc:TaxableAmount`);
  if (!cbc(b.sub, 'TaxAmount')) rules.report(CEN, 'BR-46', 'the VAT category tax amount (cbc:TaxAmount, BT-117) is missing', `${at}/cbc:TaxAmount`);
  if (!b.id) {
    rules.report(CEN, 'BR-47', 'the VAT category code (cac:TaxCategory/cbc:ID, BT-118) is missing', `${at}/cac:TaxCategory/cbc:ID`);
    return;
  }
  const family = FAMILY[b.id];
  if (!family) {
    if (!UNCL5305.has(b.id)) rules.report(CEN, 'BR-CL-17', `TaxCategory/ID "${b.id}" is not a UNCL5305 VAT category`, `${at}/cac:TaxCategory/cbc:ID`);
    return;
  }
  if (b.percent === null && b.id !== 'O') {
    rules.report(CEN, 'BR-48', `the VAT rate (cac:TaxCategory/cbc:Percent, BT-119) of category ${b.id} is missing`, `${at}/cac:TaxCategory/cbc:Percent`);
  }

  // BR-x-08: taxable amount = Σ lines + charges − allowances of this category and rate; S within ±1 (strictly), others exact.
  if (taxable !== null) {
    const matches = (sum: bigint | null | undefined): boolean => {
      if (sum === null) return true; // an unreadable amount was reported as UBL-DECIMAL already
      const expected = r2(sum ?? 0n);
      return b.id === 'S' ? abs(taxable - expected) < ONE : taxable === expected;
    };
    const plain = byPlain.get(plainKey(b.id, b.percent));
    const ublBeSplit = ctx.rules.ruleSet === 'ubl-be' && matches(byBe.get(beKey(b.id, b.percent, b.beCode)) ?? 0n);
    if (!matches(plain) && !ublBeSplit) {
      const tolerance = b.id === 'S' ? ' (tolerance ±1.00)' : '';
      rules.report(CEN_BE_LENIENT, `${family}-08`,
        `the ${b.id} ${rateText(b.percent)} taxable amount is ${show(taxable)} but Σ line net amounts + charges − allowances of that category and rate = ${show(r2(plain ?? 0n))}${tolerance}` +
        (plain === undefined ? '; no line or allowance/charge uses it' : ''),
        `${at}/cbc:TaxableAmount`);
    }
  }

  // Tax amount: 0 for zero-rated and exempt categories; otherwise within ±1 of r2(taxable × rate / 100).
  if (tax !== null && ZERO_TAX.has(b.id)) {
    if (tax !== 0n) rules.report(CEN, `${family}-09`, `the ${b.id} tax amount is ${show(tax)}; category ${b.id} must carry 0 VAT`, `${at}/cbc:TaxAmount`);
  } else if (tax !== null && taxable !== null && b.percent !== null) {
    const expected = r2((abs(taxable) * b.percent) / (ONE * 100n));
    const strict = b.id === 'S'; // BR-S-09 compares |amounts| strictly inside ±1; BR-CO-17 (u:slack) includes the bounds.
    const off = abs(abs(tax) - expected);
    if (strict ? off >= ONE : off > ONE) {
      rules.report(CEN_BE_LENIENT, strict ? 'BR-S-09' : 'BR-CO-17',
        `the ${b.id} ${rateText(b.percent)} tax amount is ${show(tax)} but r2(${show(taxable)} × ${rateText(b.percent)}) = ${show(expected)} (tolerance ±1.00)`,
        `${at}/cbc:TaxAmount`);
    }
  }
  checkExemption(ctx, b, family, at);
}

function checkExemption(ctx: UblContext, b: Breakdown, family: string, at: string): void {
  const cat = cacPath(b.sub, 'TaxCategory');
  const code = cbcText(cat, 'TaxExemptionReasonCode');
  const reason = cbcText(cat, 'TaxExemptionReason');
  const hasReason = nonEmpty(code) || nonEmpty(reason);
  if (EXEMPT.has(b.id) && !hasReason) {
    ctx.rules.report(CEN, `${family}-10`, `category ${b.id} needs an exemption reason (cbc:TaxExemptionReason or cbc:TaxExemptionReasonCode)`, `${at}/cac:TaxCategory`);
  } else if ((b.id === 'S' || b.id === 'Z') && hasReason) {
    ctx.rules.report(CEN, `${family}-10`, `category ${b.id} must not carry an exemption reason`, `${at}/cac:TaxCategory`);
  }
  // UBL.BE's own exemption codes (BETE-…, Annex 3) are outside CEN's VATEX list by design (tc08).
  if (nonEmpty(code) && !/^VATEX-/i.test(code) && !(ctx.rules.ruleSet === 'ubl-be' && /^BETE-/i.test(code))) {
    ctx.rules.report(CEN, 'BR-CL-22', `TaxExemptionReasonCode "${code}" is not a VATEX code`, `${at}/cac:TaxCategory/cbc:TaxExemptionReasonCode`);
  }
}
