import type { ChildProcess } from 'node:child_process';
import SysTrayPkg, { type Action, type Menu } from 'systray2';
import { TrayUnavailableError } from './tray-unavailable-error.js';

// systray2 is CommonJS with `exports.default = SysTray`; under NodeNext the default import is the
// whole module.exports object (stack.md, systray2 trap 8).
const SysTray = SysTrayPkg.default;
type SysTrayInstance = InstanceType<typeof SysTray>;

export interface HelperExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the helper wrote to stderr (GTK's "cannot open display", Go panics). */
  stderr: string;
}

const STDERR_KEPT = 2000;

/**
 * One running systray2 helper process, from spawn to exit. systray2 leaves most failure modes to
 * its caller: ready() never settles when the helper dies first (no display), `process` is null
 * until an asynchronous spawn, nobody reads the helper's stderr (a chatty GTK could fill the pipe
 * and stall it), a write after the helper died is an unhandled EPIPE, and kill() waits forever for
 * a process that is already gone. This class owns those.
 */
export class HelperProcess {
  /** Settles once the process has exited, whoever ended it. */
  readonly exited: Promise<HelperExit>;
  private exitInfo: HelperExit | null = null;

  private constructor(private readonly tray: SysTrayInstance, private readonly child: ChildProcess, exited: Promise<HelperExit>) {
    this.exited = exited.then((info) => {
      this.exitInfo = info;
      return info;
    });
  }

  /**
   * Spawns the helper with `menu` and waits until it has taken the menu. Rejects with
   * TrayUnavailableError, with no process left behind, when it exits first, fails to spawn or is
   * not ready within `readyTimeoutMs`.
   */
  static launch(menu: Menu, readyTimeoutMs: number): Promise<HelperProcess> {
    // copyDir false: run the helper where it is installed; systray2 looks in ./traybin first
    // (relative to the working directory), then in its own package folder.
    const tray = new SysTray({ menu, debug: false, copyDir: false });
    let child: ChildProcess | null = null;
    let stderr = '';
    let resolveExit!: (info: HelperExit) => void;
    const exited = new Promise<HelperExit>((resolve) => { resolveExit = resolve; });

    const adopt = (): ChildProcess | null => {
      if (child !== null || tray.process === null) return child;
      const helper = tray.process;
      child = helper;
      helper.stderr?.setEncoding('utf8');
      helper.stderr?.on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-STDERR_KEPT); });
      // Writes to a helper that has just died fail asynchronously on stdin; without a listener
      // that error would end the agent. The exit handler reports the death itself.
      helper.stdin?.on('error', () => {});
      if (helper.exitCode !== null || helper.signalCode !== null) {
        resolveExit({ code: helper.exitCode, signal: helper.signalCode, stderr: '' });
      } else {
        helper.once('exit', (code, signal) => resolveExit({ code, signal, stderr: stderr.trim() }));
      }
      return helper;
    };

    return new Promise<HelperProcess>((resolve, reject) => {
      let settled = false;
      let failed = false;
      const started = Date.now();
      // systray2 spawns after two awaits and offers no hook: look for the process until it shows.
      // After a failed attempt keep looking a while, so that a late helper is killed, not orphaned.
      const watch = setInterval(() => {
        adopt();
        if (failed) killIfRunning();
        else if (child !== null) clearInterval(watch);
      }, 10);
      const killIfRunning = (): void => {
        const helper = adopt();
        if (helper !== null) {
          clearInterval(watch);
          if (helper.exitCode === null && helper.signalCode === null && helper.pid !== undefined) helper.kill('SIGKILL');
        } else if (Date.now() - started > 30_000) {
          clearInterval(watch);
        }
      };
      const fail = (reason: string, cause?: unknown): void => {
        if (settled) return;
        settled = true;
        failed = true;
        clearTimeout(timer);
        reject(new TrayUnavailableError(reason, cause === undefined ? undefined : { cause }));
        killIfRunning();
      };
      const timer = setTimeout(() => fail(`the tray helper did not report ready within ${readyTimeoutMs} ms${detail(stderr)}`), readyTimeoutMs);
      void exited.then((info) => fail(`the tray helper ${describeExit(info)} before it was ready${detail(info.stderr)}`));
      tray.ready().then(() => {
        const helper = adopt();
        if (settled) return killIfRunning();
        if (helper === null) return fail('systray2 reported ready without a helper process');
        settled = true;
        clearTimeout(timer);
        clearInterval(watch);
        resolve(new HelperProcess(tray, helper, exited));
      }, (error: unknown) => fail(`the tray helper could not be started (${(error as Error)?.message ?? String(error)})`, error));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === null;
  }

  /** Calls `listener` with systray2's `__id` of every clicked line and the title the helper showed. */
  onClick(listener: (id: number, title: string) => void): void {
    void this.tray.onClick((event) => listener(event.__id, typeof event.item?.title === 'string' ? event.item.title : ''));
  }

  /** Sends one action; a no-op once the helper is gone (its exit is reported through `exited`). */
  async send(action: Action): Promise<void> {
    if (!this.running) return;
    await this.tray.sendAction(action);
  }

  /**
   * Asks the helper to quit and waits for it: `exit` on its stdin, then SIGKILL after `graceMs`.
   * Never systray2's kill() default, which calls process.exit().
   */
  async stop(graceMs = 2000): Promise<HelperExit> {
    if (this.running) {
      void this.tray.kill(false).catch(() => {});
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), graceMs).unref());
      if ((await Promise.race([this.exited, timeout])) === null && this.running) this.child.kill('SIGKILL');
    }
    return this.exited;
  }
}

export function describeExit(info: HelperExit): string {
  if (info.signal) return `was stopped by ${info.signal}`;
  if (info.code === null) return 'could not run';
  return `exited with code ${info.code}`;
}

function detail(stderr: string): string {
  const lines = stderr.trim().split('\n').filter(Boolean);
  return lines.length > 0 ? `: ${lines.slice(-3).join(' / ')}` : '';
}
