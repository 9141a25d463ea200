import type { Menu, MenuItem } from 'systray2';
import { buildLayout, fitLayout, sameState, toHelperItem, walkSlots, type Slot, type TitleEscaper } from './systray-layout.js';
import { describeExit, HelperProcess } from './systray-process.js';
import { IconCache } from './tray-icons.js';
import type { TrayMenu } from './tray-menu.js';
import { TrayUnavailableError } from './tray-unavailable-error.js';

export interface SystrayHostOptions {
  /** Folder with `<state>.png` and `<state>.ico`. */
  iconDir: string;
  /** @default process.platform */
  platform?: NodeJS.Platform;
  /** How long the helper may take to say it is ready. @default 8000 */
  readyTimeoutMs?: number;
  /** A menu line was clicked: its TrayEntry key. */
  onClick(key: string): void;
  /**
   * The helper went away on its own (crashed, killed, the desktop session ended) or could not be
   * started again for a new menu. The host is closed by then; billsync runs on without an icon.
   */
  onExit(reason: string): void;
  /** Problems the host works around (a missing icon file, a stale click). */
  log: { warn(message: string): void };
}

// systray2 shows `checked` on Linux by appending this to the title (index.js updateCheckedInLinux).
const CHECK_MARK = ' (√)';

/**
 * The tray icon: a systray2 helper process showing a TrayMenu, updated in place, clicks reported as
 * action keys. One per agent; every method may be called from the agent's event loop at any time
 * (updates run one after the other). After close() or onExit nothing is shown and updates are no-ops.
 */
export class SystrayHost {
  private helper: HelperProcess | null = null;
  private slots: Slot[] = [];
  private readonly byId = new Map<number, Slot>();
  private sent = { icon: '', tooltip: '' };
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly icons: IconCache;
  private readonly escape: TitleEscaper;
  private readonly missingIcons = new Set<string>();
  private readonly platform: NodeJS.Platform;
  private readonly readyTimeoutMs: number;

  private constructor(private readonly options: SystrayHostOptions) {
    this.platform = options.platform ?? process.platform;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 8000;
    this.icons = new IconCache(options.iconDir, this.platform);
    this.escape = titleEscaper(this.platform);
  }

  /** Starts the helper with `menu`; rejects with TrayUnavailableError, leaving no process behind. */
  static async start(menu: TrayMenu, options: SystrayHostOptions): Promise<SystrayHost> {
    const host = new SystrayHost(options);
    await host.launch(menu);
    return host;
  }

  /** The helper's process id while it runs (diagnostics and tests). */
  get helperPid(): number | undefined {
    return this.helper?.pid;
  }

  /** Shows `menu`; resolves once the helper has been told. Never rejects. */
  update(menu: TrayMenu): Promise<void> {
    this.queue = this.queue.then(() => this.apply(menu)).catch((error: unknown) => {
      this.options.log.warn(`The tray menu could not be updated: ${(error as Error)?.message ?? String(error)}`);
    });
    return this.queue;
  }

