import { spawn } from 'node:child_process';

/** Opens a folder in the file manager or a page in the browser. */
export type Opener = (target: string) => Promise<void>;

/** The desktop's own opener: Explorer on Windows, `open` on macOS, `xdg-open` elsewhere. */
export function systemOpener(platform: NodeJS.Platform = process.platform): Opener {
  // Arguments are passed as an array, never through a shell: dossier names come from Billit.
  const command = platform === 'win32' ? 'explorer.exe' : platform === 'darwin' ? 'open' : 'xdg-open';
  return (target) => new Promise<void>((resolve, reject) => {
    const child = spawn(command, [target], { detached: true, stdio: 'ignore', windowsHide: false });
    // Never the query in a message: the status page's address carries its key there.
    child.once('error', (error) => reject(new Error(`cannot open ${target.replace(/\?.*$/, '')} with ${command}: ${error.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

/** Keeps what would have been opened; for tests. */
export class RecordingOpener {
  readonly opened: string[] = [];
  readonly open: Opener = async (target) => { this.opened.push(target); };
}
