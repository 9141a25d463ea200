import { parseArgs } from 'node:util';
import { DOCUMENT_KINDS, type DocumentKind } from '../../core/document-kind.js';
import { runSync, type SyncSummary } from '../../sync/run-sync.js';
import { billitClient, openApp, schematronDeps } from '../app-context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { Progress } from '../progress.js';
import { requireExportSettings } from '../../config/load-config.js';

export const SYNC_HELP = `billsync sync [options]

One export pass now: every dossier's new documents into the export root.

  --config FILE     configuration file (default: BILLSYNC_CONFIG or the OS config folder)
  --dossier ID      only this dossier (Billit PartyID)
  --kind K          only purchase, sales, document or coda (repeat or comma-separate)
  --dry-run         show what would be exported; change nothing
  --json            print the summary as JSON`;

export function parseKinds(values: string[] | undefined): DocumentKind[] | undefined {
  if (!values || values.length === 0) return undefined;
  const kinds = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const kind of kinds) {
    if (!(DOCUMENT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${DOCUMENT_KINDS.join(', ')}, got "${kind}"`);
  }
  return kinds as DocumentKind[];
}

export function parseDossier(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--dossier takes a Billit PartyID (digits), got "${value}"`);
  return Number(value);
}

export function describeSummary(summary: SyncSummary): string {
  const c = summary.counts;
  return `${summary.status === 'ok' ? 'Done' : 'Finished with problems'}: ${c.exported} file(s) written, ${c.identical} already there, `
    + `${c.acknowledged} acknowledged to Billit, ${c.conflicts} conflict name(s), ${c.failed} failed, ${c.quarantined} quarantined, `
    + `${summary.dossiers} dossier(s).`;
}

export async function syncCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' }, dossier: { type: 'string' }, kind: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) { console.log(SYNC_HELP); return EXIT.ok; }
  const kinds = parseKinds(values.kind);
  const dossier = parseDossier(values.dossier);
  const app = await openApp(values.config);
  try {
    const { exportRoot } = requireExportSettings(app.config, app.configFile);
    const progress = new Progress(process.stderr, values.json ? false : undefined);
    const summary = await runSync({
      client: billitClient(app), ledger: app.ledger, fs: app.fs, config: app.config, exportRoot, dataDir: app.paths.dataDir,
      ...await schematronDeps(app),
      onEvent: (event) => { if (event.level !== 'info' && !values.json) console.error(`${event.level}: ${event.message}`); },
      onProgress: (done, note) => progress.tick(done, note),
    }, { ...(dossier === undefined ? {} : { dossier }), ...(kinds ? { kinds } : {}), dryRun: values['dry-run'], trigger: 'cli' });
    progress.finish();
    if (values.json) console.log(JSON.stringify(summary));
    else console.log(describeSummary(summary));
    return summary.status === 'ok' ? EXIT.ok : EXIT.documentFailures;
  } finally {
    app.close();
  }
}

