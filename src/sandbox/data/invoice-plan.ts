import { formatStructuredCommunication, structuredCommunicationCheck } from '../../core/belgian-ids.js';
import { divRound, formatCents, formatDecimal, parseDecimal } from '../../core/money.js';
import type { SandboxCompany } from './company.js';
import type { Random } from './random.js';

/**
 * Plans the content of a sandbox invoice or credit note: the lines, allowances/charges, VAT breakdown and
 * totals, all computed in bigint cents so that the rendered UBL satisfies the EN 16931 arithmetic rules
 * (BR-CO-10..17, BR-S/Z/E-08/09, Peppol R120) exactly, not merely within tolerance. Rendering is separate
 * (ubl-render.ts) so that the same numbers can also feed PDFs, Billit API fixtures and expectations in tests.
 */

/**
 * S = standard rate. Zero-rated goods use Z, which EN 16931 forbids to carry an exemption reason (BR-Z-10);
 * exempt services use E, which must carry one (BR-E-10). Both occur on Belgian invoices.
 */
export type VatCategoryCode = 'S' | 'Z' | 'E';

export interface PlanInput {
  kind: 'Invoice' | 'CreditNote';
  number: string;
  /** YYYY-MM-DD */
  issueDate: string;
  /** YYYY-MM-DD; BT-9 (Invoice/DueDate, or PaymentMeans/PaymentDueDate on a credit note). */
  dueDate: string;
  supplier: SandboxCompany;
  customer: SandboxCompany;
  currency?: 'EUR';
  /** Credit notes: the invoice being credited (BT-25). */
  precedingInvoiceNumber?: string;
}

/** A percentage allowance on one line (BG-27); it carries no tax category, the line's applies. */
export interface PlanLineAllowance { reasonCode: string; reason: string; multiplierPercent: string; baseAmount: string; amount: string }

export interface PlanLine {
  id: string;
  /** Rendered as Item/Name (BT-153). */
  description: string;
  /** Up to 2 decimals, trailing zeros dropped ("3", "2.5", "12.75"). */
  quantity: string;
  unitCode: string;
  /** Net unit price, 2 decimals. */
  price: string;
  /** round2(quantity × price) − allowance. */
  lineExtension: string;
  category: VatCategoryCode;
  /** Integer percent as rendered in cbc:Percent ("21", "0"). */
  percent: string;
  allowance?: PlanLineAllowance;
}

/** A document-level allowance (BG-20) or charge (BG-21). */
export interface PlanAllowanceCharge {
  chargeIndicator: boolean;
  /** UNCL5189 (allowances) / UNCL7161 (charges) code, plus the text: BR-33/BR-38 want one of them. */
  reasonCode: string;
  reason: string;
  /** Present for percentage allowances, together with baseAmount (Peppol R040-R042). */
  multiplierPercent?: string;
  baseAmount?: string;
  amount: string;
  category: VatCategoryCode;
  percent: string;
}

export interface PlanVatBreakdown {
  category: string;
  percent: string;
  /** Σ lines of the category/rate + charges − allowances (BR-S-08, BR-Z-08, BR-E-08). */
  taxable: string;
  /** round2(taxable × percent / 100) (BR-S-09); 0 for Z and E. */
  tax: string;
  /** Only for category E (BR-E-10). */
  exemptionReasonCode?: string;
  exemptionReason?: string;
}

/** The inputs (currency defaulted) plus everything drawn and computed. */
export interface InvoicePlan extends Omit<PlanInput, 'currency'> {
  currency: 'EUR';
  /** BT-10; Peppol R003 needs a buyer reference or an order reference. */
  buyerReference: string;
  /** Belgian structured communication, +++ddd/dddd/ddddd+++. */
  paymentReference: string;
  /** BT-20 text. */
  paymentTerms: string;
  lines: PlanLine[];
  allowanceCharges: PlanAllowanceCharge[];
  vatBreakdown: PlanVatBreakdown[];
  /** 2-decimal strings; allowanceTotal/chargeTotal are "0.00" when there are none (the renderer then omits them). */
  totals: {
    lineExtension: string; allowanceTotal: string; chargeTotal: string;
    taxExclusive: string; tax: string; taxInclusive: string; payable: string;
  };
}

type Unit = 'C62' | 'HUR' | 'KGM' | 'DAY';
/** Something to sell, with its unit price range in cents and its Belgian VAT treatment. */
interface Article { name: string; unit: Unit; minCents: number; maxCents: number; category: VatCategoryCode; percent: string }

