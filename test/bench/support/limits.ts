import type { NoChange, RequestCount } from './measure-requests.js';
import type { RateUse } from './measure-rate.js';
import type { Throughput } from './measure-throughput.js';
import { GOALS, type Figures } from './report.js';

/** Everything the explanations draw on. */
export interface Measurements {
  throughput: Throughput;
  feed: RequestCount;
  noChange: NoChange;
  rate: RateUse;
  idle: { rssMb: number };
  settings: { maxConcurrent: number; dossierConcurrency: number };
}

const fixed = (value: number, digits = 1): string => value.toFixed(digits);

/** "GET /v1/files/{id} 1.42, PATCH /v1/orders/{id} 0.85, …" per document, largest first. */
function perDocument(byRoute: Record<string, number>, documents: number): string {
  return Object.entries(byRoute).sort((a, b) => b[1] - a[1]).map(([route, count]) => `${route} ${fixed(count / documents, 2)}`).join(', ');
}

/**
 * For each missed goal, what this run's own numbers say limits it and what would reach it. The
 * "would reach it" parts name the mechanism the numbers point at; the report of the benchmark's
 * introduction (test/bench/README.md) has the profile behind them.
 */
export function explainMisses(figures: Figures, m: Measurements): Partial<Record<keyof Figures, string>> {
  const t = m.throughput;
  const b = t.billsync;
  const coreShare = b.cpuMs / (b.seconds * 1000);
  const feedOrderCalls = (m.feed.byRoute['GET /v1/orders/{id}'] ?? 0) / m.feed.documents;
  const feedPdfCalls = (m.feed.byRoute['GET /v1/files/{id}'] ?? 0) / m.feed.documents;
  const directOrderCalls = (t.requestsByRoute['GET /v1/orders/{id}'] ?? 0) / t.documents;
  const neededPerDocumentMs = 1000 / (0.8 * t.raw.docsPerSecond);
  const explain: Partial<Record<keyof Figures, () => string>> = {
    throughputRatio: () => `billsync took ${fixed(b.seconds)} s where the raw downloader took ${fixed(t.raw.seconds)} s for the same ${t.raw.requests} files. `
      + `Its process was busy ${fixed(coreShare * 100, 0)} % of one core: ${fixed(b.cpuMs / t.documents)} ms CPU per document against `
      + `${fixed(t.raw.cpuMs / t.documents)} ms for the raw downloader; the sandbox (this process) used ${fixed(b.sandboxCpuMs / (b.seconds * 1000) * 100, 0)} % of a core. `
      + `${coreShare > 0.8 ? 'billsync\'s own CPU per document is the limit. ' : 'The rest of the time its main thread waits: on SQLite commits (an fsync each, synchronous = FULL) and, on a shared machine, for a core. '}`
      + `Each dossier's documents go one at a time, so at most ${m.settings.dossierConcurrency} of the ${m.settings.maxConcurrent} connections carry a download. `
      + `0.8 means ${fixed(0.8 * t.raw.docsPerSecond)} documents/s: at most ${fixed(neededPerDocumentMs)} ms of main-thread time per document, checks, hashing, `
      + 'ledger and disk included (see test/bench/README.md for where the time goes and what would reach it).',
    requestsPerDocumentFeed: () => `per document: ${perDocument(m.feed.byRoute, m.feed.documents)}. `
      + `Every order item costs a GET /v1/orders/{id} (its direction and file name) besides the item and its confirmation, and Billit's PDF when the UBL has none. `
      + `Taking direction and name from the UBL itself would give ${fixed(figures.requestsPerDocumentFeed - feedOrderCalls, 2)}; `
      + `without the PDF downloads too, ${fixed(figures.requestsPerDocumentFeed - feedOrderCalls - feedPdfCalls, 2)}.`,
    requestsPerDocumentDirect: () => `per document: ${perDocument(t.requestsByRoute, t.documents)}. `
      + 'An order costs GET /v1/orders/{id} (for the UBL\'s FileID and OrderPDF, which the listing lacks), the UBL, Billit\'s PDF when the UBL has none, '
      + `and the PATCH that marks it exported. Taking the attachment ids from the listing would give ${fixed(figures.requestsPerDocumentDirect - directOrderCalls, 2)}.`,
    noChangeSyncRequests: () => `${m.noChange.small.requests} requests after ${m.noChange.small.exported} documents, ${m.noChange.grown.requests} after ${m.noChange.grown.exported}: `
      + perDocument(m.noChange.grown.byRoute, m.noChange.dossiers).replace(/(\d\.\d\d)/g, '$1/dossier'),
    rateUtilisation: () => `${m.rate.requests} requests in ${fixed(m.rate.activeSeconds)} s at a limit of ${m.rate.limit}/s, ${m.rate.answered429} answered 429. `
      + 'Each 429 makes the client hold every request back for the Retry-After (whole seconds).',
    share429: () => `${m.rate.answered429} of ${m.rate.requests} requests were refused. The client starts with a burst of 2 × ratePerSecond (app-context.ts) while the server's bucket holds one second's worth.`,
    peakRssMb: () => `peak ${fixed(b.peakRssMb)} MB, median ${fixed(b.run.sampledMedianRssMb)} MB over the export of ${t.documents} documents; the agent idles at ${fixed(m.idle.rssMb)} MB afterwards. `
      + 'V8 sizes its heap to the allocation rate, and every document allocates several copies of its ~250 KB (see test/bench/README.md).',
    idleRssMb: () => `${fixed(m.idle.rssMb)} MB with the ledger, the status page and the export root's watchers open.`,
  };
  const out: Partial<Record<keyof Figures, string>> = {};
  for (const [key, goal] of Object.entries(GOALS) as Array<[keyof Figures, NonNullable<(typeof GOALS)[keyof Figures]>]>) {
    const text = explain[key];
    if (!goal.met(figures)) out[key] = text ? text() : 'missed';
  }
  return out;
}
