import type { Agent } from '../app/agent.js';
import type { AppContext } from '../app/app-context.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig, parseConfig, requireExportSettings, saveConfig } from '../config/load-config.js';
import type { BillsyncConfig } from '../config/schema.js';
import type { Opener } from '../platform/open-target.js';
import type { StatusContext } from './page.js';

/**
 * The status page's view of the running agent. Saving validates the whole new configuration first
 * (schema, then what a run needs), writes the file atomically, then applies it to the agent; when any
 * step refuses, the file and the agent are left as they were.
 *
 * Saves run one at a time, and each applies its change to the file as it is at that moment: a
 * settings save that spent seconds checking Billit, a policy saved meanwhile in another tab, and a
 * CLI edit the agent has not reloaded yet all survive one another.
 */
export function createStatusContext(app: AppContext, agent: Agent, opener: Opener, now: () => Date = () => new Date(), afterSave: () => Promise<void> = async () => undefined): StatusContext {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    app, agent, now,
    open: opener,
    saveConfig: (update) => {
      const step = queue.then(async () => {
        const parsed = parseConfig(update(await onDisk(app)), app.configFile);
        requireExportSettings(parsed, app.configFile);
        await saveConfig(app.configFile, parsed);
        agent.reconfigure(parsed);
        // The parts that hold the export root or the Billit client follow (the folder watchers).
        await afterSave();
      });
      queue = step.catch(() => undefined);
      return step;
    },
  };
}

/** The file as it is now; the applied configuration when the file cannot be read (a broken hand edit). */
async function onDisk(app: AppContext): Promise<BillsyncConfig> {
  try {
    return await loadConfig(app.configFile);
  } catch (error) {
    if (error instanceof ConfigError) return app.config;
    throw error;
  }
}
