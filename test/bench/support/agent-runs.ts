import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../../src/sandbox/server.js';
import type { Workspace } from './bench-world.js';
import { lastJsonLine, runMetered, type ChildResult } from './process-meter.js';

const here = new URL('.', import.meta.url).pathname;
const repo = new URL('../../../', import.meta.url).pathname;
export const CLI = join(repo, 'bin', 'billsync.js');

export interface SyncCounts { exported: number; identical: number; acknowledged: number; failed: number; quarantined: number; conflicts: number; }

/** What sync-child.mjs reports about one engine run. */
export interface EngineRun {
  summary: { status: string; counts: SyncCounts; dossiers: number };
  /** runSync alone, without node's start-up. */
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
  /** Highest RSS seen from outside (/proc VmRSS and VmHWM). */
  sampledPeakRssMb: number;
  /** Median of the RSS samples (every 250 ms): a plateau near the peak, or a spike. */
  sampledMedianRssMb: number;
  processWallMs: number;
}

/**
 * One sync pass of the built engine in its own process (sync-child.mjs), with the client's pace set
 * to `rate` (unlimited in practice for the throughput run; the configuration caps it at 100).
 */
export async function runEngine(ws: Workspace, options: { rate: number; maxConcurrent: number }): Promise<EngineRun> {
  const result = await runMetered([join(here, 'sync-child.mjs'), '--config', ws.configFile, '--rate', String(options.rate), '--max-concurrent', String(options.maxConcurrent)], ws.env);
  const run = lastJsonLine<Omit<EngineRun, 'sampledPeakRssMb' | 'sampledMedianRssMb' | 'processWallMs'>>(result, 'the engine run');
  if (run.summary.status !== 'ok') throw new Error(`the engine run finished ${run.summary.status}: ${JSON.stringify(run.summary.counts)}\n${result.stderr.slice(-2000)}`);
  return { ...run, sampledPeakRssMb: result.meter.peakRssMb, sampledMedianRssMb: result.meter.medianRssMb, processWallMs: result.wallMs };
}

/** `billsync sync --config FILE --json`, exactly as an office runs it. */
export async function runCliSync(ws: Workspace): Promise<{ result: ChildResult; summary: { status: string; counts: SyncCounts } }> {
  const result = await runMetered([CLI, 'sync', '--config', ws.configFile, '--json'], ws.env);
  return { result, summary: lastJsonLine(result, 'billsync sync') };
}

/** What raw-downloader.mjs reports. */
export interface RawRun { files: number; bytes: number; wallMs: number; cpuMs: number; maxRssKb: number; }

/** The plain parallel downloader over the given files, writing under `out`. */
export async function runRawDownloader(sandbox: Sandbox, files: Array<{ partyId: number; fileId: string }>, out: string, concurrency: number): Promise<RawRun> {
  const list = `${out}.json`;
  writeFileSync(list, JSON.stringify({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, files }));
  const result = await runMetered([join(here, 'raw-downloader.mjs'), '--list', list, '--out', out, '--concurrency', String(concurrency)], process.env);
  return lastJsonLine<RawRun>(result, 'the raw downloader');
}
