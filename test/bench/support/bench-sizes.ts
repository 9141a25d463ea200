import type { WorldSize } from './bench-world.js';

/** How big each measurement is. One set per mode; every figure is reported with the size it used. */
export interface BenchSizes {
  throughput: WorldSize;
  feed: WorldSize;
  noChange: WorldSize & { addedOrdersPerDossier: number };
  rate: WorldSize & { limit: number };
  /** RSS samples of the idle agent, once a second… */
  idleSeconds: number;
  /** …from this long after its start (V8 gives the start-up run's memory back about a minute after it). */
  idleAfterSeconds: number;
  ledgerRows: number;
}

/** A dossier's month in the mix: 85 invoices and credit notes (~250 KB UBLs, PDFs), 10 other documents, ~5 CODA files. */
const mix = (dossiers: number, scale = 1): WorldSize => ({
  dossiers, ordersPerDossier: Math.round(85 * scale), otherDocsPerDossier: Math.round(10 * scale), codaDays: scale >= 1 ? 7 : 3,
});

/** The sizes: 200 × 100 documents, 1,000 dossiers, 1,000,000 ledger rows. Takes well over 10 minutes here. */
export const FULL_SCALE: BenchSizes = {
  throughput: mix(200),
  feed: mix(10),
  noChange: { dossiers: 1000, ordersPerDossier: 0, otherDocsPerDossier: 0, codaDays: 0, addedOrdersPerDossier: 1 },
  rate: { ...mix(6, 0.3), limit: 20 },
  idleSeconds: 20,
  idleAfterSeconds: 90,
  ledgerRows: 1_000_000,
};

/**
 * `npm run bench`: the sizes except the throughput export, cut to what fits the 10-minute
 * budget on the reference machine (2 cores) next to everything else.
 */
export const DEFAULT: BenchSizes = { ...FULL_SCALE, throughput: mix(60), feed: mix(5) };

/** `npm run bench -- --quick`: the same measurements in under a minute. */
export const QUICK: BenchSizes = {
  throughput: mix(4, 0.3),
  feed: mix(2, 0.2),
  noChange: { dossiers: 30, ordersPerDossier: 0, otherDocsPerDossier: 0, codaDays: 0, addedOrdersPerDossier: 1 },
  rate: { ...mix(2, 0.15), limit: 20 },
  idleSeconds: 3,
  idleAfterSeconds: 0,
  ledgerRows: 100_000,
};
