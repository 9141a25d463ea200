import { join } from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import { loadConfig, parseConfig, requireExportSettings } from '../../config/load-config.js';
import type { BillsyncConfig } from '../../config/schema.js';
import { checkExportRoot, ROOT_MARKER } from '../../export/export-root.js';
import { writeTestExportRoot, type RootTest } from '../../export/root-write-test.js';
import type { FieldError } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import { translator, type Translate } from '../i18n.js';
import type { PageRequest, PageResult, Route, StatusContext } from '../page.js';
import { checkBillitAccess, type BillitCheck } from '../../billit/access-check.js';
import {
  CONFIG_KEY_FIELDS, previewTemplate, readSettingsForm, renderSettings, SAMPLE_DOSSIER, settingsToConfig, valuesOf,
  type ExampleDossier, type SettingsValues,
} from './settings-form.js';
import { SETTINGS_MESSAGES, type SettingsKey } from './settings-messages.js';
import { proxyForDisplay, proxyPasswords } from './settings-proxy.js';

/**
 * Settings (GET/POST /settings): the API key (write-only), the accountant's party, the mode, the export
 * root with a write test, the dossier folder template with a preview, the proxy (its password masked),
 * the request pace.
 *
 * Saving checks everything BEFORE it writes: the form's values, the schema, a write test in the export
 * root and, when the key, party, address or proxy changed, a live call to Billit with the new settings.
 * Any failure re-shows the form with the message and the typed values (never the key, nor a proxy
 * password), and leaves the configuration file untouched, byte for byte.
 */
export const settingsRoutes: Route[] = [
  { method: 'GET', path: '/settings', handler: showSettings },
  { method: 'POST', path: '/settings', handler: saveSettings },
  { method: 'POST', path: '/settings/test-root', handler: testRoot },
  { method: 'GET', path: '/settings/folder-preview', handler: folderPreview },
];

function showSettings(request: PageRequest, context: StatusContext): PageResult {
  const t = translator(SETTINGS_MESSAGES, request.lang);
  const notices: SafeHtml[] = [];
  const warnings: string[] = [];
  if (request.query.get('saved') === '1') notices.push(html`${t('saved')}`);
  if (request.query.get('marker') === '1') notices.push(html`${t('markerCreated')}`);
  if (request.query.get('warn') === 'marker') warnings.push(t('rootNoMarkerKnown'));
  return page(request, context, { values: valuesOf(context.app.config), errors: [], notices, warnings, keyDiscarded: false });
}

