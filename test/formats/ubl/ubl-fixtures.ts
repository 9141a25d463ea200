import assert from 'node:assert/strict';
import { divRound, formatCents, parseDecimal } from '../../../src/core/money.js';
import type { UblVerdict } from '../../../src/formats/ubl/validate-ubl.js';
import { generateCompany } from '../../../src/sandbox/data/company.js';
import { planInvoice } from '../../../src/sandbox/data/invoice-plan.js';
import type { InvoicePlan, PlanLine, PlanVatBreakdown, VatCategoryCode } from '../../../src/sandbox/data/invoice-plan.js';
import { makePdf } from '../../../src/sandbox/data/pdf.js';
import { Random } from '../../../src/sandbox/data/random.js';
import { wrapInSbdh } from '../../../src/sandbox/data/sbdh.js';
import { renderUbl } from '../../../src/sandbox/data/ubl-render.js';

/**
 * Fixtures for the UBL validator tests: valid documents from the sandbox generators, and small text
 * mutations that break exactly one thing. The corpus files are read in place, never copied.
 */

export const BIS3 = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const UBL_BE = 'urn:cen.eu:en16931:2017#conformant#urn:UBL.BE:1.0.0.20180214';

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface GenerateOptions { kind?: 'Invoice' | 'CreditNote'; pdf?: boolean; sbdh?: boolean }

/** One generated document: deterministic for (seed, index, options). */
export function generatePlan(seed: string, index: number, kind: 'Invoice' | 'CreditNote' = 'Invoice'): InvoicePlan {
  const root = new Random(seed);
  const supplier = generateCompany(root.fork('supplier'), 1);
  const customer = generateCompany(root.fork(`customer:${index % 5}`), 10 + (index % 5));
  const issueDate = addDays('2025-01-02', index);
  const number = `${kind === 'Invoice' ? 'F' : 'CN'}2025-${String(index + 1).padStart(4, '0')}`;
  return planInvoice(root.fork(`doc:${index}`), {
    kind, number, issueDate, dueDate: addDays(issueDate, 30), supplier, customer,
    ...(kind === 'CreditNote' ? { precedingInvoiceNumber: `F2025-${String(index).padStart(4, '0')}` } : {}),
  });
}

export function render(plan: InvoicePlan, options: GenerateOptions = {}): Buffer {
  const pdf = options.pdf ? makePdf([`${plan.kind} ${plan.number}`, plan.supplier.name, `Total ${plan.totals.payable}`]) : undefined;
  const ubl = renderUbl(plan, pdf ? { pdf, pdfFileName: `${plan.number}.pdf` } : {});
  if (!options.sbdh) return ubl;
  return wrapInSbdh(ubl, {
    senderId: `0208:${plan.supplier.enterpriseNumber}`, receiverId: `0208:${plan.customer.enterpriseNumber}`,
    documentId: `doc-${plan.number}`, createdAt: '2025-03-04T10:15:00Z', kind: plan.kind,
  });
}

export function generate(seed: string, index: number, options: GenerateOptions = {}): string {
  return render(generatePlan(seed, index, options.kind), options).toString('utf8');
}

/** The first generated plan (seed "find", index 0, 1, …) that has what a test needs. */
export function findPlan(predicate: (plan: InvoicePlan) => boolean, kind: 'Invoice' | 'CreditNote' = 'Invoice'): InvoicePlan {
  for (let i = 0; i < 2000; i++) {
    const plan = generatePlan('find', i, kind);
    if (predicate(plan)) return plan;
  }
  throw new Error('no generated plan matches');
}

export interface HandLine { category: string; percent: string; quantity: string; price: string; exemptionCode?: string }

/**
 * A plan with chosen lines (no allowances), its breakdown and totals computed like the generator does.
 * A category may carry a Belgian tax code after '@' ("K@46/GO"); withBelgianCodes() turns it into
 * cac:TaxCategory/cbc:Name, which is how UBL.BE splits categories.
 */
