import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { proxySecrets } from '../../config/config-display.js';
import { ConfigError } from '../../config/config-error.js';
import { loadConfig, parseConfig } from '../../config/load-config.js';
import type { BillsyncConfig } from '../../config/schema.js';
import { Ledger } from '../../ledger/ledger.js';
import { ledgerFile, resolvePaths } from '../app-context.js';
import { diagnosticsReport, saveDiagnostics } from '../diagnostics.js';
import { EXIT, UsageError } from '../exit-codes.js';

const USAGE = `usage: billsync diagnostics [--save] [--config FILE]

  The report for the office's IT partner or support: versions, folders, settings without the API key or
  proxy logins, the ledger's counts, the last runs and events, and the recent log. Printed, or with
  --save written into the data folder's diagnostics folder (its path is printed).`;

/**
 * `billsync diagnostics`: the report the tray's *Copy diagnostics* saves, printed for an IT partner
 * who works on a service install from a terminal; `--save` writes it into the data folder instead and
 * prints where.
 */
export async function diagnosticsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, save: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const paths = resolvePaths(values.config);
  // A configuration billsync cannot read is when support needs the report most: it says why instead.
  let config: BillsyncConfig;
  let configProblem: string | null = null;
  let secrets: string[] = [];
  try {
    config = await loadConfig(paths.configFile);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configProblem = error.message;
    config = parseConfig({}, paths.configFile);
    secrets = await secretsOfUnusableFile(paths.configFile);
  }
  const ledger = Ledger.open(ledgerFile(paths));
  try {
    const source = { config, configProblem, secrets, configFile: paths.configFile, paths, ledger, now: new Date() };
    if (!values.save) {
      process.stdout.write(await diagnosticsReport(source));
      return EXIT.ok;
    }
    try {
      console.log(await saveDiagnostics(source));
    } catch (error) {
      throw new UsageError(`the report cannot be written in ${paths.dataDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); run billsync diagnostics without --save to print it`);
    }
    return EXIT.ok;
  } finally {
    ledger.close();
  }
}

/**
 * The key and proxy password of a file the schema refuses, if its JSON can be read: the report masks
 * them wherever they might appear (an old log line), as it does with those of a usable file.
 */
async function secretsOfUnusableFile(file: string): Promise<string[]> {
  try {
    const raw = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')) as { billit?: { apiKey?: unknown; proxy?: unknown } };
    const apiKey = typeof raw.billit?.apiKey === 'string' ? [raw.billit.apiKey] : [];
    return [...apiKey, ...(typeof raw.billit?.proxy === 'string' ? proxySecrets(raw.billit.proxy) : [])];
  } catch {
    return [];
  }
}