  /** Removes the icon and waits until the helper has exited (SIGKILL after 2 s). */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const helper = this.helper;
    this.helper = null;
    if (helper) await helper.stop();
  }

  private async apply(menu: TrayMenu): Promise<void> {
    const helper = this.helper;
    if (this.closed || helper === null) return;
    const plan = fitLayout(this.slots, menu.items, this.escape);
    if (plan === null) {
      // The helper cannot add lines to a menu it has built: show the new shape in a new helper.
      this.helper = null;
      await helper.stop();
      try {
        await this.launch(menu);
      } catch (error) {
        if (this.closed) return;
        this.closed = true;
        this.options.onExit(error instanceof TrayUnavailableError ? error.reason : String(error));
      }
      return;
    }
    for (const { slot, state, key } of plan) {
      if (!sameState(slot.state, state)) {
        // seq_id -1: the helper finds the line by __id (its own seq_id numbers children first).
        const item: MenuItem & { __id: number } = { ...toHelperItem(state), __id: slot.id };
        await helper.send({ type: 'update-item', item, seq_id: -1 });
        slot.state = state;
      }
      slot.key = key;
    }
    const icon = this.icon(menu);
    if (icon !== this.sent.icon || menu.tooltip !== this.sent.tooltip) {
      // The helper ignores an empty icon in update-menu (keeps the last one) and ignores `items`.
      await helper.send({ type: 'update-menu', menu: { icon, title: '', tooltip: menu.tooltip, items: [] } });
      this.sent = { icon, tooltip: menu.tooltip };
    }
  }

  private async launch(menu: TrayMenu): Promise<void> {
    const { slots, helperItems } = buildLayout(menu.items, this.escape);
    const icon = this.icon(menu);
    const helperMenu: Menu = { icon, title: '', tooltip: menu.tooltip, items: helperItems };
    const helper = await HelperProcess.launch(helperMenu, this.readyTimeoutMs);
    if (this.closed) {
      await helper.stop();
      return;
    }
    // systray2 numbered the lines while starting; its clicks and update-item use those numbers.
    const numbered = [...walkHelperItems(helperItems)].map((item) => (item as { __id?: number }).__id);
    const expected = [...walkSlots(slots)].map((slot) => slot.id);
    if (numbered.join() !== expected.join()) {
      await helper.stop();
      throw new TrayUnavailableError('systray2 numbered the menu lines differently than this version of billsync expects');
    }
    this.helper = helper;
    this.slots = slots;
    this.byId.clear();
    for (const slot of walkSlots(slots)) this.byId.set(slot.id, slot);
    this.sent = { icon, tooltip: menu.tooltip };
    helper.onClick((id, title) => this.clicked(helper, id, title));
    void helper.exited.then((info) => {
      if (this.helper !== helper || this.closed) return;
      this.helper = null;
      this.closed = true;
      const stderr = info.stderr.split('\n').filter(Boolean).slice(-2).join(' / ');
      this.options.onExit(`the tray helper ${describeExit(info)}${stderr ? `: ${stderr}` : ''}`);
    });
  }

  private clicked(helper: HelperProcess, id: number, title: string): void {
    if (this.helper !== helper || this.closed) return;
    const slot = this.byId.get(id);
    if (!slot?.key || !slot.state) return;
    // The helper reports the title the line had when clicked. If an update changed the line in the
    // meantime (dossiers reorder as their counts change), its key may now mean another line.
    const shown = slot.state.checked && process.platform === 'linux' ? `${slot.state.title}${CHECK_MARK}` : slot.state.title;
    if (title !== shown) {
      this.options.log.warn(`A tray click on "${title}" was ignored: the menu changed at that moment.`);
      return;
    }
    this.options.onClick(slot.key);
  }

  private icon(menu: TrayMenu): string {
    try {
      return this.icons.base64(menu.icon);
    } catch (error) {
      // An icon file missing from the install should not cost the whole tray: the menu still works.
      if (!this.missingIcons.has(menu.icon)) {
        this.missingIcons.add(menu.icon);
        this.options.log.warn(`Tray icon for "${menu.icon}" could not be read (${(error as Error).message}); keeping the previous icon.`);
      }
      return this.sent.icon;
    }
  }
}

/**
 * Menu titles come from Billit (dossier names), so mnemonic characters are escaped: `_` marks an
 * access key in the D-Bus menus of Linux panels ("Jansen_BV" would show as "JansenBV"), `&` in
 * Windows menus ("De Smet & Zonen" would lose the ampersand).
 */
export function titleEscaper(platform: NodeJS.Platform): TitleEscaper {
  if (platform === 'win32') return (title) => title.replaceAll('&', '&&');
  if (platform === 'darwin') return (title) => title;
  return (title) => title.replaceAll('_', '__');
}

function* walkHelperItems(items: readonly MenuItem[]): Generator<MenuItem> {
  for (const item of items) {
    yield item;
    if (item.items) yield* walkHelperItems(item.items);
  }
}
