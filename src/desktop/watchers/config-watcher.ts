import { watch, type FSWatcher } from 'chokidar';
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/load-config.js';
import type { BillsyncConfig } from '../../config/schema.js';
import { pollingOptions, whenReady } from './watch-support.js';

export interface ConfigWatcherOptions {
  configFile: string;
  /** A changed, valid configuration. Not called for a save that changed nothing. */
  onConfig: (config: BillsyncConfig) => void;
  /** The changed file is invalid or unreadable, or was removed: the configuration in force stays. */
  onError: (error: Error) => void;
  /** Quiet time after the last change before the file is read. @default 300 */
  debounceMs?: number;
  polling?: boolean;
  pollIntervalMs?: number;
}

export interface ConfigWatcher {
  close(): Promise<void>;
}

/**
 * Reloads the configuration file when it changes (product.md §7). The folder is watched, not the
 * file: editors and billsync's own saveConfig replace the file by renaming a new one over it, which
 * a watch on the old file would not survive. Bursts of events (write, rename, attribute change) are
 * debounced into one read. An invalid file is reported and ignored, so a typo made while editing
 * never takes the agent down or half-applies a setting.
 */
export async function startConfigWatcher(options: ConfigWatcherOptions): Promise<ConfigWatcher> {
  const file = resolve(options.configFile);
  const dir = dirname(file);
  const name = basename(file);
  const sameName = process.platform === 'win32' || process.platform === 'darwin'
    ? (candidate: string) => candidate.toLowerCase() === name.toLowerCase()
    : (candidate: string) => candidate === name;
  const debounceMs = options.debounceMs ?? 300;
  // The OS config folder may not exist yet on a first start; the file's own folder is harmless to create.
  await mkdir(dir, { recursive: true });

  // What is in force now, to tell a real change from a save of the same settings.
  let current: string | null = null;
  let failing = false;
  try {
    current = JSON.stringify(await loadConfig(file));
  } catch { /* the caller already refused or reported this file at start */ }

  let timer: NodeJS.Timeout | undefined;
  let reading: Promise<void> = Promise.resolve();
  let closed = false;

  const reload = async (): Promise<void> => {
    if (closed) return;
    let config: BillsyncConfig;
    try {
      try {
        await stat(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // loadConfig would answer the defaults for a missing file: that is not what the user meant.
        throw new ConfigError(`configuration ${file} was removed; the settings in force stay until it is back`, file);
      }
      config = await loadConfig(file);
    } catch (error) {
      if (closed) return;
      failing = true;
      options.onError(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const text = JSON.stringify(config);
    if (closed || (text === current && !failing)) return;
    current = text;
    failing = false;
    options.onConfig(config);
  };

  const schedule = (path: string): void => {
    if (closed || !sameName(basename(path))) return;
    clearTimeout(timer);
    // A throwing listener must not break the chain of later reloads.
    timer = setTimeout(() => { reading = reading.then(reload).catch(() => undefined); }, debounceMs);
  };

  const watcher: FSWatcher = watch(dir, {
    ignoreInitial: true,
    depth: 0,
    ignored: (path) => path !== dir && !sameName(basename(path)),
    ...pollingOptions(options.polling ?? false, options.pollIntervalMs ?? 5000),
  });
  watcher.on('add', schedule);
  watcher.on('change', schedule);
  watcher.on('unlink', schedule);
  watcher.on('error', (error) => { if (!closed) options.onError(error as Error); });
  await whenReady(watcher);

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await reading;
    },
  };
}
