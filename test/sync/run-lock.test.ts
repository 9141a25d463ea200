import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireRunLock, RunLockedError } from '../../src/sync/run-lock.js';

test('one sync per data dir; a lock left by a dead process or before a reboot is taken over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'billsync-lock-'));
  const release = await acquireRunLock(dir);
  // A live process of this boot (the test runner's parent) holding the lock keeps others out.
  writeFileSync(join(dir, 'sync.lock'), `${process.ppid}\n${Math.round(Date.now() - (await import('node:os')).uptime() * 1000)}\n`);
  await assert.rejects(acquireRunLock(dir), RunLockedError);
  // The same pid, written before a reboot a day ago: stale.
  writeFileSync(join(dir, 'sync.lock'), `${process.ppid}\n${Date.now() - 86_400_000 * 30}\n`);
  const again = await acquireRunLock(dir);
  await again();
  // A pid that no longer exists: stale.
  writeFileSync(join(dir, 'sync.lock'), '2147483646\n');
  const third = await acquireRunLock(dir);
  await third();
  await release();
});