async function saveSettings(request: PageRequest, context: StatusContext): Promise<PageResult> {
  const t = translator(SETTINGS_MESSAGES, request.lang);
  const { values, apiKey } = readSettingsForm(request.form);
  const current = await currentConfig(context);
  const { next, errors } = settingsToConfig(values, apiKey, current, t);
  const scrub = scrubber([apiKey, current.billit.apiKey, ...proxyPasswords(current.billit.proxy), ...proxyPasswords(values.proxy)]);

  let parsed: BillsyncConfig | null = null;
  if (errors.length === 0) {
    try {
      parsed = parseConfig(next, context.app.configFile);
      requireExportSettings(parsed, context.app.configFile);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(schemaError(t, error));
      parsed = null;
    }
  }
  let rootTest: RootTest | null = null;
  if (parsed !== null) {
    const root = parsed.exportRoot!;
    rootTest = await writeTestExportRoot(context.app.fs, root);
    if (!rootTest.ok) errors.push({ field: 'exportRoot', message: rootProblem(t, rootTest, root) });
    const billit = parsed.billit;
    if (billit.apiKey !== current.billit.apiKey || billit.accountantPartyId !== current.billit.accountantPartyId || billit.baseUrl !== current.billit.baseUrl
      || billit.proxy !== current.billit.proxy) {
      const check = await checkBillitAccess({ baseUrl: billit.baseUrl, apiKey: billit.apiKey!, accountantPartyId: billit.accountantPartyId ?? null, proxy: billit.proxy ?? null });
      if (!check.ok) errors.push(billitProblem(t, check, billit.baseUrl, billit.accountantPartyId ?? null, scrub));
    }
  }
  if (parsed === null || rootTest === null || !rootTest.ok || errors.length > 0) {
    return page(request, context, { values, errors, notices: [], warnings: [], keyDiscarded: apiKey !== '' }, 400);
  }

  const root = parsed.exportRoot!;
  const markerMayBeCreated = root !== current.exportRoot || !everPlaced(context);
  let markerCreated = false;
  try {
    if (!rootTest.hasMarker && markerMayBeCreated) {
      // The user chose this folder just now (or billsync never exported anywhere): it is the real root.
      await checkExportRoot(context.app.fs, root, true);
      markerCreated = true;
    }
    // The form owns the Billit settings, the export root and the folder template; dossiers, policy and
    // the rest come from the file as it is when the save runs (another tab or the CLI may have changed them).
    await context.saveConfig((latest) => ({ ...latest, billit: next.billit, exportRoot: next.exportRoot, dossierFolderTemplate: next.dossierFolderTemplate }));
  } catch (error) {
    // Nothing saved, nothing left behind: the marker goes again with the failed save.
    if (markerCreated) await context.app.fs.unlink(join(root, ROOT_MARKER)).catch(() => undefined);
    const message = error instanceof ConfigError ? schemaError(t, error) : { field: null, message: `${t('saveFailed')} ${t('detail', { detail: scrub((error as Error).message) })}` };
    return page(request, context, { values, errors: [message], notices: [], warnings: [], keyDiscarded: apiKey !== '' }, 400);
  }
  const flags = ['saved=1', ...(markerCreated ? ['marker=1'] : []), ...(!rootTest.hasMarker && !markerMayBeCreated ? ['warn=marker'] : [])];
  return { kind: 'redirect', to: `/settings?${flags.join('&')}` };
}

/** The write test on its own: the form comes back with what the user typed and the verdict. */
async function testRoot(request: PageRequest, context: StatusContext): Promise<PageResult> {
  const t = translator(SETTINGS_MESSAGES, request.lang);
  const { values, apiKey } = readSettingsForm(request.form);
  const root = values.exportRoot;
  if (root === '') return page(request, context, { values, errors: [{ field: 'exportRoot', message: t('rootMissingValue') }], notices: [], warnings: [], keyDiscarded: apiKey !== '' }, 400);
  const result = await writeTestExportRoot(context.app.fs, root);
  if (!result.ok) return page(request, context, { values, errors: [{ field: 'exportRoot', message: rootProblem(t, result, root) }], notices: [], warnings: [], keyDiscarded: apiKey !== '' }, 400);
  const fresh = root !== context.app.config.exportRoot || !everPlaced(context);
  const notices = [html`${t('rootOk', { root })}${result.hasMarker ? html` ${t('rootHasMarker')}` : fresh ? html` ${t('rootNoMarkerNew')}` : ''}`];
  const warnings = !result.hasMarker && !fresh ? [t('rootNoMarkerKnown')] : [];
  return page(request, context, { values, errors: [], notices, warnings, keyDiscarded: apiKey !== '' });
}

/** The live preview of the folder template (client-script.ts fetches it as the user types). */
function folderPreview(request: PageRequest, context: StatusContext): PageResult {
  const t = translator(SETTINGS_MESSAGES, request.lang);
  return { kind: 'text', contentType: 'text/plain; charset=utf-8', text: previewTemplate(request.query.get('value') ?? '', exampleDossier(context), t).text };
}

function page(request: PageRequest, context: StatusContext, view: { values: SettingsValues; errors: FieldError[]; notices: SafeHtml[]; warnings: string[]; keyDiscarded: boolean }, status = 200): PageResult {
  const t = translator(SETTINGS_MESSAGES, request.lang);
  // The one place values become a page: a proxy password the user typed is never sent back.
  const proxy = proxyForDisplay(view.values.proxy);
  return {
    kind: 'page', status, nav: 'settings', title: t('title'),
    body: renderSettings(request, {
      ...view, values: { ...view.values, proxy: proxy.text }, proxyPasswordDiscarded: proxy.discarded,
      hasKey: Boolean(context.app.config.billit.apiKey), example: exampleDossier(context),
    }),
  };
}

