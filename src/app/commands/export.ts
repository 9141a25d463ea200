import { parseArgs } from 'node:util';
import { requireExportSettings } from '../../config/load-config.js';
import { runSync } from '../../sync/run-sync.js';
import { billitClient, openApp, schematronDeps } from '../app-context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { Progress } from '../progress.js';
import { describeSummary, parseDossier, parseKinds } from './sync.js';

export const EXPORT_HELP = `billsync export (--dossier ID | --all) [options]

Manual export, whatever the dossier's frequency and approval settings (Billit's "Exporteren").

  --dossier ID          this dossier (Billit PartyID)
  --all                 every dossier
  --kind K              purchase, sales, document or coda (repeat or comma-separate)
  --from DATE --to DATE documents dated in this period (YYYY-MM-DD, both included)
  --include-exported    deliver again what was exported before ("Inclusief reeds geëxporteerd");
                        an unchanged file is left as it is, a changed one is written beside it
  --config FILE         configuration file
  --json                print the summary as JSON`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value: string | undefined, flag: string): string | null {
  if (value === undefined) return null;
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new UsageError(`${flag} takes a date like 2026-10-31, got "${value}"`);
  return value;
}

export async function exportCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' }, dossier: { type: 'string' }, all: { type: 'boolean', default: false }, kind: { type: 'string', multiple: true },
      from: { type: 'string' }, to: { type: 'string' }, 'include-exported': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) { console.log(EXPORT_HELP); return EXIT.ok; }
  const dossier = parseDossier(values.dossier);
  if ((dossier === undefined) === !values.all) throw new UsageError('give either --dossier ID or --all');
  const from = parseDate(values.from, '--from');
  const to = parseDate(values.to, '--to');
  if (from !== null && to !== null && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const kinds = parseKinds(values.kind);
  const app = await openApp(values.config);
  try {
    const { exportRoot } = requireExportSettings(app.config, app.configFile);
    const progress = new Progress(process.stderr, values.json ? false : undefined);
    const summary = await runSync({
      client: billitClient(app), ledger: app.ledger, fs: app.fs, config: app.config, exportRoot, dataDir: app.paths.dataDir,
      ...await schematronDeps(app),
      onEvent: (event) => { if (event.level !== 'info' && !values.json) console.error(`${event.level}: ${event.message}`); },
      onProgress: (done, note) => progress.tick(done, note),
    }, {
      ...(dossier === undefined ? {} : { dossier }), ...(kinds ? { kinds } : {}), trigger: 'manual-export',
      manual: { from, to, includeExported: values['include-exported'] },
    });
    progress.finish();
    if (values.json) console.log(JSON.stringify(summary));
    else console.log(describeSummary(summary));
    return summary.status === 'ok' ? EXIT.ok : EXIT.documentFailures;
  } finally {
    app.close();
  }
}

