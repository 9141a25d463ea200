import { toBrusselsLocal } from '../../core/brussels-time.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import type { RunRequest } from '../../sync/run-queue.js';
import { noticeBox, tokenField } from '../form-fields.js';
import { documentLabel, formatDate } from '../form-format.js';
import { html, type SafeHtml } from '../html.js';
import { translator, type Translate } from '../i18n.js';
import type { PageRequest, PageResult, Route, StatusContext } from '../page.js';
import { QUARANTINE_MESSAGES, type QuarantineKey } from './quarantine-messages.js';
import { quarantineDir, readQuarantineReport } from './quarantine-reports.js';

/**
 * Quarantine (GET /quarantine): the documents that failed their checks, per dossier, each with the
 * report the sync wrote beside its copy; "Try again" (POST /quarantine/:id/retry) and "Open folder"
 * (POST /quarantine/:id/open, the quarantine folder of the document's dossier).
 */
export const quarantineRoutes: Route[] = [
  { method: 'GET', path: '/quarantine', handler: showQuarantine },
  { method: 'POST', path: '/quarantine/:id/retry', handler: retry },
  { method: 'POST', path: '/quarantine/:id/open', handler: openFolder },
];

/** Documents shown with their reports on one page, across all dossiers. */
const MAX_CARDS = 100;

async function showQuarantine(request: PageRequest, context: StatusContext): Promise<PageResult> {
  const t = translator(QUARANTINE_MESSAGES, request.lang);
  const { ledger } = context.app;
  const rows = ledger.documents.listByState(['quarantined']);
  const byDossier = new Map<number, DocumentRow[]>();
  for (const row of rows) byDossier.set(row.dossierPartyId, [...(byDossier.get(row.dossierPartyId) ?? []), row]);
  const sections: SafeHtml[] = [];
  const dossiers = [...byDossier.entries()].map(([partyId, documents]) => ({ partyId, documents, name: dossierName(context, partyId) }))
    .sort((a, b) => a.name.localeCompare(b.name, request.lang));
  // Each card inlines its report (up to 256 KB): a mass quarantine must not make a page of megabytes.
  let budget = MAX_CARDS;
  for (const dossier of dossiers) {
    const cards: SafeHtml[] = [];
    const shown = dossier.documents.slice(0, Math.max(0, budget));
    budget -= shown.length;
    for (const row of shown) cards.push(await card(request, context, t, row));
    const hidden = dossier.documents.length - shown.length;
    if (hidden > 0) cards.push(html`<p class="warning">${t('moreNotShown', { count: hidden, max: MAX_CARDS })}</p>`);
    const count = dossier.documents.length === 1 ? t('countOne') : t('count', { count: dossier.documents.length });
    sections.push(html`<section aria-labelledby="dossier-${dossier.partyId}"><h2 id="dossier-${dossier.partyId}">${dossier.name} <span class="muted">(${count})</span></h2>
<p class="hint">${t('keptIn', { dir: quarantineDir(context.app.paths.dataDir, dossier.partyId) })}</p>
${cards}</section>`);
  }
  return {
    kind: 'page', nav: 'quarantine', title: t('title'),
    body: html`${notices(request, context, t)}<p>${t('intro')}</p>
${rows.length === 0 ? html`<p class="state-ok" role="status">${t('empty')}</p>` : sections}`,
  };
}

async function card(request: PageRequest, context: StatusContext, t: Translate<QuarantineKey>, row: DocumentRow): Promise<SafeHtml> {
  const report = await readQuarantineReport(context.app.fs, context.app.paths.dataDir, row);
  const meta = context.app.ledger.search.metadata(row.id);
  const id = `document-${row.id}`;
  return html`<article class="card" aria-labelledby="${id}">
<h3 id="${id}">${describe(row, meta?.reference ?? null)} <span class="muted">(${documentLabel(request.lang, row.kind)})</span></h3>
<p class="muted">${t('since', { when: when(row.updatedAt) })}${meta?.documentDate ? html` · ${t('documentDate', { date: formatDate(meta.documentDate) })}` : ''}</p>
${report === null
    ? html`${row.lastError ? html`<p><strong>${t('reason')}:</strong> ${row.lastError}</p>` : ''}<p class="warning">${t('noReport', { dir: quarantineDir(context.app.paths.dataDir, row.dossierPartyId) })}</p>`
    : html`<h4>${t('report')} <span class="muted"><code class="path">${report.reportName}</code></span></h4><pre>${report.text}${report.truncated ? '\n…' : ''}</pre>`}
<form method="post" action="/quarantine/${row.id}/retry">${tokenField(request)}<p><button type="submit" aria-describedby="${id}">${t('retry')}</button></p></form>
<form method="post" action="/quarantine/${row.id}/open">${tokenField(request)}<p><button type="submit" class="secondary" aria-describedby="${id}">${t('open')}</button></p></form>
</article>`;
}

