import type { Element } from '@xmldom/xmldom';
import { ADVICE, ALWAYS, CEN, PEPPOL, PEPPOL_ONLY } from './rule-policy.js';
import type { UblContext } from './ubl-context.js';
import { UBL_NS, cacPath, cbc, cbcText, kid, kids, nonEmpty, pathBelow, pathOf, textOf } from './ubl-dom.js';

/**
 * Mandatory business terms (EN 16931 BR-01…BR-16, BR-21…BR-26, BR-CO-04; Peppol R001/R003/R007): the
 * header, both parties and the presence of each line's essentials. Totals and VAT are in their own files.
 */

const PROFILE_ID = /^urn:fdc:peppol\.eu:2017:poacc:billing:\d\d:1\.0$/;

export function checkHeader(ctx: UblContext): void {
  const { root, rules } = ctx;
  const require = (code: string, local: string, what: string, policy = ALWAYS): string | null => {
    const value = cbcText(root, local);
    if (!nonEmpty(value)) {
      rules.report(policy, code, `${what} (cbc:${local}) is ${value === null ? 'missing' : 'empty'}`, pathBelow(root, `cbc:${local}`));
      return null;
    }
    return value;
  };

  require('BR-01', 'CustomizationID', 'the specification identifier BT-24');
  const profile = require('PEPPOL-EN16931-R001', 'ProfileID', 'the business process BT-23', PEPPOL_ONLY);
  if (profile !== null && !PROFILE_ID.test(profile)) {
    rules.report(PEPPOL_ONLY, 'PEPPOL-EN16931-R007',
      `ProfileID is "${profile}", expected the form urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0`, pathOf(cbc(root, 'ProfileID')!));
  }
  require('BR-02', 'ID', 'the invoice number BT-1');
  const issueDate = require('BR-03', 'IssueDate', 'the issue date BT-2');
  if (issueDate !== null) checkDate(ctx, cbc(root, 'IssueDate')!, true);
  const dueDate = cbc(root, 'DueDate');
  if (dueDate) checkDate(ctx, dueDate, true);
  for (const means of kids(root, UBL_NS.cac, 'PaymentMeans')) {
    const paymentDue = cbc(means, 'PaymentDueDate');
    if (paymentDue) checkDate(ctx, paymentDue, false);
  }
  require('BR-04', ctx.kind === 'Invoice' ? 'InvoiceTypeCode' : 'CreditNoteTypeCode', 'the type code BT-3');
  const currency = require('BR-05', 'DocumentCurrencyCode', 'the invoice currency BT-5');
  if (currency !== null && !/^[A-Z]{3}$/.test(currency)) {
    rules.report(CEN, 'BR-CL-04', `DocumentCurrencyCode is "${currency}", not an ISO 4217 code`, pathOf(cbc(root, 'DocumentCurrencyCode')!));
  }

  checkParty(ctx, 'AccountingSupplierParty', { name: 'BR-06', address: 'BR-08', country: 'BR-09' }, 'seller');
  checkParty(ctx, 'AccountingCustomerParty', { name: 'BR-07', address: 'BR-10', country: 'BR-11' }, 'buyer');

  const buyerReference = cbcText(root, 'BuyerReference');
  const orderReference = cbcText(cacPath(root, 'OrderReference'), 'ID');
  if (!nonEmpty(buyerReference) && !nonEmpty(orderReference)) {
    rules.report(PEPPOL_ONLY, 'PEPPOL-EN16931-R003',
      'neither a buyer reference (cbc:BuyerReference) nor a purchase order reference (cac:OrderReference/cbc:ID) is given',
      pathBelow(root, 'cbc:BuyerReference'));
  }

  if (ctx.lines.length === 0) {
    const lineName = ctx.kind === 'Invoice' ? 'cac:InvoiceLine' : 'cac:CreditNoteLine';
    rules.report(ALWAYS, 'BR-16', `the document has no ${lineName}; at least one line is required`, pathBelow(root, lineName));
  }
  for (const line of ctx.lines) checkLinePresence(ctx, line);
}

/**
 * A valid xs:date: YYYY-MM-DD, a day that exists, optionally a timezone (Z or ±hh:mm) as the UBL
 * schema allows. Peppol's PEPPOL-EN16931-F001 wants the bare 10 characters for the header dates
 * (`peppolF001`); elsewhere a timezone is only worth a warning.
 */
