import { isValidEnterpriseNumber } from '../../core/belgian-ids.js';
import { sanitizeSegment } from '../../export/windows-name.js';
import type { BillsyncConfig } from '../schema.js';
import { DossierImportError } from './dossier-import-error.js';
import { formatEnterpriseNumber, normaliseEnterpriseNumber } from './enterprise-number.js';
import { acceptedHeadersText, findHeader } from './header-names.js';

/**
 * What importing a mapping file "enterprise number → Venice dossier folder" would do, row by row, before
 * anything changes (the CLI preview, the status page's import screen). Pure: rows, companies and the current
 * configuration in, a plan out; applyImport turns the plan into a new configuration.
 */

export const IMPORT_OUTCOMES = [
  /** The dossier gets this folder (its override is added or changed). */
  'set',
  /** The override already is this folder. */
  'unchanged',
  /** No Billit company has this enterprise number. */
  'unknown-company',
  /** Several Billit companies have this enterprise number; which one is meant cannot be told. */
  'ambiguous-company',
  /** Not 10 digits after normalising, or the mod-97 check digits do not match. */
  'invalid-enterprise-number',
  /** The folder cell is empty, or has nothing a folder name can use. */
  'empty-folder',
  /** The company is on an earlier row too. */
  'duplicate-row',
  /** Another dossier would have (or has) the same folder, compared without case as Windows does. */
  'folder-clash',
] as const;

export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

/** Outcomes of rows that change nothing although the file asked for something: the import "finished with problems". */
export const PROBLEM_OUTCOMES: ReadonlySet<ImportOutcome> = new Set(IMPORT_OUTCOMES.filter((o) => o !== 'set' && o !== 'unchanged'));

export interface ImportCompany {
  partyId: number;
  name: string;
  /** 10 digits (enterpriseNumberOf of the company's VAT number), or null. */
  enterpriseNumber: string | null;
}

export interface ImportRow {
  /** 1-based line (CSV) or row (Excel) in the file, as the user sees it. */
  line: number;
  /** 10 digits when the cell could be normalised, else the cell as written (trimmed). */
  enterpriseNumber: string;
  /** The folder the dossier gets: the cell made a safe Windows folder name; '' when there is none. */
  folder: string;
  /** The folder cell as written (trimmed). */
  folderAsWritten: string;
  /** True when making the name safe changed it (e.g. "CON" → "_CON", "..\\x" → "___x"). */
  folderSanitised: boolean;
  /** The Billit company the enterprise number matched, when exactly one did. */
  partyId: number | null;
  companyName: string | null;
  /** The folder override the dossier had before the import, if any. */
  previousFolder: string | null;
  outcome: ImportOutcome;
  /** One sentence for the user: what happens, or why not. */
  message: string;
}

export interface ImportPlan {
  /** Where the header was found and which columns are used. */
  header: { line: number; enterpriseColumn: number; folderColumn: number; enterpriseTitle: string; folderTitle: string };
  /** The data rows in file order; fully empty rows are left out. */
  rows: ImportRow[];
  /** Rows per outcome; every outcome is present. */
  totals: Record<ImportOutcome, number>;
}

export interface PlanImportOptions {
  /**
   * The folder each dossier has now, override or not (e.g. from mapDossiers with the ledger's folders): a
   * new folder must not take the folder of a dossier without override either. Default: only the overrides.
   */
  currentFolders?: ReadonlyMap<number, string>;
}

/**
 * Plans the import of `rows` (readTable's output: rows[i] is line i + 1). Throws DossierImportError
 * ('no-header') when no row within the first 30 names both columns.
 */
