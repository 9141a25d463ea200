import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Measures a child process from outside, through /proc (Linux): resident memory now (VmRSS), its high
 * water mark (VmHWM) and CPU time (utime + stime). The benchmark's own process runs the sandbox, so
 * the agent is always measured in a process of its own.
 */

/** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux the benchmark targets. */
const TICKS_PER_SECOND = 100;

export interface ProcessReading { rssMb: number; hwmMb: number; cpuMs: number; }

/** One reading, or null once the process is gone. */
export function readProcess(pid: number): ProcessReading | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime is field 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    // A process that has exited but not been reaped (a zombie) has no memory lines any more.
    if (Number.isNaN(kb('VmRSS'))) return null;
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024, cpuMs: ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000 };
  } catch {
    return null;
  }
}

/** Samples a process every `intervalMs` until stopped (or until it exits). */
export class ProcessMeter {
  readonly samples: ProcessReading[] = [];
  readonly #timer: NodeJS.Timeout;

  constructor(readonly pid: number, intervalMs = 250) {
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }

  sample(): ProcessReading | null {
    const reading = readProcess(this.pid);
    if (reading) this.samples.push(reading);
    return reading;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  get medianRssMb(): number {
    const sorted = this.samples.map((s) => s.rssMb).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  }

  get peakRssMb(): number {
    return Math.max(0, ...this.samples.map((s) => Math.max(s.rssMb, s.hwmMb)));
  }
}

export interface ChildResult { code: number | null; stdout: string; stderr: string; meter: ProcessMeter; wallMs: number; }

/**
 * Starts `node <args>` and meters it until it exits. Never spawnSync: the sandbox lives in this
 * process and must keep answering while the child runs.
 */
export async function runMetered(args: string[], env: NodeJS.ProcessEnv, onStart?: (child: ChildProcess) => void): Promise<ChildResult> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const meter = new ProcessMeter(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  onStart?.(child);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  meter.stop();
  return { code, stdout, stderr, meter, wallMs: performance.now() - started };
}

/** The last JSON line a child printed. */
export function lastJsonLine<T>(result: ChildResult, what: string): T {
  const line = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if ((result.code !== 0 && result.code !== 1) || line === undefined) {
    throw new Error(`${what} exited with ${result.code}: ${result.stderr.slice(-2000) || result.stdout.slice(-2000)}`);
  }
  return JSON.parse(line) as T;
}