export function handPlan(lines: readonly HandLine[], kind: 'Invoice' | 'CreditNote' = 'Invoice'): InvoicePlan {
  const base = generatePlan('hand', 0, kind);
  const planLines: PlanLine[] = lines.map((line, i) => ({
    id: String(i + 1), description: `Item ${i + 1}`, quantity: line.quantity, unitCode: 'C62', price: line.price,
    lineExtension: formatCents(divRound(parseDecimal(line.quantity, 2) * parseDecimal(line.price, 2), 100n)),
    category: line.category as VatCategoryCode, percent: line.percent,
  }));
  const groups = new Map<string, PlanVatBreakdown>();
  let taxTotal = 0n;
  let lineTotal = 0n;
  planLines.forEach((line, i) => {
    const key = `${line.category}|${line.percent}`;
    const amount = parseDecimal(line.lineExtension, 2);
    lineTotal += amount;
    const before = groups.get(key);
    const taxable = (before ? parseDecimal(before.taxable, 2) : 0n) + amount;
    const exempt = !/^[SZ]/.test(line.category);
    groups.set(key, {
      category: line.category, percent: line.percent, taxable: formatCents(taxable), tax: '0.00',
      ...(exempt ? { exemptionReasonCode: lines[i]!.exemptionCode ?? 'VATEX-EU-132', exemptionReason: 'Exempt' } : {}),
    });
  });
  for (const group of groups.values()) {
    const tax = divRound(parseDecimal(group.taxable, 2) * parseDecimal(group.percent, 2), 10000n);
    group.tax = formatCents(tax);
    taxTotal += tax;
  }
  const total = formatCents(lineTotal + taxTotal);
  return {
    ...base, lines: planLines, allowanceCharges: [], vatBreakdown: [...groups.values()],
    totals: { lineExtension: formatCents(lineTotal), allowanceTotal: '0.00', chargeTotal: '0.00', taxExclusive: formatCents(lineTotal), tax: formatCents(taxTotal), taxInclusive: total, payable: total },
  };
}

export function withBelgianCodes(xml: string): string {
  return xml.replace(/<cbc:ID>([A-Z]+)@([^<]+)<\/cbc:ID>/g, '<cbc:ID>$1</cbc:ID><cbc:Name>$2</cbc:Name>');
}

/** Where a mutation starts: the first occurrence of a marker string, or an offset. */
export type From = string | number | undefined;
const startOf = (xml: string, from: From): number => (from === undefined ? 0 : typeof from === 'number' ? from : xml.indexOf(from));

/** Replaces the first match at or after `from`; fails the test when nothing matches. */
export function replaceFirst(xml: string, pattern: string | RegExp, replacement: string, from?: From): string {
  const start = startOf(xml, from);
  assert.ok(start >= 0, `marker ${from} not found`);
  const head = xml.slice(0, start);
  const tail = xml.slice(start);
  const changed = typeof pattern === 'string' ? tail.replace(pattern, replacement) : tail.replace(pattern, replacement);
  assert.notEqual(changed, tail, `pattern ${String(pattern)} not found`);
  return head + changed;
}

/** Sets the text of the first <qname …>…</qname> at or after `from`. */
export function setLeaf(xml: string, qname: string, value: string, from?: From): string {
  return replaceFirst(xml, new RegExp(`(<${qname}(?:\\s[^>]*)?>)[^<]*(</${qname}>)`), `$1${value}$2`, from);
}

/** Removes the first <qname …>…</qname> (a leaf) at or after `from`. */
export function removeLeaf(xml: string, qname: string, from?: From): string {
  return replaceFirst(xml, new RegExp(`\\s*<${qname}(?:\\s[^>]*)?>[^<]*</${qname}>`), '', from);
}

/** The text of the first <qname …>…</qname> at or after `from`. */
export function leaf(xml: string, qname: string, from?: From): string {
  const start = startOf(xml, from);
  const match = new RegExp(`<${qname}(?:\\s[^>]*)?>([^<]*)</${qname}>`).exec(xml.slice(start));
  assert.ok(match, `${qname} not found`);
  return match[1]!;
}

/** Adds cents to a 2-decimal amount string. */
export function plusCents(amount: string, cents: bigint): string {
  return formatCents(parseDecimal(amount, 2) + cents);
}

export const codes = (verdict: UblVerdict): string[] => [...verdict.errors, ...verdict.warnings].map((f) => f.code);
export const errorCodes = (verdict: UblVerdict): string[] => verdict.errors.map((f) => f.code);
export const warningCodes = (verdict: UblVerdict): string[] => verdict.warnings.map((f) => f.code);

export function describe(verdict: UblVerdict): string {
  return [...verdict.errors, ...verdict.warnings].map((f) => `${f.severity} ${f.code}: ${f.message} @ ${f.location ?? ''}`).join('\n');
}

export function assertClean(verdict: UblVerdict, allowedWarnings: readonly string[] = []): void {
  assert.equal(verdict.errors.length, 0, `unexpected errors:\n${describe(verdict)}`);
  const unexpected = verdict.warnings.filter((w) => !allowedWarnings.includes(w.code));
  assert.equal(unexpected.length, 0, `unexpected warnings:\n${describe(verdict)}`);
}

export function assertError(verdict: UblVerdict, code: string): void {
  assert.ok(verdict.errors.some((f) => f.code === code), `expected error ${code}, got:\n${describe(verdict)}`);
  assert.equal(verdict.valid, false);
}

export function assertWarning(verdict: UblVerdict, code: string): void {
  assert.ok(verdict.warnings.some((f) => f.code === code), `expected warning ${code}, got:\n${describe(verdict)}`);
}

export function assertNoFinding(verdict: UblVerdict, code: string): void {
  assert.ok(!codes(verdict).includes(code), `did not expect ${code}:\n${describe(verdict)}`);
}
