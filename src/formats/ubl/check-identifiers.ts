import type { Element } from '@xmldom/xmldom';
import { isValidBelgianVat } from '../../core/belgian-ids.js';
import { ADVICE, CEN } from './rule-policy.js';
import type { UblContext } from './ubl-context.js';
import { UBL_NS, cacPath, cbc, cbcText, kids, nonEmpty, pathOf } from './ubl-dom.js';

/**
 * VAT identifiers of the parties: BR-CO-09 (an ISO country prefix) and, for Belgian numbers, the mod-97
 * check (BILLSYNC-BE-VAT): Venice routes a document to the dossier by this number, so a typo would file
 * it under nobody. 0208 enterprise numbers are checked wherever they occur, in check-document.ts.
 */

const PARTIES: ReadonlyArray<[string[], string]> = [
  [['AccountingSupplierParty', 'Party'], 'seller'],
  [['AccountingCustomerParty', 'Party'], 'buyer'],
  [['TaxRepresentativeParty'], 'seller tax representative'],
];

const isVatScheme = (scheme: Element): boolean => (cbcText(cacPath(scheme, 'TaxScheme'), 'ID') ?? '').toUpperCase() === 'VAT';

/** The party's VAT identifier (PartyTaxScheme with TaxScheme VAT), or null. */
export function vatIdOf(party: Element | undefined): string | null {
  const scheme = kids(party, UBL_NS.cac, 'PartyTaxScheme').find(isVatScheme);
  const id = cbcText(scheme, 'CompanyID');
  return nonEmpty(id) ? id : null;
}

export function checkIdentifiers(ctx: UblContext): void {
  for (const [steps, who] of PARTIES) {
    const party = cacPath(ctx.root, ...steps);
    for (const scheme of kids(party, UBL_NS.cac, 'PartyTaxScheme')) {
      const idEl = cbc(scheme, 'CompanyID');
      const id = cbcText(scheme, 'CompanyID');
      if (!idEl || !nonEmpty(id)) continue;
      if (isVatScheme(scheme) && !/^[A-Z]{2}/.test(id)) {
        ctx.rules.report(CEN, 'BR-CO-09', `the ${who} VAT identifier "${id}" does not start with an ISO 3166 country prefix`, pathOf(idEl));
      }
      // billsync's own check, not a rule of EN 16931 or Peppol (access points let such invoices
      // through): the accountant hears of it, and Venice, which matches VAT numbers, decides.
      if (/^BE/i.test(id) && !isValidBelgianVat(id)) {
        ctx.rules.report(ADVICE, 'BILLSYNC-BE-VAT',
          `the ${who} Belgian VAT number "${id}" is not BE + 10 digits passing the mod-97 check`, pathOf(idEl));
      }
    }
  }
}
