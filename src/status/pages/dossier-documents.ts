import { AWAITING_APPROVAL } from '../../core/approval-status.js';
import { DOCUMENT_STATES } from '../../core/document-kind.js';
import type { DocumentRow } from '../../ledger/document-row.js';
import type { Ledger } from '../../ledger/ledger.js';
import { html, type SafeHtml } from '../html.js';
import type { Lang } from '../i18n.js';
import { formatDateTime, kindLabel, stateLabel } from '../view-format.js';
import { dossierText } from './dossier-messages.js';

export const RECENT_DOCUMENTS = 50;

/**
 * The dossier's most recently changed documents. The ledger offers no "latest N of a dossier" query
 * yet, so this reads the dossier's rows (indexed by dossier and state) and sorts them here.
 */
export function recentDocuments(ledger: Ledger, partyId: number, limit = RECENT_DOCUMENTS): DocumentRow[] {
  return ledger.documents.listByState([...DOCUMENT_STATES], partyId)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id - a.id)
    .slice(0, limit);
}

const WAITING = new Set<string>(AWAITING_APPROVAL);

function stateCell(row: DocumentRow, lang: Lang): SafeHtml {
  const t = dossierText(lang);
  if (row.deletedInBillitAt !== null && (row.state === 'seen' || row.state === 'fetched')) return html`<span class="muted">${t('doc-deleted')}</span>`;
  if (row.state === 'quarantined') return html`<span class="state-bad">${stateLabel(row.state, lang)}</span>`;
  if (row.state === 'seen' && row.approvalStatus !== null && WAITING.has(row.approvalStatus)) return html`<span class="state-warn">${t('doc-waiting-approval')}</span>`;
  if (row.attempts > 0) return html`<span class="state-bad">${t('doc-failing', { attempts: row.attempts })}</span>`;
  if (row.state === 'acknowledged' || row.state === 'picked_up') return html`<span class="state-ok">${stateLabel(row.state, lang)}</span>`;
  return html`${stateLabel(row.state, lang)}`;
}

export function renderRecentDocuments(ledger: Ledger, partyId: number, lang: Lang): SafeHtml {
  const t = dossierText(lang);
  const rows = recentDocuments(ledger, partyId);
  if (rows.length === 0) return html`<p>${t('docs-none')}</p>`;
  // The wrapper scrolls sideways when the table cannot shrink (200 % zoom): focusable, so the keyboard can scroll it too.
  return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="documents-title"><table class="documents">
<caption class="muted">${t('docs-caption', { n: rows.length })}</caption>
<thead><tr><th scope="col">${t('doc-changed')}</th><th scope="col">${t('doc-kind')}</th><th scope="col">${t('doc-title')}</th><th scope="col">${t('doc-state')}</th><th scope="col">${t('doc-file')}</th><th scope="col">${t('doc-error')}</th></tr></thead>
<tbody>${rows.map((row) => html`<tr>
<td>${formatDateTime(row.updatedAt, lang)}</td><td>${kindLabel(row.kind, lang)}</td><td>${row.title ?? row.billitId}</td><td>${stateCell(row, lang)}</td>
<td class="path">${row.finalPath ?? row.targetPath ?? ''}</td><td class="error-text">${row.lastError ?? ''}</td></tr>`)}</tbody>
</table></div>`;
}
