import { join } from 'node:path';
import { NotificationPolicy } from '../desktop/notification-policy.js';
import { startTray, type TrayHandle } from '../desktop/tray/tray-controller.js';
import { startConfigWatcher } from '../desktop/watchers/config-watcher.js';
import { isNetworkShare, OutboxLock, startWatchers } from '../desktop/watchers/index.js';
import { hasMarker } from '../export/export-root.js';
import type { BillsyncConfig } from '../config/schema.js';
import type { Logger } from '../platform/log.js';
import type { Notifier } from '../platform/notify.js';
import type { Opener } from '../platform/open-target.js';
import type { SyncEvent } from '../sync/sync-context.js';
import { Agent } from './agent.js';
import { saveDiagnostics } from './diagnostics.js';
import { schematronDeps, type AppContext } from './app-context.js';
import { createStatusContext } from '../status/context.js';
import { STATUS_ROUTES } from '../status/routes.js';
import { startStatusServer, type StatusServer } from '../status/server.js';

export interface DesktopAgentOptions {
  log: Logger;
  notifier: Notifier;
  opener: Opener;
  /** No tray icon (a service, or no display). */
  headless: boolean;
  /** Called when the user chooses Quit in the tray. */
  onQuit: () => void;
  /** Told the status page's address (with its token) once it listens. */
  onStatusPage?: (url: string) => void;
  /** Watcher tuning for tests; the defaults suit an office. */
  watchers?: { stabilityMs?: number; forcePolling?: boolean };
  trayReadyTimeoutMs?: number;
}

export interface DesktopAgent {
  agent: Agent;
  /** The status page's address with its token; null when it could not start. */
  statusUrl: string | null;
  /** Ends everything it started within `graceMs`; false when a run had to be cut short. */
  stop(graceMs: number): Promise<boolean>;
}

type Watchers = Awaited<ReturnType<typeof startWatchers>>;

/**
 * `billsync run` put together: the agent (scheduler and run loop), notifications, the folder
 * watchers, the tray icon and a reloadable configuration. Every part it starts, stop() ends.
 */
