import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Workspace } from './bench-world.js';
import { CLI } from './agent-runs.js';
import { readProcess, runMetered, type ChildResult } from './process-meter.js';
import type { RequestWatch } from './request-watch.js';

export interface IdleUse {
  /** Median of the samples taken at the end, in MB. */
  rssMb: number;
  maxRssMb: number;
  samples: number;
  /** From the agent's start to the end of its start-up run. */
  settleSeconds: number;
  /** From the agent's start to the first sample. */
  idleAfterSeconds: number;
  /** What the agent asked of Billit after its start-up run. */
  requestsWhileIdle: number;
}

/**
 * `billsync run --headless` over an export that is up to date, with the office's default policy
 * (last-month: nothing to poll between monthly runs), as the idle benchmark (npm run bench:idle) runs
 * it for ten minutes. V8 gives back the memory of the start-up run only about a minute after it, so
 * the agent is started early (other measurements run meanwhile; the agent is idle and its sandbox
 * answers from this process) and sampled last.
 */
export class IdleAgent {
  readonly #ws: Workspace;
  readonly #watch: RequestWatch;
  readonly #exited: Promise<ChildResult>;
  readonly #agent: ChildProcess;
  readonly #started = performance.now();
  #settleSeconds = 0;
  #requestsAtSettle = 0;

  private constructor(ws: Workspace, watch: RequestWatch) {
    this.#ws = ws;
    this.#watch = watch;
    ws.writeConfig({ policy: {}, billit: { ratePerSecond: 100, maxConcurrent: 8 } });
    watch.reset();
    let agent: ChildProcess | null = null;
    this.#exited = runMetered([CLI, 'run', '--headless', '--config', ws.configFile], ws.env, (child) => { agent = child; });
    const started = agent as ChildProcess | null;
    if (started === null) throw new Error('the headless agent did not start');
    this.#agent = started;
  }

  /** Starts the agent and waits for its start-up run to end (no request for `quietSeconds`). */
  static async start(ws: Workspace, watch: RequestWatch, quietSeconds = 3, maxSettleSeconds = 120): Promise<IdleAgent> {
    const idle = new IdleAgent(ws, watch);
    let seen = -1;
    let quietSince = performance.now();
    // An agent that asks nothing at all within 20 s has no start-up run.
    while ((performance.now() - idle.#started) / 1000 < maxSettleSeconds) {
      await sleep(500);
      idle.#alive();
      if (watch.total !== seen) { seen = watch.total; quietSince = performance.now(); }
      const quiet = (performance.now() - quietSince) / 1000;
      if (seen > 0 ? quiet >= quietSeconds : quiet >= 20) break;
    }
    idle.#settleSeconds = (performance.now() - idle.#started) / 1000;
    idle.#requestsAtSettle = watch.total;
    return idle;
  }

  /** Waits until the agent has run `minimumSeconds`, then samples its RSS once a second for `seconds`; stops it. */
  async measure(seconds: number, minimumSeconds: number): Promise<IdleUse> {
    const rss: number[] = [];
    try {
      const wait = minimumSeconds - (performance.now() - this.#started) / 1000;
      if (wait > 0) await sleep(wait * 1000);
      const idleAfterSeconds = (performance.now() - this.#started) / 1000;
      for (let i = 0; i < seconds; i++) {
        rss.push(this.#alive().rssMb);
        await sleep(1000);
      }
      const sorted = [...rss].sort((a, b) => a - b);
      return {
        rssMb: sorted[Math.floor(sorted.length / 2)]!, maxRssMb: sorted.at(-1)!, samples: sorted.length, settleSeconds: this.#settleSeconds,
        idleAfterSeconds, requestsWhileIdle: this.#watch.total - this.#requestsAtSettle,
      };
    } finally {
      await this.stop();
    }
  }

  async stop(): Promise<void> {
    this.#agent.kill('SIGTERM');
    await this.#exited;
  }

  #alive() {
    const reading = readProcess(this.#agent.pid!);
    if (reading === null || this.#agent.exitCode !== null) throw new Error(`the headless agent over ${this.#ws.root} exited`);
    return reading;
  }
}
