import { parseArgs } from 'node:util';
import { openApp } from '../app-context.js';
import { diagnosticsReport, saveDiagnostics } from '../diagnostics.js';
import { EXIT } from '../exit-codes.js';

/**
 * `billsync diagnostics`: the report the tray's *Copy diagnostics* saves, printed for an IT partner
 * who works on a service install from a terminal; `--save` writes it into the data folder instead and
 * prints where.
 */
export async function diagnosticsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, save: { type: 'boolean', default: false } }, strict: true });
  const app = await openApp(values.config);
  try {
    const source = { config: app.config, configFile: app.configFile, paths: app.paths, ledger: app.ledger, now: new Date() };
    if (values.save) console.log(await saveDiagnostics(source));
    else process.stdout.write(await diagnosticsReport(source));
    return EXIT.ok;
  } finally {
    app.close();
  }
}
