import { requireExportSettings } from '../../config/load-config.js';
import { runSync, type SyncOptions, type SyncSummary } from '../../sync/run-sync.js';
import { billitClient, openApp, schematronDeps } from '../app-context.js';
import { EXIT } from '../exit-codes.js';
import { Progress } from '../progress.js';

/**
 * One run from the command line (`sync`, `export`): opens the app, runs, prints the summary (or JSON),
 * and returns the exit code of product.md §9. Problems go to stderr; --json keeps stdout clean.
 */
export async function runOnceFromCli(configFlag: string | undefined, json: boolean, options: SyncOptions): Promise<number> {
  const app = await openApp(configFlag);
  try {
    const { exportRoot } = requireExportSettings(app.config, app.configFile);
    const progress = new Progress(process.stderr, json ? false : undefined);
    const summary = await runSync({
      client: billitClient(app), ledger: app.ledger, fs: app.fs, config: app.config, exportRoot, dataDir: app.paths.dataDir,
      ...await schematronDeps(app),
      onEvent: (event) => { if (event.level !== 'info' && !json) console.error(`${event.level}: ${event.message}`); },
      onProgress: (done, note) => progress.tick(done, note),
    }, options);
    progress.finish();
    console.log(json ? JSON.stringify(summary) : describeSummary(summary));
    return summary.status === 'ok' ? EXIT.ok : EXIT.documentFailures;
  } finally {
    app.close();
  }
}

/** One line on what a run did. */
export function describeSummary(summary: SyncSummary): string {
  const c = summary.counts;
  return `${summary.status === 'ok' ? 'Done' : 'Finished with problems'}: ${c.exported} file(s) written, ${c.identical} already there, `
    + `${c.acknowledged} acknowledged to Billit, ${c.conflicts} conflict name(s), ${c.failed} failed, ${c.quarantined} quarantined, `
    + `${summary.dossiers} dossier(s).`;
}
