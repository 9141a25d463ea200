import type { BillsyncConfig, ConfigInput } from '../../config/schema.js';
import { renderFolderTemplate } from '../../export/layout.js';
import { errorSummary, fieldId, formText, noticeBox, radioGroup, textField, tokenField, type FieldError } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import { translator, type Translate } from '../i18n.js';
import type { PageRequest } from '../page.js';
import { isFullPath } from '../../export/root-write-test.js';
import { SETTINGS_MESSAGES, type SettingsKey } from './settings-messages.js';
import { isProxyAddress, maskProxyPassword, restoreProxyPassword } from './settings-proxy.js';

/**
 * The settings form: the configuration's values as the user typed them, turned into a new
 * configuration (or per-field errors), and rendered back. The API key is never part of the values:
 * it is read from the post, used, and never rendered, not even as a length. The proxy address is a value,
 * but its password only ever appears masked (settings-proxy.ts).
 */

/** The form's fields, as text (what the user typed, kept when the page comes back with errors). */
export interface SettingsValues {
  baseUrl: string;
  accountantPartyId: string;
  mode: string;
  feedName: string;
  exportRoot: string;
  dossierFolderTemplate: string;
  ratePerSecond: string;
  maxConcurrent: string;
  /** The proxy address; its saved password as PROXY_PASSWORD_MASK. */
  proxy: string;
}

/** The configuration key each field stands for, to place schema errors (ConfigError.key) beside their field. */
export const CONFIG_KEY_FIELDS: Record<string, string> = {
  'billit.apiKey': 'apiKey', 'billit.accountantPartyId': 'accountantPartyId', 'billit.baseUrl': 'baseUrl', 'billit.mode': 'mode',
  'billit.feedName': 'feedName', exportRoot: 'exportRoot', dossierFolderTemplate: 'dossierFolderTemplate',
  'billit.ratePerSecond': 'ratePerSecond', 'billit.maxConcurrent': 'maxConcurrent', 'billit.proxy': 'proxy',
};

/** An example dossier for the folder template preview. */
export interface ExampleDossier {
  name: string;
  enterprise: string;
  vat: string;
  partyId: number;
}

export const SAMPLE_DOSSIER: ExampleDossier = { name: 'Bakkerij Peeters', enterprise: '0123456749', vat: 'BE0123456749', partyId: 123456 };

export function valuesOf(config: BillsyncConfig): SettingsValues {
  return {
    baseUrl: config.billit.baseUrl,
    accountantPartyId: config.billit.accountantPartyId === undefined ? '' : String(config.billit.accountantPartyId),
    mode: config.billit.mode,
    feedName: config.billit.feedName,
    exportRoot: config.exportRoot ?? '',
    dossierFolderTemplate: config.dossierFolderTemplate,
    ratePerSecond: formatNumber(config.billit.ratePerSecond),
    maxConcurrent: String(config.billit.maxConcurrent),
    proxy: maskProxyPassword(config.billit.proxy ?? ''),
  };
}

/** The posted fields; `apiKey` is '' when the user left it empty (= keep the current key). */
export function readSettingsForm(form: FormData | null): { values: SettingsValues; apiKey: string } {
  return {
    apiKey: formText(form, 'apiKey', 500),
    values: {
      baseUrl: formText(form, 'baseUrl', 500),
      accountantPartyId: formText(form, 'accountantPartyId', 40),
      mode: formText(form, 'mode', 20),
      feedName: formText(form, 'feedName', 200),
      exportRoot: formText(form, 'exportRoot', 1000),
      dossierFolderTemplate: formText(form, 'dossierFolderTemplate', 500),
      ratePerSecond: formText(form, 'ratePerSecond', 40),
      maxConcurrent: formText(form, 'maxConcurrent', 40),
      proxy: formText(form, 'proxy', 500),
    },
  };
}

/**
 * The configuration the form asks for: `current` with the form's values put in. Field errors are the
 * ones billsync can name in the user's words; the schema (parseConfig) checks the rest afterwards.
 */
