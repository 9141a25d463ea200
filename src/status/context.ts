import type { Agent } from '../app/agent.js';
import type { AppContext } from '../app/app-context.js';
import { parseConfig, requireExportSettings, saveConfig } from '../config/load-config.js';
import type { Opener } from '../platform/open-target.js';
import type { StatusContext } from './page.js';

/**
 * The status page's view of the running agent. Saving validates the whole new configuration first
 * (schema, then what a run needs), writes the file atomically, then applies it to the agent; when any
 * step refuses, the file and the agent are left as they were.
 */
export function createStatusContext(app: AppContext, agent: Agent, opener: Opener, now: () => Date = () => new Date(), afterSave: () => Promise<void> = async () => undefined): StatusContext {
  return {
    app, agent, now,
    open: opener,
    saveConfig: async (next) => {
      const parsed = parseConfig(next, app.configFile);
      requireExportSettings(parsed, app.configFile);
      await saveConfig(app.configFile, parsed);
      agent.reconfigure(parsed);
      // The parts that hold the export root or the Billit client follow (the folder watchers).
      await afterSave();
    },
  };
}
