import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ledger } from '../../src/ledger/ledger.js';
import { isTempName } from '../../src/platform/fs/atomic-write.js';
import { Random } from '../../src/sandbox/data/random.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { exportedFiles, sha256 } from '../support/export-env.js';
import { control, expectedOrderFile, exportableOrders, openSandbox } from '../support/sandbox.js';
import { toBrusselsLocal } from '../../src/core/brussels-time.js';

const KILLS = 30;


/** Starts `billsync sync` as its own process; resolves with its exit code or signal. */
function startSync(configFile: string, dataDir: string): { done: Promise<string>; kill: () => void } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/cli-entry.ts', 'sync', '--config', configFile, '--json'], {
    env: { ...process.env, BILLSYNC_DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const done = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}${code ? `: ${stderr.slice(-500)}` : ''}`)));
  return { done, kill: () => child.kill('SIGKILL') };
}

describe('crashes', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await openSandbox({ seed: 'crash', dossiers: 5, docsPerDossier: 40, otherDocsPerDossier: 4, codaDays: 10 }); });
  after(() => sandbox.close());

  test(`SIGKILL at ${KILLS} random points: no partial file, nothing lost or duplicated, ledger consistent`, async () => {
    const base = mkdtempSync(join(tmpdir(), 'billsync-crash-'));
    const root = join(base, 'export');
    const dataDir = join(base, 'data');
    mkdirSync(root);
    const configFile = join(base, 'config.json');
    writeFileSync(configFile, JSON.stringify({
      billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ratePerSecond: 100, maxConcurrent: 8 },
      exportRoot: root, policy: { frequency: 'after-10-minutes' },
    }));
    const world = sandbox.world;
    const expectedHashes = (): Set<string> => {
      const out = new Set<string>();
      for (const order of exportableOrders(sandbox)) out.add(sha256(expectedOrderFile(sandbox, order)));
      for (const document of world.documents.values()) out.add(sha256(world.files.get(document.fileId)!.produce()));
      for (const coda of world.codaFiles.values()) out.add(sha256(world.files.get(coda.codaFileId)!.produce()));
      return out;
    };
    const dossiers = [...world.dossiers.keys()];

    const rnd = new Random('crash-points');
    let killed = 0;
    let completedEarly = 0;
    for (let i = 0; i < KILLS; i++) {
      // New documents keep arriving in Billit, so every run has work to be interrupted in.
      if (i > 0) await control(sandbox, 'POST', 'documents', { partyId: dossiers[i % dossiers.length], count: rnd.int(4, 12), created: toBrusselsLocal(new Date(Date.now() - 20 * 60_000)) });
      const run = startSync(configFile, dataDir);
      const delay = rnd.int(300, i === 0 ? 4000 : 1600);
      const timer = setTimeout(run.kill, delay);
      const outcome = await run.done;
      clearTimeout(timer);
      if (outcome === 'SIGKILL') killed += 1;
      else completedEarly += 1;
      assert.ok(outcome === 'SIGKILL' || outcome === 'exit 0', `run ${i} ended with ${outcome}`);
      // Whatever a kill left behind, Venice can see only whole documents: any other file is a hidden temp file.
      const expected = expectedHashes();
      for (const file of exportedFiles(root)) {
        const name = file.split('/').pop()!;
        if (isTempName(name)) continue;
        assert.ok(expected.has(sha256(readFileSync(join(root, file)))), `after kill ${i}: ${file} is a whole document`);
      }
    }
    console.log(`# crash test: ${killed} runs killed, ${completedEarly} finished before their kill`);
    assert.ok(killed >= KILLS / 2, 'most runs were really killed mid-way');

    const final = await startSync(configFile, dataDir).done;
    const expected = expectedHashes();
    assert.equal(final, 'exit 0');
    const files = exportedFiles(root);
    assert.deepEqual(files.filter((f) => isTempName(f.split('/').pop()!)), [], 'no temporary file left');
    const hashes = files.map((f) => sha256(readFileSync(join(root, f))));
    assert.equal(hashes.length, expected.size, 'nothing lost, nothing duplicated');
    assert.deepEqual(new Set(hashes), expected);
    assert.ok(exportableOrders(sandbox).every((o) => o.exportedToConnector), 'every order acknowledged');
    const ledger = Ledger.open(join(dataDir, 'ledger.sqlite'));
    try {
      const runs = ledger.runs.list(1000);
      const interrupted = runs.filter((r) => r.status === 'running').length;
      console.log(`# crash test: ${runs.length} runs reached the ledger, ${interrupted} of them were killed mid-run`);
      assert.ok(interrupted >= KILLS / 3, 'kills landed inside runs, not only during start-up');
      const rows = ledger.documents.listByState(['acknowledged']);
      assert.equal(rows.length, expected.size);
      assert.equal(ledger.documents.listByState(['fetched', 'placed']).length, 0, 'nothing left half-way');
      const waiting = ledger.documents.listByState(['seen']);
      assert.ok(waiting.every((row) => world.orders.get(Number(row.billitId))?.approvalStatus === 'Rejected'), 'only orders the entrepreneur rejected stay behind');
      for (const row of rows) assert.equal(sha256(readFileSync(row.finalPath!)), row.sha256, `${row.finalPath} matches the ledger`);
    } finally {
      ledger.close();
    }
  });
});
