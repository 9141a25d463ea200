import { join } from 'node:path';
import type { DossierRow } from '../../ledger/dossier-repository.js';
import { html } from '../html.js';
import type { PageRequest, PageResult, Route, StatusContext } from '../page.js';
import { dossierCounts, type CountKey } from '../view-dossier-counts.js';
import { errorBox, formatCount, noticeBox, pickNotice, tokenField } from '../view-format.js';
import { renderRecentDocuments } from './dossier-documents.js';
import { renderExportForm, requestExport, type ExportFormState } from './dossier-export.js';
import { previewText, renderFolderForm, saveFolder, type FolderFormState } from './dossier-folder.js';
import { dossierList } from './dossier-list.js';
import { dossierText } from './dossier-messages.js';
import { renderPolicyForm, savePolicy, type PolicyFormState } from './dossier-policy.js';

const NOTICES = ['policy-saved', 'policy-reset', 'folder-saved', 'folder-removed', 'export-queued', 'export-already-queued', 'folder-opened'] as const;
const COUNTS: CountKey[] = ['waitingApproval', 'toExport', 'failing', 'quarantined', 'exported'];

/** What a POST that did not succeed brings back into the page (the user's input and the errors). */
interface Returned {
  policy?: PolicyFormState;
  folder?: FolderFormState;
  export?: ExportFormState;
  openFailed?: string;
}

function findDossier(request: PageRequest, context: StatusContext): DossierRow | null {
  const id = request.params.id ?? '';
  return /^\d{1,15}$/.test(id) ? context.app.ledger.dossiers.get(Number(id)) : null;
}

function notFound(request: PageRequest): PageResult {
  const t = dossierText(request.lang);
  return { kind: 'page', status: 404, title: t('not-found-title'), body: html`<p>${t('not-found')}</p><p><a href="/dossiers">${t('list-title')}</a></p>`, nav: 'dashboard' };
}

function folderPath(context: StatusContext, dossier: DossierRow): string {
  return join(context.app.config.exportRoot ?? '', dossier.folder);
}

function dossierPage(request: PageRequest, context: StatusContext, dossier: DossierRow, returned: Returned = {}, status = 200): PageResult {
  const { lang } = request;
  const t = dossierText(lang);
  const counts = dossierCounts(context.app.ledger, context.app.config, context.now()).find((d) => d.partyId === dossier.partyId);
  const notice = pickNotice(request.query, NOTICES);
  const disabled = context.app.config.dossiers[String(dossier.partyId)]?.disabled ?? false;
  const folderFailed = returned.folder !== undefined && (returned.folder.failure !== null || returned.folder.preview?.ok === false);
  const failed = returned.policy !== undefined || returned.export !== undefined || folderFailed;
  const body = html`${notice ? noticeBox(t(`notice-${notice}`)) : ''}${failed ? errorBox(t('not-saved-summary')) : ''}
<p><a href="/dossiers">← ${t('list-title')}</a></p>
${disabled ? html`<p class="warning">${t('disabled-banner')}</p>` : ''}
<section class="card" aria-labelledby="about-title"><h2 id="about-title">${t('about')}</h2>
<dl class="facts">
<dt>${t('party-id')}</dt><dd>${dossier.partyId}</dd>
${dossier.vatNumber ? html`<dt>${t('vat')}</dt><dd>${dossier.vatNumber}</dd>` : ''}
<dt>${t('folder')}</dt><dd class="path">${folderPath(context, dossier)}</dd>
</dl>
${returned.openFailed ? errorBox(t('open-failed'), [returned.openFailed]) : ''}
<form method="post" action="/dossiers/${dossier.partyId}/open">${tokenField(request.formToken)}<button type="submit" class="secondary">${t('open-folder')}</button></form>
</section>
${counts ? html`<section aria-labelledby="counts-title"><h2 id="counts-title">${t('counts')}</h2>
<ul class="totals">${COUNTS.map((key) => html`<li><strong>${formatCount(counts[key], lang)}</strong> ${t(key)}</li>`)}</ul></section>` : ''}
<section class="card" aria-labelledby="policy" id="policy-section"><h2 id="policy">${t('policy')}</h2>${renderPolicyForm(request, context, dossier.partyId, returned.policy ?? null)}</section>
<section class="card" aria-labelledby="folder-title" id="folder-section"><h2 id="folder-title">${t('folder-title')}</h2>${renderFolderForm(request, context, dossier, returned.folder ?? null)}</section>
<section class="card" aria-labelledby="export" id="export-section"><h2 id="export">${t('export-title')}</h2>${renderExportForm(request, context, dossier, returned.export ?? null)}</section>
<section aria-labelledby="documents-title"><h2 id="documents-title">${t('documents')}</h2>${renderRecentDocuments(context.app.ledger, dossier.partyId, lang)}</section>`;
  return { kind: 'page', status, title: dossier.name, body, nav: 'dashboard' };
}

