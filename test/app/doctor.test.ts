import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { doctorExitCode, formatCheck, runDoctor, type CheckResult, type DoctorOptions } from '../../src/app/commands/doctor.js';
import { main } from '../../src/app/cli.js';
import { saveConfig } from '../../src/config/load-config.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { ROOT_MARKER } from '../../src/export/export-root.js';
import { Ledger } from '../../src/ledger/ledger.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { openSandbox } from '../support/sandbox.js';

let sandbox: Sandbox;
before(async () => { sandbox = await openSandbox(); });
const made: string[] = [];
after(async () => {
  await sandbox.close();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

interface Setup { options: DoctorOptions; root: string; dataDir: string }

/** A configuration file for the sandbox, an export root with its marker, and an empty data folder. */
async function setup(billit: Partial<NonNullable<ConfigInput['billit']>> = {}, extra: Partial<DoctorOptions> = {}): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'billsync-doctor-'));
  made.push(dir);
  const root = join(dir, 'venice');
  mkdirSync(root);
  writeFileSync(join(root, ROOT_MARKER), '{}\n');
  const configFile = join(dir, 'config.json');
  await saveConfig(configFile, { billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ...billit }, exportRoot: root });
  const dataDir = join(dir, 'data');
  return { options: { configFile, paths: { configFile, dataDir, logDir: join(dataDir, 'logs') }, timeoutMs: 5000, ...extra }, root, dataDir };
}

const statusOf = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.id, r.status]));

test('against the sandbox every check is ok and the exit code is 0', async () => {
  const { options } = await setup();
  const results = await runDoctor(options);
  assert.deepEqual(statusOf(results), { config: 'ok', api: 'ok', key: 'ok', root: 'ok', disk: 'ok', clock: 'ok' }, results.map(formatCheck).join('\n'));
  assert.equal(doctorExitCode(results), 0);
  assert.match(results.find((r) => r.id === 'key')!.message, /2 companies/);
});

test('the command prints one line per check, or JSON with --json', async () => {
  const { options } = await setup();
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => { lines.push(line); };
  try {
    assert.equal(await main(['doctor', '--config', options.configFile]), 0);
    assert.equal(await main(['doctor', '--config', options.configFile, '--json']), 0);
  } finally {
    console.log = log;
  }
  assert.equal(lines.length, 7);
  assert.match(lines[1]!, /^ok +Billit API +http:\/\/127\.0\.0\.1:\d+ answers/);
  const json = JSON.parse(lines[6]!) as { checks: Array<{ id: string; status: string; label: string }>; exitCode: number };
  assert.equal(json.exitCode, 0);
  assert.deepEqual(json.checks.map((c) => c.id), ['config', 'api', 'key', 'root', 'disk', 'clock']);
});

test('a rejected API key fails the key check with exit code 2 (configuration) and the key is never printed', async () => {
  const wrongKey = 'sbx-this-key-is-wrong-0123456789';
  const { options } = await setup({ apiKey: wrongKey });
  const results = await runDoctor(options);
  const key = results.find((r) => r.id === 'key')!;
  assert.equal(key.status, 'fail');
  assert.match(key.message, /rejected the API key/);
  assert.equal(doctorExitCode(results), 2);
  const printed = results.map(formatCheck).join('\n') + JSON.stringify(results);
  assert.ok(!printed.includes(wrongKey), 'the key must not appear in the output');
  assert.ok(!printed.includes(sandbox.apiKey));
});

test('an export root that is not there fails the root check with exit code 3', async () => {
  const { options, root } = await setup();
  const missing = `${root}-unmounted`;
  await saveConfig(options.configFile, { billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey }, exportRoot: missing });
  const results = await runDoctor(options);
  const check = results.find((r) => r.id === 'root')!;
  assert.equal(check.status, 'fail');
  assert.match(check.message, /cannot be reached \(ENOENT\)/);
  assert.equal(doctorExitCode(results), 3);
});

