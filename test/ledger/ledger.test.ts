import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import {
  DossierFolderTakenError, IllegalTransitionError, Ledger, LedgerMigrationError, MIGRATIONS, migrate, type Migration,
} from '../../src/ledger/index.js';
import { loadMigrationFiles } from '../../src/ledger/migrations/load-migration-files.js';

const folders: string[] = [];
after(() => { for (const folder of folders) rmSync(folder, { recursive: true, force: true }); });

/** A ledger path in a fresh temporary folder (one level deeper, so open() must create the folder). */
function freshLedgerFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'billsync-ledger-'));
  folders.push(folder);
  return join(folder, 'data', 'ledger.sqlite');
}

/** A clock that moves one second per reading, so every timestamp is distinct and predictable. */
function tickingClock(start = '2025-03-01T09:00:00.000Z'): () => Date {
  let at = Date.parse(start);
  return () => { const date = new Date(at); at += 1000; return date; };
}

/** A ledger with one dossier (party 100) ready for documents. */
function openWithDossier(file = freshLedgerFile()): Ledger {
  const ledger = Ledger.open(file, { now: tickingClock() });
  ledger.dossiers.upsert({ partyId: 100, name: 'Bakkerij Peeters', vatNumber: 'BE0123456749', enterpriseNumber: '0123456749', folder: 'Bakkerij Peeters (0123456749)' });
  return ledger;
}

/** A second, plain connection to the same file, as a tool or a hand-run query would have. */
function raw<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try { return fn(db); } finally { db.close(); }
}

const fetched = { stagedPath: '/data/staging/1.xml', sha256: 'a'.repeat(64), originalSha256: 'b'.repeat(64), targetPath: '/export/P/Purchases/x.xml' };

