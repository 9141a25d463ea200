import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Sandbox } from '../../src/sandbox/server.js';
import { exportableOrders, openSandbox } from '../support/sandbox.js';

function billsync(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/cli-entry.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

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
