import { ConfigError } from '../../config/config-error.js';
import { resolvePolicy } from '../../config/resolve-policy.js';
import type { BillsyncConfig } from '../../config/schema.js';
import { FREQUENCIES, type Frequency, type Policy } from '../../core/policy.js';
import { html, type SafeHtml } from '../html.js';
import type { Lang } from '../i18n.js';
import type { PageRequest, StatusContext } from '../page.js';
import { formatDate, frequencyLabel, tokenField } from '../view-format.js';
import { errorSummary, fieldError, formBool, formString, invalidAttributes, isCalendarDate, type FieldError } from '../view-form.js';
import { dossierText } from './dossier-messages.js';

/** The policy form as typed: strings, so that a wrong value is shown back exactly as entered. */
export interface PolicyFormValues {
  frequency: string;
  lastMonthDay: string;
  lastMonthTime: string;
  requireApproval: boolean;
  lockAfterExport: boolean;
  exportFrom: string;
  disabled: boolean;
}

export interface PolicyFormState {
  values: PolicyFormValues;
  errors: FieldError[];
  /** The save itself failed (ConfigError from validation of the whole file, or the disk). */
  failure: string | null;
}

type PolicyOverride = NonNullable<NonNullable<BillsyncConfig['dossiers'][string]>['policy']>;

/** The office's policy: what a dossier without an override gets. */
export function officePolicy(config: BillsyncConfig, partyId: number): Policy {
  return resolvePolicy({ ...config, dossiers: {} }, partyId);
}

export function policyValuesOf(config: BillsyncConfig, partyId: number): PolicyFormValues {
  const policy = resolvePolicy(config, partyId);
  return {
    frequency: policy.frequency, lastMonthDay: String(policy.lastMonthDay), lastMonthTime: policy.lastMonthTime,
    requireApproval: policy.requireApproval, lockAfterExport: policy.lockAfterExport, exportFrom: policy.exportFrom ?? '',
    disabled: config.dossiers[String(partyId)]?.disabled ?? false,
  };
}

function valuesFromForm(form: FormData | null): PolicyFormValues {
  return {
    frequency: formString(form, 'frequency'), lastMonthDay: formString(form, 'lastMonthDay'), lastMonthTime: formString(form, 'lastMonthTime'),
    requireApproval: formBool(form, 'requireApproval'), lockAfterExport: formBool(form, 'lockAfterExport'),
    exportFrom: formString(form, 'exportFrom'), disabled: formBool(form, 'disabled'),
  };
}

/** Checks every field (all problems at once, in the user's language); the policy when all are right. */
function validate(values: PolicyFormValues, lang: Lang): { policy: Policy | null; errors: FieldError[] } {
  const t = dossierText(lang);
  const errors: FieldError[] = [];
  if (!(FREQUENCIES as readonly string[]).includes(values.frequency)) errors.push({ field: 'frequency-last-month', message: t('error-frequency') });
  const day = Number(values.lastMonthDay);
  if (!/^\d{1,2}$/.test(values.lastMonthDay) || day < 1 || day > 28) errors.push({ field: 'lastMonthDay', message: t('error-day', { value: values.lastMonthDay }) });
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(values.lastMonthTime)) errors.push({ field: 'lastMonthTime', message: t('error-time', { value: values.lastMonthTime }) });
  if (values.exportFrom !== '' && !isCalendarDate(values.exportFrom)) errors.push({ field: 'exportFrom', message: t('error-date', { value: values.exportFrom }) });
  if (errors.length > 0) return { policy: null, errors };
  return {
    policy: {
      frequency: values.frequency as Frequency, lastMonthDay: day, lastMonthTime: values.lastMonthTime,
      requireApproval: values.requireApproval, lockAfterExport: values.lockAfterExport, exportFrom: values.exportFrom === '' ? null : values.exportFrom,
    },
    errors,
  };
}

/**
 * The next configuration: the dossier keeps only what differs from the office (schema.ts: "a dossier
 * overrides only what differs"), so a later change of the office default still reaches it; `null`
 * removes the dossier's policy override altogether ("use the office defaults").
 */
export function withDossierPolicy(config: BillsyncConfig, partyId: number, policy: Policy | null, disabled: boolean): BillsyncConfig {
  const next = structuredClone(config);
  const key = String(partyId);
  const entry = { ...(next.dossiers[key] ?? {}) };
  delete entry.policy;
  if (policy !== null) {
    const office = officePolicy(config, partyId);
    const override: PolicyOverride = {};
    if (policy.frequency !== office.frequency) override.frequency = policy.frequency;
    if (policy.requireApproval !== office.requireApproval) override.requireApproval = policy.requireApproval;
    if (policy.lockAfterExport !== office.lockAfterExport) override.lockAfterExport = policy.lockAfterExport;
    if (policy.lastMonthDay !== office.lastMonthDay) override.lastMonthDay = policy.lastMonthDay;
    if (policy.lastMonthTime !== office.lastMonthTime) override.lastMonthTime = policy.lastMonthTime;
    // An empty date cannot be written as an override: the dossier then follows the office's date.
    if (policy.exportFrom !== null && policy.exportFrom !== office.exportFrom) override.exportFrom = policy.exportFrom;
    if (Object.keys(override).length > 0) entry.policy = override;
  }
  if (disabled) entry.disabled = true;
  else delete entry.disabled;
  if (Object.keys(entry).length === 0) delete next.dossiers[key];
  else next.dossiers[key] = entry;
  return next;
}

