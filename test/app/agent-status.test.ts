import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AgentStatus, clockTime } from '../../src/app/agent-status.js';
import { parseConfig } from '../../src/config/load-config.js';
import { AlreadyRunningError, claimInstance } from '../../src/app/instance.js';
import { Ledger } from '../../src/ledger/ledger.js';

function ledgerWithDocuments(): Ledger {
  const ledger = Ledger.open(join(mkdtempSync(join(tmpdir(), 'billsync-status-')), 'ledger.sqlite'));
  ledger.dossiers.upsert({ partyId: 11, name: 'Bakkerij Peeters', vatNumber: null, enterpriseNumber: '0123456749', folder: 'Bakkerij Peeters (0123456749)' });
  ledger.dossiers.upsert({ partyId: 22, name: 'Atelier Janssens', vatNumber: null, enterpriseNumber: null, folder: 'Atelier Janssens' });
  for (let i = 0; i < 5; i++) {
    const row = ledger.documents.ensureSeen({ source: 'orders', billitId: `a${i}`, dossierPartyId: 11, kind: 'purchase' });
    // Three wait for the entrepreneur, two are simply not exported yet.
    if (i < 3) ledger.documents.recordApprovalStatus(row.id, 'Pending');
  }
  const held = ledger.documents.ensureSeen({ source: 'orders', billitId: 'q1', dossierPartyId: 22, kind: 'sales' });
  ledger.documents.markQuarantined(held.id, 'BR-CO-15');
  return ledger;
}

test('the status line and icon state follow runs, pauses, failures and held-back documents', () => {
  const ledger = ledgerWithDocuments();
  let now = new Date('2026-12-03T13:02:00Z'); // 14:02 in Brussels
  const status = new AgentStatus(ledger, () => parseConfig({ billit: { apiKey: 'k' }, exportRoot: '/srv/venice' }), () => now);
  let changes = 0;
  status.onChange(() => { changes += 1; });

  let snapshot = status.snapshot();
  assert.equal(snapshot.state, 'attention', 'a quarantined document needs attention');
  assert.equal(snapshot.line, 'Needs attention · 1 held back');
  assert.equal(snapshot.approvalsWaiting, 3);
  const peeters = snapshot.dossiers.find((d) => d.partyId === 11)!;
  assert.deepEqual({ waiting: peeters.waitingApproval, toExport: peeters.toExport, quarantined: peeters.quarantined, folder: peeters.folder },
    { waiting: 3, toExport: 2, quarantined: 0, folder: join('/srv/venice', 'Bakkerij Peeters (0123456749)') });

  const request = { trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false };
  status.runStarted(request);
  assert.equal(status.snapshot().state, 'syncing');
  assert.equal(status.snapshot().line, 'Syncing… (started 14:02)');

  now = new Date('2026-12-03T13:05:00Z');
  status.runFinished(request, null, new Error('export root /srv/venice cannot be reached (ENOENT): is the network share connected? Nothing was exported.'));
  snapshot = status.snapshot();
  assert.equal(snapshot.state, 'error');
  assert.equal(snapshot.line, 'Error · export root /srv/venice cannot be reached (ENOENT): is the network share connected?');

  ledger.documents.reopen(ledger.documents.find('orders', 'q1')!.id);
  status.runFinished(request, { runId: 1, status: 'ok', dossiers: 2, counts: { exported: 4, identical: 0, conflicts: 0, acknowledged: 4, failed: 0, quarantined: 0, skipped: 0 } }, null);
  snapshot = status.snapshot();
  assert.equal(snapshot.state, 'up-to-date');
  assert.equal(snapshot.line, 'Up to date · last sync 14:05');

  status.setPausedUntil(new Date('2026-12-03T14:05:00Z'));
  assert.equal(status.snapshot().state, 'paused');
  assert.equal(status.snapshot().line, 'Paused until 15:05');
  now = new Date('2026-12-03T14:05:00Z');
  assert.equal(status.snapshot().state, 'up-to-date', 'a pause ends by itself');
  assert.equal(changes, 4, 'every change was announced');
  ledger.close();
});