/** A route on one dossier: unknown ids answer 404 before the handler runs. */
function onDossier(method: 'GET' | 'POST', path: string, handler: (request: PageRequest, context: StatusContext, dossier: DossierRow) => Promise<PageResult> | PageResult): Route {
  return {
    method, path,
    handler: (request, context) => {
      const dossier = findDossier(request, context);
      return dossier ? handler(request, context, dossier) : notFound(request);
    },
  };
}

const back = (dossier: DossierRow, notice: string, anchor: string): PageResult => ({ kind: 'redirect', to: `/dossiers/${dossier.partyId}?notice=${notice}#${anchor}` });

/** GET /dossiers, the dossier page, its live folder preview, and its forms. */
export const dossierRoutes: Route[] = [
  { method: 'GET', path: '/dossiers', handler: dossierList },
  onDossier('GET', '/dossiers/:id', (request, context, dossier) => dossierPage(request, context, dossier)),
  onDossier('GET', '/dossiers/:id/preview', (request, context, dossier) => {
    const preview = previewText(context.app.ledger, context.app.config, dossier, request.query.get('value') ?? '', request.lang);
    return { kind: 'text', status: preview.ok ? 200 : 422, contentType: 'text/plain; charset=utf-8', text: preview.text };
  }),
  onDossier('POST', '/dossiers/:id/policy', async (request, context, dossier) => {
    const result = await savePolicy(request, context, dossier.partyId);
    return 'saved' in result ? back(dossier, result.saved, 'policy') : dossierPage(request, context, dossier, { policy: result }, 422);
  }),
  onDossier('POST', '/dossiers/:id/folder', async (request, context, dossier) => {
    const result = await saveFolder(request, context, dossier);
    if (typeof result === 'string') return back(dossier, result, 'folder-title');
    // "Preview" is not an error: the page comes back with the paths and the typed value.
    const isPreview = result.preview?.ok === true && result.failure === null;
    return dossierPage(request, context, dossier, { folder: result }, isPreview ? 200 : 422);
  }),
  onDossier('POST', '/dossiers/:id/export', (request, context, dossier) => {
    const result = requestExport(request, context, dossier);
    return typeof result === 'string' ? back(dossier, result, 'export') : dossierPage(request, context, dossier, { export: result }, 422);
  }),
  onDossier('POST', '/dossiers/:id/open', async (request, context, dossier) => {
    // Without an export root the folder does not exist anywhere: say so instead of opening a relative path.
    if (!context.app.config.exportRoot) return dossierPage(request, context, dossier, { openFailed: dossierText(request.lang)('no-export-root') }, 409);
    try {
      await context.open(folderPath(context, dossier));
    } catch (error) {
      return dossierPage(request, context, dossier, { openFailed: (error as Error).message }, 500);
    }
    return back(dossier, 'folder-opened', 'about-title');
  }),
];
