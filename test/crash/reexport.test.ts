import assert from 'node:assert/strict';
import { statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Random } from '../../src/sandbox/data/random.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { expectedHashes, expectedOrderHashes, listExportTree } from '../support/invariants.js';
import { control, openSandbox } from '../support/sandbox.js';
import { assertFinal, prepareCli, crashEnv, discard, isOutboxPath, killDuringRun, KillTally, killLeftovers, runClean } from './crash-harness.js';

/*
 * Crash suite, phase (b): `billsync export --all --include-exported` (re-delivery, README "Manual
 * export") SIGKILLed at 30 seeded random instants. Between kills Venice takes some files out of the
 * folders (deletes them). Re-delivery must leave a file that is still there and unchanged alone
 * (same bytes, never rewritten), write again the ones Venice took, and never add a second copy.
 */

const KILLS = 30;
const WINDOW_MS = 1200;
const BLIND_EVERY = 10;

/** What proves a file was not rewritten: its bytes' identity on disk (inode) and its modification time. */
const identity = (path: string): string => {
  const stats = statSync(path);
  return `${stats.ino}:${stats.mtimeMs}:${stats.size}`;
};

describe('crash suite: re-export', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ seed: 'crash-reexport', dossiers: 3, docsPerDossier: 12, otherDocsPerDossier: 2, codaDays: 3 }); });
  after(async () => { await killLeftovers(); await sandbox.close(); });

  test(`${KILLS} SIGKILLs during billsync export --include-exported while Venice takes files: unchanged files left alone, taken ones written again, none twice`, async () => {
    const started = Date.now();
    const cli = await prepareCli();
    const env = crashEnv(sandbox, 'reexport');
    // The first delivery, complete.
    await runClean(cli, env, ['sync', '--json']);
    // A manual export ignores the approval rule, so orders the entrepreneur rejected go too.
    const expected = new Set([...expectedHashes(sandbox), ...expectedOrderHashes(sandbox, sandbox.world.orders.keys())]);
    const delivered = listExportTree(env.root).filter((path) => !isOutboxPath(path));
    const before = new Map(delivered.map((path) => [path, identity(join(env.root, path))]));

    await control(sandbox, 'POST', 'faults', { kind: 'latency', route: '/v1/**', latencyMs: 15 });
    const rnd = new Random('crash-suite/reexport');
    const taken = new Set<string>();
    const tally = new KillTally('re-export');
    // Until KILLS processes were really killed (a run may end before its kill comes): the suite counts 100 in all.
    for (let i = 0; tally.kills < KILLS && i < KILLS * 2; i++) {
      // Venice takes a few files now and then (whatever their state: it does not ask billsync).
      if (rnd.chance(0.5)) {
        const present = listExportTree(env.root).filter((path) => !isOutboxPath(path) && !path.split('/').pop()!.startsWith('.'));
        for (let n = rnd.int(1, 3); n > 0 && present.length > 0; n--) {
          const path = present.splice(rnd.int(0, present.length - 1), 1)[0]!;
          unlinkSync(join(env.root, path));
          taken.add(path);
        }
      }
      const blind = i % BLIND_EVERY === 0;
      const delayMs = blind ? rnd.int(0, 1500) : rnd.int(0, WINDOW_MS);
      tally.add(await killDuringRun(cli, env, ['export', '--all', '--include-exported', '--json'], {
        delayMs, blind, label: `after kill ${i} (${blind ? 'blind, ' : ''}${delayMs} ms)`, expected: () => expected,
      }));
    }

    await control(sandbox, 'DELETE', 'faults');
    await runClean(cli, env, ['export', '--all', '--include-exported', '--json']);
    const report = await assertFinal(env, expected);
    assert.equal(report.files.length, expected.size, 'every document once: the taken ones are back, nothing beside them');
    const now = listExportTree(env.root).filter((path) => !isOutboxPath(path));
    for (const path of taken) assert.ok(now.includes(path), `${path}, taken by Venice, was written again under its own name`);
    const rewritten = [...before].filter(([path, id]) => !taken.has(path) && identity(join(env.root, path)) !== id).map(([path]) => path);
    assert.deepEqual(rewritten, [], 'files still present and unchanged were left alone (not rewritten)');

    tally.print(`${taken.size} files taken by Venice between kills, ${expected.size} documents, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    tally.assertMostlyMidRun(KILLS);
    discard(env);
  });
});
