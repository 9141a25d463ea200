import { mkdir, readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BillitClient } from '../../billit/client.js';
import { parseConfig, saveConfig } from '../../config/load-config.js';
import { Ledger } from '../../ledger/ledger.js';
import { realFileSystem } from '../../platform/fs/file-system.js';
import { startSandbox } from '../../sandbox/server.js';
import { runSync } from '../../sync/run-sync.js';
import { EXIT } from '../exit-codes.js';
import { Progress } from '../progress.js';
import { statusReport } from './status.js';
import { describeSummary } from './one-run.js';

export const DEMO_HELP = `billsync demo [FOLDER] [--seed S] [--dossiers D] [--docs-per-dossier K]

Starts the local Billit sandbox and runs a full export into FOLDER (default ./demo-export).
billsync's own data (ledger, originals) goes to FOLDER-data beside it.`;

async function countFiles(dir: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const dossier of await readdir(dir, { withFileTypes: true })) {
    if (!dossier.isDirectory()) continue;
    for (const kind of await readdir(join(dir, dossier.name), { withFileTypes: true })) {
      if (kind.isDirectory()) counts.set(`${dossier.name}/${kind.name}`, (await readdir(join(dir, dossier.name, kind.name))).length);
    }
  }
  return counts;
}

/** `billsync demo`: a sandbox, a full export into a folder, and what the ledger says about it. */
export async function demoCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { seed: { type: 'string' }, dossiers: { type: 'string' }, 'docs-per-dossier': { type: 'string' }, help: { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.help) { console.log(DEMO_HELP); return EXIT.ok; }
  const exportRoot = resolve(positionals[0] ?? 'demo-export');
  const dataDir = `${exportRoot}-data`;
  await mkdir(exportRoot, { recursive: true });
  const sandbox = await startSandbox({
    seed: values.seed ?? 'demo', dossiers: Number(values.dossiers ?? 4), docsPerDossier: Number(values['docs-per-dossier'] ?? 30), codaDays: 20,
  });
  const ledger = Ledger.open(join(dataDir, 'ledger.sqlite'));
  try {
    console.log(`Billit sandbox answering on ${sandbox.baseUrl}`);
    const config = parseConfig({
      billit: { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, accountantPartyId: sandbox.accountantPartyId, ratePerSecond: 100 },
      exportRoot,
      // The demo shows everything at once; an office usually keeps the recommended last-month policy.
      policy: { frequency: 'after-10-minutes' },
    });
    await saveConfig(join(dataDir, 'config.json'), config);
    const client = new BillitClient({
      baseUrl: sandbox.baseUrl, credentials: { kind: 'apiKey', apiKey: sandbox.apiKey }, accountantPartyId: sandbox.accountantPartyId,
      ratePerSecond: 200, burst: 100, maxConcurrent: 8,
    });
    const progress = new Progress();
    const summary = await runSync({
      client, ledger, fs: realFileSystem, config, exportRoot, dataDir,
      onEvent: (event) => { if (event.level !== 'info') console.error(`${event.level}: ${event.message}`); },
      onProgress: (done, note) => progress.tick(done, note),
    }, { trigger: 'demo' });
    progress.finish();
    console.log(describeSummary(summary));
    console.log(`\nFiles in ${exportRoot}:`);
    for (const [folder, count] of await countFiles(exportRoot)) console.log(`  ${folder.padEnd(60)} ${count}`);
    console.log('\nThe ledger says:');
    for (const d of statusReport(ledger).dossiers) console.log(`  ${d.name}: ${d.exported} exported, ${d.waiting} waiting, ${d.failed} failed → ${relative(process.cwd(), join(exportRoot, d.folder)) || '.'}`);
    console.log(`\nLedger and configuration: ${dataDir}`);
    console.log(`Try: BILLSYNC_DATA_DIR="${dataDir}" npx billsync status`);
    return summary.status === 'ok' ? EXIT.ok : EXIT.documentFailures;
  } finally {
    ledger.close();
    await sandbox.close();
  }
}
