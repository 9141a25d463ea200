import { formatEnterpriseNumber } from '../../config/dossier-import/enterprise-number.js';
import { ENTERPRISE_HEADERS, FOLDER_HEADERS } from '../../config/dossier-import/header-names.js';
import { PROBLEM_OUTCOMES, type ImportPlan, type ImportRow } from '../../config/dossier-import/plan-import.js';
import { fieldId, tokenField } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import type { Lang, Translate } from '../i18n.js';
import type { PageRequest } from '../page.js';
import type { ImportKey } from './import-messages.js';

/** The upload form: the first step, and the way back after an error. */
export function uploadForm(request: PageRequest, t: Translate<ImportKey>, error: SafeHtml | null = null): SafeHtml {
  const id = fieldId('file');
  const quoted = (names: readonly string[]) => names.map((name) => `“${name}”`).join(', ');
  return html`<p>${t('intro')}</p>
<p class="hint">${t('columns', { enterprise: quoted(ENTERPRISE_HEADERS), folder: quoted(FOLDER_HEADERS) })}</p>
<form method="post" action="/import" enctype="multipart/form-data">
${tokenField(request)}
<div class="field">
<label for="${id}">${t('fileLabel')}</label>
${error === null ? '' : html`<div class="error" id="${id}-error" role="alert">${error}</div>`}
<input type="file" id="${id}" name="file" accept=".xlsx,.xlsm,.csv,.txt" required aria-describedby="${error === null ? '' : `${id}-error `}${id}-hint"${error === null ? '' : html` aria-invalid="true"`}>
<p class="hint" id="${id}-hint">${t('fileHint')}</p>
</div>
<p><button type="submit">${t('previewButton')}</button></p>
</form>`;
}

export interface PreviewOptions {
  fileName: string;
  plan: ImportPlan;
  /** The rows to send back with Apply (only the two columns the plan uses). */
  table: string[][];
  digest: string;
  /** Shown above the preview, e.g. "something changed since the preview". */
  warning?: string;
}

/** The preview: what each row would do, the totals, and the Apply button carrying the table. */
export function previewView(request: PageRequest, t: Translate<ImportKey>, options: PreviewOptions): SafeHtml {
  const { plan } = options;
  const problems = plan.rows.filter((row) => PROBLEM_OUTCOMES.has(row.outcome)).length;
  const set = plan.totals.set;
  return html`<section aria-labelledby="preview-heading">
<h2 id="preview-heading">${t('previewHeading', { file: options.fileName })}</h2>
${options.warning ? html`<div class="warning" role="alert">${options.warning}</div>` : ''}
<p class="notice" role="status">${t('previewOnly')}</p>
<p>${t('header', { line: plan.header.line, enterprise: plan.header.enterpriseTitle, folder: plan.header.folderTitle })}</p>
<ul class="totals" aria-label="${t('totalsLabel')}">
<li><strong>${set}</strong> ${t('totalSet')}</li>
<li><strong>${plan.totals.unchanged}</strong> ${t('totalUnchanged')}</li>
<li><strong class="${problems > 0 ? 'state-bad' : 'state-ok'}">${problems}</strong> ${t('totalProblems')}</li>
</ul>
${plan.rows.length === 0 ? html`<p>${t('noRows')}</p>` : html`<table aria-labelledby="preview-heading">
<thead><tr><th scope="col" class="num">${t('colLine')}</th><th scope="col">${t('colEnterprise')}</th><th scope="col">${t('colCompany')}</th><th scope="col">${t('colFolder')}</th><th scope="col">${t('colOutcome')}</th></tr></thead>
<tbody>${plan.rows.map((row) => html`<tr>
<td class="num">${row.line}</td>
<td>${formatEnterpriseNumber(row.enterpriseNumber)}</td>
<td>${row.companyName ?? html`<span class="muted">—</span>`}</td>
<td>${row.folder || html`<span class="muted">—</span>`}</td>
<td><strong class="${outcomeClass(row)}">${t(`outcome-${row.outcome}`)}</strong><br>${outcomeMessage(request.lang, t, row)}</td>
</tr>`)}</tbody>
</table>`}
${set > 0 ? html`<form method="post" action="/import/apply">
${tokenField(request)}
<input type="hidden" name="fileName" value="${options.fileName}">
<input type="hidden" name="table" value="${JSON.stringify(options.table)}">
<input type="hidden" name="digest" value="${options.digest}">
<p><button type="submit">${set === 1 ? t('applyOne') : t('applyButton', { count: set })}</button></p>
</form>` : html`<p>${t('nothingToApply')}</p>`}
<p><a href="/import">${t('otherFile')}</a></p>
</section>`;
}

function outcomeClass(row: ImportRow): string {
  if (row.outcome === 'set') return 'state-ok';
  if (row.outcome === 'unchanged') return 'muted';
  return 'state-bad';
}

/** The row's outcome in the user's language (the plan's own message is English, and used as is in English). */
function outcomeMessage(lang: Lang, t: Translate<ImportKey>, row: ImportRow): string {
  if (lang === 'en') return row.message;
  const number = /^\d{10}$/.test(row.enterpriseNumber) ? formatEnterpriseNumber(row.enterpriseNumber) : row.enterpriseNumber;
  const sanitised = row.folderSanitised ? ` ${t('msgSanitised', { written: row.folderAsWritten, folder: row.folder })}` : '';
  switch (row.outcome) {
    case 'set': return (row.previousFolder === null ? t('msgSetDefault', { folder: row.folder }) : t('msgSetReplaces', { folder: row.folder, previous: row.previousFolder })) + sanitised;
    case 'unchanged': return t('msgUnchanged') + sanitised;
    case 'unknown-company': return t('msgUnknown', { number });
    case 'ambiguous-company': return t('msgAmbiguous', { number });
    case 'invalid-enterprise-number': return row.enterpriseNumber === '' ? t('msgNoNumber') : t('msgInvalid', { number: row.enterpriseNumber });
    case 'empty-folder': return t('msgEmptyFolder');
    case 'duplicate-row': return t('msgDuplicate', { number });
    case 'folder-clash': return t('msgClash', { folder: row.folder });
  }
}
