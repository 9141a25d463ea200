import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Per-OS folders for configuration, data (ledger, quarantine, originals) and logs. Environment
 * variables override them so that an office can move the data to another disk.
 */
export interface AppPaths {
  configFile: string;
  dataDir: string;
  logDir: string;
}

export function defaultPaths(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): AppPaths {
  let configDir: string;
  let dataDir: string;
  if (platform === 'win32') {
    configDir = join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'billsync');
    dataDir = join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'billsync');
  } else if (platform === 'darwin') {
    configDir = join(home, 'Library', 'Application Support', 'billsync');
    dataDir = configDir;
  } else {
    configDir = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'billsync');
    dataDir = join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'billsync');
  }
  const resolvedData = env.BILLSYNC_DATA_DIR || dataDir;
  const logDir = env.BILLSYNC_DATA_DIR ? join(resolvedData, 'logs')
    : platform === 'darwin' ? join(home, 'Library', 'Logs', 'billsync') : join(resolvedData, 'logs');
  return {
    configFile: env.BILLSYNC_CONFIG || join(configDir, 'config.json'),
    dataDir: resolvedData,
    logDir,
  };
}