test('the tray counts "to export" by the dossier\'s policy, as the status page does, and follows a changed config', () => {
  const ledger = Ledger.open(join(mkdtempSync(join(tmpdir(), 'billsync-status-')), 'ledger.sqlite'));
  ledger.dossiers.upsert({ partyId: 11, name: 'Bakkerij Peeters', vatNumber: null, enterpriseNumber: null, folder: 'Bakkerij Peeters' });
  const dated = (billitId: string, documentDate: string) => {
    const row = ledger.documents.ensureSeen({ source: 'orders', billitId, dossierPartyId: 11, kind: 'purchase' });
    ledger.search.record(row.id, { documentDate });
    return row;
  };
  dated('nov', '2026-11-20');
  dated('dec', '2026-12-02');
  // A failed attempt is still to export: it is tried again at the next run.
  ledger.documents.recordFailure(dated('oct', '2026-10-05').id, 'disk full');
  let config = parseConfig({ billit: { apiKey: 'k' }, exportRoot: '/srv/venice' });
  let now = new Date('2026-12-15T10:00:00Z');
  const status = new AgentStatus(ledger, () => config, () => now);
  const toExport = () => status.snapshot().dossiers[0]!.toExport;
  assert.equal(toExport(), 2, 'last month: October and November; December waits until December has ended');
  config = parseConfig({ billit: { apiKey: 'k' }, exportRoot: '/mnt/other', dossiers: { 11: { policy: { frequency: 'after-10-minutes' } } } });
  assert.equal(toExport(), 3, 'after 10 minutes, December is due too');
  assert.equal(status.snapshot().dossiers[0]!.folder, join('/mnt/other', 'Bakkerij Peeters'), 'the folder follows the export root');
  config = parseConfig({ billit: { apiKey: 'k' }, exportRoot: '/srv/venice' });
  now = new Date('2027-01-02T10:00:00Z');
  assert.equal(toExport(), 3, 'in January, December is due');
  ledger.close();
});

test('clock times are Brussels wall-clock, with the date when it is not today', () => {
  const now = new Date('2026-07-01T10:00:00Z');
  assert.equal(clockTime(new Date('2026-07-01T09:30:00Z'), now), '11:30', 'summer time: UTC+2');
  assert.equal(clockTime(new Date('2026-06-30T22:30:00Z'), now), '00:30');
  assert.equal(clockTime(new Date('2026-06-30T21:30:00Z'), now), '30/6 23:30');
});

test('one agent per user: a second claim names the first one and its status page', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'billsync-instance-'));
  // The first agent's status page: something answers there.
  const { createServer } = await import('node:http');
  const page = createServer((_req, res) => { res.statusCode = 401; res.end(); });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  const statusUrl = `http://127.0.0.1:${(page.address() as { port: number }).port}/?token=abc`;
  const first = await claimInstance(dataDir, { startedAt: '2026-12-03T10:00:00Z', logDir: '/logs', exportRoot: '/srv/venice' });
  await first.update({ startedAt: '2026-12-03T10:00:00Z', logDir: '/logs', exportRoot: '/srv/venice', statusUrl });
  // A lock held by another live process: this test's parent stands in for it.
  const lockFile = join(dataDir, 'agent.lock');
  const [, boot, info] = readFileSync(lockFile, 'utf8').split('\n');
  await first.release();
  writeFileSync(lockFile, `${process.ppid}\n${boot}\n${info}\n`);
  const error = await claimInstance(dataDir, { startedAt: 'x', logDir: '/logs', exportRoot: '/srv/venice' }).then(() => null, (e: unknown) => e);
  assert.ok(error instanceof AlreadyRunningError);
  assert.equal(error.pid, process.ppid);
  assert.equal(error.info.statusUrl, statusUrl);
  page.close();
  assert.match(error.message, new RegExp(`already running \\(process ${process.ppid}, since 2026-12-03T10:00:00Z\\)`));

  // A lock left by a process that is gone is taken over.
  writeFileSync(lockFile, `999999999\n${boot}\n{}\n`);
  const again = await claimInstance(dataDir, { startedAt: 'y', logDir: '/logs', exportRoot: '/srv/venice' });
  assert.equal(readFileSync(lockFile, 'utf8').split('\n')[0], String(process.pid));
  await again.release();
});

test('a lock naming a live process whose status page does not answer is stale (the pid was reused after a crash)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'billsync-instance-'));
  const lockFile = join(dataDir, 'agent.lock');
  const boot = Math.round(Date.now() - (await import('node:os')).uptime() * 1000);
  // Port 9 (discard) on loopback: nothing listens there.
  writeFileSync(lockFile, `${process.ppid}\n${boot}\n${JSON.stringify({ statusUrl: 'http://127.0.0.1:9/?token=x' })}\n`);
  const lock = await claimInstance(dataDir, { startedAt: 'z', logDir: '/logs', exportRoot: '/srv' });
  assert.equal(readFileSync(lockFile, 'utf8').split('\n')[0], String(process.pid));
  await lock.release();
});

test('two agents started at the same instant: exactly one gets the lock, every time', async () => {
  const { spawn } = await import('node:child_process');
  const script = `import { claimInstance } from ${JSON.stringify(new URL('../../src/app/instance.ts', import.meta.url).href)};
    try { await claimInstance(process.argv[1], { startedAt: 'x', logDir: '/l', exportRoot: '/r' }); console.log('won'); await new Promise((r) => setTimeout(r, 1500)); }
    catch (e) { console.log(e.name); }`;
  for (let trial = 0; trial < 8; trial++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'billsync-race-'));
    const run = () => new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
      child.on('exit', () => resolve(out.trim()));
    });
    const results = await Promise.all([run(), run()]);
    assert.deepEqual(results.sort(), ['AlreadyRunningError', 'won'], `trial ${trial}: ${results.join(', ')}`);
  }
});
