import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether a folder lives on a network file system, where change notifications do not arrive
 * (SMB and NFS servers do not forward another machine's changes reliably, or at all), so the
 * watchers must poll instead.
 *
 * What can be told without native calls:
 * - UNC paths (`\\server\share\…`, `//server/share/…`, `\\?\UNC\server\share\…`) on any platform.
 * - On Linux, the mount the path lies on, from /proc/mounts (the longest matching mount point).
 *
 * - On Windows, a drive letter mapped to a share (`Z:\`): the native realpath (libuv's
 *   GetFinalPathNameByHandleW) answers with the share's UNC path for such a drive.
 *
 * What cannot: macOS mounts are not read, and a drive whose folder does not exist yet is judged by
 * its letter alone (local). For those the configuration's `watch.polling: always` decides.
 */

/** File system types that are network (or remote, FUSE-backed) file systems. */
const NETWORK_TYPES = new Set([
  'nfs', 'nfs4', 'cifs', 'smb', 'smb2', 'smb3', 'smbfs', 'ncpfs', 'afs', 'coda', 'ceph', '9p', 'davfs', 'glusterfs',
  'lustre', 'gpfs', 'ocfs2', 'gfs2', 'beegfs', 'orangefs', 'pvfs2', 'virtiofs',
]);
const NETWORK_FUSE_TYPES = new Set([
  'sshfs', 'rclone', 'davfs', 's3fs', 'gcsfuse', 'glusterfs', 'cephfs', 'ceph', 'smbnetfs', 'curlftpfs', 'goofys', 'juicefs',
  'seaweedfs', 'moosefs', 'mfs', 'lizardfs', 'cvmfs', 'blobfuse', 'blobfuse2', 'onedriver', 'gvfsd-fuse',
]);

export interface MountEntry {
  mountPoint: string;
  fsType: string;
}

export interface NetworkShareOptions {
  /** @default process.platform */
  platform?: NodeJS.Platform;
  /** The native realpath (Windows). @default fs.realpathSync.native */
  realpathNative?: (path: string) => string;
  /**
   * The text of /proc/mounts. @default read from /proc/mounts on Linux (nothing elsewhere). Tests pass
   * sample text; with it given, the path is used as written (no symlinks resolved).
   */
  mounts?: string;
}

/** True for `\\server\share…`, `//server/share…` and `\\?\UNC\server\share…`, false for `\\?\C:\` and `\\.\` devices. */
export function isUncPath(value: string): boolean {
  const v = value.replace(/\//g, '\\');
  if (/^\\\\\?\\UNC\\[^\\]+\\[^\\]+/i.test(v)) return true;
  if (/^\\\\[?.]\\/.test(v)) return false;
  return /^\\\\[^\\]+\\[^\\]+/.test(v);
}

/** Undoes the octal escapes the kernel writes in /proc/mounts (`\040` space, `\011` tab, `\012` newline, `\134` backslash). */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_whole, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Parses /proc/mounts (or /etc/mtab) text: `device mountpoint fstype options dump pass` per line. */
export function parseMounts(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3 || fields[0]!.startsWith('#')) continue;
    entries.push({ mountPoint: unescapeMountField(fields[1]!), fsType: fields[2]! });
  }
  return entries;
}

/** True when the file system type is a network one (`nfs4`, `cifs`, `fuse.sshfs`, …). */
export function isNetworkFsType(fsType: string): boolean {
  const type = fsType.toLowerCase();
  if (NETWORK_TYPES.has(type) || type.startsWith('nfs')) return true;
  if (type.startsWith('fuse.') || type.startsWith('fuseblk.')) return NETWORK_FUSE_TYPES.has(type.slice(type.indexOf('.') + 1));
  return false;
}

/** The mount a POSIX path lies on: the longest mount point that is the path or one of its parents. */
export function findMount(posixPath: string, mounts: readonly MountEntry[]): MountEntry | null {
  const target = path.posix.resolve(posixPath);
  let best: MountEntry | null = null;
  for (const entry of mounts) {
    const point = entry.mountPoint.length > 1 ? entry.mountPoint.replace(/\/+$/, '') : entry.mountPoint;
    const inside = point === '/' || target === point || target.startsWith(`${point}/`);
    // The last of equally long matches wins: a later mount over the same point hides the earlier one.
    if (inside && (best === null || point.length >= best.mountPoint.replace(/\/+$/, '').length)) best = entry;
  }
  return best;
}

/**
 * True when `folder` is a UNC path, or (on Linux) lies on a network file system. See the file
 * comment for what cannot be detected; false there, and the caller's `forcePolling` decides.
 */
export function isNetworkShare(folder: string, options: NetworkShareOptions = {}): boolean {
  const platform = options.platform ?? process.platform;
  if (isUncPath(folder)) return true;
  if (platform === 'win32') {
    try {
      return isUncPath((options.realpathNative ?? realpathSync.native)(folder));
    } catch {
      return false; // not there (yet): judged by its letter, a local drive
    }
  }
  if (platform !== 'linux') return false;
  let text = options.mounts;
  let resolved = folder;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/mounts', 'utf8');
    } catch {
      return false;
    }
    // A symlink into a mounted share is on that share.
    try { resolved = realpathSync(folder); } catch { /* not there yet: judge the path as written */ }
  }
  const mount = findMount(resolved, parseMounts(text));
  return mount !== null && isNetworkFsType(mount.fsType);
}