describe('migrations', () => {
  test('the .sql files and the inlined migrations are identical', () => {
    const folder = fileURLToPath(new URL('../../src/ledger/migrations/', import.meta.url));
    assert.deepEqual(loadMigrationFiles(folder), MIGRATIONS.map((m) => ({ id: m.id, name: m.name, sql: m.sql })));
  });

  test('migrations apply once and reopening the ledger applies nothing', () => {
    const file = freshLedgerFile();
    Ledger.open(file, { now: () => new Date('2025-01-01T00:00:00.000Z') }).close();
    Ledger.open(file, { now: () => new Date('2026-01-01T00:00:00.000Z') }).close();
    const applied = raw(file, (db) => db.prepare('SELECT id, name, applied_at AS appliedAt FROM schema_migrations').all());
    assert.deepEqual(applied, MIGRATIONS.map((m) => ({ id: m.id, name: m.name, appliedAt: '2025-01-01T00:00:00.000Z' })));
    assert.ok(applied.length >= 2);
    assert.deepEqual(raw(file, (db) => migrate(db)), []);
  });

  test('a migration changed after it was applied is refused with LedgerMigrationError naming it', () => {
    const file = freshLedgerFile();
    Ledger.open(file).close();
    raw(file, (db) => db.prepare("UPDATE schema_migrations SET checksum = 'tampered' WHERE id = 1").run());
    assert.throws(() => Ledger.open(file), (error: unknown) => {
      assert.ok(error instanceof LedgerMigrationError);
      assert.equal(error.name, 'LedgerMigrationError');
      assert.equal(error.problem, 'changed');
      assert.equal(error.migration, '001-initial');
      assert.match(error.message, /migration 001-initial was applied with checksum tampered/);
      assert.ok(error.message.includes(file));
      return true;
    });
  });

  test('a ledger written by a newer billsync is refused, naming the migration this version does not know', () => {
    const file = freshLedgerFile();
    Ledger.open(file).close();
    const next = MIGRATIONS.length + 1;
    const latest = MIGRATIONS.at(-1)!;
    raw(file, (db) => db.prepare(`INSERT INTO schema_migrations VALUES (${next}, 'add-outbox', 'x', '2030-01-01T00:00:00.000Z')`).run());
    assert.throws(() => Ledger.open(file), (error: unknown) => {
      assert.ok(error instanceof LedgerMigrationError);
      assert.equal(error.problem, 'unknown');
      const label = `${String(next).padStart(3, '0')}-add-outbox`;
      const known = `${String(latest.id).padStart(3, '0')}-${latest.name}`;
      assert.ok(error.message.includes(`${label} was applied by a newer billsync (this version knows up to ${known})`), error.message);
      return true;
    });
  });

  test('a gap in the applied migrations is refused, naming the missing one', () => {
    const file = freshLedgerFile();
    const two = MIGRATIONS.length + 1;
    const three = MIGRATIONS.length + 2;
    const list: Migration[] = [...MIGRATIONS, { id: two, name: 'two', sql: 'CREATE TABLE two (x INTEGER)' }, { id: three, name: 'three', sql: 'CREATE TABLE three (x INTEGER)' }];
    Ledger.open(file).close();
    raw(file, (db) => {
      assert.deepEqual(migrate(db, { migrations: list }), [two, three]);
      db.prepare(`DELETE FROM schema_migrations WHERE id = ${two}`).run();
      assert.throws(() => migrate(db, { migrations: list }), (error: unknown) =>
        error instanceof LedgerMigrationError && error.problem === 'gap' && new RegExp(`migration ${String(two).padStart(3, '0')}-two is missing`).test(error.message));
      assert.throws(() => migrate(db, { migrations: [...MIGRATIONS, list.at(-1)!] }),
        (error: unknown) => error instanceof LedgerMigrationError && error.migration === `${String(three).padStart(3, '0')}-three`);
    });
  });

  test('a migration that fails keeps nothing of itself and is not recorded', () => {
    const file = freshLedgerFile();
    Ledger.open(file).close();
    const id = MIGRATIONS.length + 1;
    const broken: Migration = { id, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); CREATE TABLE oops (' };
    raw(file, (db) => {
      assert.throws(() => migrate(db, { migrations: [...MIGRATIONS, broken] }),
        (error: unknown) => error instanceof LedgerMigrationError && error.problem === 'failed' && error.migration === `${String(id).padStart(3, '0')}-broken`);
      assert.deepEqual(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get(), { n: 0 });
      assert.deepEqual(db.prepare('SELECT id FROM schema_migrations ORDER BY id').all(), MIGRATIONS.map((m) => ({ id: m.id })));
    });
  });
});

describe('the ledger file', () => {
  test('WAL mode is on and foreign keys are enforced', () => {
    const file = freshLedgerFile();
    const ledger = Ledger.open(file);
    assert.equal(raw(file, (db) => db.pragma('journal_mode', { simple: true })), 'wal');
    assert.throws(() => ledger.documents.ensureSeen({ source: 'orders', billitId: '1', dossierPartyId: 999, kind: 'sales' }), /FOREIGN KEY/);
    ledger.close();
  });

  test('the data survives close and reopen, and close can be called twice', () => {
    const file = freshLedgerFile();
    const ledger = openWithDossier(file);
    const { id } = ledger.documents.ensureSeen({ source: 'orders', billitId: '42', dossierPartyId: 100, kind: 'purchase', title: 'INV-42' });
    ledger.documents.markFetched(id, fetched);
    ledger.watermarks.set(100, 'orders', '2025-02-28T23:59:59.000Z');
    const before = ledger.documents.get(id);
    ledger.close();
    ledger.close();
    const again = Ledger.open(file);
    assert.deepEqual(again.documents.get(id), before);
    assert.equal(again.watermarks.get(100, 'orders'), '2025-02-28T23:59:59.000Z');
    assert.equal(again.dossiers.get(100)?.name, 'Bakkerij Peeters');
    again.close();
  });

  test('a transaction rolls back everything when its function throws', () => {
    const ledger = openWithDossier();
    assert.throws(() => ledger.transaction(() => {
      ledger.documents.ensureSeen({ source: 'orders', billitId: '1', dossierPartyId: 100, kind: 'purchase' });
      ledger.watermarks.set(100, 'orders', 'w1');
      throw new Error('disk full');
    }), /disk full/);
    assert.equal(ledger.documents.count(), 0);
    assert.equal(ledger.watermarks.get(100, 'orders'), null);
    assert.equal(ledger.transaction(() => ledger.documents.ensureSeen({ source: 'orders', billitId: '1', dossierPartyId: 100, kind: 'purchase' }).id), 1);
    ledger.close();
  });

  test('100 000 documents fit in one transaction and find() uses the source and Billit id index', () => {
    const ledger = openWithDossier();
    ledger.transaction(() => {
      for (let i = 0; i < 100_000; i++) {
        ledger.documents.ensureSeen({ source: i % 2 === 0 ? 'orders' : 'feed', billitId: String(i), dossierPartyId: 100, kind: 'purchase' });
      }
    });
    assert.equal(ledger.documents.count(), 100_000);
    assert.equal(ledger.documents.find('feed', '77777')?.billitId, '77777');
    assert.equal(ledger.documents.find('orders', '77777'), null);
    const plan = ledger.documents.explainFind().join('\n');
    assert.match(plan, /SEARCH documents USING INDEX documents_by_source_billit_id \(source=\? AND billit_id=\?\)/);
    ledger.close();
  });
});

describe('documents', () => {
  test('a document goes seen, fetched, placed, acknowledged and picked up', () => {
    const ledger = openWithDossier();
    const seen = ledger.documents.ensureSeen({ source: 'orders', billitId: '7', dossierPartyId: 100, kind: 'purchase', title: 'INV-7', billitLastModified: '2025-02-01T10:00:00Z' });
    assert.equal(seen.state, 'seen');
    assert.equal(seen.attempts, 0);
    const afterFetch = ledger.documents.markFetched(seen.id, fetched);
    assert.deepEqual([afterFetch.state, afterFetch.stagedPath, afterFetch.originalSha256, afterFetch.targetPath],
      ['fetched', fetched.stagedPath, fetched.originalSha256, fetched.targetPath]);
    const placed = ledger.documents.markPlaced(seen.id, { finalPath: '/export/P/Purchases/x (2).xml', sha256: 'c'.repeat(64) });
    assert.equal(placed.state, 'placed');
    assert.equal(placed.sha256, 'c'.repeat(64));
    assert.match(placed.placedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(ledger.documents.markPlaced(seen.id, { finalPath: '/export/P/Purchases/x (2).xml', sha256: 'c'.repeat(64) }), placed);
    assert.equal(ledger.documents.byFinalPath('/export/P/Purchases/x (2).xml')?.id, seen.id);
    const acknowledged = ledger.documents.markAcknowledged(seen.id);
    assert.equal(acknowledged.state, 'acknowledged');
    assert.equal(ledger.documents.markAcknowledged(seen.id).acknowledgedAt, acknowledged.acknowledgedAt);
    assert.equal(ledger.documents.markPickedUp(seen.id).state, 'picked_up');
    assert.deepEqual(ledger.documents.listByState(['picked_up'], 100).map((d) => d.id), [seen.id]);
    assert.deepEqual(ledger.documents.listByState(['seen', 'fetched']), []);
    ledger.close();
  });

  test('placedInFolder returns the placed and acknowledged files directly in a folder, not deeper, not neighbours', () => {
    const ledger = openWithDossier();
    const place = (billitId: string, finalPath: string, acknowledge = false): number => {
      const { id } = ledger.documents.ensureSeen({ source: 'orders', billitId, dossierPartyId: 100, kind: 'purchase' });
      ledger.documents.markFetched(id, fetched);
      ledger.documents.markPlaced(id, { finalPath, sha256: 'c'.repeat(64) });
      if (acknowledge) ledger.documents.markAcknowledged(id);
      return id;
    };
    const inside = place('1', '/export/P/Purchases/a.xml');
    const acknowledged = place('2', '/export/P/Purchases/b.xml', true);
    place('3', '/export/P/Purchases/archive/c.xml');
    place('4', '/export/P/Purchases-old/d.xml');
    place('5', '/export/P/Purchases0/e.xml');
    const taken = place('6', '/export/P/Purchases/f.xml', true);
    ledger.documents.markPickedUp(taken);
    assert.deepEqual(ledger.documents.placedInFolder('/export/P/Purchases', '/').map((d) => d.id), [inside, acknowledged]);
    assert.deepEqual(ledger.documents.placedInFolder('/export/P/Sales', '/'), []);
    assert.deepEqual(ledger.documents.placedInFolder('C:\\export\\P\\Purchases', '\\'), []);

    // Pages under the root, in path order, small pages joined: every placed file once, none outside.
    const outside = place('7', '/export-old/P/Purchases/g.xml');
    const pages: number[][] = [];
    let after: { finalPath: string; id: number } | null = null;
    for (;;) {
      const page = ledger.documents.placedUnderPage('/export', '/', after, 2);
      if (page.length === 0) break;
      pages.push(page.map((d) => d.id));
      after = { finalPath: page.at(-1)!.finalPath!, id: page.at(-1)!.id };
    }
    const all = pages.flat();
    assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
    assert.equal(new Set(all).size, 5);
    assert.ok(!all.includes(outside) && !all.includes(taken), 'nothing outside the root, nothing picked up');
    assert.deepEqual(all.map((id) => ledger.documents.get(id)!.finalPath), [
      '/export/P/Purchases-old/d.xml', '/export/P/Purchases/a.xml', '/export/P/Purchases/archive/c.xml', '/export/P/Purchases/b.xml', '/export/P/Purchases0/e.xml',
    ]);
    ledger.close();
  });

  test('illegal transitions throw naming the document and both states, and leave the row untouched', () => {
    const ledger = openWithDossier();
    const { id } = ledger.documents.ensureSeen({ source: 'feed', billitId: 'f-1', dossierPartyId: 100, kind: 'sales' });
    const untouched = ledger.documents.get(id);
    const illegal = (from: string, to: string) => (error: unknown) => {
      assert.ok(error instanceof IllegalTransitionError);
      assert.equal(error.documentId, id);
      assert.match(error.message, new RegExp(`Document ${id} cannot go from '${from}' to '${to}'`));
      return true;
    };
    assert.throws(() => ledger.documents.markPlaced(id, { finalPath: '/x', sha256: 'd' }), illegal('seen', 'placed'));
    assert.throws(() => ledger.documents.markAcknowledged(id), illegal('seen', 'acknowledged'));
    assert.throws(() => ledger.documents.markPickedUp(id), illegal('seen', 'picked_up'));
    assert.deepEqual(ledger.documents.get(id), untouched);
    ledger.documents.markFetched(id, fetched);
    ledger.documents.markPlaced(id, { finalPath: '/x', sha256: 'd' });
    assert.throws(() => ledger.documents.markPlaced(id, { finalPath: '/elsewhere', sha256: 'd' }), illegal('placed', 'placed'));
    assert.throws(() => ledger.documents.markQuarantined(id, 'bad UBL'), illegal('placed', 'quarantined'));
    assert.throws(() => ledger.documents.markFetched(id, fetched), illegal('placed', 'fetched'));
    assert.throws(() => ledger.documents.markAcknowledged(9999), /no document with id 9999/);
    ledger.close();
  });

  test('ensureSeen is idempotent: the same row comes back, and only title and LastModified follow Billit', () => {
    const ledger = openWithDossier();
    const first = ledger.documents.ensureSeen({ source: 'orders', billitId: '5', dossierPartyId: 100, kind: 'purchase', title: 'old', billitLastModified: '2025-01-01T00:00:00Z' });
    ledger.documents.markFetched(first.id, fetched);
    const same = ledger.documents.ensureSeen({ source: 'orders', billitId: '5', dossierPartyId: 100, kind: 'purchase' });
    assert.equal(same.id, first.id);
    assert.equal(same.state, 'fetched');
    assert.equal(same.title, 'old');
    const updated = ledger.documents.ensureSeen({ source: 'orders', billitId: '5', dossierPartyId: 100, kind: 'sales', title: 'new', billitLastModified: '2025-01-02T00:00:00Z' });
    assert.deepEqual([updated.id, updated.kind, updated.title, updated.billitLastModified], [first.id, 'purchase', 'new', '2025-01-02T00:00:00Z']);
    assert.ok(updated.updatedAt > same.updatedAt);
    assert.equal(ledger.documents.ensureSeen({ source: 'orders', billitId: '5', dossierPartyId: 100, kind: 'purchase', title: 'new' }).updatedAt, updated.updatedAt);
    assert.equal(ledger.documents.count(), 1);
    ledger.close();
  });

  test('failures count attempts until the document moves forward, and quarantine keeps the reason', () => {
    const ledger = openWithDossier();
    const { id } = ledger.documents.ensureSeen({ source: 'orders', billitId: '9', dossierPartyId: 100, kind: 'purchase' });
    ledger.documents.recordFailure(id, new TypeError('socket hang up'));
    const twice = ledger.documents.recordFailure(id, 'HTTP 503');
    assert.deepEqual([twice.state, twice.attempts, twice.lastError], ['seen', 2, 'HTTP 503']);
    assert.deepEqual([ledger.documents.markFetched(id, fetched).attempts, ledger.documents.get(id)?.lastError], [0, null]);
    const quarantined = ledger.documents.markQuarantined(id, 'cbc:ID missing');
    assert.deepEqual([quarantined.state, quarantined.lastError], ['quarantined', 'cbc:ID missing']);
    ledger.close();
  });

  test('reopen sends a placed document back to seen and keeps where it was in an event', () => {
    const ledger = openWithDossier();
    const { id } = ledger.documents.ensureSeen({ source: 'orders', billitId: '11', dossierPartyId: 100, kind: 'purchase' });
    ledger.documents.markFetched(id, fetched);
    ledger.documents.markPlaced(id, { finalPath: '/export/P/Purchases/11.xml', sha256: 'e'.repeat(64) });
    ledger.documents.markAcknowledged(id);
    const reopened = ledger.documents.reopen(id, 'manual export with include already exported');
    assert.deepEqual([reopened.state, reopened.finalPath, reopened.sha256, reopened.placedAt, reopened.acknowledgedAt], ['seen', null, null, null, null]);
    const [event] = ledger.events.list({ limit: 10, type: 'document.reopened' });
    assert.equal(event?.documentId, id);
    assert.equal(event?.dossierPartyId, 100);
    assert.deepEqual((event?.data as Record<string, unknown>)['finalPath'], '/export/P/Purchases/11.xml');
    assert.equal((event?.data as Record<string, unknown>)['from'], 'acknowledged');
    assert.equal(ledger.documents.markFetched(id, fetched).state, 'fetched');
    ledger.close();
  });

  test('countsByDossier groups documents by dossier, state and kind', () => {
    const ledger = openWithDossier();
    ledger.dossiers.upsert({ partyId: 200, name: 'Garage Janssens', vatNumber: null, enterpriseNumber: null, folder: 'Garage Janssens' });
    ledger.documents.ensureSeen({ source: 'orders', billitId: '1', dossierPartyId: 100, kind: 'purchase' });
    ledger.documents.ensureSeen({ source: 'orders', billitId: '2', dossierPartyId: 100, kind: 'purchase' });
    const { id } = ledger.documents.ensureSeen({ source: 'coda', billitId: '3', dossierPartyId: 200, kind: 'coda' });
    ledger.documents.markFetched(id, fetched);
    assert.deepEqual(ledger.documents.countsByDossier(), [
      { dossierPartyId: 100, state: 'seen', kind: 'purchase', count: 2 },
      { dossierPartyId: 200, state: 'fetched', kind: 'coda', count: 1 },
    ]);
    assert.deepEqual(ledger.documents.listByState(['seen', 'fetched'], 200).map((d) => d.billitId), ['3']);
    ledger.close();
  });
});

describe('dossiers, watermarks, runs and events', () => {
  test('a folder can belong to only one dossier', () => {
    const ledger = openWithDossier();
    const renamed = ledger.dossiers.upsert({ partyId: 100, name: 'Bakkerij Peeters BV', vatNumber: 'BE0123456749', enterpriseNumber: '0123456749', folder: 'Peeters' });
    assert.equal(ledger.dossiers.byFolder('Peeters')?.name, 'Bakkerij Peeters BV');
    assert.ok(renamed.updatedAt > renamed.createdAt);
    assert.throws(() => ledger.dossiers.upsert({ partyId: 200, name: 'Other', vatNumber: null, enterpriseNumber: null, folder: 'Peeters' }),
      (error: unknown) => error instanceof DossierFolderTakenError && error.takenByPartyId === 100);
    assert.deepEqual(ledger.dossiers.list().map((d) => d.partyId), [100]);
    ledger.close();
  });

  test('watermarks round-trip per dossier and source', () => {
    const ledger = openWithDossier();
    assert.equal(ledger.watermarks.get(100, 'orders'), null);
    ledger.watermarks.set(100, 'orders', '2025-02-01T00:00:00.000Z');
    ledger.watermarks.set(100, 'coda', '17');
    ledger.watermarks.set(100, 'orders', '2025-02-02T00:00:00.000Z');
    assert.equal(ledger.watermarks.get(100, 'orders'), '2025-02-02T00:00:00.000Z');
    assert.equal(ledger.watermarks.get(100, 'coda'), '17');
    ledger.close();
  });

  test('a run starts, finishes once, and is listed newest first', () => {
    const ledger = openWithDossier();
    const first = ledger.runs.start('startup');
    ledger.runs.finish(first, 'ok', { placed: 3 });
    const second = ledger.runs.start('schedule');
    const running = ledger.runs.last();
    assert.deepEqual([running?.id, running?.status, running?.trigger, running?.finishedAt, running?.summary], [second, 'running', 'schedule', null, null]);
    ledger.runs.finish(second, 'partial', { placed: 1, failed: 2 });
    assert.throws(() => ledger.runs.finish(second, 'ok', {}), /already finished/);
    assert.deepEqual(ledger.runs.list(10).map((r) => [r.id, r.status, r.summary]), [[second, 'partial', { placed: 1, failed: 2 }], [first, 'ok', { placed: 3 }]]);
    ledger.close();
  });

  test('events cannot be updated or deleted: the trigger aborts', () => {
    const file = freshLedgerFile();
    const ledger = openWithDossier(file);
    const runId = ledger.runs.start('manual');
    const id = ledger.events.append({ type: 'document.placed', message: 'Placed INV-1.', runId, dossierPartyId: 100, data: { path: '/x' } });
    ledger.events.append({ type: 'run.started', message: 'Run started.', runId });
    assert.deepEqual(ledger.events.list({ limit: 10, dossierPartyId: 100 }).map((e) => [e.id, e.type, e.data]), [[id, 'document.placed', { path: '/x' }]]);
    assert.equal(ledger.events.list({ limit: 10 }).length, 2);
    raw(file, (db) => {
      assert.throws(() => db.prepare("UPDATE events SET message = 'rewritten' WHERE id = ?").run(id), /append-only: UPDATE/);
      assert.throws(() => db.prepare('DELETE FROM events').run(), /append-only: DELETE/);
    });
    assert.equal(ledger.events.list({ limit: 10 }).length, 2);
    ledger.close();
  });
});
