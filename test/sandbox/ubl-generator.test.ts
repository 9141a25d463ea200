import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DOMParser, XMLSerializer, onWarningStopParsing } from '@xmldom/xmldom';
import type { Element } from '@xmldom/xmldom';
import { isValidBelgianVat, isValidEnterpriseNumber, isValidIban, isValidStructuredCommunication } from '../../src/core/belgian-ids.js';
import { divRound, parseCents, parseDecimal } from '../../src/core/money.js';
import { generateCompany } from '../../src/sandbox/data/company.js';
import type { SandboxCompany } from '../../src/sandbox/data/company.js';
import { planInvoice } from '../../src/sandbox/data/invoice-plan.js';
import type { InvoicePlan } from '../../src/sandbox/data/invoice-plan.js';
import { makePdf } from '../../src/sandbox/data/pdf.js';
import { Random } from '../../src/sandbox/data/random.js';
import { SBDH_NAMESPACE, wrapInSbdh } from '../../src/sandbox/data/sbdh.js';
import { renderUbl } from '../../src/sandbox/data/ubl-render.js';

// Everything below is recomputed from the parsed XML, never from the plan: the XML is what Venice receives.

const NS = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

/** The UBL 2.1 XSD sequences, restricted to the elements the generator may emit. */
const ROOT_ORDER = {
  Invoice: ['CustomizationID', 'ProfileID', 'ID', 'IssueDate', 'DueDate', 'InvoiceTypeCode', 'DocumentCurrencyCode',
    'BuyerReference', 'BillingReference', 'AdditionalDocumentReference', 'AccountingSupplierParty',
    'AccountingCustomerParty', 'PaymentMeans', 'PaymentTerms', 'AllowanceCharge', 'TaxTotal', 'LegalMonetaryTotal', 'InvoiceLine'],
  CreditNote: ['CustomizationID', 'ProfileID', 'ID', 'IssueDate', 'CreditNoteTypeCode', 'DocumentCurrencyCode',
    'BuyerReference', 'BillingReference', 'AdditionalDocumentReference', 'AccountingSupplierParty',
    'AccountingCustomerParty', 'PaymentMeans', 'PaymentTerms', 'AllowanceCharge', 'TaxTotal', 'LegalMonetaryTotal', 'CreditNoteLine'],
};
const LINE_ORDER = ['ID', 'InvoicedQuantity', 'CreditedQuantity', 'LineExtensionAmount', 'AllowanceCharge', 'Item', 'Price'];

function parse(xml: string): Element {
  const doc = new DOMParser({ onError: onWarningStopParsing }).parseFromString(xml, 'application/xml');
  assert.ok(doc.documentElement, 'document has a root element');
  return doc.documentElement;
}
const kids = (el: Element, ns: string, name: string): Element[] =>
  [...el.children].filter((c) => c.namespaceURI === ns && c.localName === name);
function kid(el: Element, ns: string, name: string): Element {
  const found = kids(el, ns, name);
  assert.equal(found.length, 1, `exactly one ${name} in ${el.localName}`);
  return found[0]!;
}
const cac = (el: Element, ...path: string[]): Element => path.reduce((e, name) => kid(e, NS.cac, name), el);
const cbc = (el: Element, name: string): Element => kid(el, NS.cbc, name);
const optCbc = (el: Element, name: string): Element | undefined => kids(el, NS.cbc, name)[0];
const text = (el: Element): string => (el.textContent ?? '').trim();
const cents = (el: Element): bigint => parseCents(text(el));
const optCents = (el: Element, name: string): bigint => { const e = optCbc(el, name); return e ? cents(e) : 0n; };
/** round2(base × percent / 100) with percent in hundredths: the EN 16931 half-up rounding. */
const percentOf = (base: bigint, percent: string): bigint => divRound(base * parseDecimal(percent, 2), 10000n);

function assertOrder(el: Element, order: readonly string[]): void {
  let last = -1;
  for (const child of el.children) {
    const index = order.indexOf(child.localName ?? '');
    assert.ok(index >= 0, `unexpected ${child.localName} in ${el.localName}`);
    assert.ok(index >= last, `${child.localName} out of XSD order in ${el.localName}`);
    last = index;
  }
}

