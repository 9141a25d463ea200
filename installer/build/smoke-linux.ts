import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

function step(name: string, started: number, detail = ''): void {
  console.log(`ok  ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)${detail ? `\n${detail.replace(/^/gm, '    ')}` : ''}`);
}

/**
 * Unpacks the Linux tarball into a fresh folder, as a user would, and checks that the package starts:
 * `billsync --version`, `billsync doctor` against the packaged sandbox (exit 0), `billsync run
 * --headless` until its status page answers, `billsync config get` and `billsync diagnostics`, and
 * `billsync demo` in an empty folder. Throws on the first failure, leaving the folder to look at; CI runs it after
 * `npm run package:linux`.
 */
export async function smokeLinux(tarball: string): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'billsync-smoke-'));
  let started = Date.now();
  await run('tar', ['-xzf', tarball, '-C', base]);
  const [name] = await readdir(base);
  const dir = join(base, name!);
  const billsync = join(dir, 'billsync');
  step(`unpacked into ${dir}`, started);

  started = Date.now();
  const { stdout: version } = await run(billsync, ['--version']);
  step(`billsync --version → ${version.trim()}`, started);

  started = Date.now();
  const sandbox = spawn(billsync, ['sandbox', '--json', '--dossiers', '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = await Promise.race([
      once(createInterface({ input: sandbox.stdout! }), 'line') as Promise<[string]>,
      once(sandbox, 'exit').then(([code]) => { throw new Error(`billsync sandbox exited with ${code}`); }),
    ]);
    const info = JSON.parse(line) as { baseUrl: string; apiKey: string; accountantPartyId: number };
    const root = join(base, 'venice');
    await mkdir(root);
    const config = join(base, 'config.json');
    await writeFile(config, JSON.stringify({ billit: info, exportRoot: root }, null, 2));
    const doctor = await run(billsync, ['doctor', '--config', config], { env: { ...process.env, BILLSYNC_DATA_DIR: join(base, 'data') } })
      .catch((error: { code?: number; stdout?: string }) => { throw new Error(`billsync doctor exited with ${error.code}:\n${error.stdout ?? ''}`); });
    step('billsync doctor against the packaged sandbox → exit 0', started, doctor.stdout.trimEnd());

    started = Date.now();
    await runAgent(billsync, config, join(base, 'run-data'));
    step('billsync run --headless: its status page answered, SIGTERM ended it with exit 0', started);

    // The commands an IT partner runs on a service install: the settings and the report for support.
    started = Date.now();
    const runEnv = { env: { ...process.env, BILLSYNC_DATA_DIR: join(base, 'run-data') } };
    const { stdout: rootSetting } = await run(billsync, ['config', 'get', 'exportRoot', '--config', config], runEnv);
    if (rootSetting.trim() !== root) throw new Error(`billsync config get exportRoot printed "${rootSetting.trim()}", not ${root}`);
    const { stdout: report } = await run(billsync, ['diagnostics', '--config', config], runEnv);
    if (report.includes(info.apiKey)) throw new Error('billsync diagnostics printed the API key');
    if (!/^== Log, the last \d+ lines/m.test(report) || !report.includes('billsync stopped')) throw new Error(`billsync diagnostics lacks the agent's log:\n${report}`);
    step('billsync config get and billsync diagnostics (no key, the agent\'s log in it)', started);
  } finally {
    sandbox.kill('SIGTERM');
  }

  started = Date.now();
  const work = join(base, 'fresh-folder');
  await mkdir(work);
  const demo = await run(billsync, ['demo', '--dossiers', '2', '--docs-per-dossier', '6'], { cwd: work });
  step('billsync demo in an empty folder → exit 0', started, demo.stdout.split('\n').filter((l) => l.includes('exported')).join('\n'));
  await rm(base, { recursive: true, force: true }); // kept when a step failed, to look at
}

/**
 * `billsync run --headless` from the package (scheduler, watchers, log rotation and status page load
 * from the bundle): waits for the status page address in the instance lock, asks the page, then
 * stops it with SIGTERM as a service manager would.
 */
async function runAgent(billsync: string, config: string, dataDir: string): Promise<void> {
  const agent = spawn(billsync, ['run', '--headless', '--config', config], { env: { ...process.env, BILLSYNC_DATA_DIR: dataDir, DISPLAY: '', WAYLAND_DISPLAY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  agent.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  agent.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = once(agent, 'exit') as Promise<[number | null, string | null]>;
  try {
    let url: string | null = null;
    for (const deadline = Date.now() + 30_000; url === null; await new Promise((r) => setTimeout(r, 100))) {
      if (agent.exitCode !== null) throw new Error(`billsync run exited with ${agent.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`billsync run did not start its status page within 30 s:\n${output}`);
      const lock = await readFile(join(dataDir, 'agent.lock'), 'utf8').catch(() => '');
      const info = lock.split('\n')[2];
      url = info ? (JSON.parse(info) as { statusUrl?: string }).statusUrl ?? null : null;
    }
    const page = await fetch(url, { redirect: 'manual' });
    if (page.status !== 303) throw new Error(`the status page answered ${page.status} to its own address`);
  } finally {
    agent.kill('SIGTERM');
  }
  const [code, signal] = await exited;
  if (code !== 0) throw new Error(`billsync run ended with ${signal ?? `exit ${code}`} after SIGTERM:\n${output}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!process.argv[2]) {
    console.error('usage: node --import tsx installer/build/smoke-linux.ts release/billsync-<version>-linux-x64.tar.gz');
    process.exit(2);
  }
  await smokeLinux(resolve(process.argv[2]));
}
