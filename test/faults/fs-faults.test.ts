/**
 * Full runs against the sandbox while the file system misbehaves (FaultyFileSystem): a full disk, a
 * folder without permission, files Venice holds open (EBUSY on rename, as Windows answers), failing
 * fsyncs, and the export root vanishing mid-run like an unmounted share. After every run: nothing
 * half-written, nothing duplicated, ledger equal to disk; after the faults are gone and a last run:
 * nothing lost.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { after, describe, test } from 'node:test';
import { ExportRootError } from '../../src/export/export-root.js';
import { FaultyFileSystem } from '../../src/platform/fs/faulty-file-system.js';
import { realFileSystem } from '../../src/platform/fs/file-system.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { SyncSummary } from '../../src/sync/run-sync.js';
import { exportEnv, type ExportEnv } from '../support/export-env.js';
import { checkExportInvariants, describeReport, expectedHashes, type InvariantOptions } from '../support/invariants.js';
import { ANCHOR, openSandbox } from '../support/sandbox.js';

const WORLD = { seed: 'fs-fault-suite', dossiers: 4, docsPerDossier: 15, otherDocsPerDossier: 2, codaDays: 4, anchor: ANCHOR };
/** config.dossierConcurrency's default: how many dossiers (so documents) are in flight at once. */
const IN_FLIGHT = 4;

const sandboxes: Sandbox[] = [];
const totals: string[] = [];
after(async () => {
  for (const sandbox of sandboxes) await sandbox.close();
  console.log('# file-system faults (survived: every run after them kept the invariants and the final run completed):');
  for (const line of totals) console.log(line);
});

interface World { sandbox: Sandbox; env: ExportEnv; fs: FaultyFileSystem; expected: Set<string>; invariants: InvariantOptions; }

async function world(seed: string): Promise<World> {
  const sandbox = await openSandbox(WORLD);
  sandboxes.push(sandbox);
  const env = exportEnv(sandbox);
  const fs = new FaultyFileSystem(realFileSystem, { seed });
  const expected = expectedHashes(sandbox);
  return { sandbox, env, fs, expected, invariants: { root: env.root, ledgerFile: env.ledgerFile, expectedHashes: expected } };
}

async function attempt(env: ExportEnv, fs: FaultyFileSystem | typeof realFileSystem): Promise<SyncSummary | Error> {
  try {
    return await env.sync({}, fs);
  } catch (error) {
    return error as Error;
  }
}

const describeOutcome = (outcome: SyncSummary | Error): string => (outcome instanceof Error ? `threw ${(outcome as NodeJS.ErrnoException).code ?? outcome.name}` : outcome.status);

/** Faults off, one more run: it completes, and nothing is lost. Records the scenario's line. */
async function finish(name: string, w: World, outcomes: string[]): Promise<void> {
  w.fs.clear();
  const injected = w.fs.counts();
  const final = await attempt(w.env, realFileSystem);
  assert.ok(!(final instanceof Error), `the fault-free run completes: ${final instanceof Error ? final.message : ''}`);
  assert.equal(final.status, 'ok', `the fault-free run is clean: ${JSON.stringify(final.counts)}`);
  const report = await checkExportInvariants({ ...w.invariants, complete: true, dataDir: w.env.dataDir });
  assert.equal(report.files.length, w.expected.size);
  assert.ok(injected.total > 0, `${name}: faults were really injected`);
  totals.push(`# faults: fs ${name} injected ${injected.total}, survived ${injected.total} ${JSON.stringify(injected.byKind)} (runs: ${[...outcomes, final.status].join(' → ')}; ${describeReport(report, w.expected.size)})`);
}

const documentFailures = (env: ExportEnv) => env.events.filter((e) => e.type === 'document-failed');

