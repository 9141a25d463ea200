import { BillitError } from '../billit/errors/billit-error.js';
import { BillitUnreachableError } from '../billit/errors/billit-unreachable-error.js';
import { ConfigError } from '../config/config-error.js';
import { SchematronError } from '../platform/schematron-compiler.js';
import { ExportRootError } from '../export/export-root.js';
import { LedgerMigrationError } from '../ledger/migrate.js';
import { RunLockedError } from '../sync/run-lock.js';
import { ManualExportUnavailableError, UnknownDossierError } from '../sync/run-sync.js';
import { demoCommand } from './commands/demo.js';
import { dossiersCommand } from './commands/dossiers.js';
import { exportCommand } from './commands/export.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { sandboxCommand } from './commands/sandbox.js';
import { statusCommand } from './commands/status.js';
import { syncCommand } from './commands/sync.js';
import { EXIT, UsageError } from './exit-codes.js';
import { packageVersion } from './version.js';

const HELP = `billsync — moves Billit invoices, documents and bank statements into the folders Venice reads

Usage: billsync <command> [options]

Commands:
  sync        one pass now: what each dossier's policy says is due (see: billsync sync --help)
  export      manual export of a period, optionally including what was exported (billsync export --help)
  run         keep running: the schedules of every dossier's policy (--headless for a service)
  status      what the ledger says, per dossier (--json)
  dossiers    list Billit's companies and their folders (dossiers list)
  validate    check UBL and CODA files as billsync does before Venice sees them (--json)
  demo        start a local Billit sandbox and run a full export into ./demo-export
  sandbox     run the local Billit-compatible API (see: billsync sandbox --help)

Configuration: --config FILE, or BILLSYNC_CONFIG; BILLSYNC_DATA_DIR moves ledger and logs.

Options:
  --help      show this help
  --version   print the version

Exit codes: 0 success, 1 finished with document failures, 2 usage or configuration error,
3 cannot reach Billit or the export root.`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  demo: demoCommand,
  sandbox: sandboxCommand,
  sync: syncCommand,
  status: statusCommand,
  dossiers: dossiersCommand,
  export: exportCommand,
  run: runCommand,
  validate: validateCommand,
};

/** Runs the command line and returns the exit code. Errors become one clear line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    console.log(packageVersion());
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`billsync: unknown command "${name}". Run billsync --help for the list.`);
    return EXIT.usage;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof UnknownDossierError
      || error instanceof LedgerMigrationError || error instanceof RunLockedError || error instanceof ManualExportUnavailableError || error instanceof SchematronError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`billsync ${name}: ${(error as Error).message}`);
      return EXIT.usage;
    }
    if (error instanceof BillitUnreachableError || error instanceof ExportRootError) {
      console.error(`billsync ${name}: ${error.message}`);
      return EXIT.unreachable;
    }
    if (error instanceof BillitError) {
      console.error(`billsync ${name}: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
}
