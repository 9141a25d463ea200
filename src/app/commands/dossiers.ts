import { parseArgs } from 'node:util';
import { mapDossiers } from '../../sync/dossier-mapping.js';
import { billitClient, openApp } from '../app-context.js';
import { EXIT, UsageError } from '../exit-codes.js';

/** `billsync dossiers list`: Billit's companies and the folder each one gets. */
export async function dossiersCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'list') throw new UsageError('usage: billsync dossiers list [--config FILE] [--json]');
  const { values } = parseArgs({ args: rest, options: { config: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  const app = await openApp(values.config);
  try {
    const account = await billitClient(app).accountInformation();
    const mappings = mapDossiers(account.Companies, app.config, new Map(app.ledger.dossiers.list().map((d) => [d.partyId, d.folder] as const)));
    if (values.json) {
      console.log(JSON.stringify(mappings));
    } else {
      for (const m of mappings) console.log(`${String(m.partyId).padEnd(10)} ${m.name}  →  ${m.folder}${m.disabled ? '  (disabled)' : ''}`);
    }
    return EXIT.ok;
  } finally {
    app.close();
  }
}
