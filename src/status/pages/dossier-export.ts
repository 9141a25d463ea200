import { addDays } from '../../core/brussels-time.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../../core/document-kind.js';
import { lastFullMonth } from '../../core/months.js';
import type { DossierRow } from '../../ledger/dossier-repository.js';
import { html, type SafeHtml } from '../html.js';
import type { Lang } from '../i18n.js';
import type { PageRequest, StatusContext } from '../page.js';
import { formatCount, formatDate, formatDateTime, kindLabel, tokenField } from '../view-format.js';
import { errorSummary, fieldError, formAll, formBool, formString, invalidAttributes, isCalendarDate, type FieldError } from '../view-form.js';
import { latestManualExport, queueManualExport, type ManualExport } from '../view-manual-exports.js';
import { dossierText } from './dossier-messages.js';

export interface ExportFormValues {
  from: string;
  to: string;
  kinds: string[];
  includeExported: boolean;
}

export interface ExportFormState {
  values: ExportFormValues;
  errors: FieldError[];
}

/** The form's first values: the last full month (Brussels), every kind, not re-delivering. */
function defaults(now: Date): ExportFormValues {
  const month = lastFullMonth(now);
  return { from: month.from, to: addDays(month.until, -1), kinds: [...DOCUMENT_KINDS], includeExported: false };
}

/**
 * POST /dossiers/:id/export: checks the period (YYYY-MM-DD, both ends inclusive, as the manual pass
 * reads them: src/sync/pass.ts) and the kinds, then queues a manual run of this dossier only.
 */
export function requestExport(request: PageRequest, context: StatusContext, dossier: DossierRow): 'export-queued' | 'export-already-queued' | ExportFormState {
  const t = dossierText(request.lang);
  const values: ExportFormValues = {
    from: formString(request.form, 'from'), to: formString(request.form, 'to'),
    kinds: formAll(request.form, 'kinds'), includeExported: formBool(request.form, 'includeExported'),
  };
  const errors: FieldError[] = [];
  if (context.app.config.billit.mode === 'feed') errors.push({ field: 'export-from', message: t('error-export-feed') });
  if (context.app.config.dossiers[String(dossier.partyId)]?.disabled) errors.push({ field: 'disabled', message: t('error-export-disabled') });
  if (!isCalendarDate(values.from)) errors.push({ field: 'export-from', message: t('error-export-date', { value: values.from }) });
  if (!isCalendarDate(values.to)) errors.push({ field: 'export-to', message: t('error-export-date', { value: values.to }) });
  if (isCalendarDate(values.from) && isCalendarDate(values.to) && values.from > values.to) errors.push({ field: 'export-to', message: t('error-export-order') });
  const kinds = DOCUMENT_KINDS.filter((kind) => values.kinds.includes(kind));
  if (kinds.length === 0 || kinds.length !== new Set(values.kinds).size) errors.push({ field: 'kind-purchase', message: t('error-export-kinds') });
  if (errors.length > 0) return { values, errors };
  const queued = queueManualExport(context.agent, context.app.ledger, {
    partyId: dossier.partyId, from: values.from, to: values.to, kinds, includeExported: values.includeExported,
  }, context.now());
  return queued ? 'export-queued' : 'export-already-queued';
}

function progress(tracked: ManualExport, lang: Lang): SafeHtml {
  const t = dossierText(lang);
  const what = t('export-what', {
    from: formatDate(tracked.from ?? '', lang), to: formatDate(tracked.to ?? '', lang),
    kinds: tracked.kinds.map((k) => kindLabel(k, lang)).join(', '),
  }) + (tracked.includeExported ? ` ${t('export-what-including')}` : '');
  let line: SafeHtml;
  if (tracked.finished?.error) {
    line = html`<p class="state-bad">${t('export-failed', { at: formatDateTime(tracked.finished.at, lang), error: tracked.finished.error })}</p>`;
  } else if (tracked.finished) {
    const f = tracked.finished;
    const params = { at: formatDateTime(f.at, lang), delivered: formatCount(f.delivered, lang), identical: formatCount(f.identical, lang), failed: formatCount(f.failed, lang), quarantined: formatCount(f.quarantined, lang) };
    line = html`<p class="${f.failed + f.quarantined > 0 ? 'state-warn' : 'state-ok'}">${t('export-finished', params)}${f.identical > 0 ? ` ${t('export-identical', params)}` : ''}${f.quarantined > 0 ? ` ${t('export-quarantined', params)}` : ''}${f.runId !== null ? ` (${t('run-number', { id: f.runId })})` : ''}</p>`;
  } else if (tracked.startedAt) {
    line = html`<p>${t('export-running', { at: formatDateTime(tracked.startedAt, lang) })}</p>`;
  } else {
    line = html`<p>${t('export-waiting', { at: formatDateTime(tracked.requestedAt, lang) })}</p>`;
  }
  return html`<div class="card" aria-live="polite"><p><strong>${t('export-latest')}</strong> ${what}</p>${line}</div>`;
}

export function renderExportForm(request: PageRequest, context: StatusContext, dossier: DossierRow, state: ExportFormState | null): SafeHtml {
  const { lang } = request;
  const t = dossierText(lang);
  const values = state?.values ?? defaults(context.now());
  const errors = state?.errors ?? [];
  const tracked = latestManualExport(context.agent, dossier.partyId);
  const kind = (k: DocumentKind) => html`<span class="check"><input type="checkbox" id="kind-${k}" name="kinds" value="${k}"${values.kinds.includes(k) ? html` checked` : ''}${k === 'purchase' ? invalidAttributes('kind-purchase', errors) : ''}> <label for="kind-${k}">${kindLabel(k, lang)}</label></span>`;
  return html`${tracked ? progress(tracked, lang) : ''}
<form method="post" action="/dossiers/${dossier.partyId}/export" novalidate>${tokenField(request.formToken)}
${errorSummary(t('errors-title'), errors)}
<fieldset><legend>${t('export-period')}</legend>
<div class="row">
<div class="field"><label for="export-from">${t('export-from-date')}</label><input type="date" id="export-from" name="from" value="${values.from}" class="short" required${invalidAttributes('export-from', errors)}>${fieldError('export-from', errors)}</div>
<div class="field"><label for="export-to">${t('export-to-date')}</label><input type="date" id="export-to" name="to" value="${values.to}" class="short" required${invalidAttributes('export-to', errors)}>${fieldError('export-to', errors)}</div>
</div>
<p class="hint">${t('export-period-hint')}</p>
</fieldset>
<fieldset class="inline-checks"><legend>${t('export-kinds')}</legend>${DOCUMENT_KINDS.map(kind)}${fieldError('kind-purchase', errors)}</fieldset>
<div class="field check"><input type="checkbox" id="includeExported" name="includeExported" value="1"${values.includeExported ? html` checked` : ''}> <label for="includeExported">${t('include-exported')}</label>
<p class="hint">${t('include-exported-hint')}</p></div>
<p class="buttons"><button type="submit">${t('export-submit')}</button></p>
</form>`;
}