export function planImport(rows: readonly (readonly string[])[], companies: readonly ImportCompany[], current: BillsyncConfig, options: PlanImportOptions = {}): ImportPlan {
  const header = findHeader(rows);
  if (!header) {
    throw new DossierImportError(`no header row found: the file needs a row with a column for the enterprise number and one for the Venice dossier folder (${acceptedHeadersText()})`, 'no-header');
  }
  const byEnterprise = new Map<string, ImportCompany[]>();
  for (const company of companies) {
    const digits = normaliseEnterpriseNumber(company.enterpriseNumber ?? '');
    if (digits !== null) byEnterprise.set(digits, [...(byEnterprise.get(digits) ?? []), company]);
  }
  const names = new Map(companies.map((c) => [c.partyId, c.name] as const));

  const planned: ImportRow[] = [];
  for (let index = header.line; index < rows.length; index++) {
    const row = classifyRow(rows[index] ?? [], index + 1, header, byEnterprise, current);
    if (row) planned.push(row);
  }
  markDuplicates(planned);
  markClashes(planned, current, options.currentFolders, names);
  for (const row of planned) if (row.outcome === 'set') finishApplicable(row, options.currentFolders);

  const totals = Object.fromEntries(IMPORT_OUTCOMES.map((o) => [o, 0])) as Record<ImportOutcome, number>;
  for (const row of planned) totals[row.outcome]++;
  return { header, rows: planned, totals };
}

/** Rows of the plan that were asked for but will not be applied. */
export function importProblems(plan: ImportPlan): ImportRow[] {
  return plan.rows.filter((row) => PROBLEM_OUTCOMES.has(row.outcome));
}

/** Sanitising gave nothing a person would recognise: sanitizeSegment's fallback for "...", "   ", "___". */
const NO_USABLE_NAME = '_';

function classifyRow(cells: readonly string[], line: number, header: ImportPlan['header'], byEnterprise: ReadonlyMap<string, ImportCompany[]>, current: BillsyncConfig): ImportRow | null {
  const enterpriseText = (cells[header.enterpriseColumn] ?? '').trim();
  const folderAsWritten = (cells[header.folderColumn] ?? '').trim();
  if (enterpriseText === '' && folderAsWritten === '') return null;
  const digits = normaliseEnterpriseNumber(enterpriseText);
  const safe = folderAsWritten === '' ? '' : sanitizeSegment(folderAsWritten);
  const usable = safe !== '' && (safe !== NO_USABLE_NAME || folderAsWritten === NO_USABLE_NAME);
  // 'set' stands for "still applicable" until the duplicate and clash passes and finishApplicable decide.
  const row: ImportRow = {
    line, enterpriseNumber: digits ?? enterpriseText, folder: usable ? safe : '', folderAsWritten,
    folderSanitised: usable && safe !== folderAsWritten, partyId: null, companyName: null, previousFolder: null, outcome: 'set', message: '',
  };
  if (digits === null || !isValidEnterpriseNumber(digits)) {
    return outcome(row, 'invalid-enterprise-number', enterpriseText === '' ? 'no enterprise number on this row'
      : `"${enterpriseText}" is not a valid Belgian enterprise number (${digits === null ? 'expected 10 digits, e.g. 0123.456.749' : 'its mod-97 check digits do not match: check for a typing error'})`);
  }
  const matches = byEnterprise.get(digits) ?? [];
  const shown = formatEnterpriseNumber(digits);
  if (matches.length === 0) return outcome(row, 'unknown-company', `no company in Billit has enterprise number ${shown}`);
  if (matches.length > 1) {
    return outcome(row, 'ambiguous-company', `${matches.length} Billit companies have enterprise number ${shown} (${matches.map(describeCompany).join(', ')}): set the folder per PartyID in the configuration`);
  }
  const company = matches[0]!;
  row.partyId = company.partyId;
  row.companyName = company.name;
  row.previousFolder = current.dossiers[String(company.partyId)]?.folder ?? null;
  if (!usable) return outcome(row, 'empty-folder', folderAsWritten === '' ? 'no folder on this row' : `"${folderAsWritten}" has nothing a folder name can use`);
  return row;
}

/**
 * The same company on several rows: with one folder everywhere, the first row counts and the others are
 * reported; with different folders billsync cannot know which one is meant, so none is applied.
 */
