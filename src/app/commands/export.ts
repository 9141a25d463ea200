import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../exit-codes.js';
import { runOnceFromCli } from './one-run.js';
import { parseDossier, parseKinds } from './sync.js';

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
  return runOnceFromCli(values.config, values.json, {
    ...(dossier === undefined ? {} : { dossier }), ...(kinds ? { kinds } : {}), trigger: 'manual-export',
    manual: { from, to, includeExported: values['include-exported'] },
  });
}