/**
 * Sends the document through the life cycle again and queues a run that reaches it: a manual export
 * of its dossier, kind and date (a policy pass would not list an order again whose Billit version did
 * not change). Without a recorded date (quarantined before 004-search, or a feed item), the dossier's
 * next policy pass takes it.
 */
function retry(request: PageRequest, context: StatusContext): PageResult {
  const row = documentOf(request, context);
  if (row === null || row.state !== 'quarantined') return { kind: 'redirect', to: '/quarantine?gone=1' };
  const date = context.app.ledger.search.metadata(row.id)?.documentDate ?? null;
  context.app.ledger.documents.reopen(row.id, 'retry asked on the status page');
  const base: RunRequest = { trigger: 'retry', dossiers: [row.dossierPartyId], kinds: [row.kind], watchOnly: false };
  const manual = date !== null && row.source !== 'feed';
  context.agent.queue.enqueue(manual ? { ...base, manual: { from: date, to: date, includeExported: false } } : base);
  return { kind: 'redirect', to: `/quarantine?retried=${row.id}${manual ? `&date=${date}` : ''}` };
}

async function openFolder(request: PageRequest, context: StatusContext): Promise<PageResult> {
  const row = documentOf(request, context);
  if (row === null) return { kind: 'redirect', to: '/quarantine?gone=1' };
  try {
    await context.open(quarantineDir(context.app.paths.dataDir, row.dossierPartyId));
  } catch {
    return { kind: 'redirect', to: `/quarantine?openfailed=${row.dossierPartyId}` };
  }
  return { kind: 'redirect', to: `/quarantine?opened=${row.dossierPartyId}` };
}

/** The confirmations after a redirect; only numbers and a date come from the address, names from the ledger. */
function notices(request: PageRequest, context: StatusContext, t: Translate<QuarantineKey>): SafeHtml {
  const out: SafeHtml[] = [];
  const query = request.query;
  const retried = Number(query.get('retried'));
  if (Number.isSafeInteger(retried) && retried > 0) {
    const row = context.app.ledger.documents.get(retried);
    if (row !== null) {
      const doc = describe(row, context.app.ledger.search.metadata(row.id)?.reference ?? null);
      const date = /^\d{4}-\d{2}-\d{2}$/.test(query.get('date') ?? '') ? query.get('date')! : null;
      const dossier = dossierName(context, row.dossierPartyId);
      out.push(noticeBox(date === null ? t('retriedNext', { doc, dossier }) : t('retriedManual', { doc, dossier, date: formatDate(date) })));
    }
  }
  if (query.get('gone') === '1') out.push(html`<div class="warning" role="status">${t('gone')}</div>`);
  const opened = Number(query.get('opened'));
  if (Number.isSafeInteger(opened) && opened > 0) out.push(noticeBox(t('opened', { dossier: dossierName(context, opened) })));
  const failed = Number(query.get('openfailed'));
  if (Number.isSafeInteger(failed) && failed > 0) out.push(html`<div class="error" role="alert">${t('openFailed', { dir: quarantineDir(context.app.paths.dataDir, failed) })}</div>`);
  return html`${out}`;
}

function documentOf(request: PageRequest, context: StatusContext): DocumentRow | null {
  const id = Number(request.params.id);
  return Number.isSafeInteger(id) && id > 0 ? context.app.ledger.documents.get(id) : null;
}

function dossierName(context: StatusContext, partyId: number): string {
  return context.app.ledger.dossiers.get(partyId)?.name ?? `PartyID ${partyId}`;
}

/** "2026/0042", the document's name, or its Billit id. */
function describe(row: DocumentRow, reference: string | null): string {
  return reference ?? row.title ?? `${row.source} ${row.billitId}`;
}

/** An ISO timestamp as Brussels local "15/10/2026 14:02". */
function when(iso: string): string {
  const local = toBrusselsLocal(new Date(iso));
  return `${formatDate(local.slice(0, 10))} ${local.slice(11, 16)}`;
}
