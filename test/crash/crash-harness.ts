/**
 * Shared pieces of the crash suite (test/crash/*.test.ts): start the real `billsync` CLI as its own
 * process, wait for a sign that it is doing the work, SIGKILL it at a seeded random instant, and
 * check what a kill may leave behind.
 *
 * Kills are timed from a signal, not from the spawn: start-up takes 0.3 s on an idle machine and
 * more than 2 s on a loaded one, so a fixed delay after the spawn lands in start-up on a slow machine
 * and after the end on a fast one. The signals: for `sync` and `export`, the run's row appearing in
 * the ledger's `runs` table (written once the run lock is held, before anything is touched); for
 * `run --headless`, the first Outbox upload reaching the sandbox. The sandbox adds latency to the API
 * so that the work after the signal lasts long enough on a fast machine as well, and a kill may count
 * from the k-th API answer after the signal (afterRequests), which no machine's speed moves.
 *
 * The export invariants themselves are test/support/invariants.ts; this file only adapts them to a
 * crash loop (which of them must hold at every instant, and which only after the final clean run).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Sandbox } from '../../src/sandbox/server.js';
import { inspectExport, type InvariantReport } from '../support/invariants.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How the suite starts billsync. */
export interface CliChoice {
  /** Arguments for `node` before the billsync command. */
  prefix: string[];
  /** 'built': the current sources, transformed ahead (see prepareCli); 'source': tsx at every start; 'dist': the npm build. */
  kind: 'built' | 'source' | 'dist';
  why: string;
}

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
    }
  };
  walk(join(REPO, 'src'));
  return out.sort();
}

/**
 * The current sources as plain JavaScript in a temporary tree that mirrors the repository (src/,
 * package.json, and links to node_modules/ and icons/, so relative asset paths resolve as from the
 * repository). It is the same esbuild transform tsx applies at every start, done once ahead: a start
 * then costs about half as much (no loader hooks, no per-file transforms), which matters over 100+
 * starts on a busy machine, and unlike dist/ it can never be stale. Keyed by the sources' paths,
 * sizes and times, so the test files of one run share it.
 */
