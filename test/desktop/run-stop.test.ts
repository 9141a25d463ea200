import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { desktopConfig } from '../support/desktop.js';
import { control, openSandbox } from '../support/sandbox.js';

/*
 * `billsync run --headless` stopped by SIGTERM in the middle of a run that will not finish in time
 * (Billit answering after 6 s, longer than the 3 s grace): the service manager's 5 seconds are kept, the ledger is closed
 * cleanly (SQLite removes its write-ahead log) and the instance lock is released.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = ['--import', 'tsx', join(REPO, 'src/app/cli-entry.ts')];

test('SIGTERM during a run that outlives the grace period: exit 0, the ledger closed, the lock released', async (t) => {
  const sandbox = await openSandbox({ dossiers: 2 });
  t.after(() => sandbox.close());
  const { configFile, dataDir } = desktopConfig(sandbox, 'billsync-run-stop-');
  // Every order listing hangs for 6 s: the start-up run is under way and cannot end in time.
  await control(sandbox, 'POST', 'faults', { kind: 'latency', latencyMs: 6_000, count: 100, route: '/v1/orders' });
  const agent = spawn(process.execPath, [...CLI, 'run', '--headless', '--config', configFile], {
    cwd: REPO, env: { ...process.env, BILLSYNC_DATA_DIR: dataDir, DISPLAY: '', WAYLAND_DISPLAY: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  agent.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  agent.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  t.after(() => { if (agent.exitCode === null) agent.kill('SIGKILL'); });

  const deadline = Date.now() + 30_000;
  // The sandbox counts a delayed request when the delay starts (its statistics only once answered).
  while (sandbox.faults.injected.latency === 0) {
    assert.ok(Date.now() < deadline, `the run never asked for the orders: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(existsSync(join(dataDir, 'ledger.sqlite-wal')), 'the ledger is open in WAL mode while the run goes on');
  const exited = new Promise<number | null>((resolve) => agent.once('exit', (code) => resolve(code)));
  const stopAt = Date.now();
  agent.kill('SIGTERM');
  const code = await exited;
  console.log(`# billsync run: stopped ${Date.now() - stopAt} ms after SIGTERM, mid-run`);
  assert.equal(code, 0, output);
  const wal = join(dataDir, 'ledger.sqlite-wal');
  assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'the ledger was closed cleanly although the run was cut short');
  assert.ok(!existsSync(join(dataDir, 'agent.lock')), 'the instance lock was released');
  const logs = readdirSync(join(dataDir, 'logs')).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(dataDir, 'logs', f), 'utf8')).join('');
  assert.match(logs, /billsync stopped \(a run was cut short; the next start finishes it\)/);
  assert.doesNotMatch(logs, /did not close cleanly/);
});
