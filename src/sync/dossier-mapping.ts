import type { Company } from '../billit/schemas.js';
import type { BillsyncConfig } from '../config/schema.js';
import { renderFolderTemplate } from '../export/layout.js';
import { fitFileName, sanitizeSegment } from '../export/windows-name.js';

export interface DossierMapping {
  partyId: number;
  name: string;
  vatNumber: string | null;
  enterpriseNumber: string | null;
  folder: string;
  disabled: boolean;
}

/** "BE0123.456.749" or "0123456749" → "0123456749"; null when it is not a Belgian enterprise number. */
export function enterpriseNumberOf(vat: string | null | undefined): string | null {
  const digits = (vat ?? '').replace(/^BE/i, '').replace(/[^\d]/g, '');
  return /^\d{10}$/.test(digits) ? digits : null;
}

/**
 * Maps Billit companies to dossier folders: the per-dossier override, else the template. Two companies
 * whose names give the same folder get their PartyID appended, so folders stay unique.
 */
export function mapDossiers(companies: readonly Company[], config: BillsyncConfig): DossierMapping[] {
  const taken = new Map<string, number>();
  const mappings: DossierMapping[] = [];
  const sorted = [...companies].sort((a, b) => a.PartyID - b.PartyID);
  for (const company of sorted) {
    const override = config.dossiers[String(company.PartyID)];
    const enterprise = enterpriseNumberOf(company.VATNumber);
    let folder = override?.folder
      ? sanitizeSegment(override.folder)
      : renderFolderTemplate(config.dossierFolderTemplate, {
        name: company.Name, enterprise: enterprise ?? String(company.PartyID), vat: company.VATNumber ?? '', partyId: company.PartyID,
      });
    // fitFileName never cuts the suffix, so the PartyID that makes the folder unique survives truncation.
    if (taken.has(folder.toLowerCase())) folder = fitFileName(folder, ` [${company.PartyID}]`, '');
    taken.set(folder.toLowerCase(), company.PartyID);
    mappings.push({
      partyId: company.PartyID, name: company.Name, vatNumber: company.VATNumber ?? null, enterpriseNumber: enterprise,
      folder, disabled: override?.disabled ?? false,
    });
  }
  return mappings;
}
