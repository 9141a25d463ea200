import { createHash } from 'node:crypto';
import { BillitError } from '../../billit/errors/billit-error.js';
import type { AccountInformation } from '../../billit/schemas.js';
import { ConfigError } from '../../config/config-error.js';
import { applyImport } from '../../config/dossier-import/apply-import.js';
import { DossierImportError } from '../../config/dossier-import/dossier-import-error.js';
import { importProblems, planImport, type ImportPlan } from '../../config/dossier-import/plan-import.js';
import { tableFromBytes } from '../../config/dossier-import/read-table.js';
import { loadConfig } from '../../config/load-config.js';
import type { BillsyncConfig } from '../../config/schema.js';
import { enterpriseNumberOf, mapDossiers } from '../../sync/dossier-mapping.js';
import { formFile, formText, noticeBox } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import { translator, type Translate } from '../i18n.js';
import type { PageRequest, PageResult, Route, StatusContext } from '../page.js';
import { IMPORT_MESSAGES, type ImportKey } from './import-messages.js';
import { previewView, uploadForm } from './import-view.js';

/** A mapping sheet of an office with 2,000 dossiers fits many times over. */
const MAX_ROWS = 20_000;
const MAX_CELL = 1_000;

/**
 * Dossier import (GET/POST /import, POST /import/apply): a "Billit company → Venice dossier folder"
 * mapping from an .xlsx or .csv file, matched by enterprise number (config/dossier-import). The upload
 * only shows a preview; the preview's Apply button sends the two columns back, they are planned again
 * against Billit and the configuration as they are then, and only when that plan is the one the user
 * saw are the overrides saved. Nothing changes before Apply.
 */
export const importRoutes: Route[] = [
  { method: 'GET', path: '/import', handler: showImport },
  { method: 'POST', path: '/import', handler: preview },
  { method: 'POST', path: '/import/apply', handler: apply },
];

function showImport(request: PageRequest): PageResult {
  const t = translator(IMPORT_MESSAGES, request.lang);
  const notices: SafeHtml[] = [];
  const applied = request.query.get('applied');
  if (applied !== null && /^\d{1,6}$/.test(applied)) {
    const count = Number(applied);
    notices.push(noticeBox(count === 0 ? t('appliedNone') : count === 1 ? t('appliedOne') : t('applied', { count })));
    const problems = Number(request.query.get('problems') ?? '0');
    if (Number.isSafeInteger(problems) && problems > 0) notices.push(html`<div class="warning" role="status">${t('appliedProblems', { count: problems })}</div>`);
  }
  return pageOf(t, html`${notices}${uploadForm(request, t)}`);
}

async function preview(request: PageRequest, context: StatusContext): Promise<PageResult> {
  const t = translator(IMPORT_MESSAGES, request.lang);
  const file = await formFile(request.form, 'file');
  if (file === null) return pageOf(t, uploadForm(request, t, html`${t('noFile')}`), 400);
  let rows: string[][];
  try {
    rows = await tableFromBytes(file.bytes, file.name);
  } catch (error) {
    if (error instanceof DossierImportError) return pageOf(t, uploadForm(request, t, fileError(t, error)), 400);
    throw error;
  }
  const planned = await planFor(context, rows, t);
  if (!planned.ok) return pageOf(t, uploadForm(request, t, planned.error), planned.status);
  return pageOf(t, previewView(request, t, { fileName: file.name, plan: planned.plan, table: compactTable(rows, planned.plan), digest: digestOf(planned.plan) }));
}

