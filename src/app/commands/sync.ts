import { parseArgs } from 'node:util';
import { DOCUMENT_KINDS, type DocumentKind } from '../../core/document-kind.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { runOnceFromCli } from './one-run.js';

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
  return runOnceFromCli(values.config, values.json, {
    ...(dossier === undefined ? {} : { dossier }), ...(kinds ? { kinds } : {}), dryRun: values['dry-run'], trigger: 'cli',
  });
}