/** 21 % dominates real Belgian B2B invoices, hence its many entries; 12 % and 6 % appear now and then. */
const STANDARD_ARTICLES: readonly Article[] = [
  { name: 'Consultancy', unit: 'HUR', minCents: 6500, maxCents: 14500, category: 'S', percent: '21' },
  { name: 'Prestaties technicus', unit: 'HUR', minCents: 4500, maxCents: 8500, category: 'S', percent: '21' },
  { name: 'Onderhoudscontract', unit: 'C62', minCents: 9900, maxCents: 59900, category: 'S', percent: '21' },
  { name: 'Laptop 14"', unit: 'C62', minCents: 69900, maxCents: 149900, category: 'S', percent: '21' },
  { name: 'Bureaustoel', unit: 'C62', minCents: 14900, maxCents: 44900, category: 'S', percent: '21' },
  { name: 'Verhuur hoogtewerker', unit: 'DAY', minCents: 18500, maxCents: 39500, category: 'S', percent: '21' },
  { name: 'Kabelgoot 2 m', unit: 'C62', minCents: 450, maxCents: 2450, category: 'S', percent: '21' },
  { name: 'Strooizout', unit: 'KGM', minCents: 35, maxCents: 120, category: 'S', percent: '21' },
  { name: 'Location échafaudage', unit: 'DAY', minCents: 4500, maxCents: 12500, category: 'S', percent: '21' },
  { name: 'Restaurantmaaltijden (excl. dranken)', unit: 'C62', minCents: 1850, maxCents: 6500, category: 'S', percent: '12' },
  { name: 'Renovatiewerken woning > 10 jaar', unit: 'HUR', minCents: 4200, maxCents: 6800, category: 'S', percent: '6' },
  { name: 'Vakboeken', unit: 'C62', minCents: 1995, maxCents: 8950, category: 'S', percent: '6' },
  { name: 'Koffiebonen', unit: 'KGM', minCents: 1450, maxCents: 3200, category: 'S', percent: '6' },
];
const ZERO_ARTICLES: readonly Article[] = [
  { name: 'Abonnement dagblad', unit: 'C62', minCents: 2500, maxCents: 39900, category: 'Z', percent: '0' },
  { name: 'Erkende opleiding', unit: 'HUR', minCents: 5000, maxCents: 12000, category: 'E', percent: '0' },
  { name: 'Medische keuring', unit: 'C62', minCents: 4500, maxCents: 9500, category: 'E', percent: '0' },
];
/** Belgian art. 44 WBTW implements art. 132 of the VAT directive, hence that VATEX code. */
const EXEMPTION = { code: 'VATEX-EU-132', reason: 'Vrijgesteld van btw - art. 44 WBTW' };

const percentHundredths = (percent: string): bigint => parseDecimal(percent, 2);
/** Rounds a ×100 product back to cents: EN 16931 rounds half up (away from zero) to 2 decimals. */
const round2 = (tenThousandths: bigint): bigint => divRound(tenThousandths, 100n);
const percentOf = (base: bigint, percent: string): bigint => divRound(base * percentHundredths(percent), 10000n);

function drawQuantity(rnd: Random, unit: Unit): bigint {
  // Hundredths of a unit: pieces and days are whole, hours go by quarters, weights have 2 decimals.
  switch (unit) {
    case 'C62': return BigInt(rnd.int(1, 20) * 100);
    case 'DAY': return BigInt(rnd.int(1, 10) * 100);
    case 'HUR': return BigInt(rnd.int(2, 160) * 25);
    case 'KGM': return BigInt(rnd.int(50, 5000));
  }
}

/** Quantities keep up to 2 decimals but drop trailing zeros, as most invoicing tools print them. */
const formatQuantity = (hundredths: bigint): string => formatDecimal(hundredths, 2).replace(/\.?0+$/, '');

interface Group { category: VatCategoryCode; percent: string; lineSum: bigint; adjustment: bigint }