/**
 * POST /dossiers/:id/policy. "Save" validates and saves; "Use the office defaults" (action=reset)
 * removes the dossier's override. Invalid input saves nothing and comes back with the errors.
 */
export async function savePolicy(request: PageRequest, context: StatusContext, partyId: number): Promise<{ saved: 'policy-saved' | 'policy-reset' } | PolicyFormState> {
  const values = valuesFromForm(request.form);
  const reset = formString(request.form, 'action') === 'reset';
  let policy: Policy | null = null;
  if (!reset) {
    const checked = validate(values, request.lang);
    if (checked.policy === null) return { values, errors: checked.errors, failure: null };
    policy = checked.policy;
  }
  try {
    await context.saveConfig((current) => withDossierPolicy(current, partyId, policy, values.disabled));
  } catch (error) {
    if (error instanceof ConfigError) return { values, errors: [], failure: error.message };
    throw error;
  }
  return { saved: reset ? 'policy-reset' : 'policy-saved' };
}

export function renderPolicyForm(request: PageRequest, context: StatusContext, partyId: number, state: PolicyFormState | null): SafeHtml {
  const { lang } = request;
  const t = dossierText(lang);
  const config = context.app.config;
  const values = state?.values ?? policyValuesOf(config, partyId);
  const errors = state?.errors ?? [];
  const office = officePolicy(config, partyId);
  const own = config.dossiers[String(partyId)]?.policy;
  const ownKeys = own ? Object.keys(own).filter((k) => own[k as keyof typeof own] !== undefined) : [];
  const radio = (frequency: Frequency, label: string) => html`<div><input type="radio" name="frequency" id="frequency-${frequency}" value="${frequency}"${values.frequency === frequency ? html` checked` : ''}${frequency === 'last-month' ? invalidAttributes('frequency-last-month', errors) : ''}> <label for="frequency-${frequency}">${label}</label></div>`;
  return html`<form method="post" action="/dossiers/${partyId}/policy" novalidate>${tokenField(request.formToken)}
${errorSummary(t('errors-title'), errors)}
${state?.failure ? html`<div class="error" role="alert"><p><strong>${t('not-saved')}</strong></p><p lang="en">${state.failure}</p></div>` : ''}
<p class="hint">${ownKeys.length === 0 ? t('policy-follows-office', { office: frequencyLabel(office, lang) }) : t('policy-own', { count: ownKeys.length })}</p>
<fieldset class="choices"><legend>${t('frequency')}</legend>
${radio('never', t('frequency-never'))}
${radio('last-month', t('frequency-last-month'))}
<div class="sub-fields">
<div class="field"><label for="lastMonthDay">${t('day')}</label><input type="number" id="lastMonthDay" name="lastMonthDay" min="1" max="28" inputmode="numeric" value="${values.lastMonthDay}" class="short"${invalidAttributes('lastMonthDay', errors)}>${fieldError('lastMonthDay', errors)}</div>
<div class="field"><label for="lastMonthTime">${t('time')}</label><input type="time" id="lastMonthTime" name="lastMonthTime" value="${values.lastMonthTime}" class="short"${invalidAttributes('lastMonthTime', errors)}>${fieldError('lastMonthTime', errors)}</div>
</div>
${radio('after-10-minutes', t('frequency-after-10-minutes'))}
${fieldError('frequency-last-month', errors)}
</fieldset>
<div class="field check"><input type="checkbox" id="requireApproval" name="requireApproval" value="1"${values.requireApproval ? html` checked` : ''}> <label for="requireApproval">${t('require-approval')}</label><p class="hint">${t('require-approval-hint')}</p></div>
<div class="field check"><input type="checkbox" id="lockAfterExport" name="lockAfterExport" value="1"${values.lockAfterExport ? html` checked` : ''}> <label for="lockAfterExport">${t('lock-after-export')}</label><p class="hint">${t('lock-after-export-hint')}</p></div>
<div class="field"><label for="exportFrom">${t('export-from')}</label><input type="date" id="exportFrom" name="exportFrom" value="${values.exportFrom}" class="short"${invalidAttributes('exportFrom', errors)}>${fieldError('exportFrom', errors)}
<p class="hint">${office.exportFrom ? t('export-from-hint-office', { date: formatDate(office.exportFrom, lang) }) : t('export-from-hint')}</p></div>
<div class="field check"><input type="checkbox" id="disabled" name="disabled" value="1"${values.disabled ? html` checked` : ''}> <label for="disabled">${t('disabled')}</label><p class="hint">${t('disabled-hint')}</p></div>
<p class="buttons"><button type="submit" name="action" value="save">${t('save')}</button>
<button type="submit" name="action" value="reset" class="secondary">${t('use-office-defaults')}</button></p>
</form>`;
}