function markDuplicates(rows: ImportRow[]): void {
  const byParty = new Map<number, ImportRow[]>();
  for (const row of rows) if (row.outcome === 'set' && row.partyId !== null) byParty.set(row.partyId, [...(byParty.get(row.partyId) ?? []), row]);
  for (const group of byParty.values()) {
    if (group.length < 2) continue;
    const first = group[0]!;
    if (group.every((row) => row.folder === first.folder)) {
      for (const row of group.slice(1)) outcome(row, 'duplicate-row', `same company and folder as line ${first.line}; this row is ignored`);
    } else {
      const lines = group.map((row) => row.line).join(', ');
      for (const row of group) outcome(row, 'duplicate-row', `lines ${lines} give this company different folders; none is applied: keep one row`);
    }
  }
}

/**
 * Two dossiers must never share a folder (Windows compares names without case): each would overwrite the
 * other's files in Venice's eyes. Checked on the configuration as it would be after the import, so swapping
 * two dossiers' folders in one file is fine. When two rows of the file want the same folder, both are refused
 * (billsync cannot tell which is meant); a row that keeps its dossier's folder is never the one refused. A row refused for a clash leaves its dossier on its old folder,
 * which may clash with another row in turn, hence the loop until nothing changes.
 */
function markClashes(rows: ImportRow[], current: BillsyncConfig, currentFolders: ReadonlyMap<number, string> | undefined, names: ReadonlyMap<number, string>): void {
  for (;;) {
    const applying = rows.filter((row): row is ImportRow & { partyId: number } => row.outcome === 'set' && row.partyId !== null);
    const after = new Map<number, string>();
    for (const [key, override] of Object.entries(current.dossiers)) if (override.folder) after.set(Number(key), sanitizeSegment(override.folder));
    for (const [partyId, folder] of currentFolders ?? []) after.set(partyId, folder);
    const lineOf = new Map<number, number>();
    for (const row of applying) {
      after.set(row.partyId, row.folder);
      if (!keepsFolder(row)) lineOf.set(row.partyId, row.line);
    }
    const owners = new Map<string, number[]>();
    for (const [partyId, folder] of after) owners.set(folder.toLowerCase(), [...(owners.get(folder.toLowerCase()) ?? []), partyId]);

    let changed = false;
    for (const row of applying) {
      // A row that confirms the folder its dossier already has takes nothing from anyone: the row that
      // wants the same folder for another dossier is the one refused.
      if (keepsFolder(row)) continue;
      const others = (owners.get(row.folder.toLowerCase()) ?? []).filter((partyId) => partyId !== row.partyId);
      if (others.length === 0) continue;
      const whom = others.map((partyId) => {
        const name = names.get(partyId);
        const who = name === undefined ? `dossier ${partyId} in the configuration` : `${name} (PartyID ${partyId})`;
        const line = lineOf.get(partyId);
        return line === undefined ? `${who}, which already uses it` : `${who} on line ${line}`;
      });
      outcome(row, 'folder-clash', `folder "${row.folder}" would also be the folder of ${whom.join(' and ')}; folder names are compared without case, as on Windows`);
      changed = true;
    }
    if (!changed) return;
  }
}

function keepsFolder(row: ImportRow): boolean {
  return row.previousFolder === row.folder;
}

function finishApplicable(row: ImportRow, currentFolders: ReadonlyMap<number, string> | undefined): void {
  const note = row.folderSanitised ? `; "${row.folderAsWritten}" is not a safe Windows folder name, so it becomes "${row.folder}"` : '';
  if (keepsFolder(row)) {
    outcome(row, 'unchanged', `already the folder of this dossier${note}`);
    return;
  }
  const current = row.partyId === null ? undefined : currentFolders?.get(row.partyId);
  const replaces = row.previousFolder !== null ? `replaces "${row.previousFolder}"`
    : current === undefined ? 'replaces the default folder' : `replaces the default folder "${current}"`;
  outcome(row, 'set', `${replaces}${note}`);
}

function outcome(row: ImportRow, value: ImportOutcome, message: string): ImportRow {
  row.outcome = value;
  row.message = message;
  return row;
}

function describeCompany(company: ImportCompany): string {
  return `${company.name} (PartyID ${company.partyId})`;
}
