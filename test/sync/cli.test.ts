import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Sandbox } from '../../src/sandbox/server.js';
import { exportableOrders, openSandbox } from '../support/sandbox.js';
import { billsync } from '../support/cli.js';

describe('billsync sync and status on the command line', () => {
  let sandbox: Sandbox;
  let base: string;
  let configFile: string;
  let env: Record<string, string>;
  before(async () => {
    sandbox = await openSandbox({ dossiers: 2, docsPerDossier: 5, otherDocsPerDossier: 1, codaDays: 5 });
    base = mkdtempSync(join(tmpdir(), 'billsync-cli-'));
    mkdirSync(join(base, 'export'));
    configFile = join(base, 'config.json');
    writeFileSync(configFile, JSON.stringify({ billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, ratePerSecond: 100 }, exportRoot: join(base, 'export'), policy: { frequency: 'after-10-minutes' } }));
    env = { BILLSYNC_DATA_DIR: join(base, 'data'), BILLSYNC_CONFIG: configFile };
  });
  after(() => sandbox.close());

  test('--dry-run changes nothing and exits 0', async () => {
    const result = await billsync(['sync', '--dry-run', '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).counts.exported, 0);
    assert.deepEqual(readdirSync(join(base, 'export')).filter((f) => f !== '.billsync'), []);
    assert.ok([...sandbox.world.orders.values()].every((o) => !o.exportedToConnector));
  });

  test('sync --kind purchase exports only purchases; status --json counts them per dossier', async () => {
    const result = await billsync(['sync', '--kind', 'purchase', '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const purchases = exportableOrders(sandbox).filter((o) => o.direction === 'Cost');
    assert.equal(JSON.parse(result.stdout).counts.exported, purchases.length);
    assert.ok(purchases.every((o) => o.exportedToConnector));
    assert.ok([...sandbox.world.orders.values()].filter((o) => o.direction === 'Income').every((o) => !o.exportedToConnector));
    const status = await billsync(['status', '--json'], env);
    assert.equal(status.code, 0);
    const report = JSON.parse(status.stdout);
    assert.equal(report.dossiers.length, 2);
    assert.equal(report.dossiers.reduce((sum: number, d: { exported: number }) => sum + d.exported, 0), purchases.length);
    assert.equal(report.lastRun.status, 'ok');
  });

  test('diagnostics prints the report without the key; --save writes it into the data folder and prints where', async () => {
    const printed = await billsync(['diagnostics'], env);
    assert.equal(printed.code, 0, printed.stderr);
    assert.ok(!printed.stdout.includes(sandbox.apiKey), 'the key is not printed');
    assert.match(printed.stdout, /^API key: set \(not shown\)$/m);
    assert.match(printed.stdout, /^dossiers: 2$/m, 'the dossiers the syncs learnt');
    assert.match(printed.stdout, /^documents: \d+ \(.*acknowledged \d+/m);
    const saved = await billsync(['diagnostics', '--save'], env);
    assert.equal(saved.code, 0, saved.stderr);
    const file = saved.stdout.trim();
    assert.equal(join(file, '..'), join(base, 'data', 'diagnostics'));
    assert.ok(existsSync(file));

    // A configuration billsync cannot use: the report is still made, says why, and masks the key it holds.
    const broken = join(base, 'broken.json');
    writeFileSync(broken, JSON.stringify({ billit: { apiKey: 'broken-file-key-5566', colour: 'blue' } }));
    mkdirSync(join(base, 'data', 'logs'), { recursive: true });
    writeFileSync(join(base, 'data', 'logs', 'billsync-2026-01-01.log'), `${JSON.stringify({ time: '2026-01-01T10:00:00.000', level: 'info', message: 'old line with broken-file-key-5566' })}\n`);
    const despite = await billsync(['diagnostics', '--config', broken], env);
    assert.equal(despite.code, 0, despite.stderr);
    assert.match(despite.stdout, /^== Configuration problem \(the settings below are the defaults\)\n.*billit: unknown key "colour"$/m);
    assert.ok(!despite.stdout.includes('broken-file-key-5566'), 'the unusable file\'s key is masked too');
    assert.match(despite.stdout, /old line with \[redacted\]/);
  });

  test('ledger find says where an exported invoice is; ledger export writes every document as CSV', async () => {
    const order = exportableOrders(sandbox).find((o) => o.direction === 'Cost')!;
    const found = await billsync(['ledger', 'find', order.plan.number, '--json'], env);
    assert.equal(found.code, 0, found.stderr);
    const hits = JSON.parse(found.stdout) as Array<{ billitId: string; finalPath: string | null; state: string; amount: string }>;
    const hit = hits.find((h) => h.billitId === String(order.orderId))!;
    assert.ok(hit, `order ${order.orderId} found by its number ${order.plan.number}`);
    assert.equal(hit.state, 'acknowledged');
    assert.ok(hit.finalPath !== null && existsSync(hit.finalPath), 'the file is where the ledger says');
    assert.match(hit.amount, /^-?\d+\.\d{2}$/, 'the amount as an exact decimal');
    const readable = await billsync(['ledger', 'find', order.plan.number], env);
    assert.ok(readable.stdout.includes(hit.finalPath!), readable.stdout);
    const nothing = await billsync(['ledger', 'find', 'no-such-invoice-xyz'], env);
    assert.equal(nothing.code, 0);
    assert.match(nothing.stdout, /Nothing in the ledger matches "no-such-invoice-xyz"/);

    const out = join(base, 'ledger.csv');
    const exported = await billsync(['ledger', 'export', '--out', out], env);
    assert.equal(exported.code, 0, exported.stderr);
    const csv = readFileSync(out, 'utf8');
    assert.ok(csv.startsWith('\ufeffdossier_party_id;dossier;kind;state;'), 'BOM and header');
    const lines = csv.split('\r\n').filter(Boolean);
    const status = JSON.parse((await billsync(['status', '--json'], env)).stdout) as { dossiers: Array<Record<string, number>> };
    const inLedger = status.dossiers.reduce((sum, d) => sum + d.exported! + d.waiting! + d.failed! + d.quarantined!, 0);
    assert.equal(lines.length - 1, inLedger, 'one line per document');
    assert.match(exported.stdout, new RegExp(`^${inLedger} documents written to `));
    assert.ok(lines.some((line) => line.includes(`;${order.orderId};`) && line.includes(hit.finalPath!)));
    assert.deepEqual(readdirSync(base).filter((f) => f.endsWith('.tmp')), [], 'no temp file left');
    const oneDossier = await billsync(['ledger', 'export', '--dossier', String(order.companyId)], env);
    const dossierLines = oneDossier.stdout.split('\r\n').filter(Boolean).slice(1);
    assert.ok(dossierLines.length > 0 && dossierLines.every((line) => line.startsWith(`${order.companyId};`)));
    const noFolder = await billsync(['ledger', 'export', '--out', join(base, 'no-such-folder', 'ledger.csv')], env);
    assert.equal(noFolder.code, 2);
    assert.match(noFolder.stderr, /cannot write .*no-such-folder.ledger\.csv \(ENOENT\): does its folder exist/);
    const unknownDossier = await billsync(['ledger', 'export', '--dossier', '999'], env);
    assert.equal(unknownDossier.code, 2);
    assert.match(unknownDossier.stderr, /dossier 999 is not in the ledger/);
    assert.equal((await billsync(['ledger', 'find', '--help'], env)).code, 0);
    const badLimit = await billsync(['ledger', 'find', 'x', '--limit', '0'], env);
    assert.equal(badLimit.code, 2);
    assert.match(badLimit.stderr, /--limit must be a whole number from 1 to 1000/);
  });

  test('an unknown dossier, a bad --kind and a missing API key exit 2 with a message that names them', async () => {
    const unknown = await billsync(['sync', '--dossier', '999'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /dossier 999/);
    const kind = await billsync(['sync', '--kind', 'invoices'], env);
    assert.equal(kind.code, 2);
    assert.match(kind.stderr, /--kind must be one of purchase, sales, document, coda/);
    const noKey = join(base, 'nokey.json');
    writeFileSync(noKey, JSON.stringify({ exportRoot: join(base, 'export') }));
    const missing = await billsync(['sync', '--config', noKey], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /billit\.apiKey is missing/);
  });

  test('a wrong key exits 2 saying where to set it, and an unreachable Billit or export root exits 3', async () => {
    const wrong = join(base, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ billit: { baseUrl: sandbox.baseUrl, apiKey: 'wrong-key-123' }, exportRoot: join(base, 'export') }));
    const rejected = await billsync(['sync', '--config', wrong], env);
    assert.equal(rejected.code, 2);
    assert.match(rejected.stderr, /rejected the API key/);
    assert.doesNotMatch(rejected.stderr, /wrong-key-123/);
    const noRoot = join(base, 'noroot.json');
    writeFileSync(noRoot, JSON.stringify({ billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey }, exportRoot: join(base, 'not-mounted') }));
    const gone = await billsync(['sync', '--config', noRoot], env);
    assert.equal(gone.code, 3);
    assert.match(gone.stderr, /not-mounted cannot be reached/);
    assert.equal(existsSync(join(base, 'not-mounted')), false);
  });
});
