import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentState } from '../../app/agent-status.js';

/**
 * The repository's icons/ folder. Three levels up holds from src/desktop/tray (tsx, tests) and from
 * dist/desktop/tray (the build's rootDir is src/), and icons/ ships in the package next to both.
 */
export const defaultIconDir = (): string => fileURLToPath(new URL('../../../icons/', import.meta.url));

/** The icon file of a state: `.ico` on Windows (its helper cannot set a PNG), the 32 px `.png` elsewhere. */
export function iconFile(iconDir: string, state: AgentState, platform: NodeJS.Platform): string {
  return join(iconDir, platform === 'win32' ? `${state}.ico` : `${state}.png`);
}

/** Reads each state's icon once, base64 as the helper protocol carries it. */
export class IconCache {
  private readonly loaded = new Map<AgentState, string>();

  constructor(private readonly iconDir: string, private readonly platform: NodeJS.Platform) {}

  /** Throws when the file cannot be read; the host decides what a missing icon means. */
  base64(state: AgentState): string {
    let data = this.loaded.get(state);
    if (data === undefined) {
      data = readFileSync(iconFile(this.iconDir, state, this.platform)).toString('base64');
      this.loaded.set(state, data);
    }
    return data;
  }
}
