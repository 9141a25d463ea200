import { parseArgs } from 'node:util';
import { startSandbox } from '../../sandbox/server.js';
import { UsageError } from '../exit-codes.js';

export const SANDBOX_HELP = `billsync sandbox [options]

Starts a local Billit-compatible API on 127.0.0.1 with generated Belgian data.

  --port N              port to listen on (default: a free port)
  --seed S              seed of the generated data (default: billsync)
  --dossiers D          client dossiers of the accountant (default: 3)
  --docs-per-dossier K  invoices and credit notes per dossier (default: 20)
  --coda-days N         days of bank statements per dossier (default: 30)
  --anchor ISO          end of the generated history (default: today 00:00 UTC)
  --pdf-pad-bytes N     pad PDFs to at least N bytes (default: 0)
  --api-key KEY         the accountant's API key (default: derived from the seed)
  --hostile-names       give companies, invoice numbers and documents hostile names
  --json                print one JSON line {"baseUrl","apiKey","accountantPartyId"} once listening`;

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

export async function sandboxCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' }, seed: { type: 'string' }, dossiers: { type: 'string' }, 'docs-per-dossier': { type: 'string' },
      'coda-days': { type: 'string' }, anchor: { type: 'string' }, 'pdf-pad-bytes': { type: 'string' }, 'api-key': { type: 'string' },
      'hostile-names': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(SANDBOX_HELP);
    return 0;
  }
  let anchor: Date | undefined;
  if (values.anchor !== undefined) {
    anchor = new Date(values.anchor);
    if (Number.isNaN(anchor.getTime())) throw new UsageError(`--anchor must be an ISO date or timestamp, got ${JSON.stringify(values.anchor)}`);
  }
  const options = {
    port: positiveInt(values.port, '--port'),
    seed: values.seed,
    dossiers: positiveInt(values.dossiers, '--dossiers'),
    docsPerDossier: positiveInt(values['docs-per-dossier'], '--docs-per-dossier'),
    codaDays: positiveInt(values['coda-days'], '--coda-days'),
    pdfPadBytes: positiveInt(values['pdf-pad-bytes'], '--pdf-pad-bytes'),
    apiKey: values['api-key'],
    hostileNames: values['hostile-names'] || undefined,
    anchor,
  };
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const sandbox = await startSandbox(defined);
  const info = { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId };
  if (values.json) {
    console.log(JSON.stringify(info));
  } else {
    console.log(`Billit sandbox listening on ${info.baseUrl}`);
    console.log(`  API key              ${info.apiKey}`);
    console.log(`  accountant PartyID   ${info.accountantPartyId}`);
    console.log(`  dossiers             ${sandbox.world.dossiers.size} (${sandbox.world.orders.size} orders, ${sandbox.world.codaFiles.size} CODA files)`);
    console.log('Press Ctrl+C to stop.');
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
  return 0;
}
