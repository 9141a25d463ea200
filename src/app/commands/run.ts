import { parseArgs } from 'node:util';
import { createLogger } from '../../platform/log.js';
import { nodeNotifier } from '../../platform/notify.js';
import { systemOpener } from '../../platform/open-target.js';
import { openApp, resolvePaths } from '../app-context.js';
import { startDesktopAgent } from '../desktop-agent.js';
import { EXIT } from '../exit-codes.js';
import { AlreadyRunningError, claimInstance } from '../instance.js';
import { loadConfig } from '../../config/load-config.js';
import { proxySecrets } from '../../config/config-display.js';

export const RUN_HELP = `billsync run [--headless] [--config FILE]

Runs billsync in the background with its tray icon: monthly runs, after-10-minutes polls, CODA and
approvals on their schedules (Europe/Brussels), catching up a monthly run missed while the computer
was off; notifications when entrepreneurs approve documents; files Venice takes are marked picked up;
files dropped in a dossier's Outbox go to Billit; a changed configuration file is reloaded.
--headless runs without a tray icon, for use as a service (also automatic without a display).
One billsync runs per user: a second start points to the first and exits. Logs: JSON lines, one
file a day, in the log folder (BILLSYNC_DATA_DIR/logs when set); the API key never appears in them.`;

/** SIGTERM to exit: the service manager expects billsync gone within 5 s. */
const SHUTDOWN_GRACE_MS = 3000;
const HARD_EXIT_MS = 4500;

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, headless: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, strict: true });
  if (values.help) { console.log(RUN_HELP); return EXIT.ok; }
  const paths = resolvePaths(values.config);
  const opener = systemOpener();
  // Read the configuration before taking the lock, so that a broken file is reported as such.
  const config = await loadConfig(paths.configFile);
  let lock;
  const instanceInfo = { startedAt: new Date().toISOString(), logDir: paths.logDir, exportRoot: config.exportRoot ?? '' };
  try {
    lock = await claimInstance(paths.dataDir, instanceInfo);
  } catch (error) {
    if (!(error instanceof AlreadyRunningError)) throw error;
    const url = error.info.statusUrl;
    if (url && !values.headless) {
      await opener(url).catch(() => undefined);
      console.log(`${error.message}; its status page is open in your browser.`);
    } else {
      console.log(`${error.message}. ${url ? `Status page: ${url}. ` : ''}Logs: ${error.info.logDir ?? paths.logDir}.`);
    }
    return EXIT.ok;
  }

  const app = await openApp(values.config);
  // Read at every line: a key or proxy password set later (status page, config reload) is masked too.
  const log = createLogger({ dir: app.paths.logDir, secrets: () => [app.config.billit.apiKey ?? '', ...proxySecrets(app.config.billit.proxy)] });
  let quit: () => void = () => undefined;
  const stopped = new Promise<string>((resolve) => {
    // Whatever hangs (a start-up still under way included), the process is gone in time; a run cut
    // short is finished at the next start.
    const stop = (why: string) => { setTimeout(() => process.exit(EXIT.ok), HARD_EXIT_MS).unref(); resolve(why); };
    quit = () => stop('Quit');
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  let desktop;
  try {
    desktop = await startDesktopAgent(app, {
      log, opener, headless: values.headless, onQuit: () => quit(),
      // A second start reads it from the lock and opens this page instead of starting again.
      onStatusPage: (statusUrl) => { lock.update({ ...instanceInfo, statusUrl }).catch((error: unknown) => log.warn(`could not record the status page address: ${(error as Error).message}`)); },
      notifier: nodeNotifier(
        (reason) => log.warn(`desktop notifications are not available here (${reason}); billsync goes on without them`),
        (target) => { opener(target).catch((error: unknown) => log.warn((error as Error).message)); },
      ),
    });
  } catch (error) {
    await lock.release();
    app.close();
    await log.close();
    throw error;
  }
  log.info(`billsync is running (${app.config.billit.mode} mode, export root ${app.config.exportRoot}); stop with Ctrl+C`);
  const reason = await stopped;
  log.info(`stopping (${reason})`);
  const clean = await desktop.stop(SHUTDOWN_GRACE_MS);
  // Closed even when a run was cut short: its next ledger call fails instead of writing, and SQLite
  // rolls back what it had begun; the files it was placing are reconciled at the next start.
  try {
    app.close();
  } catch (error) {
    log.warn(`the ledger did not close cleanly: ${(error as Error).message}`);
  }
  await lock.release();
  log.info(`billsync stopped${clean ? '' : ' (a run was cut short; the next start finishes it)'}`);
  await log.close();
  // Idle keep-alive sockets must not keep a stopped service alive.
  setTimeout(() => process.exit(EXIT.ok), 200).unref();
  return EXIT.ok;
}
