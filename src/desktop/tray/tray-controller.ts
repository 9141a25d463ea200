import { dirname } from 'node:path';
import type { AgentSnapshot, AgentStatus } from '../../app/agent-status.js';
import { ensureHelperExecutable } from './helper-binary.js';
import { SystrayHost } from './systray-host.js';
import { whyNoTray } from './tray-display.js';
import { defaultIconDir } from './tray-icons.js';
import { trayMenu, type TrayMenu } from './tray-menu.js';
import { TrayUnavailableError } from './tray-unavailable-error.js';

/** What the tray's menu lines do; the composition root wires these to the Agent and the opener. */
export interface TrayActions {
  syncNow(): void;
  /** Milliseconds, or 'tomorrow' for the next midnight in Brussels (Agent.pause). */
  pause(length: number | 'tomorrow'): void;
  resume(): void;
  /** Opens a folder or a URL (platform/open-target.ts). */
  open(target: string): Promise<void>;
  exportRoot: string;
  logDir: string;
  /** Writes the diagnostics report (app/diagnostics.ts) and returns the file's path. */
  saveDiagnostics(): Promise<string>;
  quit(): void;
}

export interface TrayOptions {
  status: AgentStatus;
  actions: TrayActions;
  log: { info(message: string): void; warn(message: string): void };
  /** Folder with the state icons. @default the package's icons/ */
  iconDir?: string;
  /** How long the helper may take to start. @default 8000 */
  readyTimeoutMs?: number;
  /** The status page's URL with its token, or null while it does not run; read at every update and click. */
  statusPageUrl: () => string | null;
  /** @default process.platform */
  platform?: NodeJS.Platform;
  /** Where DISPLAY / WAYLAND_DISPLAY are looked up. @default process.env */
  env?: NodeJS.ProcessEnv;
}

export interface TrayHandle {
  /** Shows the current status now, e.g. after the status page started (its menu line depends on it). */
  refresh(): void;
  /** Removes the icon; the helper process has exited when this resolves. */
  close(): Promise<void>;
}

export const PAUSE_HOUR_MS = 3_600_000;

/**
 * At most one menu update per this interval: a run reports many changes in a burst, and every
 * update is a round of messages to the helper. The last change of a burst is always shown.
 */
export const UPDATE_INTERVAL_MS = 250;

const HEADLESS = 'billsync runs without a tray icon';

/**
 * Shows the tray icon for the agent's status and turns its clicks into actions. Returns null, after
 * logging one line that says why, when there is no display or the helper cannot start: billsync
 * then runs without an icon. Later helper deaths are logged too and also leave the agent running.
 */
export async function startTray(options: TrayOptions): Promise<TrayHandle | null> {
  const platform = options.platform ?? process.platform;
  const noTray = whyNoTray(platform, options.env ?? process.env);
  if (noTray !== null) {
    options.log.info(`${HEADLESS}: ${noTray}.`);
    return null;
  }
  const helperProblem = ensureHelperExecutable(platform);
  const controller = new TrayController(options);
  try {
    await controller.start(platform);
  } catch (error) {
    const reason = error instanceof TrayUnavailableError ? error.reason : (error as Error)?.message ?? String(error);
    options.log.warn(`${HEADLESS}: ${reason}${helperProblem ? ` (${helperProblem})` : ''}.`);
    return null;
  }
  if (helperProblem) options.log.warn(`The tray helper works, but ${helperProblem}.`);
  return controller;
}

