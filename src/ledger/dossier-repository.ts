import type Database from 'better-sqlite3';
import { DossierFolderTakenError } from './errors/dossier-folder-taken-error.js';

/** A Billit client company and the folder under the export root that its documents go to. */
export interface DossierRow {
  /** Billit PartyID. */
  partyId: number;
  name: string;
  vatNumber: string | null;
  enterpriseNumber: string | null;
  /** Folder name under the export root (unique: one folder, one company). */
  folder: string;
  createdAt: string;
  updatedAt: string;
}

export interface DossierInput {
  partyId: number;
  name: string;
  vatNumber: string | null;
  enterpriseNumber: string | null;
  folder: string;
}

const COLUMNS = `party_id AS partyId, name, vat_number AS vatNumber, enterprise_number AS enterpriseNumber,
  folder, created_at AS createdAt, updated_at AS updatedAt`;

/**
 * The `dossiers` table. Written by the dossier discovery step of a run (Billit's Companies[] mapped
 * to folders) and read by everything that needs to know where a dossier's files go.
 */
export class DossierRepository {
  readonly #now: () => Date;
  readonly #upsert: Database.Statement<[DossierInput & { at: string }], DossierRow>;
  readonly #get: Database.Statement<[number], DossierRow>;
  readonly #list: Database.Statement<[], DossierRow>;
  readonly #byFolder: Database.Statement<[string], DossierRow>;

  constructor(db: Database.Database, now: () => Date) {
    this.#now = now;
    // updated_at moves only when something changed, so it tells when the mapping last changed
    // rather than when discovery last ran.
    this.#upsert = db.prepare(`
      INSERT INTO dossiers (party_id, name, vat_number, enterprise_number, folder, created_at, updated_at)
      VALUES (@partyId, @name, @vatNumber, @enterpriseNumber, @folder, @at, @at)
      ON CONFLICT (party_id) DO UPDATE SET
        name = excluded.name,
        vat_number = excluded.vat_number,
        enterprise_number = excluded.enterprise_number,
        folder = excluded.folder,
        updated_at = CASE
          WHEN dossiers.name IS excluded.name AND dossiers.vat_number IS excluded.vat_number
           AND dossiers.enterprise_number IS excluded.enterprise_number AND dossiers.folder IS excluded.folder
          THEN dossiers.updated_at ELSE excluded.updated_at END
      RETURNING ${COLUMNS}`);
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM dossiers WHERE party_id = ?`);
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM dossiers ORDER BY name, party_id`);
    this.#byFolder = db.prepare(`SELECT ${COLUMNS} FROM dossiers WHERE folder = ?`);
  }

  /**
   * Creates or updates the dossier. Throws DossierFolderTakenError when another dossier already
   * exports into `folder` (checked first, so the error names the other dossier rather than
   * surfacing as a bare UNIQUE constraint failure).
   */
  upsert(input: DossierInput): DossierRow {
    const holder = this.#byFolder.get(input.folder);
    if (holder !== undefined && holder.partyId !== input.partyId) {
      throw new DossierFolderTakenError(input.folder, input.partyId, holder.partyId);
    }
    const row = this.#upsert.get({
      partyId: input.partyId,
      name: input.name,
      vatNumber: input.vatNumber,
      enterpriseNumber: input.enterpriseNumber,
      folder: input.folder,
      at: this.#now().toISOString(),
    });
    if (row === undefined) throw new Error(`Upsert of dossier ${input.partyId} returned no row.`);
    return row;
  }

  get(partyId: number): DossierRow | null {
    return this.#get.get(partyId) ?? null;
  }

  /** All dossiers, by name. */
  list(): DossierRow[] {
    return this.#list.all();
  }

  byFolder(folder: string): DossierRow | null {
    return this.#byFolder.get(folder) ?? null;
  }
}