/** The file as it is now (a CLI or an editor may have changed it since it was applied); the applied one when it cannot be read. */
async function currentConfig(context: StatusContext): Promise<BillsyncConfig> {
  try {
    return await loadConfig(context.app.configFile);
  } catch (error) {
    if (error instanceof ConfigError) return context.app.config;
    throw error;
  }
}

/** The same test the run makes before it trusts a root without its marker (run-sync.ts). */
function everPlaced(context: StatusContext): boolean {
  return context.app.ledger.documents.countsByDossier().some((c) => c.state !== 'seen' && c.state !== 'quarantined' && c.count > 0);
}

/** A real dossier for the template preview when there is one. */
function exampleDossier(context: StatusContext): ExampleDossier {
  const first = context.app.ledger.dossiers.list()[0];
  if (first === undefined) return SAMPLE_DOSSIER;
  return { name: first.name, enterprise: first.enterpriseNumber ?? String(first.partyId), vat: first.vatNumber ?? '', partyId: first.partyId };
}

const FIELD_LABELS: Record<string, SettingsKey> = {
  apiKey: 'apiKeyLabel', accountantPartyId: 'partyLabel', baseUrl: 'baseUrlLabel', mode: 'modeLegend', feedName: 'feedNameLabel',
  exportRoot: 'rootLabel', dossierFolderTemplate: 'templateLabel', ratePerSecond: 'rateLabel', maxConcurrent: 'concurrentLabel', proxy: 'proxyLabel',
};

/** A value the schema refused, named by its field's label (or by its configuration key when the page has no field for it). */
function schemaError(t: Translate<SettingsKey>, error: ConfigError): FieldError {
  const field = error.key === null ? null : CONFIG_KEY_FIELDS[error.key] ?? null;
  const label = field === null ? undefined : FIELD_LABELS[field];
  return { field, message: t('schemaInvalid', { field: label === undefined ? error.key ?? 'configuration' : t(label) }) };
}

function rootProblem(t: Translate<SettingsKey>, test: Extract<RootTest, { ok: false }>, root: string): string {
  switch (test.problem) {
    case 'relative': return t('rootRelative');
    case 'missing': return t('rootMissing', { root });
    case 'blocked': return t('rootBlocked', { root });
    case 'not-folder': return t('rootNotFolder', { root });
    case 'denied': return t('rootDenied', { root, code: test.code });
    case 'read-only': return t('rootReadOnly', { root });
    case 'full': return t('rootFull', { root });
    case 'other': return t('rootOther', { root, code: test.code });
  }
}

function billitProblem(t: Translate<SettingsKey>, check: Extract<BillitCheck, { ok: false }>, url: string, party: number | null, scrub: (text: string) => string): FieldError {
  const detail = t('detail', { detail: scrub(check.detail) });
  switch (check.problem) {
    case 'key-rejected': return { field: 'apiKey', message: t('billitRejected') };
    case 'party': return { field: 'accountantPartyId', message: t('billitParty', { party: party ?? '' }) };
    case 'unreachable': return { field: 'baseUrl', message: `${t('billitUnreachable', { url })} ${detail}` };
    case 'proxy': {
      const message = check.proxy === null ? t('billitProxy') : t(check.credentialsSent ? 'billitProxyRefused' : 'billitProxyAuth', { proxy: check.proxy });
      return { field: 'proxy', message };
    }
    case 'other': return { field: null, message: `${t('billitOther')} ${detail}` };
  }
}

/** Removes the keys from a text before it reaches the page (an error message should never hold one, but must not leak it if it does). */
function scrubber(secrets: Array<string | undefined>): (text: string) => string {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (text) => known.reduce((out, secret) => out.split(secret).join('•••'), text);
}
