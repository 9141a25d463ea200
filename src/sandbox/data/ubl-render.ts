import type { SandboxCompany } from './company.js';
import type { InvoicePlan, PlanAllowanceCharge, PlanLine } from './invoice-plan.js';

/**
 * Renders an InvoicePlan as a Peppol BIS Billing 3.0 UBL 2.1 document. The element order follows the UBL 2.1
 * XSD sequences (Venice rejects schema-invalid files), and the output is a pure function of the plan and the
 * options, so the sandbox can regenerate a document on request and get the same bytes.
 */

export const UBL_NAMESPACES = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;
export const BIS3_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const BIS3_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/** Escapes text and attribute values (names like "Ca & Co's <BV>" must survive a round trip). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;');
}

/** Tiny indenting writer; the document is small enough that string building is simplest. */
class XmlWriter {
  private readonly out: string[] = [];
  private depth = 0;

  open(name: string, attrs: Record<string, string> = {}): this {
    this.out.push(`${this.indent()}<${name}${this.attrs(attrs)}>`);
    this.depth++;
    return this;
  }

  close(name: string): this {
    this.depth--;
    this.out.push(`${this.indent()}</${name}>`);
    return this;
  }

  leaf(name: string, text: string, attrs: Record<string, string> = {}): this {
    this.out.push(`${this.indent()}<${name}${this.attrs(attrs)}>${escapeXml(text)}</${name}>`);
    return this;
  }

  toString(): string {
    return `${this.out.join('\n')}\n`;
  }

  private indent(): string {
    return '  '.repeat(this.depth);
  }

  private attrs(attrs: Record<string, string>): string {
    return Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  }
}

export function renderUbl(plan: InvoicePlan, options: { pdf?: Buffer; pdfFileName?: string }): Buffer {
  const isInvoice = plan.kind === 'Invoice';
  const cur = { currencyID: plan.currency };
  const w = new XmlWriter();
  w.open(plan.kind, {
    xmlns: UBL_NAMESPACES[plan.kind],
    'xmlns:cac': UBL_NAMESPACES.cac,
    'xmlns:cbc': UBL_NAMESPACES.cbc,
  });
  w.leaf('cbc:CustomizationID', BIS3_CUSTOMIZATION_ID);
  w.leaf('cbc:ProfileID', BIS3_PROFILE_ID);
  w.leaf('cbc:ID', plan.number);
  w.leaf('cbc:IssueDate', plan.issueDate);
  if (isInvoice) {
    w.leaf('cbc:DueDate', plan.dueDate);
    w.leaf('cbc:InvoiceTypeCode', '380');
  } else {
    w.leaf('cbc:CreditNoteTypeCode', '381');
  }
  w.leaf('cbc:DocumentCurrencyCode', plan.currency);
  w.leaf('cbc:BuyerReference', plan.buyerReference);
  if (plan.precedingInvoiceNumber !== undefined) {
    w.open('cac:BillingReference').open('cac:InvoiceDocumentReference');
    w.leaf('cbc:ID', plan.precedingInvoiceNumber);
    w.close('cac:InvoiceDocumentReference').close('cac:BillingReference');
  }
  if (options.pdf) {
    const fileName = options.pdfFileName ?? `${plan.number.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
    w.open('cac:AdditionalDocumentReference');
    w.leaf('cbc:ID', plan.number);
    w.leaf('cbc:DocumentDescription', isInvoice ? 'CommercialInvoice' : 'CreditNote');
    w.open('cac:Attachment');
    w.leaf('cbc:EmbeddedDocumentBinaryObject', options.pdf.toString('base64'), { mimeCode: 'application/pdf', filename: fileName });
    w.close('cac:Attachment');
    w.close('cac:AdditionalDocumentReference');
  }
  renderParty(w, 'cac:AccountingSupplierParty', plan.supplier);
  renderParty(w, 'cac:AccountingCustomerParty', plan.customer);

  w.open('cac:PaymentMeans');
  w.leaf('cbc:PaymentMeansCode', '30', { name: 'Credit transfer' });
  // A credit note has no DueDate element; BIS 3 carries BT-9 in PaymentMeans instead.
  if (!isInvoice) w.leaf('cbc:PaymentDueDate', plan.dueDate);
  w.leaf('cbc:PaymentID', plan.paymentReference);
  w.open('cac:PayeeFinancialAccount');
  w.leaf('cbc:ID', plan.supplier.iban);
  w.leaf('cbc:Name', plan.supplier.name);
  w.open('cac:FinancialInstitutionBranch').leaf('cbc:ID', plan.supplier.bic).close('cac:FinancialInstitutionBranch');
  w.close('cac:PayeeFinancialAccount');
  w.close('cac:PaymentMeans');
  w.open('cac:PaymentTerms').leaf('cbc:Note', plan.paymentTerms).close('cac:PaymentTerms');

  for (const ac of plan.allowanceCharges) renderDocumentAllowanceCharge(w, ac, cur);

  w.open('cac:TaxTotal');
  w.leaf('cbc:TaxAmount', plan.totals.tax, cur);
  for (const sub of plan.vatBreakdown) {
    w.open('cac:TaxSubtotal');
    w.leaf('cbc:TaxableAmount', sub.taxable, cur);
    w.leaf('cbc:TaxAmount', sub.tax, cur);
    w.open('cac:TaxCategory');
    w.leaf('cbc:ID', sub.category);
    w.leaf('cbc:Percent', sub.percent);
    if (sub.exemptionReasonCode !== undefined) w.leaf('cbc:TaxExemptionReasonCode', sub.exemptionReasonCode);
    if (sub.exemptionReason !== undefined) w.leaf('cbc:TaxExemptionReason', sub.exemptionReason);
    taxScheme(w);
    w.close('cac:TaxCategory');
    w.close('cac:TaxSubtotal');
  }
  w.close('cac:TaxTotal');

  const t = plan.totals;
  w.open('cac:LegalMonetaryTotal');
  w.leaf('cbc:LineExtensionAmount', t.lineExtension, cur);
  w.leaf('cbc:TaxExclusiveAmount', t.taxExclusive, cur);
  w.leaf('cbc:TaxInclusiveAmount', t.taxInclusive, cur);
  // BR-CO-11/12: these totals exist exactly when document-level allowances/charges exist.
  if (plan.allowanceCharges.some((ac) => !ac.chargeIndicator)) w.leaf('cbc:AllowanceTotalAmount', t.allowanceTotal, cur);
  if (plan.allowanceCharges.some((ac) => ac.chargeIndicator)) w.leaf('cbc:ChargeTotalAmount', t.chargeTotal, cur);
  w.leaf('cbc:PayableAmount', t.payable, cur);
  w.close('cac:LegalMonetaryTotal');

  for (const line of plan.lines) renderLine(w, line, isInvoice, cur);
  w.close(plan.kind);
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${w.toString()}`, 'utf8');
}

