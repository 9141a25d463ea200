import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Ledger } from '../../../src/ledger/ledger.js';
import { Random } from '../../../src/sandbox/data/random.js';

export interface LedgerLookup {
  rows: number;
  buildSeconds: number;
  find: { medianMs: number; p95Ms: number };
  byFinalPath: { medianMs: number; p95Ms: number };
  /** The median of both kinds of lookup together: the reported figure. */
  medianMs: number;
  fileMb: number;
}

/** In the order the SQL below assigns them (row i gets SOURCES[i % 4]). */
const SOURCES = ['orders', 'documents', 'coda', 'feed'] as const;
const DOSSIERS = 1000;

const billitIdOf = (i: number): string => `${100_000 + i}`;
const finalPathOf = (i: number): string => `D:\\Venice\\Dossier ${i % DOSSIERS} (0${400_000_000 + (i % DOSSIERS)})\\Purchases\\2026-10-${String(1 + (i % 28)).padStart(2, '0')}_BE0${400_000_000 + i}_F${i}.xml`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Times `count` lookups of random rows below `rows`; every one must find its row. Sorted, in ms. */
function timeLookups(rows: number, count: number, rnd: Random, lookup: (i: number) => unknown): number[] {
  const times: number[] = [];
  for (let k = 0; k < count; k++) {
    const i = rnd.int(0, rows - 1);
    const started = performance.now();
    const row = lookup(i);
    times.push(performance.now() - started);
    if (row === null) throw new Error(`lookup ${i} found nothing`);
  }
  return times.sort((a, b) => a - b);
}

/**
 * A ledger with `rows` exported documents, filled in one transaction through a plain connection on
 * the file Ledger.open migrated; then `lookups` random lookups by (source, billitId) and by final
 * path through the repository, as the run loop and the folder watcher make them.
 */
export function measureLedgerLookups(rows: number, lookups = 1000): LedgerLookup {
  const dir = mkdtempSync(join(tmpdir(), 'billsync-bench-ledger-'));
  const file = join(dir, 'ledger.sqlite');
  try {
    const started = performance.now();
    Ledger.open(file).close();
    // Filling a benchmark ledger needs no crash safety: no journal, no fsync, the whole file in cache.
    const db = new Database(file);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1500000');
    const at = new Date().toISOString();
    db.prepare(`WITH RECURSIVE n(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM n WHERE d + 1 < ${DOSSIERS})
      INSERT INTO dossiers (party_id, name, vat_number, enterprise_number, folder, created_at, updated_at)
      SELECT 200000 + d, 'Dossier ' || d, 'BE0' || (400000000 + d), '0' || (400000000 + d), 'Dossier ' || d, @at, @at FROM n`).run({ at });
    // Indexes are built once after the rows are in (sorted builds), from their own CREATE statements,
    // so the file ends up with exactly the schema the migrations made.
    const indexes = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' AND sql IS NOT NULL").all();
    for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
    // One statement generates every row (the same paths and ids as finalPathOf and billitIdOf).
    db.prepare(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @rows)
      INSERT INTO documents (source, billit_id, dossier_party_id, kind, state, title, billit_last_modified, sha256, original_sha256,
        target_path, final_path, created_at, updated_at, placed_at, acknowledged_at, reference, amount_cents, document_date)
      SELECT source, 100000 + i, 200000 + i % ${DOSSIERS}, CASE source WHEN 'coda' THEN 'coda' ELSE 'purchase' END, 'acknowledged',
        'F' || i, '2026-10-15T10:00:00', @sha, @sha, path, path, @at, @at, @at, @at, 'F' || i, 10000 + i % 100000, '2026-10-15'
      FROM (SELECT i, CASE i % 4 WHEN 0 THEN 'orders' WHEN 1 THEN 'documents' WHEN 2 THEN 'coda' ELSE 'feed' END AS source,
        printf('D:\\Venice\\Dossier %d (0%d)\\Purchases\\2026-10-%02d_BE0%d_F%d.xml', i % ${DOSSIERS}, 400000000 + i % ${DOSSIERS}, 1 + i % 28, 400000000 + i, i) AS path
        FROM n)`).run({ rows, at, sha: 'ab'.repeat(32) });
    for (const index of indexes) db.exec(index.sql);
    db.close();
    const buildSeconds = (performance.now() - started) / 1000;

    const ledger = Ledger.open(file);
    try {
      const rnd = new Random('bench-ledger');
      // Warm the page cache and the statements as a running agent has them.
      timeLookups(rows, 200, rnd, (i) => ledger.documents.find(SOURCES[i % SOURCES.length]!, billitIdOf(i)));
      const find = timeLookups(rows, lookups, rnd, (i) => ledger.documents.find(SOURCES[i % SOURCES.length]!, billitIdOf(i)));
      const byPath = timeLookups(rows, lookups, rnd, (i) => ledger.documents.byFinalPath(finalPathOf(i)));
      const both = [...find, ...byPath].sort((a, b) => a - b);
      return {
        rows, buildSeconds,
        find: { medianMs: percentile(find, 0.5), p95Ms: percentile(find, 0.95) },
        byFinalPath: { medianMs: percentile(byPath, 0.5), p95Ms: percentile(byPath, 0.95) },
        medianMs: percentile(both, 0.5),
        fileMb: statSync(file).size / (1024 * 1024),
      };
    } finally {
      ledger.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