function checkDate(ctx: UblContext, el: Element, peppolF001: boolean): void {
  const text = textOf(el) ?? '';
  const match = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-](?:0\d|1[0-4]):[0-5]\d)?$/.exec(text);
  const valid = match !== null && (() => {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  })();
  if (!valid) {
    ctx.rules.report(ALWAYS, 'UBL-DATE', `${el.localName} is "${text}", not a valid YYYY-MM-DD date`, pathOf(el));
    return;
  }
  if (match[4] !== undefined) {
    if (peppolF001) ctx.rules.report(PEPPOL, 'PEPPOL-EN16931-F001', `${el.localName} is "${text}": a date with a timezone; Peppol wants YYYY-MM-DD`, pathOf(el));
    else ctx.rules.report(ADVICE, 'UBL-DATE-TIMEZONE', `${el.localName} is "${text}": a date with a timezone, read as ${text.slice(0, 10)}`, pathOf(el));
  }
}

interface PartyRules { name: string; address: string; country: string }

function checkParty(ctx: UblContext, role: string, codes: PartyRules, who: string): void {
  const { root, rules } = ctx;
  const party = cacPath(root, role, 'Party');
  const partyPath = `${pathBelow(root, `cac:${role}`)}/cac:Party`;
  const legal = cacPath(party, 'PartyLegalEntity');
  const registrationName = cbcText(legal, 'RegistrationName');
  // Pre-EN 16931 documents (e-fff, BIS 2) often carry the name only in PartyName.
  const tradingName = cbcText(cacPath(party, 'PartyName'), 'Name');
  const named = nonEmpty(registrationName) || (rules.ruleSet === 'legacy' && nonEmpty(tradingName));
  if (!named) {
    rules.report(ALWAYS, codes.name,
      `the ${who} name (cac:PartyLegalEntity/cbc:RegistrationName) is ${registrationName === null ? 'missing' : 'empty'}`,
      `${partyPath}/cac:PartyLegalEntity/cbc:RegistrationName`);
  }
  const address = cacPath(party, 'PostalAddress');
  if (!address) {
    rules.report(ALWAYS, codes.address, `the ${who} postal address (cac:PostalAddress) is missing`, `${partyPath}/cac:PostalAddress`);
    return;
  }
  const country = cbcText(cacPath(address, 'Country'), 'IdentificationCode');
  if (!nonEmpty(country)) {
    rules.report(ALWAYS, codes.country, `the ${who} country code (cac:Country/cbc:IdentificationCode) is missing`,
      `${pathOf(address)}/cac:Country/cbc:IdentificationCode`);
  }
}

function checkLinePresence(ctx: UblContext, line: Element): void {
  const { rules } = ctx;
  const at = pathOf(line);
  const missing = (code: string, step: string, what: string, policy = ALWAYS): void =>
    rules.report(policy, code, `the line's ${what} (${step}) is missing`, `${at}/${step}`);
  if (!nonEmpty(cbcText(line, 'ID'))) missing('BR-21', 'cbc:ID', 'identifier BT-126');
  const quantity = cbc(line, ctx.kind === 'Invoice' ? 'InvoicedQuantity' : 'CreditedQuantity');
  if (!quantity) missing('BR-22', `cbc:${ctx.kind === 'Invoice' ? 'InvoicedQuantity' : 'CreditedQuantity'}`, 'quantity BT-129', CEN);
  else if (!nonEmpty(quantity.getAttribute('unitCode'))) {
    rules.report(CEN, 'BR-23', 'the line quantity has no unit of measure (@unitCode, BT-130)', pathOf(quantity));
  }
  if (!cbc(line, 'LineExtensionAmount')) missing('BR-24', 'cbc:LineExtensionAmount', 'net amount BT-131');
  const item = kid(line, UBL_NS.cac, 'Item');
  if (!nonEmpty(cbcText(item, 'Name'))) missing('BR-25', 'cac:Item/cbc:Name', 'item name BT-153');
  if (!cbc(cacPath(line, 'Price'), 'PriceAmount')) missing('BR-26', 'cac:Price/cbc:PriceAmount', 'item net price BT-146');
  if (!nonEmpty(cbcText(cacPath(item, 'ClassifiedTaxCategory'), 'ID'))) {
    missing('BR-CO-04', 'cac:Item/cac:ClassifiedTaxCategory/cbc:ID', 'VAT category code BT-151', CEN);
  }
}
