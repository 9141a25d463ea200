import { control } from '../../support/sandbox.js';
import { documentCount, openBenchSandbox, workspace, type WorldSize } from './bench-world.js';
import { runCliSync } from './agent-runs.js';
import { RequestWatch } from './request-watch.js';

export interface RateUse {
  limit: number;
  documents: number;
  requests: number;
  answered429: number;
  /** From billsync's first request to its last, as the sandbox saw them. */
  activeSeconds: number;
  /** Requests the sandbox served (not 429) per active second. */
  achievedPerSecond: number;
  utilisation: number;
  share429: number;
}

/**
 * The sandbox answers 429 above `limit` requests per second (token bucket, burst = limit, as its
 * control sets it by default); `billsync sync` runs as an office configures it, with ratePerSecond =
 * limit. Utilisation is the rate of served requests (429s are not served) over the time it was
 * talking to the sandbox.
 */
export async function measureRateUse(size: WorldSize, limit: number): Promise<RateUse> {
  const sandbox = await openBenchSandbox(size, 'bench-rate');
  const ws = workspace(sandbox, 'rate');
  try {
    await control(sandbox, 'POST', 'rate-limit', { ratePerSecond: limit });
    ws.writeConfig({ billit: { ratePerSecond: limit } });
    const watch = new RequestWatch(sandbox);
    watch.reset();
    const { summary, result } = await runCliSync(ws);
    if (summary.status !== 'ok') throw new Error(`the rate-limited sync finished ${summary.status}: ${result.stderr.slice(-2000)}`);
    if (summary.counts.exported !== documentCount(sandbox)) throw new Error(`the rate-limited sync exported ${summary.counts.exported} of ${documentCount(sandbox)}`);
    const achieved = (watch.total - watch.status(429)) / watch.activeSeconds;
    return {
      limit, documents: summary.counts.exported, requests: watch.total, answered429: watch.status(429), activeSeconds: watch.activeSeconds,
      achievedPerSecond: achieved, utilisation: achieved / limit, share429: watch.status(429) / watch.total,
    };
  } finally {
    ws.remove();
    await sandbox.close();
  }
}
