import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findMount, isNetworkFsType, isNetworkShare, isUncPath, parseMounts, unescapeMountField } from '../../../src/desktop/watchers/network-share.js';

// Shaped like a real /proc/mounts of an office server: local disks, a Samba share with a space in its
// mount point (written \040 by the kernel), an NFS export, an sshfs mount, tmpfs and a bind below a share.
const MOUNTS = [
  'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0',
  'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
  '/dev/sda2 / ext4 rw,relatime,errors=remount-ro 0 0',
  '/dev/sda1 /boot/efi vfat rw,relatime,fmask=0077,dmask=0077 0 0',
  'tmpfs /run tmpfs rw,nosuid,nodev,size=1631684k,mode=755 0 0',
  '//nas.office.local/Venice\\040Export /mnt/Venice\\040Export cifs rw,relatime,vers=3.1.1,cache=strict,username=venice 0 0',
  'nas.office.local:/export/boekhouding /srv/boekhouding nfs4 rw,relatime,vers=4.2,rsize=1048576 0 0',
  'user@backup:/data /home/acc/remote fuse.sshfs rw,nosuid,nodev,relatime,user_id=1000 0 0',
  '/dev/sdb1 /srv/boekhouding/local ext4 rw,relatime 0 0',
  '/dev/sdc1 /mnt/tab\\011and\\134slash xfs rw,relatime 0 0',
  '',
].join('\n');

describe('network share detection', () => {
  test('UNC paths are network shares on every platform, device and local long paths are not', () => {
    for (const path of ['\\\\nas\\venice\\export', '\\\\nas\\venice', '//nas/venice/export', '\\\\?\\UNC\\nas\\venice\\export', '\\\\192.168.1.20\\share']) {
      assert.equal(isUncPath(path), true, path);
      assert.equal(isNetworkShare(path, { platform: 'win32' }), true, path);
      assert.equal(isNetworkShare(path, { platform: 'linux', mounts: MOUNTS }), true, path);
    }
    for (const path of ['C:\\Venice\\Export', '\\\\?\\C:\\Venice', '\\\\.\\PhysicalDrive0', '\\\\nas', '/srv/export', 'relative\\path']) {
      assert.equal(isUncPath(path), false, path);
    }
  });

  test('on Windows a drive letter is a share when the native realpath resolves it to a UNC path (a mapped drive)', () => {
    const mapped = (path: string) => path.replace(/^Z:/i, '\\\\nas\\venice');
    assert.equal(isNetworkShare('Z:\\Venice', { platform: 'win32', realpathNative: mapped }), true);
    assert.equal(isNetworkShare('C:\\Venice', { platform: 'win32', realpathNative: (path) => path }), false);
    const missing = () => { throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' }); };
    assert.equal(isNetworkShare('Z:\\Nog niet', { platform: 'win32', realpathNative: missing }), false, 'a folder not there yet is judged by its letter');
  });

  test('/proc/mounts is parsed with its octal escapes', () => {
    const entries = parseMounts(MOUNTS);
    assert.equal(entries.length, 10);
    assert.deepEqual(entries[5], { mountPoint: '/mnt/Venice Export', fsType: 'cifs' });
    assert.deepEqual(entries[9], { mountPoint: '/mnt/tab\tand\\slash', fsType: 'xfs' });
    assert.equal(unescapeMountField('a\\040b\\012c'), 'a b\nc');
  });

  test('the longest matching mount point decides, on path boundaries', () => {
    const entries = parseMounts(MOUNTS);
    assert.equal(findMount('/srv/boekhouding/2026', entries)?.fsType, 'nfs4');
    assert.equal(findMount('/srv/boekhouding/local/x', entries)?.fsType, 'ext4');
    assert.equal(findMount('/srv/boekhoudingen', entries)?.mountPoint, '/', 'a sibling with a longer name is not inside the mount');
    assert.equal(findMount('/mnt/Venice Export/Dossier A', entries)?.fsType, 'cifs');
  });

  test('folders on cifs, nfs and sshfs are network shares; local disks and tmpfs are not', () => {
    const linux = (path: string) => isNetworkShare(path, { platform: 'linux', mounts: MOUNTS });
    assert.equal(linux('/mnt/Venice Export'), true);
    assert.equal(linux('/mnt/Venice Export/Bakkerij Janssens (0123456789)/Outbox'), true);
    assert.equal(linux('/srv/boekhouding/export'), true);
    assert.equal(linux('/home/acc/remote/venice'), true);
    assert.equal(linux('/srv/boekhouding/local/export'), false, 'a local disk mounted inside a share is local');
    assert.equal(linux('/home/acc/export'), false);
    assert.equal(linux('/run/billsync'), false);
    assert.equal(linux('/mnt/Venice'), false, 'a prefix of a mount point is not inside it');
    assert.equal(isNetworkShare('/mnt/Venice Export', { platform: 'darwin', mounts: MOUNTS }), false, 'other platforms: only UNC paths are recognised');
  });

  test('file system types', () => {
    for (const type of ['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'fuse.sshfs', 'afs', 'ceph', '9p', 'davfs', 'fuse.rclone', 'fuse.s3fs']) assert.equal(isNetworkFsType(type), true, type);
    for (const type of ['ext4', 'xfs', 'btrfs', 'tmpfs', 'vfat', 'ntfs3', 'fuseblk', 'fuse.gvfs-metadata', 'overlay', 'zfs']) assert.equal(isNetworkFsType(type), false, type);
  });
});
