import { parseArgs } from 'node:util';
import { loadConfig, saveConfig } from '../../config/load-config.js';
import { applyImport } from '../../config/dossier-import/apply-import.js';
import { DossierImportError } from '../../config/dossier-import/dossier-import-error.js';
import { formatEnterpriseNumber } from '../../config/dossier-import/enterprise-number.js';
import { IMPORT_OUTCOMES, importProblems, planImport, type ImportPlan } from '../../config/dossier-import/plan-import.js';
import { readTable } from '../../config/dossier-import/read-table.js';
import { enterpriseNumberOf, mapDossiers } from '../../sync/dossier-mapping.js';
import { billitClient, openApp, type AppContext } from '../app-context.js';
import { EXIT, UsageError } from '../exit-codes.js';

const USAGE = `usage: billsync dossiers list [--json] [--config FILE]
       billsync dossiers import FILE [--apply] [--json] [--config FILE]

  list     Billit's companies and the folder each one gets
  import   map companies to Venice dossier folders from an .xlsx or .csv file with a column for the
           enterprise number and one for the folder; shows what would change, and changes it with --apply`;

/** `billsync dossiers list|import`. */
export async function dossiersCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (sub === 'list') return listCommand(rest);
  if (sub === 'import') return importCommand(rest);
  throw new UsageError(USAGE);
}

/** `billsync dossiers list`: Billit's companies and the folder each one gets. */
async function listCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  const app = await openApp(values.config);
  try {
    const account = await billitClient(app).accountInformation();
    const mappings = mapDossiers(account.Companies, app.config, ledgerFolders(app));
    if (values.json) {
      console.log(JSON.stringify(mappings));
    } else {
      for (const m of mappings) console.log(`${String(m.partyId).padEnd(10)} ${m.name}  →  ${m.folder}${m.disabled ? '  (disabled)' : ''}`);
    }
    return EXIT.ok;
  } finally {
    app.close();
  }
}

/**
 * `billsync dossiers import FILE [--apply]`: a preview by default; with --apply the rows that can be applied
 * are saved and the others reported, which is what an accountant fixing a 200-row sheet wants (rerunning
 * after fixing the rest then shows those as 'unchanged'). Exit 1 when some rows were not applied.
 */
async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { config: { type: 'string' }, json: { type: 'boolean', default: false }, apply: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError(`give exactly one file to import\n${USAGE}`);
  const file = positionals[0]!;
  // The file first: a wrong file is found without a round trip to Billit.
  const rows = await withUsageErrors(file, () => readTable(file));
  const app = await openApp(values.config);
  try {
    const account = await billitClient(app).accountInformation();
    // Read again: the configuration may have changed while Billit answered (the tray agent, an editor).
    const current = await loadConfig(app.configFile);
    const currentFolders = new Map(mapDossiers(account.Companies, current, ledgerFolders(app)).map((m) => [m.partyId, m.folder] as const));
    const companies = account.Companies.map((c) => ({ partyId: c.PartyID, name: c.Name, enterpriseNumber: enterpriseNumberOf(c.VATNumber) }));
    const plan = await withUsageErrors(file, async () => planImport(rows, companies, current, { currentFolders }));
    const changed = plan.totals.set;
    const saved = values.apply && changed > 0;
    if (saved) await saveConfig(app.configFile, applyImport(plan, current));
    const problems = importProblems(plan).length;

    if (values.json) {
      console.log(JSON.stringify({ file, configFile: app.configFile, applied: values.apply, changed: saved ? changed : 0, problems, header: plan.header, totals: plan.totals, rows: plan.rows }));
    } else {
      printPlan(file, plan);
      if (!values.apply) {
        console.log(changed > 0
          ? `\nPreview only: nothing was changed. To apply the ${plural(changed, 'row')} marked "set", run:\n  billsync dossiers import ${quote(file)} --apply${values.config ? ` --config ${quote(values.config)}` : ''}`
          : '\nPreview only: nothing to change.');
      } else {
        console.log(saved ? `\nSaved ${app.configFile}: ${plural(changed, 'dossier folder')} changed.` : '\nNothing to change: the configuration was left as it was.');
      }
      if (problems > 0) console.log(`${plural(problems, 'row')} ${values.apply ? 'could not be applied' : 'cannot be applied'}: see the reasons above, fix the file and import it again.`);
    }
    return problems > 0 ? EXIT.documentFailures : EXIT.ok;
  } finally {
    app.close();
  }
}

function printPlan(file: string, plan: ImportPlan): void {
  const { header } = plan;
  console.log(`${file}: header on line ${header.line}, enterprise number from "${header.enterpriseTitle}", folder from "${header.folderTitle}"`);
  if (plan.rows.length === 0) {
    console.log('No rows under the header.');
    return;
  }
  const table = plan.rows.map((row) => [
    String(row.line), formatEnterpriseNumber(row.enterpriseNumber), row.companyName ?? '-', row.folder || '-', row.outcome, row.message,
  ]);
  const titles = ['line', 'enterprise', 'company', 'folder', 'outcome', ''];
  // Long names would push everything off screen; the columns stop growing at 40 characters.
  const widths = titles.map((title, i) => Math.min(40, Math.max(title.length, ...table.map((cells) => cells[i]!.length))));
  const render = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padStart(widths[i]!) : i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  console.log(render(titles));
  for (const cells of table) console.log(render(cells));
  const totals = IMPORT_OUTCOMES.filter((o) => plan.totals[o] > 0).map((o) => `${plan.totals[o]} ${o}`);
  console.log(`Totals: ${plan.rows.length} rows: ${totals.join(', ')}`);
}

function ledgerFolders(app: AppContext): Map<number, string> {
  return new Map(app.ledger.dossiers.list().map((d) => [d.partyId, d.folder] as const));
}

/** File and header problems are the user's to fix: exit 2 with the message, as for a bad configuration. */
async function withUsageErrors<T>(file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DossierImportError) throw new UsageError(error.file === null ? `${file}: ${error.message}` : error.message, { cause: error });
    throw error;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function quote(path: string): string {
  return /^[\w./:\\-]+$/.test(path) ? path : `"${path}"`;
}
