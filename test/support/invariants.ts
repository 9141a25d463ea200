/**
 * The export invariants every fault, crash and recovery test checks after a run (product.md §4, §6):
 *
 * - nothing half-written: no temporary file is visible under the export root, and every file there
 *   has the bytes of a whole document (its sha256 is one of the expected hashes);
 * - nothing duplicated: no two files under the root have the same bytes;
 * - ledger equal to disk: every `placed`/`acknowledged` row's final_path exists, under the root, with
 *   the row's sha256, and every file on disk belongs to such a row;
 * - nothing lost (only when `complete: true`, i.e. after the final run): every expected document is on
 *   disk exactly once and its ledger row is `acknowledged` (or `picked_up`), and no row is left half-way
 *   (`fetched`, `placed`, or `seen` with a recorded failure; a plain `seen` row is a document the policy
 *   does not export, e.g. a rejected order).
 *
 * Two entry points:
 * - `inspectExport(options)` collects the violations and never throws (for tests that want to count or
 *   print them, e.g. after each kill in a crash loop);
 * - `checkExportInvariants(options)` does the same and fails with one AssertionError listing every
 *   violation (the usual call in a test).
 *
 * `expectedHashes(sandbox)` gives the sha256 of every document a default policy exports from a sandbox
 * world (orders minus rejected ones as Venice's UBL, other documents, CODA files).
 *
 * The ledger is opened read-only with better-sqlite3 (no migration, no lock held), so the checks can
 * run while no billsync process has it open. A missing ledger file counts as an empty ledger.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import Database from 'better-sqlite3';
import type { DocumentState } from '../../src/core/document-kind.js';
import { ROOT_MARKER } from '../../src/export/export-root.js';
import { DOCUMENT_COLUMNS, type DocumentRow } from '../../src/ledger/document-row.js';
import { isTempName } from '../../src/platform/fs/atomic-write.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { expectedOrderFile, exportableOrders } from './sandbox.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export interface InvariantOptions {
  /** The export root (absolute). */
  root: string;
  /** The ledger's SQLite file (e.g. `<dataDir>/ledger.sqlite`). */
  ledgerFile: string;
  /** sha256 of every whole document that may appear under the root. */
  expectedHashes: ReadonlySet<string>;
  /**
   * True after the final run: additionally every expected hash is on disk exactly once (or its row was
   * picked up by Venice), and no ledger row is left in `fetched`, `placed`, or `seen` with a recorded
   * failure. Default false.
   */
  complete?: boolean;
  /**
   * Accept hidden temporary files (`.billsync-*.partial`) under the root, e.g. right after a SIGKILL
   * before reconciliation ran. Default false: a temp file left after a run is a violation.
   */
  allowTempFiles?: boolean;
  /**
   * The data dir: when given and `complete` is true, its staging/ folder must be empty (no document
   * left waiting between download and placement).
   */
  dataDir?: string;
  /** Files under the root that are not billsync's (relative path, forward slashes), e.g. an Outbox drop; left out of every check. */
  ignore?: (relativePath: string) => boolean;
}

export interface ExportedFile {
  /** Relative to the root, forward slashes. */
  path: string;
  sha256: string;
  size: number;
}

export interface InvariantReport {
  /** True when `violations` is empty. */
  ok: boolean;
  /** One readable sentence per broken invariant. */
  violations: string[];
  /** Every regular file under the root except the marker and (if allowed) temp files. */
  files: ExportedFile[];
  /** Temp files seen under the root (relative paths). */
  tempFiles: string[];
  /** Ledger rows per state. */
  rowsByState: Partial<Record<DocumentState, number>>;
  /** Expected hashes present on disk (or picked up), and expected hashes missing. */
  present: number;
  missing: number;
}

/** Every regular file under `root` (recursively), relative with forward slashes, sorted; the root marker excluded. */
export function listExportTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(root, full).split(sep).join('/'));
    }
  };
  if (existsSync(root)) walk(root);
  return out.filter((f) => f !== ROOT_MARKER).sort();
}

