import assert from 'node:assert/strict';
import { readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ExportRootError } from '../../src/export/export-root.js';
import { unwrapSbdh } from '../../src/formats/ubl/sbdh.js';
import { Ledger } from '../../src/ledger/ledger.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { exportEnv } from '../support/export-env.js';
import { clientFor, control, exportableOrders, openSandbox } from '../support/sandbox.js';

describe('portal-queue mode (accountant feed)', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 20, docsPerDossier: 50, otherDocsPerDossier: 2, codaDays: 0 }); });
  after(() => sandbox.close());

  test('20 dossiers × 50 feed items are downloaded, placed, then confirmed with where they went', async () => {
    const env = exportEnv(sandbox, { billit: { mode: 'feed', feedName: 'office' } });
    await clientFor(sandbox).createFeed('office');
    const { items } = await control(sandbox, 'POST', 'feeds/export', { includeDocuments: true });
    assert.equal(items, 1000 + 40);
    const summary = await env.sync();
    assert.equal(summary.status, 'ok');
    assert.equal(summary.counts.exported, 1040);
    assert.equal(sandbox.world.feeds.get('office')!.size, 0, 'every item confirmed');
    assert.equal(env.files().length, 1040);
    const ledger = Ledger.open(env.ledgerFile);
    try {
      const confirmations = new Map(sandbox.world.feedConfirmations.map((c) => [String(c.feedItemId), c]));
      for (const row of ledger.documents.listByState(['acknowledged'])) {
        assert.equal(row.source, 'feed');
        assert.equal(confirmations.get(row.billitId)?.remotePath, row.finalPath, 'confirmed with the path it was written to');
        assert.ok(confirmations.get(row.billitId)?.remoteServerName);
        if (row.kind === 'purchase' || row.kind === 'sales') {
          const text = readFileSync(row.finalPath!, 'utf8');
          assert.doesNotMatch(text, /StandardBusinessDocument/, 'SBDH removed');
          assert.match(text, /<(Invoice|CreditNote) /);
        }
      }
    } finally {
      ledger.close();
    }
    await control(sandbox, 'POST', 'feeds/export', { orderIds: [[...sandbox.world.orders.keys()][0]] });
    const soon = await env.sync();
    assert.equal(soon.counts.exported, 0, 'the feed is not read again within a minute');
    assert.ok(env.events.some((e) => e.type === 'feed-paced'));
  });
});

describe('portal-queue mode on an account without the feed yet', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 2, docsPerDossier: 4, otherDocsPerDossier: 0, codaDays: 7 }); });
  after(() => sandbox.close());

  test('billsync registers its feed on first use, drains what the portal exports afterwards, and registers it again when it is gone', async () => {
    const env = exportEnv(sandbox, { billit: { mode: 'feed', feedName: 'kantoor' } });
    assert.equal(sandbox.world.feeds.has('kantoor'), false);
    let clock = Date.now();
    const first = await env.sync({}, undefined, () => new Date(clock));
    assert.equal(first.status, 'ok', JSON.stringify(env.events.filter((e) => e.level === 'error')));
    assert.ok(sandbox.world.feeds.has('kantoor'), 'the feed exists in Billit now');
    const ready = env.events.filter((e) => e.type === 'feed-ready');
    assert.deepEqual(ready.map((e) => e.data), [{ feed: 'kantoor', created: true }]);
    assert.ok(first.counts.exported > 0, 'the CODA files went as usual');

    const { items } = await control(sandbox, 'POST', 'feeds/export', {});
    assert.ok(items > 0);
    clock += 61_000;
    const second = await env.sync({}, undefined, () => new Date(clock));
    assert.equal(second.counts.exported, items, 'every item the portal exported after the registration');
    assert.equal(sandbox.world.feeds.get('kantoor')!.size, 0);
    assert.equal(env.events.filter((e) => e.type === 'feed-ready').length, 1, 'known to exist: not looked up again');

    // Deleted in the portal: the 404 leads to a new registration, and the run goes on.
    sandbox.world.feeds.delete('kantoor');
    clock += 61_000;
    const third = await env.sync({}, undefined, () => new Date(clock));
    assert.equal(third.status, 'ok');
    assert.ok(sandbox.world.feeds.has('kantoor'));
    assert.equal(env.events.filter((e) => e.type === 'feed-ready').length, 2);
  });

  test('a feed Billit refuses is reported, and the CODA files still go', async () => {
    const env = exportEnv(sandbox, { billit: { mode: 'feed', feedName: 'refused' } });
    await clientFor(sandbox).createFeed('refused');
    await control(sandbox, 'POST', 'faults', { kind: 'status', route: '/v1/accountant/feeds/refused', method: 'GET', status: 400 });
    const summary = await env.sync();
    assert.equal(summary.status, 'partial');
    assert.match(env.events.find((e) => e.type === 'feed-failed')?.message ?? '', /the accountant feed refused: Billit answered 400/);
    assert.ok(summary.counts.exported > 0, 'CODA files exported despite the feed');
    await control(sandbox, 'DELETE', 'faults');
  });
});