export async function startDesktopAgent(app: AppContext, options: DesktopAgentOptions): Promise<DesktopAgent> {
  const { log } = options;
  let statusPage: StatusServer | null = null;
  const statusPageUrl = () => statusPage?.url ?? null;
  let agent: Agent | undefined;
  const notifications = new NotificationPolicy(options.notifier, Date.now, {
    get exportRoot() { return app.config.exportRoot ?? ''; },
    quarantine: join(app.paths.dataDir, 'quarantine'),
    // One row, not the whole status snapshot (which counts every undelivered document).
    dossierFolder: (partyId) => {
      const dossier = app.ledger.dossiers.get(partyId);
      return dossier ? join(app.config.exportRoot ?? '', dossier.folder) : undefined;
    },
    statusPage: () => statusPageUrl() ?? undefined,
  });
  const quietly = (work: Promise<void>) => { work.catch((error: unknown) => log.warn(`notification failed: ${(error as Error).message}`)); };
  const onEvent = (event: SyncEvent) => {
    quietly(notifications.onEvent(event));
    agent?.status.changed();
    if (event.level === 'info' && !LOGGED_INFO.has(event.type)) return;
    log[event.level](event.message, { type: event.type, ...(event.dossierPartyId === undefined ? {} : { dossier: event.dossierPartyId }) });
  };

  agent = new Agent(app, {
    ...await schematronDeps(app),
    onEvent,
    onRun: (request, summary, error) => {
      // A root that was missing (an unmounted share) may be back: watch it.
      void ensureWatchers();
      if (error) log.error(`${request.trigger} run failed: ${(error as Error).message}`, { trigger: request.trigger });
      else if (summary) {
        quietly(notifications.onRunSucceeded());
        log.info(`${request.trigger} run: ${summary.counts.exported} exported, ${summary.counts.failed} failed (${summary.dossiers} dossiers)`, { trigger: request.trigger, counts: summary.counts });
      }
    },
  });
  const running = agent;

  // The folder watchers follow the export root and Billit settings in force. They are (re)started
  // whenever those differ from what they were started with, and when the root (a share, a drive
  // mapped after login) appears later: ensureWatchers() runs at start, after every run and after
  // every configuration change, whoever made it (the file, the status page).
  let watchers: Watchers | null = null;
  let watchedWith: string | null = null;
  let ensuring: Promise<void> = Promise.resolve();
  // Outlives each set of watchers: an upload a restart left running is never sent again by the next set.
  const outboxLock = new OutboxLock();
  const ensureWatchers = (): Promise<void> => {
    ensuring = ensuring.then(async () => {
      const root = app.config.exportRoot;
      const wanted = running.configured && root && await hasMarker(root) ? JSON.stringify([root, app.config.billit, app.config.watch]) : null;
      if (wanted === watchedWith) return;
      await watchers?.close();
      watchers = null;
      watchedWith = null;
      if (wanted === null || !root) return;
      try {
        watchers = await startWatchers({
          exportRoot: root, ledger: app.ledger, client: running.billit, onEvent, outboxLock, polling: app.config.watch.polling,
          onError: (error: unknown) => log.error(`folder watcher: ${(error as Error).message}`),
          ...(options.watchers?.stabilityMs === undefined ? {} : { stabilityMs: options.watchers.stabilityMs }),
          ...(options.watchers?.forcePolling === undefined ? {} : { forcePolling: options.watchers.forcePolling }),
        });
        watchedWith = wanted;
      } catch (error) {
        log.error(`folder watchers could not start (files Venice takes and the Outbox are followed once they can): ${(error as Error).message}`);
      }
    });
    return ensuring;
  };
  const reload = async (next: BillsyncConfig) => {
    if (JSON.stringify(next) !== JSON.stringify(app.config)) {
      try {
        running.reconfigure(next);
      } catch (error) {
        log.error(`the changed configuration file ${app.configFile} cannot be used; the previous settings stay in force: ${(error as Error).message}`);
        return;
      }
      log.info(`configuration reloaded from ${app.configFile}`);
    }
    await ensureWatchers();
  };
  // The configuration file is watched for the agent's whole life, apart from the folder watchers, so
  // that no change is missed while those restart.
  const configWatcher = await startConfigWatcher({
    configFile: app.configFile, onConfig: (next) => { void reload(next); },
    onError: (error) => log.error(`the configuration file ${app.configFile} was changed but cannot be used; the previous settings stay in force: ${error.message}`),
    polling: app.config.watch.polling === 'always' || (app.config.watch.polling === 'auto' && isNetworkShare(app.configFile)),
  });

  running.start();
  await ensureWatchers();

  try {
    const context = createStatusContext(app, running, options.opener, undefined, ensureWatchers);
    statusPage = await startStatusServer({ context, routes: STATUS_ROUTES, port: app.config.statusPage.port, log });
    options.onStatusPage?.(statusPage.url);
  } catch (error) {
    log.error(`the status page could not start on 127.0.0.1:${app.config.statusPage.port} (${(error as Error).message}); billsync runs without it`);
  }

  let tray: TrayHandle | null = null;
  if (options.headless) log.info('running headless (no tray icon)');
  else {
    tray = await startTray({
      status: running.status, log, statusPageUrl,
      ...(options.trayReadyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.trayReadyTimeoutMs }),
      actions: {
        syncNow: () => { running.syncNow(); },
        pause: (length) => { const until = running.pause(length); log.info(`paused until ${until.toISOString()}`); },
        resume: () => { running.resume(); log.info('resumed'); },
        open: options.opener,
        // Read when clicked: Settings may have moved the export root since.
        get exportRoot() { return app.config.exportRoot ?? ''; },
        logDir: app.paths.logDir,
        saveDiagnostics: () => saveDiagnostics({
          config: app.config, configFile: app.configFile, paths: app.paths, ledger: app.ledger, now: new Date(), statusLine: running.status.snapshot().line,
        }),
        quit: options.onQuit,
      },
    });
  }

  return {
    agent: running,
    statusUrl: statusPageUrl(),
    stop: async (graceMs) => {
      const [clean] = await Promise.all([
        running.stop(graceMs),
        statusPage?.close(),
        configWatcher.close(),
        ensuring.then(() => (watchers as Watchers | null)?.close()),
        tray?.close().catch((error: unknown) => log.warn(`tray did not close cleanly: ${(error as Error).message}`)),
      ]);
      return clean;
    },
  };
}

/** Info events worth a log line; the rest (one per document) would drown the log. */
const LOGGED_INFO = new Set(['approvals', 'picked-up', 'outbox-sent', 'outbox-already-sent', 'config-reloaded', 'watch-polling']);
