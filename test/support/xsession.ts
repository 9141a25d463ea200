import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';

/*
 * A real, private desktop session for tests: Xvfb, a D-Bus session bus and a notification daemon,
 * plus D-Bus access to the tray helper's menu (libdbusmenu, the way a panel reads it), so a test can
 * read labels and click lines of the real systray2 helper without a panel or a mouse.
 * No system tray host runs: stalonetray has no Debian 12 package, and the helper exports its menu
 * over D-Bus either way; the screenshot shows the (empty) root window.
 */

const run = promisify(execFile);

const NOTIFICATION_DAEMON = '/usr/lib/notification-daemon/notification-daemon';
/** Where libayatana-appindicator exports the menu of the indicator that getlantern/systray names "systray". */
const MENU_PATH = '/org/ayatana/NotificationItem/systray/Menu';
const DBUSMENU = 'com.canonical.dbusmenu';

/** What a client of the session needs. No XAUTHORITY: Xvfb started without -auth accepts local clients. */
export interface SessionEnv {
  DISPLAY: string;
  DBUS_SESSION_BUS_ADDRESS: string;
  /** Keeps GTK from starting the accessibility bus, a process this session would not own. */
  NO_AT_BRIDGE: string;
}

/** One line of a dbusmenu, as a panel sees it. `label` is decoded (mnemonic underscores removed). */
export interface DbusMenuNode {
  id: number;
  label: string;
  enabled: boolean;
  visible: boolean;
  separator: boolean;
  children: DbusMenuNode[];
}

export interface TrayOnBus {
  /** The helper's unique bus name (":1.7"). */
  busName: string;
  /** The helper's process id, as the bus knows it. */
  pid: number;
  root: DbusMenuNode;
}

export interface XSession {
  display: string;
  env: SessionEnv;
  /** Saves the whole screen as PNG. */
  screenshot(file: string): Promise<void>;
  /** The tray helper's menu on this session's bus (the one of `pid` when given), or null when none is there. */
  trayMenu(pid?: number): Promise<TrayOnBus | null>;
  /** Visible, non-separator labels of the tray menu, depth first (submenus after their parent). */
  menuLabels(): Promise<string[]>;
  /** Clicks the first visible line with this label, as a panel does (dbusmenu Event "clicked"). */
  clickLabel(label: string): Promise<void>;
  /** Ends every process the session started and waits for them. */
  close(): Promise<void>;
}

/**
 * Whether this machine can run an X session for the tray tests; `problems` names what is missing
 * with the Debian package that brings it. Tests assert on it (fail, never skip): CI installs these.
 */
export function canRunXSession(): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  const commands: Array<[string, string]> = [['Xvfb', 'xvfb'], ['dbus-daemon', 'dbus'], ['gdbus', 'libglib2.0-bin'], ['import', 'imagemagick'], ['ldd', 'libc-bin']];
  for (const [command, pkg] of commands) if (!onPath(command)) problems.push(`${command} is not installed (apt package ${pkg})`);
  if (!existsSync(NOTIFICATION_DAEMON)) problems.push(`${NOTIFICATION_DAEMON} is missing (apt package notification-daemon)`);
  if (process.platform !== 'linux') problems.push(`the X session needs Linux, not ${process.platform}`);
  return { ok: problems.length === 0, problems };
}

