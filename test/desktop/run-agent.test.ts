import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { alive, desktopConfig, waitUntil } from '../support/desktop.js';
import { control, openSandbox } from '../support/sandbox.js';
import { artifactPath } from '../support/browser.js';
import { canRunXSession, missingHelperLibraries, startXSession } from '../support/xsession.js';

/*
 * `billsync run` as the accountant starts it: a real process with its real tray helper in a private
 * Xvfb + D-Bus session with a notification daemon, read and clicked over D-Bus as a panel does.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = ['--import', 'tsx', join(REPO, 'src/app/cli-entry.ts')];

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('billsync run: its tray menu over D-Bus, Sync now changes the status line, a second start points to the first, SIGTERM ends everything', async (t) => {
  const check = canRunXSession();
  assert.ok(check.ok, `this test needs: ${check.problems.join('; ')}`);
  assert.deepEqual(await missingHelperLibraries(), []);
  const session = await startXSession({ notifications: true });
  t.after(() => session.close());
  const sandbox = await openSandbox({ dossiers: 2 });
  t.after(() => sandbox.close());

  const { configFile, dataDir } = desktopConfig(sandbox, 'billsync-run-', { policy: { requireApproval: true } });
  const [firstParty] = [...sandbox.world.dossiers.keys()] as [number];
  await control(sandbox, 'POST', 'documents', { partyId: firstParty, count: 3, approvalStatus: 'Pending' });
  const env = { ...process.env, ...session.env, BILLSYNC_DATA_DIR: dataDir };
  let output = '';
  const agent = spawn(process.execPath, [...CLI, 'run', '--config', configFile], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  agent.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  agent.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  t.after(() => { if (agent.exitCode === null) agent.kill('SIGKILL'); });

  // The start learns the dossiers and catches up last month's run; then the line settles.
  const tray = await waitUntil('the tray menu on the session bus', () => session.trayMenu(), 30_000);
  await waitUntil('an "Up to date" line after the first runs', async () => {
    const [line] = await session.menuLabels();
    return line?.startsWith('Up to date · last sync') ? line : null;
  }, 60_000);
  const labels = await session.menuLabels();
  for (const entry of ['Sync now', 'Pause', 'Pause 1 hour', 'Pause until tomorrow', 'Resume', 'Open export folder', 'Dossiers', 'Open status page', 'Open log folder', 'Quit']) {
    assert.ok(labels.includes(entry), `the menu has "${entry}": ${labels.join(' | ')}`);
  }
  for (const dossier of sandbox.world.dossiers.values()) assert.ok(labels.some((l) => l.startsWith(dossier.name)), `the Dossiers submenu lists ${dossier.name}`);
  assert.ok(labels.some((l) => /^Approvals waiting \([1-9]\d*\)$/.test(l)), `the three pending documents are counted: ${labels.join(' | ')}`);

  // The entrepreneur approves three documents; slow Billit down so the syncing state lasts long
  // enough to be seen on the bus.
  const pending = [...sandbox.world.orders.values()].filter((o) => o.companyId === firstParty && o.approvalStatus === 'Pending').slice(0, 3);
  await control(sandbox, 'POST', 'approve', { orderIds: pending.map((o) => o.orderId) });
  await control(sandbox, 'POST', 'faults', { kind: 'latency', latencyMs: 1500, count: 2, route: '/v1/orders' });
  const listsBefore = sandbox.stats.byRoute['GET /v1/orders'] ?? 0;
  await session.clickLabel('Sync now');
  await waitUntil('the syncing line after Sync now', async () => (await session.menuLabels())[0]?.startsWith('Syncing…'));
  await waitUntil('the line back to "Up to date" after the sync', async () => (await session.menuLabels())[0]?.startsWith('Up to date · last sync'), 30_000);
  // The approvals notification is on screen now (the daemon shows it for 10 s): keep a picture.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const screenshot = artifactPath('billsync-run.png');
  await session.screenshot(screenshot);
  assert.deepEqual(readFileSync(screenshot).subarray(0, 4), Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'the screenshot is a PNG');
  assert.ok((sandbox.stats.byRoute['GET /v1/orders'] ?? 0) > listsBefore, 'Sync now asked Billit for the orders');

  // A second start does not run a second agent: it names the first and exits.
  const second = spawn(process.execPath, [...CLI, 'run', '--headless', '--config', configFile], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let secondOutput = '';
  second.stdout!.on('data', (chunk: Buffer) => { secondOutput += chunk.toString(); });
  assert.equal(await exited(second), 0);
  assert.match(secondOutput, new RegExp(`billsync is already running \\(process ${agent.pid}`));

  // billsync status names the running agent and its status page, which opens with the token only.
  const status = spawn(process.execPath, [...CLI, 'status', '--json', '--config', configFile], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let statusOutput = '';
  status.stdout!.on('data', (chunk: Buffer) => { statusOutput += chunk.toString(); });
  assert.equal(await exited(status), 0);
  const report = JSON.parse(statusOutput);
  assert.equal(report.agent.pid, agent.pid);
  assert.match(report.statusPage, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
  assert.match(secondOutput, new RegExp(`Status page: ${report.statusPage.replace(/[.?]/g, '\\$&')}`));
  const withToken = await fetch(report.statusPage, { redirect: 'manual' });
  assert.equal(withToken.status, 303);
  assert.match(withToken.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
  assert.equal((await fetch(new URL('/', report.statusPage), { redirect: 'manual' })).status, 401, 'not without the token');

  // SIGTERM: everything ends within 5 seconds, the tray helper too, and the database is closed.
  const helperPid = tray.pid;
  assert.ok(alive(helperPid));
  const stopAt = Date.now();
  agent.kill('SIGTERM');
  const code = await exited(agent);
  const stopMs = Date.now() - stopAt;
  assert.equal(code, 0, output);
  // The time is a figure to read, not a test (billsync's own hard exit at 4.5 s is the guarantee).
  console.log(`# billsync run: stopped ${stopMs} ms after SIGTERM`);
  await waitUntil('the tray helper gone', () => !alive(helperPid), 2000);
  const wal = join(dataDir, 'ledger.sqlite-wal');
  // SQLite removes the write-ahead log when the last connection closes cleanly.
  assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'the ledger was closed cleanly');
  assert.ok(!existsSync(join(dataDir, 'agent.lock')), 'the instance lock was released');
  const logs = readdirSync(join(dataDir, 'logs')).filter((f) => f.endsWith('.log'));
  const logText = logs.map((f) => readFileSync(join(dataDir, 'logs', f), 'utf8')).join('');
  assert.match(logText, /billsync stopped/);
  assert.ok(!logText.includes(sandbox.apiKey), 'the API key never reaches the log');
  const token = new URL(report.statusPage).searchParams.get('token')!;
  assert.ok(!logText.includes(token), 'nor the status page\'s token');
});