async function buildCurrentSources(): Promise<string> {
  const files = sourceFiles();
  const key = createHash('sha256');
  for (const file of files) {
    const stats = statSync(file);
    key.update(`${relative(REPO, file)}:${stats.size}:${stats.mtimeMs}\n`);
  }
  const dir = join(tmpdir(), `billsync-crash-build-${key.digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, 'src', 'app', 'cli-entry.js'))) {
    utimesSync(dir, new Date(), new Date()); // in use: not removed as old by another run
    return dir;
  }
  const staging = `${dir}.${process.pid}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const { build } = await import('esbuild');
  await build({
    entryPoints: files, outdir: join(staging, 'src'), outbase: join(REPO, 'src'), bundle: false, format: 'esm', platform: 'node',
    target: `node${process.versions.node}`, tsconfig: join(REPO, 'tsconfig.json'), logLevel: 'silent',
  });
  copyFileSync(join(REPO, 'package.json'), join(staging, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(staging, 'node_modules'), 'dir');
  symlinkSync(join(REPO, 'icons'), join(staging, 'icons'), 'dir');
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another test file built it meanwhile
  }
  // Builds of earlier sources that no test has used for an hour go.
  for (const name of readdirSync(tmpdir())) {
    const old = join(tmpdir(), name);
    if (name.startsWith('billsync-crash-build-') && old !== dir && Date.now() - statSync(old).mtimeMs > 3_600_000) rmSync(old, { recursive: true, force: true });
  }
  return dir;
}

/**
 * How billsync is started: by default the current sources transformed ahead (buildCurrentSources);
 * BILLSYNC_CRASH_CLI=source runs them through tsx at every start (slower), BILLSYNC_CRASH_CLI=dist
 * runs the npm build (bin/billsync.js; only as fresh as the last `npm run build`).
 */
export async function prepareCli(): Promise<CliChoice> {
  const forced = process.env.BILLSYNC_CRASH_CLI;
  if (forced === 'source') return { prefix: ['--import', 'tsx', join(REPO, 'src/app/cli-entry.ts')], kind: 'source', why: 'BILLSYNC_CRASH_CLI=source' };
  if (forced === 'dist') return { prefix: [join(REPO, 'bin/billsync.js')], kind: 'dist', why: 'BILLSYNC_CRASH_CLI=dist' };
  const dir = await buildCurrentSources();
  return { prefix: [join(dir, 'src', 'app', 'cli-entry.js')], kind: 'built', why: `the current sources, transformed once into ${dir}` };
}

/** One scratch world for a phase: export root, data dir and configuration file under one base folder. */
export interface CrashEnv {
  base: string;
  root: string;
  dataDir: string;
  ledgerFile: string;
  configFile: string;
  /** The environment for billsync processes. */
  env: NodeJS.ProcessEnv;
}

export function crashEnv(sandbox: Sandbox, name: string, options: { policy?: Record<string, unknown>; baseUrl?: string } = {}): CrashEnv {
  const base = mkdtempSync(join(tmpdir(), `billsync-crash-${name}-`));
  const root = join(base, 'export');
  const dataDir = join(base, 'data');
  mkdirSync(root);
  const configFile = join(base, 'config.json');
  writeFileSync(configFile, JSON.stringify({
    billit: {
      baseUrl: options.baseUrl ?? sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ratePerSecond: 100, maxConcurrent: 8,
    },
    exportRoot: root, policy: options.policy ?? { frequency: 'after-10-minutes' },
  }));
  // No display: `run` is headless anyway, and no desktop notification helper pops up.
  return { base, root, dataDir, ledgerFile: join(dataDir, 'ledger.sqlite'), configFile, env: { ...process.env, BILLSYNC_DATA_DIR: dataDir, DISPLAY: '', WAYLAND_DISPLAY: '' } };
}

/** Removes a phase's scratch folders (after it passed; a failed one keeps them for a look). */
export function discard(env: CrashEnv): void {
  rmSync(env.base, { recursive: true, force: true });
}

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

export interface Launched {
  child: ChildProcess;
  exited: Promise<Outcome>;
  running(): boolean;
  kill(signal?: NodeJS.Signals): void;
}

/** Every billsync process this test file started that has not exited yet. */
const live = new Set<ChildProcess>();
// A failing assertion must not leave an agent running (it would keep the test file alive, and poll on).
process.once('exit', () => { for (const child of live) child.kill('SIGKILL'); });

/** Kills whatever billsync process is still running (an after() hook, for failed tests). */
export async function killLeftovers(): Promise<void> {
  const exits = [...live].map((child) => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGKILL'); }));
  await Promise.all(exits);
}

export function launch(cli: CliChoice, env: CrashEnv, args: string[]): Launched {
  const child = spawn(process.execPath, [...cli.prefix, ...args, '--config', env.configFile], { cwd: REPO, env: env.env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let done = false;
  // 'close': the process has exited (and was reaped, so its pid locks count as stale) and its output is read.
  const exited = new Promise<Outcome>((resolve) => child.once('close', (code, signal) => { done = true; resolve({ code, signal, output }); }));
  return {
    child, exited,
    running: () => !done,
    kill: (signal = 'SIGKILL') => { if (!done) child.kill(signal); },
  };
}

/** Runs a command to its end (a clean run); fails the test on any exit code but 0. */
export async function runClean(cli: CliChoice, env: CrashEnv, args: string[]): Promise<void> {
  const outcome = await launch(cli, env, args).exited;
  assert.equal(outcome.code, 0, `billsync ${args.join(' ')} ended with ${outcome.signal ?? `exit ${outcome.code}`}: ${outcome.output}`);
}

/** Polls `check` until it gives a value, `stop()` says give up, or `timeoutMs` passes (then null). */
export async function waitFor<T>(check: () => T | null | undefined | false, options: { timeoutMs: number; intervalMs?: number; stop?: () => boolean }): Promise<T | null> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (options.stop?.() || Date.now() > deadline) return null;
    await sleep(options.intervalMs ?? 10);
  }
}

/**
 * Reads the ledger with a read-only connection of its own (never the product's code, which would
 * migrate or lock). Null while the file does not exist or cannot be read yet (a first start still
 * creating it).
 */
export function readLedger<T>(ledgerFile: string, read: (db: Database.Database) => T): T | null {
  if (!existsSync(ledgerFile)) return null;
  let db: Database.Database | undefined;
  try {
    db = new Database(ledgerFile, { readonly: true, fileMustExist: true, timeout: 2000 });
    return read(db);
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

export const lastRunId = (ledgerFile: string): number =>
  readLedger(ledgerFile, (db) => (db.prepare('SELECT coalesce(max(id), 0) AS id FROM runs').get() as { id: number }).id) ?? 0;

export function runsAfter(ledgerFile: string, id: number): Array<{ id: number; status: string; trigger: string }> {
  return readLedger(ledgerFile, (db) => db.prepare('SELECT id, status, "trigger" FROM runs WHERE id > ? ORDER BY id').all(id) as Array<{ id: number; status: string; trigger: string }>) ?? [];
}

/** What one kill hit. */
export interface KillRecord {
  /** The process was killed (false: it finished on its own before its kill came). */
  killed: boolean;
  /** It was killed while a run it started was still 'running' in the ledger. */
  midRun: boolean;
  /** Files were in flight: a temp file under the root, or ledger rows between fetched and acknowledged. */
  inFlight: boolean;
  /** The signal that timed the kill was seen (else the kill came at a blind instant after the spawn). */
  signalled: boolean;
  /** From the spawn to the signal: what start-up cost on this machine. */
  startupMs: number | null;
  delayMs: number;
}

/**
 * Starts `billsync <args>`, waits until it has started a run (its `runs` row), then SIGKILLs it after
 * `delayMs`; afterwards checks what must hold at any instant (see anyInstantViolations). With
 * `blind`, the delay counts from the spawn instead: such kills land in start-up on purpose (opening
 * the ledger, reconciling), where a slow machine spends most of its time.
 */
export async function killDuringRun(cli: CliChoice, env: CrashEnv, args: string[], options: {
  delayMs: number; blind?: boolean; label: string; expected: () => ReadonlySet<string>; duringRun?: () => Promise<void>;
  /**
   * Count the delay from the `count`-th API answer after the signal instead of from the signal
   * itself: a run's length in time depends on the machine's load, its requests do not, so a count
   * below the fewest requests a run makes puts the kill inside the run on any machine.
   */
  afterRequests?: { served: () => number; count: number };
}): Promise<KillRecord> {
  const before = lastRunId(env.ledgerFile);
  const spawnedAt = Date.now();
  const process_ = launch(cli, env, args);
  let signalled = false;
  if (!options.blind) {
    signalled = (await waitFor(() => lastRunId(env.ledgerFile) > before, { timeoutMs: 60_000, intervalMs: 8, stop: () => !process_.running() })) !== null;
    if (!signalled && process_.running()) {
      process_.kill();
      assert.fail(`${options.label}: billsync ${args.join(' ')} started no run within 60 s`);
    }
  }
  const startupMs = signalled ? Date.now() - spawnedAt : null;
  const work = options.duringRun?.();
  if (signalled && options.afterRequests) {
    const { served, count } = options.afterRequests;
    const base = served();
    await waitFor(() => served() - base >= count, { timeoutMs: 60_000, intervalMs: 2, stop: () => !process_.running() });
  }
  const timer = setTimeout(() => process_.kill(), options.delayMs);
  const outcome = await process_.exited;
  clearTimeout(timer);
  await work;
  const killed = outcome.signal === 'SIGKILL';
  assert.ok(killed || outcome.code === 0, `${options.label}: billsync ${args.join(' ')} ended with ${outcome.signal ?? `exit ${outcome.code}`}: ${outcome.output}`);
  const midRun = killed && runsAfter(env.ledgerFile, before).some((run) => run.status === 'running');
  const report = await assertAnyInstant(env, options.expected(), options.label);
  const inFlight = killed && (report.tempFiles.length > 0 || (report.rowsByState.fetched ?? 0) > 0 || (report.rowsByState.placed ?? 0) > 0);
  return { killed, midRun, inFlight, signalled, startupMs, delayMs: options.delayMs };
}

/** Tally of a phase, printed as `# crash suite: <phase> kills N, landed mid-run M`. */
export class KillTally {
  readonly records: KillRecord[] = [];
  constructor(readonly phase: string) {}

  add(record: KillRecord): void {
    this.records.push(record);
  }

  get kills(): number { return this.records.filter((r) => r.killed).length; }
  get midRun(): number { return this.records.filter((r) => r.midRun).length; }
  get inFlight(): number { return this.records.filter((r) => r.inFlight).length; }
  get finished(): number { return this.records.filter((r) => !r.killed).length; }

  print(extra = ''): void {
    const startups = this.records.map((r) => r.startupMs).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
    const median = startups.length > 0 ? `, start-up to signal median ${startups[Math.floor(startups.length / 2)]} ms (max ${startups[startups.length - 1]} ms)` : '';
    console.log(`# crash suite: ${this.phase} kills ${this.kills}, landed mid-run ${this.midRun}`);
    console.log(`# crash suite: ${this.phase} detail: ${this.records.length} starts, ${this.finished} finished before their kill, ${this.inFlight} kills with files in flight${median}${extra ? `, ${extra}` : ''}`);
  }

  /** A real majority of the kills must land inside the work, or the phase proves little. */
  assertMostlyMidRun(minKills: number): void {
    assert.ok(this.kills >= minKills, `${this.phase}: ${this.kills} processes were killed, expected at least ${minKills}`);
    assert.ok(this.midRun * 3 >= this.kills * 2, `${this.phase}: only ${this.midRun} of ${this.kills} kills landed inside a run`);
  }
}

/** True for a path (relative to the root) inside a dossier's Outbox/ tree: not an exported document. */
export const isOutboxPath = (path: string): boolean => path.split('/')[1]?.toLowerCase() === 'outbox';

/**
 * What must hold at every instant, whatever a kill interrupted (product.md §4): Venice sees only whole
 * documents (every visible file under the root is an expected document; anything else is a hidden
 * temporary file), no document twice, and nothing written outside the root (the base folder holds
 * only the root, the data dir and the configuration). Outbox/ files are the accountant's, checked by
 * the Outbox phase itself. Returns the violations.
 */
export function anyInstantViolations(env: CrashEnv, report: InvariantReport, expected: ReadonlySet<string>): string[] {
  const violations: string[] = [];
  const byHash = new Map<string, string[]>();
  for (const file of report.files) {
    if (isOutboxPath(file.path)) continue;
    if (!expected.has(file.sha256)) violations.push(`${file.path} (${file.size} bytes) is visible but is not a whole document`);
    byHash.set(file.sha256, [...(byHash.get(file.sha256) ?? []), file.path]);
  }
  for (const paths of byHash.values()) if (paths.length > 1) violations.push(`one document is on disk ${paths.length} times: ${paths.join(', ')}`);
  const outside = readdirSync(env.base).filter((name) => !['export', 'data', 'config.json'].includes(name));
  if (outside.length > 0) violations.push(`written outside the export root: ${outside.join(', ')}`);
  return violations;
}

export async function assertAnyInstant(env: CrashEnv, expected: ReadonlySet<string>, label: string): Promise<InvariantReport> {
  const report = await inspectExport({ root: env.root, ledgerFile: env.ledgerFile, expectedHashes: expected, allowTempFiles: true });
  const violations = anyInstantViolations(env, report, expected);
  assert.deepEqual(violations, [], `${label}: ${violations.join('; ')}`);
  return report;
}

/**
 * The full invariants after the final clean run (test/support/invariants.ts with `complete`), minus
 * what `ignore` names: files under Outbox/ (the accountant's, not exported documents) and any
 * violation the phase explains itself.
 */
export async function assertFinal(env: CrashEnv, expected: ReadonlySet<string>, ignore: (violation: string) => boolean = () => false): Promise<InvariantReport> {
  const report = await inspectExport({ root: env.root, ledgerFile: env.ledgerFile, expectedHashes: expected, complete: true, dataDir: env.dataDir });
  const outboxFiles = report.files.filter((f) => isOutboxPath(f.path)).map((f) => `${f.path} `);
  const left = report.violations.filter((v) => !outboxFiles.some((prefix) => v.startsWith(prefix)) && !ignore(v));
  assert.deepEqual(left, [], `export invariants broken after the final run:\n  ${left.slice(0, 40).join('\n  ')}`);
  const outside = anyInstantViolations(env, report, expected);
  assert.deepEqual(outside, [], outside.join('; '));
  return report;
}