async function apply(request: PageRequest, context: StatusContext): Promise<PageResult> {
  const t = translator(IMPORT_MESSAGES, request.lang);
  const fileName = formText(request.form, 'fileName', 300) || 'upload';
  const rows = parseTable(formText(request.form, 'table', 5 * 1024 * 1024));
  if (rows === null) return pageOf(t, uploadForm(request, t, html`${t('badTable')}`), 400);
  const planned = await planFor(context, rows, t);
  if (!planned.ok) return pageOf(t, uploadForm(request, t, planned.error), planned.status);
  const { plan, current } = planned;
  const digest = digestOf(plan);
  if (digest !== formText(request.form, 'digest', 100)) {
    // Billit or the configuration changed between preview and Apply: show what Apply would do now.
    return pageOf(t, previewView(request, t, { fileName, plan, table: compactTable(rows, plan), digest, warning: t('changedSincePreview') }), 409);
  }
  const changed = plan.totals.set;
  if (changed > 0) {
    try {
      await context.saveConfig((latest) => applyImport(plan, latest));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return pageOf(t, uploadForm(request, t, html`${t('saveFailed')} <span lang="en">${t('detail', { detail: error.message })}</span>`), 400);
    }
  }
  return { kind: 'redirect', to: `/import?applied=${changed}&problems=${importProblems(plan).length}` };
}

type Planned =
  | { ok: true; plan: ImportPlan; current: BillsyncConfig }
  | { ok: false; error: SafeHtml; status: number };

/** The plan against Billit's companies and the configuration file as they are now (as `billsync dossiers import` does). */
async function planFor(context: StatusContext, rows: string[][], t: Translate<ImportKey>): Promise<Planned> {
  let account: AccountInformation;
  try {
    account = await context.agent.billit.accountInformation();
  } catch (error) {
    if (!(error instanceof BillitError)) throw error;
    return { ok: false, status: 502, error: html`${t('billitFailed')} <span lang="en">${t('detail', { detail: error.message })}</span>` };
  }
  let current: BillsyncConfig;
  try {
    current = await loadConfig(context.app.configFile);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { ok: false, status: 500, error: html`<span lang="en">${error.message}</span>` };
  }
  const ledgerFolders = new Map(context.app.ledger.dossiers.list().map((d) => [d.partyId, d.folder] as const));
  const currentFolders = new Map(mapDossiers(account.Companies, current, ledgerFolders).map((m) => [m.partyId, m.folder] as const));
  const companies = account.Companies.map((c) => ({ partyId: c.PartyID, name: c.Name, enterpriseNumber: enterpriseNumberOf(c.VATNumber) }));
  try {
    return { ok: true, plan: planImport(rows, companies, current, { currentFolders }), current };
  } catch (error) {
    if (error instanceof DossierImportError) return { ok: false, status: 400, error: fileError(t, error) };
    throw error;
  }
}

function pageOf(t: Translate<ImportKey>, body: SafeHtml, status = 200): PageResult {
  return { kind: 'page', status, nav: 'import', title: t('title'), body };
}

/** A file that cannot be read or has no header: what to do in the user's words, the exact reason beside it. */
function fileError(t: Translate<ImportKey>, error: DossierImportError): SafeHtml {
  return html`<strong>${t('errorHeading')}.</strong> ${t(`file-${error.code}`)} <span lang="en">${t('detail', { detail: error.message })}</span>`;
}

/**
 * The rows the Apply form carries: only the two columns the plan reads (names, e-mail addresses and the
 * like in other columns stay out of the page), at the same line numbers, with the rows above the header
 * left empty. planImport finds the same header and gives the same plan.
 */
function compactTable(rows: readonly (readonly string[])[], plan: ImportPlan): string[][] {
  const { line, enterpriseColumn, folderColumn } = plan.header;
  return rows.map((row, index) => (index < line - 1 ? [] : [row[enterpriseColumn] ?? '', row[folderColumn] ?? '']));
}

/** What Apply would change, as a fingerprint: the preview's and the Apply-time plan must agree. */
function digestOf(plan: ImportPlan): string {
  const changes = plan.rows.filter((row) => row.outcome === 'set').map((row) => [row.partyId, row.folder]);
  return createHash('sha256').update(JSON.stringify(changes)).digest('hex');
}

/** The posted table, checked to be what compactTable makes (rows of at most two strings); null otherwise. */
function parseTable(text: string): string[][] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length > MAX_ROWS) return null;
  const rows: string[][] = [];
  for (const row of value) {
    if (!Array.isArray(row) || row.length > 2 || !row.every((cell) => typeof cell === 'string' && cell.length <= MAX_CELL)) return null;
    rows.push(row as string[]);
  }
  return rows;
}
