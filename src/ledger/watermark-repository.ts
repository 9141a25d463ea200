import type Database from 'better-sqlite3';
import type { DocumentSource } from '../core/document-kind.js';

/**
 * What a watermark tracks: a document source, the list of orders deleted in Billit, or how long the
 * orders watermark has stood still (orders-source.ts: when its overlap may be left out).
 */
export type WatermarkSource = DocumentSource | 'orders-deleted' | 'orders-overlap';

/**
 * The `watermarks` table: per dossier and source, how far Billit has been read (for orders, the
 * newest LastModified seen). The value is opaque text; its meaning belongs to the source.
 *
 * Contract for callers: set a watermark only in the same transaction as (or after) recording the
 * documents it covers, so a crash can make billsync read something twice, never skip it.
 */
export class WatermarkRepository {
  readonly #now: () => Date;
  readonly #get: Database.Statement<[number, string], string>;
  readonly #set: Database.Statement<[{ dossierPartyId: number; source: string; value: string; at: string }]>;

  constructor(db: Database.Database, now: () => Date) {
    this.#now = now;
    this.#get = db.prepare<[number, string], string>(
      'SELECT value FROM watermarks WHERE dossier_party_id = ? AND source = ?',
    ).pluck();
    this.#set = db.prepare(`
      INSERT INTO watermarks (dossier_party_id, source, value, updated_at)
      VALUES (@dossierPartyId, @source, @value, @at)
      ON CONFLICT (dossier_party_id, source) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  }

  /** The stored value, or null when this dossier's source was never read (start from "export from"). */
  get(dossierPartyId: number, source: WatermarkSource): string | null {
    return this.#get.get(dossierPartyId, source) ?? null;
  }

  set(dossierPartyId: number, source: WatermarkSource, value: string): void {
    this.#set.run({ dossierPartyId, source, value, at: this.#now().toISOString() });
  }
}
