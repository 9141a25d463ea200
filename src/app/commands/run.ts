import { parseArgs } from 'node:util';
import { toBrusselsLocal } from '../../core/brussels-time.js';
import { Agent } from '../agent.js';
import { openApp, schematronDeps } from '../app-context.js';
import { EXIT } from '../exit-codes.js';

export const RUN_HELP = `billsync run [--headless] [--config FILE]

Runs billsync in the background: monthly runs, after-10-minutes polls, CODA and approvals on their
schedules (Europe/Brussels), catching up a monthly run missed while the computer was off.
--headless runs without a tray icon, for use as a service.`;

/** Log times in Belgian time, as the office reads them. */
const stamp = (): string => toBrusselsLocal(new Date()).replace('T', ' ').slice(0, 19);

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, headless: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, strict: true });
  if (values.help) { console.log(RUN_HELP); return EXIT.ok; }
  if (!values.headless) console.log(`${stamp()} the tray icon is not part of this version yet; running headless`);
  const app = await openApp(values.config);
  const agent = new Agent(app, {
    ...await schematronDeps(app),
    onEvent: (event) => { if (event.level !== 'info' || event.type === 'approvals') console.log(`${stamp()} ${event.level} ${event.message}`); },
    onRun: (request, summary, error) => {
      if (error) console.log(`${stamp()} error ${request.trigger} run: ${(error as Error).message}`);
      else if (summary) console.log(`${stamp()} ${request.trigger} run: ${summary.counts.exported} exported, ${summary.counts.failed} failed (${summary.dossiers} dossiers)`);
    },
  });
  agent.start();
  console.log(`${stamp()} billsync is running (${app.config.billit.mode} mode, export root ${app.config.exportRoot}); stop with Ctrl+C`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const clean = await agent.stop(4000);
  if (clean) app.close();
  console.log(`${stamp()} billsync stopped${clean ? '' : ' (a run was cut short; the next start finishes it)'}`);
  // Idle keep-alive sockets must not keep a stopped service alive.
  setTimeout(() => process.exit(EXIT.ok), 1000);
  return EXIT.ok;
}
