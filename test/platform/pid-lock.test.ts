import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { acquirePidLock, readPidLock } from '../../src/platform/pid-lock.js';

const LOCK_MODULE = fileURLToPath(new URL('../../src/platform/pid-lock.ts', import.meta.url));

/** A pid that was a process a moment ago and is none now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('a lock left by a dead process is taken over; a live one is not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'billsync-pidlock-'));
  const file = join(dir, 'agent.lock');
  const boot = Math.round(Date.now() - uptime() * 1000);
  writeFileSync(file, `${deadPid()}\n${boot}\n{}\n`);
  assert.equal(await readPidLock(file), null, 'a dead owner is no owner');
  const lock = await acquirePidLock(file, { statusPage: 'x' }, () => new Error('busy'));
  assert.deepEqual(await readPidLock(file), { pid: process.pid, info: { statusPage: 'x' } });
  await lock.release();
  assert.equal(existsSync(file), false);
});

test('starts racing for a stale lock: exactly one wins, the others see it running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'billsync-pidlock-race-'));
  const file = join(dir, 'agent.lock');
  const boot = Math.round(Date.now() - uptime() * 1000);
  writeFileSync(file, `${deadPid()}\n${boot}\n{}\n`);
  const startAt = Date.now() + 4000;
  // Each contender waits for the same instant, then tries; a winner holds the lock for 2 s.
  const script = `
    import { acquirePidLock } from ${JSON.stringify(LOCK_MODULE)};
    while (Date.now() < ${startAt}) await new Promise((r) => setTimeout(r, 1));
    try {
      const lock = await acquirePidLock(${JSON.stringify(file)}, {}, (owner) => Object.assign(new Error('busy'), { owner }));
      console.log('won');
      await new Promise((r) => setTimeout(r, 2000));
      await lock.release();
    } catch (error) {
      console.log(error.message === 'busy' ? 'busy ' + error.owner.pid : 'error ' + error.message);
    }`;
  const contenders = Array.from({ length: 6 }, () => new Promise<{ pid: number; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('exit', () => resolve({ pid: child.pid!, out: out.trim() }));
  }));
  const results = await Promise.all(contenders);
  const winners = results.filter((r) => r.out === 'won');
  assert.equal(winners.length, 1, `exactly one start holds the lock: ${JSON.stringify(results)}`);
  for (const loser of results.filter((r) => r !== winners[0])) assert.equal(loser.out, `busy ${winners[0]!.pid}`, 'the others name the winner');
  assert.equal(existsSync(file), false, 'the winner released it');
  assert.equal(existsSync(`${file}.break`), false, 'no guard left behind');
});

test('a guard folder left by a start killed while breaking a lock does not block the next start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'billsync-pidlock-guard-'));
  const file = join(dir, 'agent.lock');
  const boot = Math.round(Date.now() - uptime() * 1000);
  writeFileSync(file, `${deadPid()}\n${boot}\n{}\n`);
  mkdirSync(`${file}.break`);
  const old = new Date(Date.now() - 60_000);
  utimesSync(`${file}.break`, old, old);
  const lock = await acquirePidLock(file, {}, () => new Error('busy'));
  assert.equal((await readPidLock(file))?.pid, process.pid);
  assert.equal(existsSync(`${file}.break`), false, 'the old guard was cleared');
  await lock.release();
});
