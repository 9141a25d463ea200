/**
 * The agent's benchmark at scale (not a test): throughput against a plain downloader, CPU and memory of
 * a large export, requests per document in both modes, a no-change sync over 1,000 dossiers, use of
 * a server's rate limit, idle memory and ledger lookups at 1,000,000 documents. Writes
 * results/latest.json and results/latest.md and prints the table.
 *
 * Run: npm run bench [-- --quick | --full-scale]   (builds first; Linux, for /proc)
 *   default       the sizes, except the throughput export: cut to what fits 10 minutes on 2 cores
 *   --quick       the same measurements at small sizes, under a minute
 *   --full-scale  the 200 × 100 documents for the throughput export too (well over 10 minutes)
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT, FULL_SCALE, QUICK, type BenchSizes } from './support/bench-sizes.js';
import { describeSize, openBenchSandbox, workspace } from './support/bench-world.js';
import { IdleAgent } from './support/measure-idle.js';
import { measureLedgerLookups } from './support/measure-ledger.js';
import { measureRateUse } from './support/measure-rate.js';
import { measureFeedRequests, measureNoChange } from './support/measure-requests.js';
import { measureThroughput } from './support/measure-throughput.js';
import { explainMisses } from './support/limits.js';
import { writeReport, type Figures } from './support/report.js';
import { RequestWatch } from './support/request-watch.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, 'full-scale': { type: 'boolean', default: false } } });
const mode = values.quick ? 'quick' : values['full-scale'] ? 'full-scale' : 'default';
const sizes: BenchSizes = values.quick ? QUICK : values['full-scale'] ? FULL_SCALE : DEFAULT;
/** The throughput run: billsync's connections, and dossiers worked on at once. */
const settings = { maxConcurrent: 8, dossierConcurrency: 4 };
const started = performance.now();
const loadBefore = loadavg()[0]!;
const step = (text: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}`);

step(`throughput: ${describeSize(sizes.throughput)}; the raw downloader, then billsync`);
const sandbox = await openBenchSandbox(sizes.throughput, 'bench-throughput');
const watch = new RequestWatch(sandbox);
const ws = workspace(sandbox, 'throughput');
let idleAgent: IdleAgent | null = null;
let throughput, feed, noChange, rate, ledger, idle;
try {
  throughput = await measureThroughput(sandbox, watch, ws, settings);
  step(`billsync ${throughput.billsync.docsPerSecond.toFixed(1)} documents/s, raw ${throughput.raw.docsPerSecond.toFixed(1)}/s; starting the idle agent over that export`);
  idleAgent = await IdleAgent.start(ws, watch);

  step(`feed mode: ${describeSize(sizes.feed)}`);
  feed = await measureFeedRequests(sizes.feed);
  step(`no-change sync: ${describeSize(sizes.noChange)}, then ${sizes.noChange.addedOrdersPerDossier} more orders per dossier`);
  noChange = await measureNoChange(sizes.noChange, sizes.noChange.addedOrdersPerDossier);
  step(`rate limit ${sizes.rate.limit}/s: ${describeSize(sizes.rate)}`);
  rate = await measureRateUse(sizes.rate, sizes.rate.limit);
  step(`ledger: ${sizes.ledgerRows.toLocaleString('en')} documents`);
  ledger = measureLedgerLookups(sizes.ledgerRows);
  step(`idle agent: ${sizes.idleSeconds} s of samples`);
  idle = await idleAgent.measure(sizes.idleSeconds, sizes.idleAfterSeconds);
} finally {
  await idleAgent?.stop();
  ws.remove();
  await sandbox.close();
}

const figures: Figures = {
  throughputRatio: throughput.ratio,
  cpuMsPerDocument: throughput.billsync.cpuMs / throughput.documents,
  requestsPerDocumentFeed: feed.perDocument,
  requestsPerDocumentDirect: throughput.billsync.requests / throughput.documents,
  noChangeSyncRequests: noChange.small.requests,
  rateUtilisation: rate.utilisation,
  share429: rate.share429,
  peakRssMb: throughput.billsync.peakRssMb,
  idleRssMb: idle.rssMb,
  ledgerLookupMsMedian: ledger.medianMs,
  throughputDocsPerSecond: throughput.billsync.docsPerSecond,
  rawDocsPerSecond: throughput.raw.docsPerSecond,
  throughputMbPerSecond: throughput.billsync.wireMbPerSecond,
  rawMbPerSecond: throughput.raw.wireMbPerSecond,
  noChangeSyncRequestsAfterMoreExported: noChange.grown.requests,
  ledgerLookupMsP95: Math.max(ledger.find.p95Ms, ledger.byFinalPath.p95Ms),
};

const exportAt = `${throughput.documents.toLocaleString('en')} documents (${describeSize(sizes.throughput)})`;
const measuredAt: Record<keyof Figures, string> = {
  throughputRatio: `${exportAt}; ${settings.maxConcurrent} connections, ${settings.dossierConcurrency} dossiers at once`,
  cpuMsPerDocument: exportAt,
  requestsPerDocumentFeed: `${feed.documents.toLocaleString('en')} documents in feed mode (${describeSize(sizes.feed)})`,
  requestsPerDocumentDirect: exportAt,
  noChangeSyncRequests: `${noChange.dossiers.toLocaleString('en')} dossiers, ${noChange.small.exported.toLocaleString('en')} documents exported before`,
  noChangeSyncRequestsAfterMoreExported: `${noChange.dossiers.toLocaleString('en')} dossiers, ${noChange.grown.exported.toLocaleString('en')} documents exported before`,
  rateUtilisation: `limit ${rate.limit}/s, ${rate.requests} requests over ${rate.activeSeconds.toFixed(1)} s (${rate.documents} documents)`,
  share429: `${rate.answered429} of ${rate.requests} requests`,
  peakRssMb: exportAt,
  idleRssMb: `run --headless over that export, median of ${idle.samples} samples from ${idle.idleAfterSeconds.toFixed(0)} s after its start`,
  ledgerLookupMsMedian: `${ledger.rows.toLocaleString('en')} rows, 1,000 lookups by (source, billitId) + 1,000 by final path`,
  throughputDocsPerSecond: exportAt,
  rawDocsPerSecond: `the same ${throughput.raw.requests.toLocaleString('en')} files`,
  throughputMbPerSecond: 'base64 JSON the sandbox sent, all calls',
  rawMbPerSecond: 'base64 JSON the sandbox sent',
  ledgerLookupMsP95: `${ledger.rows.toLocaleString('en')} rows`,
};

const wallSeconds = (performance.now() - started) / 1000;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`;
const markdown = writeReport(new URL('results/', import.meta.url).pathname, {
  figures, measuredAt, mode, wallSeconds,
  sizes: { mode, ...sizes, throughputSettings: settings },
  limits: explainMisses(figures, { throughput, feed, noChange, rate, idle, settings }),
  details: { machine, throughput: { ...throughput, billsync: { ...throughput.billsync, run: undefined }, raw: { ...throughput.raw, run: undefined } }, idle, feed, noChange, rate, ledger },
});
console.log(`\n${markdown}`);
