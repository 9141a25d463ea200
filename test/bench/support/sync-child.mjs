/**
 * The measured process of the throughput benchmark: one `billsync sync` pass of the *built* engine
 * (dist/, what `bin/billsync.js sync` runs), in a process of its own so that its CPU time and peak
 * memory are its alone. It differs from the command in one respect only: the Billit client's pace
 * comes from the command line, because the configuration schema caps `ratePerSecond` at 100 and the
 * throughput benchmark wants billsync's own ceiling, not the cap's.
 *
 * Plain JavaScript on purpose: under `node --import tsx` the loader thread would count towards the
 * memory being measured. Started by sync.bench.ts:
 *   node sync-child.mjs --config FILE --rate N --max-concurrent N   (BILLSYNC_DATA_DIR set)
 * Prints one JSON line on stdout: the run's summary, its wall time, CPU time and peak RSS.
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { config: { type: 'string' }, rate: { type: 'string' }, 'max-concurrent': { type: 'string' } } });
const dist = new URL('../../../dist/', import.meta.url);
const { openApp } = await import(new URL('app/app-context.js', dist).href);
const { requireExportSettings } = await import(new URL('config/load-config.js', dist).href);
const { BillitClient } = await import(new URL('billit/client.js', dist).href);
const { runSync } = await import(new URL('sync/run-sync.js', dist).href);

const app = await openApp(values.config);
try {
  const { apiKey, exportRoot } = requireExportSettings(app.config, app.configFile);
  const billit = app.config.billit;
  const rate = Number(values.rate ?? billit.ratePerSecond);
  const client = new BillitClient({
    baseUrl: billit.baseUrl, credentials: { kind: 'apiKey', apiKey }, accountantPartyId: billit.accountantPartyId ?? null,
    ratePerSecond: rate, burst: Math.max(1, Math.ceil(rate * 2)), maxConcurrent: Number(values['max-concurrent'] ?? billit.maxConcurrent),
  });
  const started = performance.now();
  const summary = await runSync({ client, ledger: app.ledger, fs: app.fs, config: app.config, exportRoot, dataDir: app.paths.dataDir });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ summary, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS })}\n`);
} finally {
  app.close();
}