function taxScheme(w: XmlWriter): void {
  w.open('cac:TaxScheme').leaf('cbc:ID', 'VAT').close('cac:TaxScheme');
}

function renderParty(w: XmlWriter, role: string, company: SandboxCompany): void {
  const kbo = { schemeID: '0208' };
  w.open(role).open('cac:Party');
  w.leaf('cbc:EndpointID', company.enterpriseNumber, kbo);
  w.open('cac:PartyIdentification').leaf('cbc:ID', company.enterpriseNumber, kbo).close('cac:PartyIdentification');
  w.open('cac:PartyName').leaf('cbc:Name', company.name).close('cac:PartyName');
  w.open('cac:PostalAddress');
  w.leaf('cbc:StreetName', company.street);
  w.leaf('cbc:CityName', company.city);
  w.leaf('cbc:PostalZone', company.postalCode);
  w.open('cac:Country').leaf('cbc:IdentificationCode', company.countryCode).close('cac:Country');
  w.close('cac:PostalAddress');
  w.open('cac:PartyTaxScheme');
  w.leaf('cbc:CompanyID', company.vatNumber);
  taxScheme(w);
  w.close('cac:PartyTaxScheme');
  w.open('cac:PartyLegalEntity');
  w.leaf('cbc:RegistrationName', company.name);
  w.leaf('cbc:CompanyID', company.enterpriseNumber, kbo);
  w.close('cac:PartyLegalEntity');
  w.open('cac:Contact').leaf('cbc:ElectronicMail', company.email).close('cac:Contact');
  w.close('cac:Party').close(role);
}

function renderDocumentAllowanceCharge(w: XmlWriter, ac: PlanAllowanceCharge, cur: Record<string, string>): void {
  w.open('cac:AllowanceCharge');
  w.leaf('cbc:ChargeIndicator', String(ac.chargeIndicator));
  w.leaf('cbc:AllowanceChargeReasonCode', ac.reasonCode);
  w.leaf('cbc:AllowanceChargeReason', ac.reason);
  if (ac.multiplierPercent !== undefined) w.leaf('cbc:MultiplierFactorNumeric', ac.multiplierPercent);
  w.leaf('cbc:Amount', ac.amount, cur);
  if (ac.baseAmount !== undefined) w.leaf('cbc:BaseAmount', ac.baseAmount, cur);
  w.open('cac:TaxCategory');
  w.leaf('cbc:ID', ac.category);
  w.leaf('cbc:Percent', ac.percent);
  taxScheme(w);
  w.close('cac:TaxCategory');
  w.close('cac:AllowanceCharge');
}

function renderLine(w: XmlWriter, line: PlanLine, isInvoice: boolean, cur: Record<string, string>): void {
  const tag = isInvoice ? 'cac:InvoiceLine' : 'cac:CreditNoteLine';
  w.open(tag);
  w.leaf('cbc:ID', line.id);
  w.leaf(isInvoice ? 'cbc:InvoicedQuantity' : 'cbc:CreditedQuantity', line.quantity, { unitCode: line.unitCode });
  w.leaf('cbc:LineExtensionAmount', line.lineExtension, cur);
  if (line.allowance) {
    const a = line.allowance;
    w.open('cac:AllowanceCharge');
    w.leaf('cbc:ChargeIndicator', 'false');
    w.leaf('cbc:AllowanceChargeReasonCode', a.reasonCode);
    w.leaf('cbc:AllowanceChargeReason', a.reason);
    w.leaf('cbc:MultiplierFactorNumeric', a.multiplierPercent);
    w.leaf('cbc:Amount', a.amount, cur);
    w.leaf('cbc:BaseAmount', a.baseAmount, cur);
    w.close('cac:AllowanceCharge');
  }
  w.open('cac:Item');
  w.leaf('cbc:Name', line.description);
  w.open('cac:ClassifiedTaxCategory');
  w.leaf('cbc:ID', line.category);
  w.leaf('cbc:Percent', line.percent);
  taxScheme(w);
  w.close('cac:ClassifiedTaxCategory');
  w.close('cac:Item');
  w.open('cac:Price').leaf('cbc:PriceAmount', line.price, cur).close('cac:Price');
  w.close(tag);
}
