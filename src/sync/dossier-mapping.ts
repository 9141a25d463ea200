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
  /** The folder the dossier would have had, when another dossier holds it (the PartyID was appended). */
  clashedFolder?: string;
}

/** "BE0123.456.749" or "0123456749" → "0123456749"; null when it is not a Belgian enterprise number. */
export function enterpriseNumberOf(vat: string | null | undefined): string | null {
  const digits = (vat ?? '').replace(/^BE/i, '').replace(/[^\d]/g, '');
  return /^\d{10}$/.test(digits) ? digits : null;
}

/**
 * Maps Billit companies to dossier folders: the per-dossier override, else the folder billsync gave
 * the dossier before (sticky: a company renamed in Billit must not move its documents to a folder
 * Venice does not read), else the template. Folders stay unique, case-insensitively as on Windows:
 * a clash gets the PartyID appended.
 */
export function mapDossiers(companies: readonly Company[], config: BillsyncConfig, existing: ReadonlyMap<number, string> = new Map()): DossierMapping[] {
  const taken = new Map<string, number>();
  for (const [partyId, folder] of existing) taken.set(folder.toLowerCase(), partyId);
  const mappings: DossierMapping[] = [];
  const sorted = [...companies].sort((a, b) => a.PartyID - b.PartyID);
  for (const company of sorted) {
    const override = config.dossiers[String(company.PartyID)];
    const enterprise = enterpriseNumberOf(company.VATNumber);
    let folder = override?.folder
      ? sanitizeSegment(override.folder)
      : existing.get(company.PartyID) ?? renderFolderTemplate(config.dossierFolderTemplate, {
        name: company.Name, enterprise: enterprise ?? String(company.PartyID), vat: company.VATNumber ?? '', partyId: company.PartyID,
      });
    const owner = taken.get(folder.toLowerCase());
    const wanted = folder;
    // fitFileName never cuts the suffix, so the PartyID that makes the folder unique survives truncation.
    if (owner !== undefined && owner !== company.PartyID) folder = fitFileName(folder, ` [${company.PartyID}]`, '');
    taken.set(folder.toLowerCase(), company.PartyID);
    mappings.push({
      partyId: company.PartyID, name: company.Name, vatNumber: company.VATNumber ?? null, enterpriseNumber: enterprise,
      folder, disabled: override?.disabled ?? false, ...(folder === wanted ? {} : { clashedFolder: wanted }),
    });
  }
  return mappings;
}