/** Every xref entry must point at "N 0 obj", and startxref at the xref keyword. Returns the object count. */
function assertXref(pdf: Buffer): number {
  const s = pdf.toString('latin1');
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n?$/.exec(s)?.[1]);
  assert.ok(s.startsWith('xref\n', startxref), 'startxref points at xref');
  const header = /^xref\n0 (\d+)\n/.exec(s.slice(startxref));
  assert.ok(header, 'xref subsection header');
  const size = Number(header[1]);
  const entriesAt = startxref + header[0].length;
  for (let n = 1; n < size; n++) {
    const entry = s.slice(entriesAt + n * 20, entriesAt + (n + 1) * 20);
    assert.match(entry, /^\d{10} 00000 n \n$/, `xref entry ${n} is 20 bytes`);
    assert.ok(s.startsWith(`${n} 0 obj`, Number(entry.slice(0, 10))), `xref entry ${n} points at its object`);
  }
  assert.match(s, new RegExp(`trailer\\n<< /Size ${size} /Root 1 0 R >>`));
  return size;
}

interface Seen { kind: string; lineAllowances: number; allowances: number; charges: number; categories: string[]; pdf: boolean }

/** Checks one UBL document against the structure and the EN 16931 arithmetic; returns what it contained. */
function checkUbl(xml: string): Seen {
  const root = parse(xml);
  const kind = root.localName === 'Invoice' ? 'Invoice' : 'CreditNote';
  assert.equal(root.namespaceURI, NS[kind]);
  assertOrder(root, ROOT_ORDER[kind]);
  assert.equal(text(cbc(root, 'CustomizationID')), 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0');
  assert.equal(text(cbc(root, 'ProfileID')), 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0');
  assert.equal(text(cbc(root, kind === 'Invoice' ? 'InvoiceTypeCode' : 'CreditNoteTypeCode')), kind === 'Invoice' ? '380' : '381');
  assert.equal(text(cbc(root, 'DocumentCurrencyCode')), 'EUR');
  assert.ok(text(cbc(root, 'BuyerReference')).length > 0, 'R003 buyer reference');

  // R051: every amount carries the document currency; BR-DEC: at most 2 decimals.
  let amounts = 0;
  for (const el of root.getElementsByTagName('*')) {
    const currency = el.getAttribute('currencyID');
    if (el.localName?.endsWith('Amount')) assert.ok(currency !== null, `${el.localName} has a currencyID`);
    if (currency === null) continue;
    amounts++;
    assert.equal(currency, 'EUR');
    assert.match(text(el), /^\d+\.\d{2}$/, `${el.localName} has 2 decimals`);
  }
  assert.ok(amounts >= 6);

  for (const role of ['AccountingSupplierParty', 'AccountingCustomerParty']) {
    const party = cac(root, role, 'Party');
    const endpoint = cbc(party, 'EndpointID');
    assert.equal(endpoint.getAttribute('schemeID'), '0208');
    assert.ok(isValidEnterpriseNumber(text(endpoint)), `${role} endpoint passes mod 97`);
    const legal = cbc(cac(party, 'PartyLegalEntity'), 'CompanyID');
    assert.equal(legal.getAttribute('schemeID'), '0208');
    assert.ok(isValidEnterpriseNumber(text(legal)), `${role} legal id passes mod 97`);
    assert.ok(text(cbc(cac(party, 'PartyLegalEntity'), 'RegistrationName')).length > 0);
    const vat = cac(party, 'PartyTaxScheme');
    assert.ok(isValidBelgianVat(text(cbc(vat, 'CompanyID'))));
    assert.equal(text(cbc(cac(vat, 'TaxScheme'), 'ID')), 'VAT');
    assert.equal(text(cbc(cac(party, 'PostalAddress', 'Country'), 'IdentificationCode')), 'BE');
  }

  const means = cac(root, 'PaymentMeans');
  assert.equal(text(cbc(means, 'PaymentMeansCode')), '30');
  assert.match(text(cbc(means, 'PaymentID')), /^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/);
  assert.ok(isValidStructuredCommunication(text(cbc(means, 'PaymentID'))));
  assert.ok(isValidIban(text(cbc(cac(means, 'PayeeFinancialAccount'), 'ID'))));

  // Lines: R120 exactly (the generator rounds once per line), and the per-category line sums.
  const groups = new Map<string, bigint>();
  const add = (key: string, amount: bigint): void => { groups.set(key, (groups.get(key) ?? 0n) + amount); };
  const lines = kids(root, NS.cac, kind === 'Invoice' ? 'InvoiceLine' : 'CreditNoteLine');
  assert.ok(lines.length >= 1 && lines.length <= 6);
  let lineSum = 0n;
  let lineAllowances = 0;
  for (const line of lines) {
    assertOrder(line, LINE_ORDER);
    const qtyEl = cbc(line, kind === 'Invoice' ? 'InvoicedQuantity' : 'CreditedQuantity');
    assert.match(text(qtyEl), /^\d+(\.\d{1,2})?$/);
    assert.ok((qtyEl.getAttribute('unitCode') ?? '').length > 0);
    const qty = parseDecimal(text(qtyEl), 2);
    const price = cents(cbc(cac(line, 'Price'), 'PriceAmount'));
    let adjustment = 0n;
    for (const ac of kids(line, NS.cac, 'AllowanceCharge')) {
      lineAllowances++;
      const amount = cents(cbc(ac, 'Amount'));
      const factor = optCbc(ac, 'MultiplierFactorNumeric');
      if (factor) assert.equal(amount, percentOf(cents(cbc(ac, 'BaseAmount')), text(factor)), 'R040 on line');
      adjustment += text(cbc(ac, 'ChargeIndicator')) === 'true' ? amount : -amount;
    }
    const amount = cents(cbc(line, 'LineExtensionAmount'));
    assert.equal(amount, divRound(qty * price, 100n) + adjustment, 'R120');
    lineSum += amount;
    const category = cac(line, 'Item', 'ClassifiedTaxCategory');
    add(`${text(cbc(category, 'ID'))}|${text(cbc(category, 'Percent'))}`, amount);
  }

  let allowanceSum = 0n;
  let chargeSum = 0n;
  const docAcs = kids(root, NS.cac, 'AllowanceCharge');
  for (const ac of docAcs) {
    const isCharge = text(cbc(ac, 'ChargeIndicator')) === 'true';
    const amount = cents(cbc(ac, 'Amount'));
    const factor = optCbc(ac, 'MultiplierFactorNumeric');
    if (factor) assert.equal(amount, percentOf(cents(cbc(ac, 'BaseAmount')), text(factor)), 'R040');
    if (isCharge) chargeSum += amount; else allowanceSum += amount;
    const category = cac(ac, 'TaxCategory');
    add(`${text(cbc(category, 'ID'))}|${text(cbc(category, 'Percent'))}`, isCharge ? amount : -amount);
  }

  const totals = cac(root, 'LegalMonetaryTotal');
  const lineExtension = cents(cbc(totals, 'LineExtensionAmount'));
  assert.equal(lineExtension, lineSum, 'BR-CO-10');
  const allowanceTotal = optCbc(totals, 'AllowanceTotalAmount');
  const chargeTotal = optCbc(totals, 'ChargeTotalAmount');
  assert.equal(allowanceTotal !== undefined, docAcs.some((ac) => text(cbc(ac, 'ChargeIndicator')) === 'false'), 'BR-CO-11 presence');
  assert.equal(chargeTotal !== undefined, docAcs.some((ac) => text(cbc(ac, 'ChargeIndicator')) === 'true'), 'BR-CO-12 presence');
  assert.equal(optCents(totals, 'AllowanceTotalAmount'), allowanceSum, 'BR-CO-11');
  assert.equal(optCents(totals, 'ChargeTotalAmount'), chargeSum, 'BR-CO-12');
  const taxExclusive = cents(cbc(totals, 'TaxExclusiveAmount'));
  assert.equal(taxExclusive, lineExtension - allowanceSum + chargeSum, 'BR-CO-13');

  const taxTotal = cac(root, 'TaxTotal');
  const tax = cents(cbc(taxTotal, 'TaxAmount'));
  const subtotals = kids(taxTotal, NS.cac, 'TaxSubtotal');
  assert.equal(tax, subtotals.reduce((sum, s) => sum + cents(cbc(s, 'TaxAmount')), 0n), 'BR-CO-14');
  const taxInclusive = cents(cbc(totals, 'TaxInclusiveAmount'));
  assert.equal(taxInclusive, taxExclusive + tax, 'BR-CO-15');
  const payable = cents(cbc(totals, 'PayableAmount'));
  assert.equal(payable, taxInclusive - optCents(totals, 'PrepaidAmount') + optCents(totals, 'PayableRoundingAmount'), 'BR-CO-16');
  if (payable > 0n) {
    const due = kind === 'Invoice' ? optCbc(root, 'DueDate') : optCbc(means, 'PaymentDueDate');
    assert.match(due ? text(due) : '', /^\d{4}-\d{2}-\d{2}$/, 'BR-CO-25');
  }
  if (kind === 'CreditNote') assert.equal(optCbc(root, 'DueDate'), undefined, 'a CreditNote has no DueDate element');

  // BR-CO-17/18, BR-S/Z/E-08..10: one subtotal per category and rate, each matching the lines and allowances.
  const seenKeys: string[] = [];
  for (const sub of subtotals) {
    const category = cac(sub, 'TaxCategory');
    const id = text(cbc(category, 'ID'));
    const percent = text(cbc(category, 'Percent'));
    const key = `${id}|${percent}`;
    seenKeys.push(key);
    const taxable = cents(cbc(sub, 'TaxableAmount'));
    const subTax = cents(cbc(sub, 'TaxAmount'));
    assert.equal(taxable, groups.get(key), `BR-${id}-08 taxable for ${key}`);
    const reason = optCbc(category, 'TaxExemptionReason') ?? optCbc(category, 'TaxExemptionReasonCode');
    if (id === 'S') {
      assert.ok(parseDecimal(percent, 2) > 0n, 'BR-S-05');
      assert.equal(subTax, percentOf(taxable, percent), `BR-S-09 for ${key}`);
      assert.equal(reason, undefined);
    } else {
      assert.ok(id === 'Z' || id === 'E', `unexpected category ${id}`);
      assert.equal(parseDecimal(percent, 2), 0n);
      assert.equal(subTax, 0n, `BR-${id}-09`);
      assert.equal(reason !== undefined, id === 'E', id === 'E' ? 'BR-E-10 needs a reason' : 'BR-Z-10 forbids a reason');
    }
  }
  assert.deepEqual([...seenKeys].sort(), [...groups.keys()].sort(), 'every category used has exactly one subtotal');

  const adrs = kids(root, NS.cac, 'AdditionalDocumentReference');
  for (const adr of adrs) {
    assert.ok(text(cbc(adr, 'ID')).length > 0, 'BR-52');
    const blob = cbc(cac(adr, 'Attachment'), 'EmbeddedDocumentBinaryObject');
    assert.equal(blob.getAttribute('mimeCode'), 'application/pdf');
    assert.match(blob.getAttribute('filename') ?? '', /\.pdf$/);
    assert.match(text(blob), /^[A-Za-z0-9+/]+={0,2}$/);
    const pdf = Buffer.from(text(blob), 'base64');
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.subarray(-7).toString('latin1'), /%%EOF\n?$/);
    assertXref(pdf);
  }
  const charges = docAcs.filter((ac) => text(cbc(ac, 'ChargeIndicator')) === 'true').length;
  return { kind, lineAllowances, allowances: docAcs.length - charges, charges, categories: seenKeys, pdf: adrs.length > 0 };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function pdfLinesFor(plan: InvoicePlan): string[] {
  return [plan.supplier.name, `${plan.supplier.street}, ${plan.supplier.postalCode} ${plan.supplier.city}`, '',
    `${plan.kind === 'Invoice' ? 'Factuur' : 'Creditnota'} ${plan.number} – ${plan.issueDate}`, `Aan: ${plan.customer.name}`, '',
    ...plan.lines.map((l) => `${l.description}  ${l.quantity} ${l.unitCode} × € ${l.price} = € ${l.lineExtension}`), '',
    `Totaal te betalen: € ${plan.totals.payable}`, `Mededeling: ${plan.paymentReference}`];
}

interface Generated { plan: InvoicePlan; xml: Buffer }

/** A seed's documents: one supplier, a handful of customers, every fourth document a credit note, half with a PDF. */
function generate(seed: string, count: number, supplierOverride?: Partial<SandboxCompany>): Generated[] {
  const root = new Random(seed);
  const supplier = { ...generateCompany(root.fork('supplier'), 1), ...supplierOverride };
  const out: Generated[] = [];
  for (let i = 0; i < count; i++) {
    const customer = generateCompany(root.fork(`customer:${i % 7}`), 10 + (i % 7));
    const kind = i % 4 === 3 ? 'CreditNote' : 'Invoice';
    const issueDate = addDays('2025-01-02', i * 2);
    const number = `${kind === 'Invoice' ? 'F' : 'CN'}2025-${String(i + 1).padStart(4, '0')}`;
    const plan = planInvoice(root.fork(`doc:${i}`), {
      kind, number, issueDate, dueDate: addDays(issueDate, 30), supplier, customer,
      ...(kind === 'CreditNote' ? { precedingInvoiceNumber: `F2025-${String(i).padStart(4, '0')}` } : {}),
    });
    const options = i % 2 === 0 ? { pdf: makePdf(pdfLinesFor(plan)), pdfFileName: `${number}.pdf` } : {};
    out.push({ plan, xml: renderUbl(plan, options) });
  }
  return out;
}

const SEEDS = ['alpha', 'beta', 'gamma', 'delta'];

test('two hundred generated invoices and credit notes satisfy the EN 16931 arithmetic as read back from the XML', () => {
  const seen: Seen[] = [];
  for (const seed of SEEDS) for (const { xml } of generate(seed, 50)) seen.push(checkUbl(xml.toString('utf8')));
  assert.equal(seen.length, 200);
  // The corpus must actually exercise the variants, or the checks above prove little.
  const count = (f: (s: Seen) => boolean): number => seen.filter(f).length;
  assert.equal(count((s) => s.kind === 'CreditNote'), 48); // i % 4 === 3 for i < 50: 12 per seed
  assert.equal(count((s) => s.pdf), 100);
  assert.ok(count((s) => s.lineAllowances > 0) >= 10, 'line allowances occur');
  assert.ok(count((s) => s.allowances > 0) >= 5, 'document allowances occur');
  assert.ok(count((s) => s.charges > 0) >= 5, 'document charges occur');
  assert.ok(count((s) => s.categories.length > 1) >= 20, 'several VAT rates on one document occur');
  for (const key of ['S|21', 'S|12', 'S|6', 'Z|0', 'E|0']) assert.ok(count((s) => s.categories.includes(key)) > 0, `${key} occurs`);
});

test('the same seed renders byte-identical XML twice', () => {
  const first = generate('alpha', 30);
  const second = generate('alpha', 30);
  first.forEach((doc, i) => assert.ok(doc.xml.equals(second[i]!.xml), `document ${i} is identical`));
  assert.ok(!first[0]!.xml.equals(generate('beta', 1)[0]!.xml), 'another seed gives another document');
});

test('an XML-special company name is escaped and parses back unchanged', () => {
  const name = 'Ca & Co\'s <BV> "quoted"';
  const [doc] = generate('escape', 1, { name, street: 'Rue de l\'Église 5 <b>' });
  const xml = doc!.xml.toString('utf8');
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
  assert.ok(xml.includes('Ca &amp; Co&apos;s &lt;BV&gt; &quot;quoted&quot;'));
  checkUbl(xml);
  const party = cac(parse(xml), 'AccountingSupplierParty', 'Party');
  assert.equal(text(cbc(cac(party, 'PartyName'), 'Name')), name);
  assert.equal(text(cbc(cac(party, 'PartyLegalEntity'), 'RegistrationName')), name);
  assert.equal(text(cbc(cac(party, 'PostalAddress'), 'StreetName')), 'Rue de l\'Église 5 <b>');
});

test('makePdf writes a valid PDF whose xref offsets point at every object', () => {
  const pdf = makePdf(['Factuur F2025-0001 – Liège', 'Totaal: € 1.234,56 (incl. btw) \\ back']);
  assert.equal(assertXref(pdf), 6);
  const s = pdf.toString('latin1');
  assert.ok(s.startsWith('%PDF-1.4\n'));
  assert.ok(s.endsWith('%%EOF\n'));
  assert.ok(s.includes('(Factuur F2025-0001 - Liege) Tj'), 'accents and dashes are transliterated');
  assert.ok(s.includes('(Totaal: EUR 1.234,56 \\(incl. btw\\) \\\\ back) Tj'), 'parentheses and backslashes are escaped');
  const body = pdf.subarray(pdf.indexOf('1 0 obj'));
  assert.ok(body.every((b) => b < 0x80), 'everything after the binary marker comment is ASCII');
});

test('makePdf pads to at least 250000 bytes and keeps the xref correct', () => {
  const pdf = makePdf(['Benchmark'], { padToBytes: 250000, rnd: new Random('bench') });
  assert.ok(pdf.length >= 250000, `size ${pdf.length}`);
  assert.ok(pdf.length < 250000 + 200, 'padding overshoots by a few bytes only');
  assert.equal(assertXref(pdf), 7);
  assert.match(pdf.subarray(-7).toString('latin1'), /%%EOF\n$/);
  assert.ok(pdf.equals(makePdf(['Benchmark'], { padToBytes: 250000, rnd: new Random('bench') })), 'padding is deterministic');
  const ubl = renderUbl(generate('bench', 1)[0]!.plan, { pdf, pdfFileName: 'big.pdf' });
  assert.ok(ubl.length > 330000, 'base64 grows the embedded PDF by a third');
  checkUbl(ubl.toString('utf8'));
});

test('the SBDH wraps exactly one Invoice or CreditNote element in the UBL namespace', () => {
  for (const { plan, xml } of generate('sbdh', 8)) {
    const input = { senderId: `0208:${plan.supplier.enterpriseNumber}`, receiverId: `0208:${plan.customer.enterpriseNumber}`,
      documentId: `doc-${plan.number}`, createdAt: '2025-03-04T10:15:00Z', kind: plan.kind };
    const wrapped = wrapInSbdh(xml, input);
    assert.ok(wrapped.equals(wrapInSbdh(xml, input)), 'wrapping is deterministic');
    const text8 = wrapped.toString('utf8');
    assert.equal(text8.match(/<\?xml/g)?.length, 1, 'a single XML declaration');
    const root = parse(text8);
    assert.equal(root.namespaceURI, SBDH_NAMESPACE);
    assert.equal(root.localName, 'StandardBusinessDocument');
    const ublElements = [...root.getElementsByTagNameNS(NS.Invoice, '*'), ...root.getElementsByTagNameNS(NS.CreditNote, '*')];
    assert.equal(ublElements.length, 1);
    const payload = ublElements[0]!;
    assert.equal(payload.localName, plan.kind);
    assert.equal(payload.parentNode, root, 'the UBL element is a direct child of the SBD');
    assert.deepEqual([...root.children].map((c) => c.localName), ['StandardBusinessDocumentHeader', plan.kind]);

    const sbd = (el: Element, ...path: string[]): Element => path.reduce((e, name) => kid(e, SBDH_NAMESPACE, name), el);
    const header = sbd(root, 'StandardBusinessDocumentHeader');
    assert.equal(text(sbd(header, 'HeaderVersion')), '1.0');
    const sender = sbd(header, 'Sender', 'Identifier');
    assert.equal(sender.getAttribute('Authority'), 'iso6523-actorid-upis');
    assert.equal(text(sender), input.senderId);
    assert.equal(text(sbd(header, 'Receiver', 'Identifier')), input.receiverId);
    const ident = sbd(header, 'DocumentIdentification');
    assert.equal(text(sbd(ident, 'Standard')), NS[plan.kind]);
    assert.equal(text(sbd(ident, 'TypeVersion')), '2.1');
    assert.equal(text(sbd(ident, 'InstanceIdentifier')), input.documentId);
    assert.equal(text(sbd(ident, 'Type')), plan.kind);
    assert.equal(text(sbd(ident, 'CreationDateAndTime')), input.createdAt);
    const scopes = new Map(kids(sbd(header, 'BusinessScope'), SBDH_NAMESPACE, 'Scope')
      .map((s) => [text(sbd(s, 'Type')), text(sbd(s, 'InstanceIdentifier'))]));
    assert.equal(scopes.get('DOCUMENTID'), `${NS[plan.kind]}::${plan.kind}##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1`);
    assert.equal(scopes.get('PROCESSID'), 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0');

    // What the agent will do: take the payload element out and re-serialise it; it must still be a valid document.
    checkUbl(new XMLSerializer().serializeToString(payload));
  }
});
