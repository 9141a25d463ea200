/** What the sandbox generates. Data is a pure function of these options. */
export interface WorldOptions {
  /** Seed of all generated data. @default "billsync" */
  seed: string;
  /** Number of client dossiers of the accountant. @default 3 */
  dossiers: number;
  /** Orders (invoices and credit notes) per dossier. @default 20 */
  docsPerDossier: number;
  /** Other documents per dossier. @default docsPerDossier / 5 */
  otherDocsPerDossier?: number;
  /** Days of bank statements (CODA) per dossier before the anchor. @default 30 */
  codaDays: number;
  /**
   * The instant the generated history ends at (documents are dated before it). Defaults to today 00:00
   * UTC, so the same seed gives byte-identical data all day; pass it for data that never changes.
   */
  anchor: Date;
  /** Pad embedded and Billit PDFs to at least this many bytes (benchmarks use ~200 KB). @default 0 */
  pdfPadBytes: number;
  /** Give companies, invoice numbers and documents hostile names (path tricks, device names…). @default false */
  hostileNames: boolean;
  /** The accountant's API key. @default derived from the seed */
  apiKey?: string;
}

export function resolveWorldOptions(partial: Partial<WorldOptions>): WorldOptions {
  const docsPerDossier = partial.docsPerDossier ?? 20;
  const today = new Date();
  return {
    seed: partial.seed ?? 'billsync',
    dossiers: partial.dossiers ?? 3,
    docsPerDossier,
    otherDocsPerDossier: partial.otherDocsPerDossier ?? Math.ceil(docsPerDossier / 5),
    codaDays: partial.codaDays ?? 30,
    anchor: partial.anchor ?? new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())),
    pdfPadBytes: partial.pdfPadBytes ?? 0,
    hostileNames: partial.hostileNames ?? false,
    ...(partial.apiKey === undefined ? {} : { apiKey: partial.apiKey }),
  };
}
