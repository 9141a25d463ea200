/**
 * Full runs against the sandbox with each Billit fault kind on its own at 5 % of the requests it
 * applies to, then runs until complete (faults off for the last one). After every run: nothing
 * half-written, nothing duplicated, ledger equal to disk; after the last: nothing lost either.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { SyncSummary } from '../../src/sync/run-sync.js';
import { exportEnv, type ExportEnv } from '../support/export-env.js';
import { checkExportInvariants, describeReport, expectedCodaHashes, expectedHashes, expectedOrderHashes } from '../support/invariants.js';
import { ANCHOR, clientFor, control, exportableOrders, openSandbox } from '../support/sandbox.js';

/** A small world: 4 dossiers × 15 orders, 2 other documents each, 4 days of CODA. */
const WORLD = { seed: 'fault-suite', dossiers: 4, docsPerDossier: 15, otherDocsPerDossier: 2, codaDays: 4, anchor: ANCHOR };
/** Runs with the faults on before the last, fault-free run. */
const MAX_FAULTY_RUNS = 3;

interface FaultCase {
  name: string;
  rules: Array<Record<string, unknown>>;
  /** The injector's counter that counts this case's faults. */
  counter: string;
  feed?: boolean;
}

const CASES: FaultCase[] = [
  { name: 'status 429 (Retry-After 0)', counter: 'status', rules: [{ kind: 'status', status: 429, retryAfter: 0, probability: 0.05 }] },
  { name: 'status 500', counter: 'status', rules: [{ kind: 'status', status: 500, probability: 0.05 }] },
  { name: 'status 503', counter: 'status', rules: [{ kind: 'status', status: 503, probability: 0.05 }] },
  { name: 'latency 40 ms', counter: 'latency', rules: [{ kind: 'latency', latencyMs: 40, probability: 0.05 }] },
  { name: 'cut', counter: 'cut', rules: [{ kind: 'cut', probability: 0.05 }] },
  // Only file downloads carry base64 content (FileContent): /v1/files/{id} in direct mode.
  { name: 'truncate-base64', counter: 'truncate-base64', rules: [{ kind: 'truncate-base64', route: '/v1/files/*', probability: 0.05 }] },
  { name: 'corrupt-base64', counter: 'corrupt-base64', rules: [{ kind: 'corrupt-base64', route: '/v1/files/*', probability: 0.05 }] },
  // FileContentSHA256Hash exists only on feed item downloads: feed mode.
  { name: 'wrong-sha (feed mode)', counter: 'wrong-sha', feed: true, rules: [{ kind: 'wrong-sha', route: '/v1/accountant/feeds/*/*', probability: 0.05 }] },
];

const totals: string[] = [];
const sandboxes: Sandbox[] = [];
after(async () => {
  for (const sandbox of sandboxes) await sandbox.close();
  console.log('# Billit faults (survived: every run under them kept the invariants and the fault-free run completed the export):');
  for (const line of totals) console.log(line);
});

/** A run that may fail as a whole (a fault may stop it); the error is reported, not thrown. */
async function attempt(env: ExportEnv, now?: () => Date): Promise<SyncSummary | Error> {
  try {
    return await env.sync({}, undefined, now);
  } catch (error) {
    return error as Error;
  }
}

describe('full runs under each Billit fault at 5 %', () => {
  for (const fault of CASES) {
    test(fault.name, async () => {
      // A world of its own: a run marks orders exported in Billit, which must not leak into the next case.
      const sandbox = await openSandbox(WORLD);
      sandboxes.push(sandbox);
      const env = exportEnv(sandbox, fault.feed ? { billit: { mode: 'feed', feedName: 'faults' } } : {});
      let expected: Set<string>;
      if (fault.feed) {
        await clientFor(sandbox).createFeed('faults');
        const orderIds = [...sandbox.world.orders.keys()];
        await control(sandbox, 'POST', 'feeds/export', { orderIds });
        expected = new Set([...expectedOrderHashes(sandbox, orderIds), ...expectedCodaHashes(sandbox)]);
      } else {
        expected = expectedHashes(sandbox);
      }
      // Billit asks for one feed read a minute: every run is a minute and a bit after the previous one.
      let run = 0;
      const clock = () => { const at = new Date(Date.now() + run * 61_000); return () => at; };
      const options = { root: env.root, ledgerFile: env.ledgerFile, expectedHashes: expected };

      await control(sandbox, 'POST', 'faults', { rules: fault.rules });
      const outcomes: string[] = [];
      let injected = 0;
      try {
        for (; run < MAX_FAULTY_RUNS; run++) {
          const outcome = await attempt(env, clock());
          const report = await checkExportInvariants(options);
          outcomes.push(`${outcome instanceof Error ? `threw ${outcome.name}` : outcome.status} (${report.present}/${expected.size})`);
          if (!(outcome instanceof Error) && outcome.status === 'ok') break;
        }
      } finally {
        injected = ((await control(sandbox, 'GET', 'faults')).injected as Record<string, number>)[fault.counter] ?? 0;
        await control(sandbox, 'DELETE', 'faults');
      }
      run += 1;
      const final = await attempt(env, clock());
      assert.ok(!(final instanceof Error), `the fault-free run completes: ${final instanceof Error ? final.message : ''}`);
      assert.equal(final.status, 'ok', `the fault-free run is clean: ${JSON.stringify(final.counts)}`);
      const report = await checkExportInvariants({ ...options, complete: true, dataDir: env.dataDir });
      assert.equal(report.files.length, expected.size, 'every document, once');
      if (!fault.feed) assert.ok(exportableOrders(sandbox).every((o) => o.exportedToConnector), 'every exported order is marked exported in Billit');
      else assert.equal(sandbox.world.feeds.get('faults')!.size, 0, 'every feed item is confirmed');
      assert.ok(injected > 0, `${fault.name}: faults were really injected`);
      const line = `# faults: ${fault.name} injected ${injected}, survived ${injected} (runs: ${[...outcomes, final.status].join(' → ')}; ${describeReport(report, expected.size)})`;
      totals.push(line);
    });
  }
});