/** Libraries the real systray2 helper needs and ldd cannot find (libgtk-3-0, libayatana-appindicator3-1). */
export async function missingHelperLibraries(): Promise<string[]> {
  const helper = join(dirname(createRequire(import.meta.url).resolve('systray2')), 'traybin', 'tray_linux_release');
  const { stdout } = await run('ldd', [helper]);
  return stdout.split('\n').filter((line) => line.includes('not found')).map((line) => line.trim());
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/** Starts Xvfb on a free display, a private session bus and (by default) a notification daemon. */
export async function startXSession(options: { notifications?: boolean } = {}): Promise<XSession> {
  const check = canRunXSession();
  if (!check.ok) throw new Error(`cannot start an X session: ${check.problems.join('; ')}`);
  const started: ChildProcess[] = [];
  const stopAll = async (): Promise<void> => {
    for (const child of [...started].reverse()) await stop(child);
  };
  try {
    // -displayfd: Xvfb picks a free display itself and writes its number once it accepts
    // connections, so parallel sessions cannot race for one number.
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    started.push(xvfb);
    const number = (await firstLine(xvfb, xvfb.stdio[3] as NodeJS.ReadableStream, 'Xvfb')).trim();
    if (!/^\d+$/.test(number)) throw new Error(`Xvfb reported display "${number}"`);
    const display = `:${number}`;
    await waitFor(() => existsSync(`/tmp/.X11-unix/X${number}`), 10_000, `the socket of X display ${display}`);

    const dbus = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', '--print-address=1'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: display },
    });
    started.push(dbus);
    const address = (await firstLine(dbus, dbus.stdout!, 'dbus-daemon')).trim();
    const env: SessionEnv = { DISPLAY: display, DBUS_SESSION_BUS_ADDRESS: address, NO_AT_BRIDGE: '1' };
    const bus = new Bus(env);

    if (options.notifications !== false) {
      const daemon = spawn(NOTIFICATION_DAEMON, [], { stdio: 'ignore', env: { ...process.env, ...env } });
      started.push(daemon);
      await waitFor(async () => (await bus.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', ['org.freedesktop.Notifications'])).includes('true'), 10_000, 'the notification daemon on the session bus');
    }

    const session: XSession = {
      display,
      env,
      screenshot: async (file) => {
        await run('import', ['-display', display, '-window', 'root', file], { env: { ...process.env, ...env }, timeout: 20_000 });
      },
      trayMenu: (pid) => bus.findTray(pid),
      menuLabels: async () => {
        const tray = await bus.findTray();
        if (!tray) throw new Error('no tray menu on the session bus');
        return [...walk(tray.root.children)].filter((n) => n.visible && !n.separator).map((n) => n.label);
      },
      clickLabel: async (label) => {
        const tray = await bus.findTray();
        if (!tray) throw new Error('no tray menu on the session bus');
        const node = [...walk(tray.root.children)].find((n) => n.visible && !n.separator && n.label === label);
        if (!node) throw new Error(`no visible tray menu line "${label}"`);
        await bus.call(tray.busName, MENU_PATH, `${DBUSMENU}.Event`, [String(node.id), 'clicked', '<int32 0>', '0']);
      },
      close: stopAll,
    };
    return session;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function* walk(nodes: readonly DbusMenuNode[]): Generator<DbusMenuNode> {
  for (const node of nodes) {
    yield node;
    yield* walk(node.children);
  }
}

/** Session-bus calls through gdbus (GLib's command line client; no D-Bus library in the project). */
class Bus {
  constructor(private readonly env: SessionEnv) {}

  async call(dest: string, path: string, method: string, args: string[] = []): Promise<string> {
    const { stdout } = await run('gdbus', ['call', '--session', '--dest', dest, '--object-path', path, '--method', method, '--', ...args], {
      env: { ...process.env, ...this.env }, timeout: 10_000,
    });
    return stdout;
  }

  /** Asks every connection on the bus for a dbusmenu at the indicator's path. */
  async findTray(pid?: number): Promise<TrayOnBus | null> {
    const names = parseGVariant(await this.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.ListNames')) as [string[]];
    for (const name of names[0].filter((n) => n.startsWith(':'))) {
      let owner: number;
      try {
        owner = Number((parseGVariant(await this.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.GetConnectionUnixProcessID', [name])) as [number])[0]);
      } catch {
        continue; // gone meanwhile
      }
      if (pid !== undefined && owner !== pid) continue;
      let layout: string;
      try {
        layout = await this.call(name, MENU_PATH, `${DBUSMENU}.GetLayout`, ['0', '-1', '[]']);
      } catch {
        continue; // not a tray helper (gdbus itself, the notification daemon)
      }
      const [, root] = parseGVariant(layout) as [number, unknown];
      return { busName: name, pid: owner, root: toNode(root) };
    }
    return null;
  }
}

function toNode(value: unknown): DbusMenuNode {
  const [id, props, children] = value as [number, Record<string, unknown>, unknown[]];
  const label = typeof props.label === 'string' ? props.label : '';
  return {
    id: Number(id),
    // dbusmenu labels mark access keys: "_" before the key, "__" for a literal underscore.
    label: label.replace(/__|_/g, (m) => (m === '__' ? '_' : '')),
    enabled: props.enabled !== false,
    visible: props.visible !== false,
    separator: props.type === 'separator',
    children: children.map(toNode),
  };
}

const TYPE_WORDS = /^(?:byte|int16|uint16|int32|uint32|int64|uint64|handle|double|objectpath|signature)\b/;

/**
 * Parses the text form of a GVariant as gdbus prints it: tuples and arrays become arrays, dicts
 * objects, variants their value; type annotations ("uint32 9", "@av []") are dropped.
 */
export function parseGVariant(text: string): unknown {
  let at = 0;
  const fail = (what: string): never => { throw new Error(`GVariant text: ${what} at ${at} in ${text.slice(0, 200)}`); };
  const space = (): void => { while (at < text.length && /\s/.test(text[at]!)) at++; };
  const expect = (char: string): void => { space(); if (text[at] !== char) fail(`expected "${char}"`); at++; };
  const list = (close: string, item: () => unknown): unknown[] => {
    const out: unknown[] = [];
    space();
    while (text[at] !== close) {
      out.push(item());
      space();
      if (text[at] === ',') { at++; space(); } else if (text[at] !== close) fail(`expected "," or "${close}"`);
    }
    at++;
    return out;
  };
  const value = (): unknown => {
    space();
    const char = text[at];
    if (char === '@') { // "@av []": an explicit type before an empty container
      while (at < text.length && !/\s/.test(text[at]!)) at++;
      return value();
    }
    const word = TYPE_WORDS.exec(text.slice(at));
    if (word) { at += word[0].length; return value(); }
    if (char === '(') { at++; return list(')', value); }
    if (char === '[') { at++; return list(']', value); }
    if (char === '<') { at++; const inner = value(); expect('>'); return inner; }
    if (char === '{') {
      at++;
      const entries = list('}', () => { const key = value(); expect(':'); return [key, value()]; }) as Array<[unknown, unknown]>;
      return Object.fromEntries(entries.map(([k, v]) => [String(k), v]));
    }
    if (char === "'" || char === '"') return string(char);
    const token = /^(?:true|false|nothing|-?0x[0-9a-f]+|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)/i.exec(text.slice(at));
    if (!token) return fail('unexpected text');
    at += token[0].length;
    if (token[0] === 'true' || token[0] === 'false') return token[0] === 'true';
    if (token[0] === 'nothing') return null;
    return Number(token[0]);
  };
  const string = (quote: string): string => {
    at++;
    let out = '';
    while (at < text.length && text[at] !== quote) {
      if (text[at] === '\\') {
        const next = text[at + 1] ?? '';
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };
        if (next === 'u' || next === 'U') {
          const length = next === 'u' ? 4 : 8;
          out += String.fromCodePoint(parseInt(text.slice(at + 2, at + 2 + length), 16));
          at += 2 + length;
          continue;
        }
        out += simple[next] ?? next;
        at += 2;
        continue;
      }
      out += text[at];
      at++;
    }
    if (text[at] !== quote) fail('unterminated string');
    at++;
    return out;
  };
  const result = value();
  space();
  if (at !== text.length) fail('trailing text');
  return result;
}

function firstLine(child: ChildProcess, stream: NodeJS.ReadableStream, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2000); });
    const timer = setTimeout(() => done(new Error(`${name} did not start within 10 s: ${stderr.trim()}`)), 10_000);
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end >= 0) done(null, text.slice(0, end));
    };
    const onExit = (code: number | null): void => done(new Error(`${name} exited (${code}) before it was ready: ${stderr.trim()}`));
    const done = (error: Error | null, line?: string): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve(line!);
    };
    const onError = (error: Error): void => done(error);
    stream.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 3000).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
