import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NotificationPolicy } from '../../desktop/notification-policy.js';
import { nodeNotifier } from '../../platform/notify.js';
import { createLogger } from '../../platform/log.js';
import { Agent } from '../agent.js';
import { openApp, schematronDeps } from '../app-context.js';
import { EXIT } from '../exit-codes.js';

export const RUN_HELP = `billsync run [--headless] [--config FILE]

Runs billsync in the background: monthly runs, after-10-minutes polls, CODA and approvals on their
schedules (Europe/Brussels), catching up a monthly run missed while the computer was off.
--headless runs without a tray icon, for use as a service. Logs: JSON lines, one file a day, in the
log folder (BILLSYNC_DATA_DIR/logs when set); the API key never appears in them.`;

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, headless: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, strict: true });
  if (values.help) { console.log(RUN_HELP); return EXIT.ok; }
  const app = await openApp(values.config);
  const log = createLogger({ dir: app.paths.logDir, secrets: [app.config.billit.apiKey ?? ''] });
  if (!values.headless) log.info('the tray icon is not part of this version yet; running headless');
  const notifications = new NotificationPolicy(
    nodeNotifier((reason) => log.warn(`desktop notifications are not available here (${reason}); billsync goes on without them`)),
    Date.now, { exportRoot: app.config.exportRoot ?? '', quarantine: join(app.paths.dataDir, 'quarantine') },
  );
  const quietly = (work: Promise<void>) => { work.catch((error: unknown) => log.warn(`notification failed: ${(error as Error).message}`)); };
  const agent = new Agent(app, {
    ...await schematronDeps(app),
    onEvent: (event) => {
      quietly(notifications.onEvent(event));
      if (event.level === 'info' && event.type !== 'approvals') return;
      log[event.level](event.message, { type: event.type, ...(event.dossierPartyId === undefined ? {} : { dossier: event.dossierPartyId }) });
    },
    onRun: (request, summary, error) => {
      if (error) log.error(`${request.trigger} run failed: ${(error as Error).message}`, { trigger: request.trigger });
      else if (summary) {
        quietly(notifications.onRunSucceeded());
        log.info(`${request.trigger} run: ${summary.counts.exported} exported, ${summary.counts.failed} failed (${summary.dossiers} dossiers)`, { trigger: request.trigger, counts: summary.counts });
      }
    },
  });
  agent.start();
  log.info(`billsync is running (${app.config.billit.mode} mode, export root ${app.config.exportRoot}); stop with Ctrl+C`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const clean = await agent.stop(4000);
  if (clean) app.close();
  log.info(`billsync stopped${clean ? '' : ' (a run was cut short; the next start finishes it)'}`);
  await log.close();
  // Idle keep-alive sockets must not keep a stopped service alive.
  setTimeout(() => process.exit(EXIT.ok), 500);
  return EXIT.ok;
}