export function planInvoice(rnd: Random, input: PlanInput): InvoicePlan {
  const groups = new Map<string, Group>();
  const lines: PlanLine[] = [];
  const lineCount = rnd.int(1, 6);
  for (let i = 1; i <= lineCount; i++) {
    const article = rnd.chance(0.08) ? rnd.pick(ZERO_ARTICLES) : rnd.pick(STANDARD_ARTICLES);
    const quantity = drawQuantity(rnd, article.unit);
    const price = BigInt(rnd.int(article.minCents, article.maxCents));
    const gross = round2(quantity * price);
    let allowance: PlanLineAllowance | undefined;
    let net = gross;
    if (rnd.chance(0.15)) {
      const pct = rnd.pick(['5', '10', '15']);
      const amount = percentOf(gross, pct);
      if (amount > 0n) {
        net = gross - amount;
        allowance = { reasonCode: '95', reason: 'Korting', multiplierPercent: pct, baseAmount: formatCents(gross), amount: formatCents(amount) };
      }
    }
    lines.push({
      id: String(i), description: article.name, quantity: formatQuantity(quantity), unitCode: article.unit,
      price: formatCents(price), lineExtension: formatCents(net), category: article.category, percent: article.percent,
      ...(allowance ? { allowance } : {}),
    });
    const key = `${article.category}|${article.percent}`;
    const group = groups.get(key) ?? { category: article.category, percent: article.percent, lineSum: 0n, adjustment: 0n };
    group.lineSum += net;
    groups.set(key, group);
  }

  // At most one document-level allowance or charge, booked on one of the VAT groups already present so that
  // every category used has a breakdown (BR-S-01 and friends) and no taxable amount goes negative.
  const allowanceCharges: PlanAllowanceCharge[] = [];
  if (rnd.chance(0.3)) {
    const group = rnd.pick([...groups.values()]);
    if (rnd.chance(0.5)) {
      const pct = rnd.pick(['2', '3', '5']);
      const amount = percentOf(group.lineSum, pct);
      if (amount > 0n) {
        group.adjustment -= amount;
        allowanceCharges.push({
          chargeIndicator: false, reasonCode: '95', reason: 'Korting contante betaling', multiplierPercent: pct,
          baseAmount: formatCents(group.lineSum), amount: formatCents(amount), category: group.category, percent: group.percent,
        });
      }
    } else {
      const amount = BigInt(rnd.int(500, 5000));
      group.adjustment += amount;
      allowanceCharges.push({
        chargeIndicator: true, reasonCode: 'FC', reason: 'Transportkosten', amount: formatCents(amount),
        category: group.category, percent: group.percent,
      });
    }
  }

  // Breakdown in a stable order: standard rates high to low, then Z, then E.
  const order = (g: Group): number => (g.category === 'S' ? 0 : g.category === 'Z' ? 1 : 2);
  const sorted = [...groups.values()].sort((a, b) =>
    order(a) - order(b) || Number(percentHundredths(b.percent) - percentHundredths(a.percent)));
  let taxTotal = 0n;
  const vatBreakdown: PlanVatBreakdown[] = sorted.map((g) => {
    const taxable = g.lineSum + g.adjustment;
    const tax = percentOf(taxable, g.percent);
    taxTotal += tax;
    return {
      category: g.category, percent: g.percent, taxable: formatCents(taxable), tax: formatCents(tax),
      ...(g.category === 'E' ? { exemptionReasonCode: EXEMPTION.code, exemptionReason: EXEMPTION.reason } : {}),
    };
  });

  const lineExtension = [...groups.values()].reduce((sum, g) => sum + g.lineSum, 0n);
  const sumOf = (charge: boolean): bigint => allowanceCharges
    .filter((ac) => ac.chargeIndicator === charge)
    .reduce((sum, ac) => sum + parseDecimal(ac.amount, 2), 0n);
  const allowanceTotal = sumOf(false);
  const chargeTotal = sumOf(true);
  const taxExclusive = lineExtension - allowanceTotal + chargeTotal;
  const taxInclusive = taxExclusive + taxTotal;

  const first10 = rnd.digits(10);
  const paymentReference = formatStructuredCommunication(first10 + structuredCommunicationCheck(first10));
  const buyerReference = rnd.chance(0.5) ? `PO-${rnd.digits(6)}` : `${input.customer.partyId}/${rnd.digits(4)}`;

  return {
    ...input,
    currency: input.currency ?? 'EUR',
    buyerReference,
    paymentReference,
    paymentTerms: input.kind === 'Invoice'
      ? `Te betalen uiterlijk op ${input.dueDate} met vermelding van ${paymentReference}`
      : `Terugbetaling uiterlijk op ${input.dueDate}`,
    lines,
    allowanceCharges,
    vatBreakdown,
    totals: {
      lineExtension: formatCents(lineExtension),
      allowanceTotal: formatCents(allowanceTotal),
      chargeTotal: formatCents(chargeTotal),
      taxExclusive: formatCents(taxExclusive),
      tax: formatCents(taxTotal),
      taxInclusive: formatCents(taxInclusive),
      // No prepayment and no rounding amount, so BR-CO-16 reduces to payable = inclusive.
      payable: formatCents(taxInclusive),
    },
  };
}