describe('the export root', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 1, docsPerDossier: 3, otherDocsPerDossier: 0, codaDays: 0 }); });
  after(() => sandbox.close());

  test('a missing root stops the run with a clear error and creates nothing', async () => {
    const env = exportEnv(sandbox);
    rmSync(env.root, { recursive: true });
    await assert.rejects(env.sync(), (error: unknown) => error instanceof ExportRootError && /cannot be reached/.test(error.message));
    assert.equal(existsSync(env.root), false);
  });

  test('after a first export, a root without its marker (an unmounted share) is refused and left untouched', async () => {
    const env = exportEnv(sandbox);
    assert.equal((await env.sync()).status, 'ok');
    assert.ok(existsSync(join(env.root, '.billsync')));
    renameSync(env.root, `${env.root}-mounted`);
    // An empty folder where the share should be mounted.
    rmSync(env.root, { recursive: true, force: true });
    writeFileSync(`${env.root}-placeholder`, '');
    (await import('node:fs')).mkdirSync(env.root);
    await control(sandbox, 'POST', 'documents', { partyId: [...sandbox.world.dossiers.keys()][0], count: 1 });
    await assert.rejects(env.sync(), (error: unknown) => error instanceof ExportRootError && /not mounted/.test(error.message));
    assert.deepEqual(env.files(), [], 'nothing written into the empty mount point');
    assert.equal(existsSync(join(env.root, '.billsync')), false);
  });
});

describe('hostile names', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ dossiers: 8, docsPerDossier: 12, otherDocsPerDossier: 6, codaDays: 0, hostileNames: true }); });
  after(() => sandbox.close());

  test('nothing is written outside the root, names stay unique, and every case is accounted for', async () => {
    const env = exportEnv(sandbox);
    const summary = await env.sync();
    const world = sandbox.world;
    const names = new Set([...world.dossiers.values()].map((d) => d.name));
    assert.ok(names.size >= 8);
    const files = env.files();
    for (const file of files) {
      const parts = file.split('/');
      assert.equal(parts.length, 3, `${file} is dossier/kind/file`);
      assert.ok(['Purchases', 'Sales', 'Documents', 'FinancialTransactions'].includes(parts[1]!), file);
      for (const part of parts) {
        assert.doesNotMatch(part, /[<>:"\\|?*\u0000-\u001f]/, `${file}: no forbidden character`);
        assert.doesNotMatch(part, /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i, `${file}: no device name`);
        assert.doesNotMatch(part, /[. ]$/, `${file}: no trailing dot or space`);
        assert.ok(part.length <= 255);
      }
    }
    assert.equal(new Set(files.map((f) => f.toLowerCase())).size, files.length, 'unique even case-insensitively (Windows)');
    const ledger = Ledger.open(env.ledgerFile);
    try {
      const done = ledger.documents.listByState(['acknowledged']).length;
      const quarantined = ledger.documents.listByState(['quarantined']).length;
      assert.equal(done, files.length, 'every file on disk is in the ledger');
      assert.equal(done + quarantined + summary.counts.failed, exportableOrders(sandbox).length + world.documents.size, 'every document exported, quarantined or reported');
      for (const row of ledger.documents.listByState(['quarantined'])) {
        const reasons = ledger.events.list({ limit: 1000, type: 'quarantined' }).filter((e) => e.documentId === row.id);
        assert.equal(reasons.length, 1, 'each quarantined document has its event');
      }
    } finally {
      ledger.close();
    }
    const renamed = env.events.filter((e) => e.type === 'name-sanitized');
    assert.ok(renamed.length >= 40, `each renamed case is logged (${renamed.length} events)`);
    for (const event of renamed) assert.match(event.message, /not a safe Windows (file|folder) name/);
    const dataFiles = (await import('node:fs')).readdirSync(join(env.root, '..'));
    assert.deepEqual(dataFiles.sort(), ['data', 'export'], 'nothing next to the root either');
  });
});
