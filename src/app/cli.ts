import { BillitError } from '../billit/errors/billit-error.js';
import { BillitUnreachableError } from '../billit/errors/billit-unreachable-error.js';
import { ConfigError } from '../config/config-error.js';
import { SchematronError } from '../platform/schematron-compiler.js';
import { ExportRootError } from '../export/export-root.js';
import { LedgerMigrationError } from '../ledger/migrate.js';
import { RunLockedError } from '../sync/run-lock.js';
import { ManualExportUnavailableError, UnknownDossierError } from '../sync/run-sync.js';
import { EXIT, UsageError } from './exit-codes.js';
import { packageVersion } from './version.js';

const HELP = `billsync — moves Billit invoices, documents and bank statements into the folders Venice reads

Usage: billsync <command> [options]

Commands:
  sync        one pass now: what each dossier's policy says is due (see: billsync sync --help)
  export      manual export of a period, optionally including what was exported (billsync export --help)
  run         keep running: the schedules of every dossier's policy (--headless for a service)
  status      what the ledger says, per dossier (--json)
  dossiers    list Billit's companies and their folders, or import a mapping (dossiers list | import FILE)
  validate    check UBL and CODA files as billsync does before Venice sees them (--json)
  doctor      check Billit, the API key, the export root, disk space and the clock (--json)
  config      show or change the settings (config show | path | get KEY | set KEY VALUE | unset KEY)
  ledger      where is a document (ledger find TEXT), or the whole ledger as CSV (ledger export)
  diagnostics versions, folders, settings without secrets, ledger counts and the recent log, for support (--save)
  demo        start a local Billit sandbox and run a full export into ./demo-export
  sandbox     run the local Billit-compatible API (see: billsync sandbox --help)

Configuration: --config FILE, or BILLSYNC_CONFIG; BILLSYNC_DATA_DIR moves ledger and logs.

Options:
  --help      show this help
  --version   print the version

Exit codes: 0 success, 1 finished with document failures, 2 usage or configuration error,
3 cannot reach Billit or the export root.`;

type Command = (args: string[]) => Promise<number>;

// Loaded on demand: `billsync sync` should not pay for the tray, the status page or the xlsx reader.
const COMMANDS: Record<string, () => Promise<Command>> = {
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  sandbox: async () => (await import('./commands/sandbox.js')).sandboxCommand,
  sync: async () => (await import('./commands/sync.js')).syncCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  dossiers: async () => (await import('./commands/dossiers.js')).dossiersCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  run: async () => (await import('./commands/run.js')).runCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  config: async () => (await import('./commands/config.js')).configCommand,
  ledger: async () => (await import('./commands/ledger.js')).ledgerCommand,
  diagnostics: async () => (await import('./commands/diagnostics.js')).diagnosticsCommand,
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
  const load = COMMANDS[name];
  if (!load) {
    console.error(`billsync: unknown command "${name}". Run billsync --help for the list.`);
    return EXIT.usage;
  }
  try {
    const command = await load();
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
