/**
 * Benchmark of the agent's idle cost (not a test): `billsync run --headless` over 200 dossiers that
 * are up to date, measured from outside through /proc for a number of minutes. Prints CPU (share of
 * one core) and resident memory, and what the agent asked of the sandbox meanwhile.
 *
 * Run: npm run bench:idle -- [--minutes 10] [--dossiers 200] [--policy last-month|after-10-minutes] [--warmup 60] [--settled]
 * (--settled: start from the state 70 minutes after the export, the orders watermark overlap settled)
 * Needs the build (npm run build) and Linux (/proc).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Ledger } from '../../src/ledger/ledger.js';
import { startSandbox } from '../../src/sandbox/server.js';

const { values } = parseArgs({ options: {
  minutes: { type: 'string', default: '10' }, dossiers: { type: 'string', default: '200' }, policy: { type: 'string', default: 'last-month' },
  warmup: { type: 'string', default: '60' }, settled: { type: 'boolean', default: false },
} });
const minutes = Number(values.minutes);
const dossiers = Number(values.dossiers);
const warmupSeconds = Number(values.warmup);
const repo = new URL('../../', import.meta.url).pathname;
const cli = join(repo, 'bin', 'billsync.js');
const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function cpuTicks(pid: number): number {
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sandbox = await startSandbox({ seed: 'idle-bench', dossiers, docsPerDossier: 4, otherDocsPerDossier: 1, codaDays: 3 });
const base = mkdtempSync(join(tmpdir(), 'billsync-idle-'));
const root = join(base, 'export');
mkdirSync(root);
const configFile = join(base, 'config.json');
writeFileSync(configFile, JSON.stringify({
  billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ratePerSecond: 50, maxConcurrent: 8 },
  exportRoot: root,
  policy: { frequency: values.policy },
}, null, 2));
const env = { ...process.env, BILLSYNC_DATA_DIR: join(base, 'data'), DISPLAY: '', WAYLAND_DISPLAY: '' };

console.log(`setting up: ${dossiers} dossiers, policy ${values.policy}; first sync exports what is due…`);
// Not spawnSync: the sandbox lives in this process and must keep answering.
const first = spawn(process.execPath, [cli, 'sync', '--config', configFile, '--json'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
let firstErrors = '';
first.stderr.on('data', (chunk: Buffer) => { firstErrors += chunk.toString(); });
const firstCode = await new Promise<number | null>((resolve) => first.once('exit', resolve));
if (firstCode !== 0 && firstCode !== 1) throw new Error(`the first sync failed (${firstCode}): ${firstErrors}`);

if (values.settled) {
  // The state 70 minutes after the export, without waiting for it: a second pass lists the orders as
  // marking them exported left them (the orders watermark moves there), and each dossier's overlap is
  // recorded as settled, as 70 minutes of after-10-minutes polls would leave it (orders-source.ts).
  // Not spawnSync, as above: the sandbox in this process must keep answering.
  const second = spawn(process.execPath, [cli, 'sync', '--config', configFile, '--json'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let secondErrors = '';
  second.stderr.on('data', (chunk: Buffer) => { secondErrors += chunk.toString(); });
  const secondCode = await new Promise<number | null>((resolve) => second.once('exit', resolve));
  if (secondCode !== 0 && secondCode !== 1) throw new Error(`the second sync failed (${secondCode}): ${secondErrors}`);
  const ledger = Ledger.open(join(base, 'data', 'ledger.sqlite'));
  const since = new Date(Date.now() - 71 * 60_000).toISOString();
  let settled = 0;
  for (const dossier of ledger.dossiers.list()) {
    const watermark = ledger.watermarks.get(dossier.partyId, 'orders');
    if (watermark === null) continue;
    ledger.watermarks.set(dossier.partyId, 'orders-overlap', JSON.stringify({ watermark, since, settled: true }));
    settled += 1;
  }
  ledger.close();
  console.log(`overlap recorded as settled for ${settled} dossiers`);
}

const agent = spawn(process.execPath, [cli, 'run', '--headless', '--config', configFile], { env, stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
agent.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
const pid = agent.pid!;
console.log(`agent pid ${pid}; warming up ${warmupSeconds} s (startup run, watchers)…`);
await sleep(warmupSeconds * 1000);

const requestsBefore = sandbox.stats.total;
const startTicks = cpuTicks(pid);
const started = process.hrtime.bigint();
const rss: number[] = [];
const end = Date.now() + minutes * 60_000;
while (Date.now() < end) {
  if (agent.exitCode !== null) throw new Error(`the agent exited (${agent.exitCode}): ${stderr}`);
  rss.push(rssMb(pid));
  await sleep(5000);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpuPercent = ((cpuTicks(pid) - startTicks) / ticksPerSecond) / seconds * 100;
const requests = sandbox.stats.total - requestsBefore;

const stopAt = Date.now();
agent.kill('SIGTERM');
const exitCode = await new Promise<number | null>((resolve) => agent.once('exit', (code) => resolve(code)));
const stopMs = Date.now() - stopAt;
await sandbox.close();
rmSync(base, { recursive: true, force: true });

console.log(JSON.stringify({
  dossiers, policy: values.policy, settled: values.settled, minutes: Number((seconds / 60).toFixed(2)),
  cpuPercentOfOneCore: Number(cpuPercent.toFixed(3)),
  rssMb: { max: Number(Math.max(...rss).toFixed(1)), mean: Number((rss.reduce((a, b) => a + b, 0) / rss.length).toFixed(1)), samples: rss.length },
  sandboxRequests: requests,
  stop: { afterSigtermMs: stopMs, exitCode },
  goals: { cpuBelowOnePercent: cpuPercent < 1, rssBelow150Mb: Math.max(...rss) < 150, stopWithin5s: stopMs < 5000 },
}, null, 2));