class TrayController implements TrayHandle {
  private host: SystrayHost | null = null;
  /** The snapshot behind the menu on screen: clicks resolve dossier folders from what the user saw. */
  private shown: AgentSnapshot | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastUpdate = 0;
  private closed = false;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: TrayOptions) {}

  async start(platform: NodeJS.Platform): Promise<void> {
    const menu = this.menu();
    this.host = await SystrayHost.start(menu, {
      iconDir: this.options.iconDir ?? defaultIconDir(),
      platform,
      ...(this.options.readyTimeoutMs !== undefined ? { readyTimeoutMs: this.options.readyTimeoutMs } : {}),
      onClick: (key) => this.clicked(key),
      onExit: (reason) => this.helperGone(reason),
      log: this.options.log,
    });
    this.lastUpdate = Date.now();
    this.unsubscribe = this.options.status.onChange(() => this.schedule());
    // A change while the helper was starting had no listener yet: look once more.
    this.schedule();
  }

  refresh(): void {
    this.schedule();
  }

  async close(): Promise<void> {
    this.stopListening();
    const host = this.host;
    this.host = null;
    await host?.close();
  }

  private stopListening(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private menu(): TrayMenu {
    // snapshot() reads the ledger; let it throw here, the callers decide what that means.
    const snapshot = this.options.status.snapshot();
    const menu = trayMenu(snapshot, { statusPageUrl: this.options.statusPageUrl() });
    this.shown = snapshot;
    return menu;
  }

  /** Coalesces bursts: the first change goes out at once, the rest at most every UPDATE_INTERVAL_MS, the latest last. */
  private schedule(): void {
    if (this.closed || this.timer) return;
    const wait = Math.max(0, this.lastUpdate + UPDATE_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.update();
    }, wait);
    this.timer.unref();
  }

  private update(): void {
    const host = this.host;
    if (this.closed || host === null) return;
    this.lastUpdate = Date.now();
    let menu: TrayMenu;
    try {
      menu = this.menu();
    } catch (error) {
      this.options.log.warn(`The tray could not read the status: ${(error as Error)?.message ?? String(error)}`);
      return;
    }
    void host.update(menu);
  }

  private helperGone(reason: string): void {
    this.stopListening();
    this.host = null;
    this.options.log.warn(`The tray icon stopped (${reason}); billsync keeps running without it.`);
  }

  /** Runs inside systray2's stdout reader: nothing may throw out of here. */
  private clicked(key: string): void {
    try {
      this.act(key);
    } catch (error) {
      this.options.log.warn(`The tray action "${key}" failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  private act(key: string): void {
    const { actions } = this.options;
    switch (key) {
      case 'sync-now': return actions.syncNow();
      case 'pause-hour': return actions.pause(PAUSE_HOUR_MS);
      case 'pause-tomorrow': return actions.pause('tomorrow');
      case 'resume': return actions.resume();
      // Before the first setup there is no folder to open: the status page is where it is set.
      case 'open-export': return actions.exportRoot ? this.open(actions.exportRoot) : this.openStatusPage();
      case 'open-logs': return this.open(actions.logDir);
      case 'open-status-page': return this.openStatusPage();
      case 'diagnostics': return this.diagnostics();
      case 'quit': return actions.quit();
    }
    const match = /^(dossier|approvals):(\d+)$/.exec(key);
    if (!match) return; // submenu titles and placeholders: nothing to do
    const partyId = Number(match[2]);
    if (match[1] === 'approvals') {
      // The status page shows what waits and why; without it, the dossier's folder is the next best.
      const url = this.options.statusPageUrl();
      if (url !== null) return this.open(url);
    }
    const dossier = this.shown?.dossiers.find((d) => d.partyId === partyId);
    if (dossier) this.open(dossier.folder);
    else this.options.log.warn(`The tray has no folder for dossier ${partyId} any more.`);
  }

  /** Saves the report, then shows its folder: the file is what the user attaches to a mail. */
  private diagnostics(): void {
    Promise.resolve()
      .then(() => this.options.actions.saveDiagnostics())
      .then((file) => {
        this.options.log.info(`diagnostics saved to ${file}`);
        this.open(dirname(file));
      })
      .catch((error: unknown) => this.options.log.warn(`The diagnostics could not be saved: ${(error as Error)?.message ?? String(error)}`));
  }

  private openStatusPage(): void {
    const url = this.options.statusPageUrl();
    if (url === null) this.options.log.warn('The status page is not running, so it cannot be opened.');
    else this.open(url);
  }

  private open(target: string): void {
    // A file manager or browser that fails to start is logged; the agent goes on.
    Promise.resolve()
      .then(() => this.options.actions.open(target))
      .catch((error: unknown) => this.options.log.warn(`Could not open ${target}: ${(error as Error)?.message ?? String(error)}`));
  }
}