export function settingsToConfig(values: SettingsValues, apiKey: string, current: BillsyncConfig, t: Translate<SettingsKey>): { next: ConfigInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => { errors.push({ field, message }); };
  const key = apiKey !== '' ? apiKey : current.billit.apiKey;
  if (!key) fail('apiKey', t('apiKeyMissing'));
  // The stored key goes only where it went before: a new address (typed by the user, or posted by
  // whoever got hold of the page's cookie) must come with the key typed again.
  else if (apiKey === '' && values.baseUrl !== current.billit.baseUrl) fail('apiKey', t('apiKeyForNewAddress'));

  let party: number | undefined;
  if (values.accountantPartyId !== '') {
    party = /^\d{1,15}$/.test(values.accountantPartyId) ? Number(values.accountantPartyId) : NaN;
    if (!Number.isSafeInteger(party) || party <= 0) fail('accountantPartyId', t('partyInvalid'));
  }
  if (!/^https?:\/\/[^\s]+$/i.test(values.baseUrl) || !URL.canParse(values.baseUrl)) fail('baseUrl', t('baseUrlInvalid'));
  const mode = values.mode === 'feed' ? 'feed' : 'direct';
  if (!/^[\w.-]{1,100}$/.test(values.feedName)) fail('feedName', t('feedNameInvalid'));
  if (values.exportRoot === '') fail('exportRoot', t('rootMissingValue'));
  else if (!isFullPath(values.exportRoot)) fail('exportRoot', t('rootRelative'));
  const templateProblem = checkTemplate(values.dossierFolderTemplate, t);
  if (templateProblem !== null) fail('dossierFolderTemplate', templateProblem);
  const rate = parseNumber(values.ratePerSecond);
  if (rate === null || !(rate > 0 && rate <= 100)) fail('ratePerSecond', t('rateInvalid'));
  const concurrent = /^\d{1,2}$/.test(values.maxConcurrent) ? Number(values.maxConcurrent) : NaN;
  if (!(concurrent >= 1 && concurrent <= 32)) fail('maxConcurrent', t('concurrentInvalid'));
  let proxy: string | undefined;
  if (values.proxy !== '') {
    const restored = restoreProxyPassword(values.proxy, current.billit.proxy);
    if (restored === null) fail('proxy', t('proxyRetype'));
    else if (!isProxyAddress(restored)) fail('proxy', t('proxyInvalid'));
    else proxy = restored;
  }

  const { accountantPartyId: _dropped, proxy: _replaced, ...billitRest } = current.billit;
  const next: ConfigInput = {
    ...current,
    billit: {
      ...billitRest,
      baseUrl: values.baseUrl, mode, feedName: values.feedName,
      ratePerSecond: rate ?? current.billit.ratePerSecond, maxConcurrent: Number.isFinite(concurrent) ? concurrent : current.billit.maxConcurrent,
      ...(key ? { apiKey: key } : {}),
      ...(party !== undefined && Number.isSafeInteger(party) ? { accountantPartyId: party } : {}),
      ...(proxy !== undefined ? { proxy } : {}),
    },
    exportRoot: values.exportRoot,
    dossierFolderTemplate: values.dossierFolderTemplate,
  };
  return { next, errors };
}

/** The folder name a template gives the example dossier, or the problem with the template in words. */
export function previewTemplate(template: string, example: ExampleDossier, t: Translate<SettingsKey>): { ok: boolean; text: string } {
  const problem = checkTemplate(template, t);
  if (problem !== null) return { ok: false, text: problem };
  return { ok: true, text: t('templatePreview', { example: renderFolderTemplate(template, example) }) };
}

function checkTemplate(template: string, t: Translate<SettingsKey>): string | null {
  if (template.trim() === '') return t('templateMissing');
  try {
    renderFolderTemplate(template, SAMPLE_DOSSIER);
    return null;
  } catch (error) {
    const unknown = /unknown placeholder (\{[^{}]*\})/.exec((error as Error).message);
    return unknown ? t('templateUnknown', { placeholder: unknown[1]! }) : t('templateUnbalanced');
  }
}

/** "0,5", "0.5", "4" → a number; null when it is not one. (A pace, not money: a float is right here.) */
function parseNumber(text: string): number | null {
  const normal = text.replace(',', '.');
  return /^\d{1,3}(?:\.\d{1,3})?$/.test(normal) ? Number(normal) : null;
}

function formatNumber(value: number): string {
  return String(value);
}

