import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { diagnosticsFileName, diagnosticsReport, saveDiagnostics, type DiagnosticsSource } from '../../src/app/diagnostics.js';
import { parseConfig } from '../../src/config/load-config.js';
import { Ledger } from '../../src/ledger/ledger.js';

const KEY = 'sk-live-9f8e7d6c5b4a3928';
const PROXY_PASSWORD = 'p@ss w0rd!';
const ENV_PROXY_PASSWORD = 'envSecret77';
const NOW = new Date('2026-12-04T22:10:05Z'); // 23:10:05 in Brussels

function source(): DiagnosticsSource {
  const base = mkdtempSync(join(tmpdir(), 'billsync-diagnostics-'));
  const paths = { configFile: join(base, 'config.json'), dataDir: join(base, 'data'), logDir: join(base, 'data', 'logs') };
  mkdirSync(paths.logDir, { recursive: true });
  const ledger = Ledger.open(join(paths.dataDir, 'ledger.sqlite'), { now: () => NOW });
  ledger.dossiers.upsert({ partyId: 11, name: 'Bakkerij Peeters', vatNumber: null, enterpriseNumber: null, folder: 'Bakkerij Peeters' });
  const row = ledger.documents.ensureSeen({ source: 'orders', billitId: 'a1', dossierPartyId: 11, kind: 'purchase' });
  ledger.documents.markQuarantined(row.id, 'BR-CO-15');
  ledger.runs.finish(ledger.runs.start('sync-now'), 'ok', { exported: 3 });
  ledger.events.append({ type: 'quarantined', message: 'invoice 2026-118 held back: BR-CO-15', dossierPartyId: 11 });
  // Two days of log; the older file holds a line written before the key was known to the logger.
  writeFileSync(join(paths.logDir, 'billsync-2026-12-03.log'), [
    JSON.stringify({ time: '2026-12-03T09:00:00.000', level: 'info', message: `started with key ${KEY}` }),
    'a crash trace, not JSON',
  ].join('\n') + '\n');
  writeFileSync(join(paths.logDir, 'billsync-2026-12-04.log'), [
    JSON.stringify({ time: '2026-12-04T10:00:00.000', level: 'warn', message: 'Billit answered 503', status: 503 }),
    JSON.stringify({ time: '2026-12-04T10:00:01.000', level: 'info', message: 'sent Authorization: Bearer abcdefghijklmnop' }),
    JSON.stringify({ time: '2026-12-04T10:00:02.000', level: 'warn', message: `proxy it:${ENV_PROXY_PASSWORD}@gw.lan:8080 refused` }),
  ].join('\n') + '\n');
  const config = parseConfig({
    billit: { apiKey: KEY, proxy: `http://office:${encodeURIComponent(PROXY_PASSWORD)}@proxy.lan:3128` },
    exportRoot: '\\\\server\\venice', dossiers: { 11: { policy: { frequency: 'after-10-minutes' } } },
  });
  return { config, configFile: paths.configFile, paths, ledger, now: NOW, statusLine: 'Needs attention · 1 held back', env: { HTTPS_PROXY: `it:${ENV_PROXY_PASSWORD}@gw.lan:8080`, NO_PROXY: 'localhost' } };
}

test('the diagnostics report has versions, folders, settings, ledger counts and the log, and no secret', async () => {
  const input = source();
  const report = await diagnosticsReport(input);
  for (const secret of [KEY, PROXY_PASSWORD, encodeURIComponent(PROXY_PASSWORD), ENV_PROXY_PASSWORD, 'abcdefghijklmnop']) {
    assert.ok(!report.includes(secret), `${secret} is not in the report`);
  }
  assert.match(report, /^billsync diagnostics, made 2026-12-04 23:10:05 \(Europe\/Brussels\)$/m);
  assert.match(report, /^billsync \d+\.\d+\.\d+/m);
  assert.match(report, new RegExp(`^Node\\.js ${process.version.replace(/\./g, '\\.')} `, 'm'));
  assert.ok(report.includes('export root: \\\\server\\venice'));
  assert.match(report, /^Needs attention · 1 held back$/m);
  assert.match(report, /^API key: set \(not shown\)$/m);
  assert.ok(report.includes('"proxy": "http://proxy.lan:3128/ (with a login, not shown)"'));
  assert.ok(report.includes('"frequency": "after-10-minutes"'), 'the dossier settings');
  assert.match(report, /^HTTPS_PROXY: http:\/\/gw\.lan:8080\/ \(with a login, not shown\)$/m, 'a variable without http:// read as billsync reads it');
  assert.match(report, /^NO_PROXY: localhost$/m);
  assert.match(report, /^dossiers: 1$/m);
  assert.match(report, /^documents: 1 \(quarantined 1\)$/m);
  assert.match(report, /^#1 sync-now: ok, 2026-12-04 23:10:05 → 2026-12-04 23:10:05 \{"exported":3\}$/m, 'run times in Brussels time');
  assert.match(report, /quarantined \[dossier 11\]: invoice 2026-118 held back: BR-CO-15/);
  // The log, oldest first across the daily files, a line that is not JSON as it is.
  const log = report.slice(report.indexOf('== Log'));
  const order = ['started with key [redacted]', 'a crash trace, not JSON', 'warn Billit answered 503 {"status":503}', 'Bearer [redacted]'];
  const positions = order.map((text) => log.indexOf(text));
  assert.ok(positions.every((p) => p > 0), `every line is there: ${positions.join(', ')}`);
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'oldest first');
  input.ledger.close();
});

test('the report is saved whole into the data folder, named by Brussels time', async () => {
  const input = source();
  const file = await saveDiagnostics(input);
  assert.equal(file, join(input.paths.dataDir, 'diagnostics', 'billsync-diagnostics-2026-12-04-231005.txt'));
  assert.equal(diagnosticsFileName(new Date('2026-07-01T08:00:00Z')), 'billsync-diagnostics-2026-07-01-100000.txt', 'summer time');
  assert.equal(readFileSync(file, 'utf8'), await diagnosticsReport(input));
  assert.deepEqual(readdirSync(join(input.paths.dataDir, 'diagnostics')), ['billsync-diagnostics-2026-12-04-231005.txt'], 'no temp file left');
  input.ledger.close();
});

test('an unreadable log folder is said in the report instead of failing it', async () => {
  const input = source();
  const notAFolder = join(input.paths.dataDir, 'a-file');
  writeFileSync(notAFolder, '');
  const report = await diagnosticsReport({ ...input, paths: { ...input.paths, logDir: notAFolder } });
  assert.match(report, new RegExp(`\\(the log in ${notAFolder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} could not be read: ENOTDIR`));
  input.ledger.close();
});
