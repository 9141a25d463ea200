import { BillitError } from '../billit/errors/billit-error.js';
import { BillitUnreachableError } from '../billit/errors/billit-unreachable-error.js';
import { demoCommand } from './commands/demo.js';
import { sandboxCommand } from './commands/sandbox.js';
import { EXIT, UsageError } from './exit-codes.js';
import { packageVersion } from './version.js';

const HELP = `billsync — moves Billit invoices, documents and bank statements into the folders Venice reads

Usage: billsync <command> [options]

Commands:
  demo        start a local Billit sandbox and show billsync talking to it
  sandbox     run the local Billit-compatible API (see: billsync sandbox --help)

Options:
  --help      show this help
  --version   print the version

Exit codes: 0 success, 1 finished with document failures, 2 usage or configuration error,
3 cannot reach Billit or the export root.`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  demo: demoCommand,
  sandbox: sandboxCommand,
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
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`billsync ${name}: ${(error as Error).message}`);
      return EXIT.usage;
    }
    if (error instanceof BillitUnreachableError) {
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