export interface SettingsView {
  values: SettingsValues;
  /** Whether the saved configuration has a key (the key itself is never given to the view). */
  hasKey: boolean;
  /** The user typed a key that was not saved (errors): ask for it again. */
  keyDiscarded: boolean;
  /** Likewise a password in the proxy address (left out of the field). */
  proxyPasswordDiscarded: boolean;
  errors: FieldError[];
  /** Confirmations or the write test's result, already in words. */
  notices: SafeHtml[];
  warnings: string[];
  example: ExampleDossier;
}

/** The whole settings page body. */
export function renderSettings(request: PageRequest, view: SettingsView): SafeHtml {
  const t = translator(SETTINGS_MESSAGES, request.lang);
  const error = (field: string) => view.errors.find((e) => e.field === field)?.message ?? null;
  const v = view.values;
  const preview = previewTemplate(v.dossierFolderTemplate, view.example, t);
  const previewId = `${fieldId('dossierFolderTemplate')}-preview`;
  return html`${errorSummary(t('errorHeading'), view.errors)}
${view.notices.map((notice) => noticeBox(notice))}
${view.warnings.map((warning) => html`<div class="warning" role="status">${warning}</div>`)}
<form method="post" action="/settings" novalidate>
${tokenField(request)}
<fieldset><legend>${t('sectionBillit')}</legend>
${view.keyDiscarded ? html`<p class="warning">${t('keyRetype')}</p>` : ''}
${textField({ name: 'apiKey', label: t('apiKeyLabel'), type: 'password', value: '', autocomplete: 'new-password', spellcheck: false, hint: view.hasKey ? t('apiKeyHintSet') : t('apiKeyHintUnset'), error: error('apiKey') })}
${textField({ name: 'accountantPartyId', label: t('partyLabel'), value: v.accountantPartyId, inputmode: 'numeric', autocomplete: 'off', hint: t('partyHint'), error: error('accountantPartyId') })}
${textField({ name: 'baseUrl', label: t('baseUrlLabel'), value: v.baseUrl, inputmode: 'url', spellcheck: false, autocomplete: 'off', hint: t('baseUrlHint'), error: error('baseUrl') })}
${radioGroup({ name: 'mode', legend: t('modeLegend'), value: v.mode, error: error('mode'), choices: [
    { value: 'direct', label: t('modeDirect'), hint: t('modeDirectHint') },
    { value: 'feed', label: t('modeFeed'), hint: t('modeFeedHint') },
  ] })}
${textField({ name: 'feedName', label: t('feedNameLabel'), value: v.feedName, spellcheck: false, autocomplete: 'off', hint: t('feedNameHint'), error: error('feedName') })}
</fieldset>
<fieldset><legend>${t('sectionExport')}</legend>
${textField({ name: 'exportRoot', label: t('rootLabel'), value: v.exportRoot, spellcheck: false, autocomplete: 'off', hint: t('rootHint'), error: error('exportRoot') })}
${textField({
    name: 'dossierFolderTemplate', label: t('templateLabel'), value: v.dossierFolderTemplate, spellcheck: false, autocomplete: 'off',
    hint: t('templateHint'), error: error('dossierFolderTemplate'), describedBy: [previewId],
    attributes: html` data-preview="/settings/folder-preview" data-preview-target="${previewId}"`,
    after: html`<p class="hint" id="${previewId}" aria-live="polite">${preview.text}</p>`,
  })}
</fieldset>
<fieldset><legend>${t('sectionNetwork')}</legend>
${view.proxyPasswordDiscarded ? html`<p class="warning">${t('proxyRetype')}</p>` : ''}
${textField({ name: 'proxy', label: t('proxyLabel'), value: v.proxy, inputmode: 'url', spellcheck: false, autocomplete: 'off', hint: t('proxyHint'), error: error('proxy') })}
${textField({ name: 'ratePerSecond', label: t('rateLabel'), value: v.ratePerSecond, inputmode: 'decimal', autocomplete: 'off', hint: t('rateHint'), error: error('ratePerSecond') })}
${textField({ name: 'maxConcurrent', label: t('concurrentLabel'), value: v.maxConcurrent, inputmode: 'numeric', autocomplete: 'off', hint: t('concurrentHint'), error: error('maxConcurrent') })}
</fieldset>
<p><button type="submit">${t('save')}</button>
<button type="submit" class="secondary" formaction="/settings/test-root">${t('testButton')}</button></p>
</form>`;
}