test('a root without marker warns before the first export and fails once billsync has exported there', async () => {
  const { options, root, dataDir } = await setup();
  rmSync(join(root, ROOT_MARKER));
  let check = (await runDoctor(options)).find((r) => r.id === 'root')!;
  assert.equal(check.status, 'warn');
  assert.match(check.message, /no \.billsync marker yet/);

  const ledger = Ledger.open(join(dataDir, 'ledger.sqlite'));
  ledger.dossiers.upsert({ partyId: 11, name: 'Bakkerij Peeters', vatNumber: null, enterpriseNumber: null, folder: 'Bakkerij Peeters' });
  const row = ledger.documents.ensureSeen({ source: 'orders', billitId: 'a1', dossierPartyId: 11, kind: 'sales' });
  ledger.documents.markFetched(row.id, { stagedPath: '/x', sha256: 'a', originalSha256: 'a', targetPath: join(root, 'x.xml') });
  ledger.documents.markPlaced(row.id, { finalPath: join(root, 'x.xml'), sha256: 'a' });
  ledger.close();
  const results = await runDoctor(options);
  check = results.find((r) => r.id === 'root')!;
  assert.equal(check.status, 'fail');
  assert.match(check.message, /not mounted/);
  assert.equal(doctorExitCode(results), 3);
});

test('a clock more than two minutes off warns, within two minutes is ok', async () => {
  const { options } = await setup({}, { now: () => new Date(Date.now() - 5 * 60_000) });
  const clock = (await runDoctor(options)).find((r) => r.id === 'clock')!;
  assert.equal(clock.status, 'warn');
  assert.match(clock.message, /(4 min 59|5 min [01]) s behind Billit's/);
  const near = await setup({}, { now: () => new Date(Date.now() + 60_000) });
  assert.equal((await runDoctor(near.options)).find((r) => r.id === 'clock')!.status, 'ok');
});

test('Billit unreachable: the API check fails with exit code 3, key and clock are skipped', async () => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
  const { options } = await setup({ baseUrl: `http://127.0.0.1:${port}` });
  const results = await runDoctor(options);
  assert.deepEqual(statusOf(results), { config: 'ok', api: 'fail', key: 'skip', root: 'ok', disk: 'ok', clock: 'skip' });
  assert.match(results[1]!.message, /ECONNREFUSED/);
  assert.equal(doctorExitCode(results), 3);
});

test('a Billit that accepts the connection but never answers fails with "timeout"', async () => {
  const silent = createHttpServer(() => { /* never answers */ }).listen(0, '127.0.0.1');
  await once(silent, 'listening');
  try {
    const { options } = await setup({ baseUrl: `http://127.0.0.1:${(silent.address() as { port: number }).port}` }, { timeoutMs: 300 });
    const api = (await runDoctor(options)).find((r) => r.id === 'api')!;
    assert.equal(api.status, 'fail');
    assert.match(api.message, /\(timeout\)/);
  } finally {
    silent.closeAllConnections();
    silent.close();
  }
});

test('nearly no free disk space fails with exit code 1, little warns', async () => {
  const { options } = await setup({}, { freeBytes: async () => 50 * 1024 * 1024 });
  const results = await runDoctor(options);
  assert.equal(results.find((r) => r.id === 'disk')!.status, 'fail');
  assert.equal(doctorExitCode(results), 1);
  const little = await setup({}, { freeBytes: async () => 600 * 1024 * 1024 });
  const disk = (await runDoctor(little.options)).find((r) => r.id === 'disk')!;
  assert.equal(disk.status, 'warn');
  assert.match(disk.message, /0\.6 GB free for the export root/);
});

test('a configuration file that is not valid JSON is one failed line with exit code 2', async () => {
  const { options } = await setup();
  writeFileSync(options.configFile, '{ "billit": ');
  const results = await runDoctor(options);
  assert.equal(results.length, 1);
  assert.equal(results[0]!.status, 'fail');
  assert.equal(doctorExitCode(results), 2);
});