describe('full runs under file-system faults', () => {
  test('ENOSPC: the disk fills up mid-file now and then; each such run stops, leaves no partial file, and a later run completes', async () => {
    const w = await world('enospc');
    // Three writes fail half-way (export root or data dir alike: one disk), at 5 % of writes.
    w.fs.add({ op: 'write', code: 'ENOSPC', probability: 0.05, count: 3, partialWrite: true });
    const outcomes: string[] = [];
    for (let run = 0; run < 6; run++) {
      const outcome = await attempt(w.env, w.fs);
      outcomes.push(describeOutcome(outcome));
      if (outcome instanceof Error) {
        assert.equal((outcome as NodeJS.ErrnoException).code, 'ENOSPC', `a full disk stops the run: ${outcome.message}`);
        assert.match(outcome.message, /no space left on device/);
      }
      await checkExportInvariants(w.invariants);
      if (!(outcome instanceof Error) && outcome.status === 'ok') break;
    }
    assert.ok(outcomes.filter((o) => o === 'threw ENOSPC').length >= 1, 'at least one run met the full disk');
    const failed = w.env.events.filter((e) => e.type === 'run-failed');
    assert.ok(failed.every((e) => /ENOSPC/.test(e.message)), 'the run-failed event names the full disk');
    await finish('ENOSPC on writes', w, outcomes);
  });

  test('EACCES: every Sales folder refuses billsync; those documents fail one by one, the rest is exported, and the next run catches up', async () => {
    const w = await world('eacces');
    const sales = (path: string) => path.startsWith(w.env.root + sep) && path.split(sep).includes('Sales');
    w.fs.add({ op: ['mkdir', 'open'], path: sales, code: 'EACCES' });
    const outcome = await attempt(w.env, w.fs);
    assert.ok(!(outcome instanceof Error), `permission trouble in one folder does not stop the run: ${outcome instanceof Error ? outcome.message : ''}`);
    assert.equal(outcome.status, 'partial');
    const failures = documentFailures(w.env);
    assert.ok(failures.length > 0 && failures.length === outcome.counts.failed);
    for (const failure of failures) assert.match(failure.message, /EACCES: permission denied, (mkdir|open) '.*Sales/, 'the failure names the refused folder');
    const report = await checkExportInvariants(w.invariants);
    assert.ok(report.files.length > 0 && report.files.every((f) => !f.path.includes('/Sales/')), 'everything outside Sales/ was exported');
    await finish('EACCES on the Sales folders', w, [describeOutcome(outcome)]);
  });

  test('EBUSY transient: the first two renames of every purchase invoice fail as while Venice reads; renameWithRetry gets every file through in the same run', async () => {
    const w = await world('ebusy-transient');
    // Matched on the rename's source (a fresh temp name per file): attempts 1 and 2 fail, attempt 3 works.
    // Purchases/ only, to keep the suite quick (each such file waits 0.3 s in renameWithRetry).
    w.fs.add({ op: 'rename', path: (p) => p.startsWith(w.env.root + sep) && p.split(sep).includes('Purchases'), code: 'EBUSY', firstAttemptsPerPath: 2 });
    const outcome = await attempt(w.env, w.fs);
    assert.ok(!(outcome instanceof Error), outcome instanceof Error ? outcome.message : '');
    assert.equal(outcome.status, 'ok', 'no document failed');
    assert.equal(documentFailures(w.env).length, 0);
    const report = await checkExportInvariants({ ...w.invariants, complete: true, dataDir: w.env.dataDir });
    const purchases = report.files.filter((f) => f.path.split('/').includes('Purchases')).length;
    assert.ok(purchases > 10);
    assert.equal(w.fs.counts().total, 2 * purchases, 'two EBUSY per purchase invoice placed');
    await finish('EBUSY on rename, transient (2 attempts)', w, [describeOutcome(outcome)]);
  });

  test('EBUSY persistent: two files stay locked; those documents fail cleanly after the retries and the next run places them', async () => {
    const w = await world('ebusy-persistent');
    w.fs.add({ op: 'rename', path: (p) => p.startsWith(w.env.root + sep) && p.split(sep).includes('Purchases'), code: 'EBUSY', maxPaths: 2 });
    const outcome = await attempt(w.env, w.fs);
    assert.ok(!(outcome instanceof Error), outcome instanceof Error ? outcome.message : '');
    assert.equal(outcome.status, 'partial');
    const failures = documentFailures(w.env);
    assert.equal(failures.length, 2, 'exactly the two locked documents failed');
    for (const failure of failures) assert.match(failure.message, /EBUSY: resource busy or locked, rename/);
    assert.equal(w.fs.counts().total, 2 * 6, 'each was tried six times (renameWithRetry)');
    await checkExportInvariants(w.invariants);
    await finish('EBUSY on rename, persistent (2 files)', w, [describeOutcome(outcome)]);
  });

  test('EIO on fsync at 5 %: the document fails before anything is renamed into place; the next run delivers it', async () => {
    const w = await world('eio-fsync');
    w.fs.add({ op: 'fsync', code: 'EIO', probability: 0.05 });
    const outcome = await attempt(w.env, w.fs);
    assert.ok(!(outcome instanceof Error), outcome instanceof Error ? outcome.message : '');
    await checkExportInvariants(w.invariants);
    await finish('EIO on fsync', w, [describeOutcome(outcome)]);
  });

  test('the export root vanishes mid-run: the run stops with "cannot be reached", touches nothing more, and the next run completes', async () => {
    const w = await world('vanish');
    const VANISH_AFTER = 20;
    w.fs.vanishAfterRenames(w.env.root, VANISH_AFTER);
    const outcome = await attempt(w.env, w.fs);
    assert.equal(w.fs.vanished, true, 'the share was unmounted mid-run');
    assert.ok(outcome instanceof ExportRootError, `the run stops with the export root error, not ${outcome instanceof Error ? outcome.message : `a ${outcome.status} run with ${outcome.counts.failed} failures`}`);
    assert.match(outcome.message, /cannot be reached/);
    assert.ok(w.fs.writesWhileVanished.length <= IN_FLIGHT,
      `only the documents in flight touched the vanished root (${w.fs.writesWhileVanished.length}): ${w.fs.writesWhileVanished.slice(0, 8).join('; ')}`);
    assert.equal(existsSync(w.env.root), false, 'nothing recreated the root');

    // Still gone: the next run refuses at once and tries nothing under the root.
    const writesBefore = w.fs.writesWhileVanished.length;
    const whileGone = await attempt(w.env, w.fs);
    assert.ok(whileGone instanceof ExportRootError && /cannot be reached/.test(whileGone.message));
    assert.equal(w.fs.writesWhileVanished.length, writesBefore);

    await w.fs.restore();
    // A file being written when the share went may have left its hidden temp file; the next run removes it.
    const report = await checkExportInvariants({ ...w.invariants, allowTempFiles: true });
    assert.ok(report.files.length >= VANISH_AFTER - 2, 'what was placed before the share went is still there');
    await finish('export root vanished mid-run', w, [describeOutcome(outcome), describeOutcome(whileGone)]);
  });
});