/** Every document row of a ledger file, read-only; [] when the file does not exist. */
export function readLedgerDocuments(ledgerFile: string): DocumentRow[] {
  if (!existsSync(ledgerFile)) return [];
  const db = new Database(ledgerFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'`).get();
    if (!hasTable) return [];
    return db.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM documents ORDER BY id`).all() as DocumentRow[];
  } finally {
    db.close();
  }
}

/** Collects every broken invariant; never throws for a violation (see the module comment). */
export async function inspectExport(options: InvariantOptions): Promise<InvariantReport> {
  const root = resolve(options.root);
  const violations: string[] = [];
  const tempFiles: string[] = [];
  const files: ExportedFile[] = [];

  // Nothing half-written: no temp file, every file a whole expected document.
  for (const path of listExportTree(root)) {
    if (options.ignore?.(path)) continue;
    const name = path.split('/').pop()!;
    if (isTempName(name)) {
      tempFiles.push(path);
      if (!options.allowTempFiles) violations.push(`temporary file ${path} is visible under the export root`);
      continue;
    }
    const bytes = readFileSync(join(root, path));
    const digest = sha256(bytes);
    files.push({ path, sha256: digest, size: bytes.length });
    if (!options.expectedHashes.has(digest)) violations.push(`${path} (${bytes.length} bytes, sha256 ${digest.slice(0, 12)}…) is not a whole expected document`);
  }

  // Nothing duplicated.
  const byHash = new Map<string, string[]>();
  for (const file of files) byHash.set(file.sha256, [...(byHash.get(file.sha256) ?? []), file.path]);
  for (const [digest, paths] of byHash) {
    if (paths.length > 1) violations.push(`the same document (sha256 ${digest.slice(0, 12)}…) is on disk ${paths.length} times: ${paths.join(', ')}`);
  }

  // Ledger equal to disk.
  const rows = readLedgerDocuments(options.ledgerFile);
  const rowsByState: Partial<Record<DocumentState, number>> = {};
  for (const row of rows) rowsByState[row.state] = (rowsByState[row.state] ?? 0) + 1;
  const onDisk = new Map(files.map((f) => [resolve(root, f.path), f]));
  const recorded = new Set<string>();
  for (const row of rows) {
    if (row.state !== 'placed' && row.state !== 'acknowledged') continue;
    const label = `ledger row ${row.id} (${row.source} ${row.billitId}, ${row.state})`;
    if (!row.finalPath) { violations.push(`${label} has no final_path`); continue; }
    const final = resolve(row.finalPath);
    recorded.add(final);
    if (final !== root && !final.startsWith(root + sep)) violations.push(`${label}: final_path ${row.finalPath} is outside the export root`);
    const file = onDisk.get(final);
    if (!file) violations.push(`${label}: final_path ${row.finalPath} is not on disk`);
    else if (file.sha256 !== row.sha256) violations.push(`${label}: ${file.path} has sha256 ${file.sha256.slice(0, 12)}…, the ledger says ${row.sha256?.slice(0, 12)}…`);
  }
  // A crash between the rename and the ledger update leaves a whole file whose row is still 'fetched'
  // with the same sha256: acceptable mid-way, not after a completed run.
  const fetchedHashes = new Set(rows.filter((r) => r.state === 'fetched' && r.sha256).map((r) => r.sha256!));
  for (const [full, file] of onDisk) {
    if (recorded.has(full)) continue;
    if (!options.complete && fetchedHashes.has(file.sha256)) continue;
    violations.push(`${file.path} is on disk but no placed/acknowledged ledger row points at it`);
  }

  // Nothing lost.
  const pickedUp = new Set(rows.filter((r) => r.state === 'picked_up' && r.sha256).map((r) => r.sha256!));
  let present = 0;
  let missing = 0;
  const missingExamples: string[] = [];
  for (const digest of options.expectedHashes) {
    if (byHash.has(digest) || pickedUp.has(digest)) present += 1;
    else { missing += 1; if (missingExamples.length < 5) missingExamples.push(digest.slice(0, 12)); }
  }
  if (options.complete) {
    if (missing > 0) violations.push(`${missing} of ${options.expectedHashes.size} expected documents are not on disk (e.g. sha256 ${missingExamples.join(', ')}…)`);
    for (const row of rows) {
      // 'seen' without a failure is an order the policy does not export (rejected, not due yet).
      const stuck = row.state === 'fetched' || row.state === 'placed' || (row.state === 'seen' && (row.attempts > 0 || row.lastError !== null));
      if (stuck) violations.push(`ledger row ${row.id} (${row.source} ${row.billitId}) is still '${row.state}' after the final run${row.lastError ? `: ${row.lastError}` : ''}`);
    }
    const acknowledgedHashes = new Set(rows.filter((r) => r.state === 'acknowledged' || r.state === 'picked_up').map((r) => r.sha256));
    for (const file of files) {
      if (!acknowledgedHashes.has(file.sha256)) violations.push(`${file.path} is on disk but its ledger row is not acknowledged`);
    }
    if (options.dataDir) {
      const staging = join(options.dataDir, 'staging');
      const left = existsSync(staging) ? listExportTree(staging).filter((f) => !isTempName(f.split('/').pop()!)) : [];
      if (left.length > 0) violations.push(`${left.length} staged file(s) left in ${staging}: ${left.slice(0, 5).join(', ')}`);
    }
  }

  return { ok: violations.length === 0, violations, files, tempFiles, rowsByState, present, missing };
}

/**
 * Asserts every invariant of the module comment; fails with one AssertionError that lists all the
 * violations (the first 40). Returns the report for further checks or printing.
 */
export async function checkExportInvariants(options: InvariantOptions): Promise<InvariantReport> {
  const report = await inspectExport(options);
  if (!report.ok) {
    const shown = report.violations.slice(0, 40);
    const more = report.violations.length > shown.length ? `\n  … and ${report.violations.length - shown.length} more` : '';
    assert.fail(`export invariants broken (${report.violations.length}):\n  ${shown.join('\n  ')}${more}`);
  }
  return report;
}

/**
 * sha256 of every document a default policy exports from the sandbox world: orders except rejected
 * ones (as billsync writes them: SBDH removed, PDF embedded), other documents, CODA files. Call it
 * again after adding documents to the world.
 */
export function expectedHashes(sandbox: Sandbox): Set<string> {
  const world = sandbox.world;
  const out = new Set<string>();
  for (const order of exportableOrders(sandbox)) out.add(sha256(expectedOrderFile(sandbox, order)));
  for (const document of world.documents.values()) out.add(sha256(world.files.get(document.fileId)!.produce()));
  for (const coda of world.codaFiles.values()) out.add(sha256(world.files.get(coda.codaFileId)!.produce()));
  return out;
}

/** sha256 of the given orders as billsync writes them (e.g. the items of a feed). */
export function expectedOrderHashes(sandbox: Sandbox, orderIds: Iterable<number>): Set<string> {
  const out = new Set<string>();
  for (const id of orderIds) {
    const order = sandbox.world.orders.get(id);
    if (!order) throw new Error(`sandbox has no order ${id}`);
    out.add(sha256(expectedOrderFile(sandbox, order)));
  }
  return out;
}

/** sha256 of every CODA file of the sandbox world (exported in feed mode too: CODA never goes through the feed). */
export function expectedCodaHashes(sandbox: Sandbox): Set<string> {
  const world = sandbox.world;
  return new Set([...world.codaFiles.values()].map((coda) => sha256(world.files.get(coda.codaFileId)!.produce())));
}

/** One line for test output: "<n> files, <present>/<expected> present, rows {…}". */
export function describeReport(report: InvariantReport, expected: number): string {
  return `${report.files.length} files, ${report.present}/${expected} expected present, rows ${JSON.stringify(report.rowsByState)}`;
}
