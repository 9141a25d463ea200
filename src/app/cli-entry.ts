import { main } from './cli.js';

/** Runs the CLI from source (tests and development: `node --import tsx src/app/cli-entry.ts`). */
process.exitCode = await main(process.argv.slice(2));
