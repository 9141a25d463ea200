import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../../src/sandbox/server.js';
import { documentCount, filesOfWorld, type Workspace } from './bench-world.js';
import { runEngine, runRawDownloader, type EngineRun, type RawRun } from './agent-runs.js';
import type { RequestWatch } from './request-watch.js';

/** The agent's concurrency in the throughput run; the raw downloader keeps `maxConcurrent` requests in flight. */
export interface ThroughputSettings { maxConcurrent: number; dossierConcurrency: number; }

export interface Throughput {
  documents: number;
  billsync: { docsPerSecond: number; wireMbPerSecond: number; seconds: number; requests: number; cpuMs: number; peakRssMb: number; exportedMb: number; sandboxCpuMs: number; run: EngineRun };
  raw: { docsPerSecond: number; wireMbPerSecond: number; seconds: number; requests: number; cpuMs: number; sandboxCpuMs: number; run: RawRun };
  ratio: number;
  requestsByRoute: Record<string, number>;
}

const MB = 1024 * 1024;

/** CPU time of this process (the sandbox, mostly) since `start`. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * billsync's full sync against the plain downloader of the same files, in the same sandbox, one after
 * the other (downloader first, its files removed before billsync starts). Throughput is documents
 * over the time each took; wire MB/s is what the sandbox sent (base64 JSON) over that time.
 */
export async function measureThroughput(sandbox: Sandbox, watch: RequestWatch, ws: Workspace, settings: ThroughputSettings): Promise<Throughput> {
  const documents = documentCount(sandbox);
  const files = filesOfWorld(sandbox);

  watch.reset();
  const rawOut = join(ws.base, 'raw');
  let cpu = process.cpuUsage();
  const raw = await runRawDownloader(sandbox, files, rawOut, settings.maxConcurrent);
  const rawSandboxCpu = cpuMsSince(cpu);
  const rawRequests = watch.total;
  const rawWire = watch.bytesOut;
  if (raw.files !== files.length || watch.status(200) !== files.length) throw new Error(`the raw downloader fetched ${watch.status(200)} of ${files.length} files`);
  rmSync(rawOut, { recursive: true, force: true });

  watch.reset();
  ws.writeConfig({ billit: { ratePerSecond: 100, maxConcurrent: settings.maxConcurrent }, dossierConcurrency: settings.dossierConcurrency });
  // The schema's cap (100/s) would be the limit here, not billsync: the engine runs with the pace lifted.
  cpu = process.cpuUsage();
  const run = await runEngine(ws, { rate: 100_000, maxConcurrent: settings.maxConcurrent });
  const billsyncSandboxCpu = cpuMsSince(cpu);
  const exported = run.summary.counts.exported;
  if (exported !== documents) throw new Error(`billsync exported ${exported} of ${documents} documents`);
  const fileCalls = watch.route('GET /v1/files/{id}');
  if (fileCalls !== files.length) throw new Error(`billsync fetched ${fileCalls} files, the raw downloader ${files.length}: not the same work`);

  const billsyncSeconds = run.wallMs / 1000;
  const rawSeconds = raw.wallMs / 1000;
  return {
    documents,
    billsync: {
      docsPerSecond: documents / billsyncSeconds, wireMbPerSecond: watch.bytesOut / MB / billsyncSeconds, seconds: billsyncSeconds,
      requests: watch.total, cpuMs: run.cpuMs, peakRssMb: Math.max(run.maxRssKb / 1024, run.sampledPeakRssMb), exportedMb: ws.exportedBytes() / MB, sandboxCpuMs: billsyncSandboxCpu, run,
    },
    raw: { docsPerSecond: documents / rawSeconds, wireMbPerSecond: rawWire / MB / rawSeconds, seconds: rawSeconds, requests: rawRequests, cpuMs: raw.cpuMs, sandboxCpuMs: rawSandboxCpu, run: raw },
    ratio: rawSeconds / billsyncSeconds,
    requestsByRoute: watch.byRoute(),
  };
}
