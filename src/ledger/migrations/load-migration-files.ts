import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Migration } from './index.js';

/** `NNN-name.sql`: the number orders the migrations, the rest names them. */
const FILE_NAME = /^(\d+)-([a-z0-9][a-z0-9-]*)\.sql$/;

/**
 * Reads `NNN-name.sql` files from a folder, sorted by their number (numerically, so 010 follows 009
 * even if someone forgets the padding).
 *
 * The runtime does not use this: it runs the inlined MIGRATIONS (see index.ts for why). This is for
 * the test that proves the .sql files and the inlined copies are identical, and for tooling that
 * works on a source checkout. Line endings are normalised to LF and a BOM is dropped, so a Windows
 * checkout (git autocrlf) yields the same text, and therefore the same checksum, as the inlined copy.
 */
export function loadMigrationFiles(folder: string): Migration[] {
  const migrations: Migration[] = [];
  for (const entry of readdirSync(folder)) {
    if (!entry.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(entry);
    if (match === null) {
      throw new Error(`Migration file "${join(folder, entry)}" is not named NNN-name.sql (e.g. 002-add-outbox.sql).`);
    }
    const sql = readFileSync(join(folder, entry), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    migrations.push({ id: Number(match[1]), name: match[2] ?? '', sql });
  }
  return migrations.sort((a, b) => a.id - b.id);
}
