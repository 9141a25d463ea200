import type { Company } from '../../billit/schemas.js';
import { ConfigError } from '../../config/config-error.js';
import type { BillsyncConfig } from '../../config/schema.js';
import { codaFileName, documentFileName, exceedsWindowsMaxPath, KIND_FOLDERS, renderFolderTemplate, resolveInside, ublFileName } from '../../export/layout.js';
import type { DossierRow } from '../../ledger/dossier-repository.js';
import type { Ledger } from '../../ledger/ledger.js';
import { mapDossiers } from '../../sync/dossier-mapping.js';
import { html, type SafeHtml } from '../html.js';
import type { Lang } from '../i18n.js';
import type { PageRequest, StatusContext } from '../page.js';
import { tokenField } from '../view-format.js';
import { formString } from '../view-form.js';
import { dossierText } from './dossier-messages.js';

/** Example documents whose paths the preview shows: one per kind, named by the exporter's own functions. */
const EXAMPLES = {
  purchase: ublFileName({ issueDate: '2026-11-02', counterpartyVat: 'BE0123456749', invoiceNumber: 'F-2026/0042' }),
  sales: ublFileName({ issueDate: '2026-11-05', counterpartyVat: 'BE0417497106', invoiceNumber: 'VF-2026/0117' }),
  document: documentFileName({ name: 'Huurcontract 2026-11-05', documentId: 500123, extension: 'pdf' }),
  coda: codaFileName({ iban: 'BE68 5390 0754 7034', newBalanceDate: '2026-11-02', sequence: 42 }),
} as const;

export interface FolderPreview {
  /** The folder name the next run will use. */
  folder: string;
  /** What goes into the configuration: the typed name, or a template rendered for this dossier; null = no override. */
  override: string | null;
  paths: string[];
  /** Some example path is 260 characters or longer: Venice and Explorer cannot open it. */
  tooLong: boolean;
}

const PLACEHOLDERS = ['name', 'enterprise', 'vat', 'partyId'];

/** A folder template the exporter would refuse, said in the user's words (renderFolderTemplate's own message is English). */
class TemplateProblem extends Error {
  override readonly name = 'TemplateProblem';
  constructor(readonly problem: 'placeholder' | 'brace', readonly part: string) { super(`${problem} ${part}`); }
}

/** A value with `{…}` is a template ({name}, {enterprise}, {vat}, {partyId}), rendered for this dossier. */
function overrideOf(value: string, dossier: DossierRow): string | null {
  if (value === '') return null;
  if (!/[{}]/.test(value)) return value;
  for (const m of value.matchAll(/\{([^{}]*)\}/g)) if (!PLACEHOLDERS.includes(m[1]!)) throw new TemplateProblem('placeholder', m[0]);
  const stray = /[{}]/.exec(value.replace(/\{[^{}]*\}/g, ''));
  if (stray) throw new TemplateProblem('brace', stray[0]);
  return renderFolderTemplate(value, { name: dossier.name, enterprise: dossier.enterpriseNumber ?? String(dossier.partyId), vat: dossier.vatNumber ?? '', partyId: dossier.partyId });
}

/**
 * What the exporter will do with this folder value, computed by the exporter's own mapping
 * (mapDossiers: the override sanitised; without one the folder the dossier already has, else the
 * template; a name another dossier holds gets the PartyID appended) and path functions. Throws
 * TemplateProblem for a template with an unknown placeholder or a stray brace, RangeError for a
 * root that is not absolute.
 */
export function previewFolder(ledger: Ledger, config: BillsyncConfig, dossier: DossierRow, value: string): FolderPreview {
  const override = overrideOf(value.trim(), dossier);
  const known = ledger.dossiers.list();
  const companies: Company[] = known.map((d) => ({ PartyID: d.partyId, Name: d.name, VATNumber: d.vatNumber }));
  const next = withFolder(config, dossier.partyId, override);
  const mapped = mapDossiers(companies, next, new Map(known.map((d) => [d.partyId, d.folder] as const)));
  const folder = mapped.find((m) => m.partyId === dossier.partyId)?.folder ?? dossier.folder;
  const root = config.exportRoot ?? '';
  const paths = (Object.keys(EXAMPLES) as Array<keyof typeof EXAMPLES>).map((kind) => resolveInside(root, folder, KIND_FOLDERS[kind], EXAMPLES[kind]));
  return { folder, override, paths, tooLong: (Object.keys(EXAMPLES) as Array<keyof typeof EXAMPLES>).some((kind) => exceedsWindowsMaxPath(root, folder, KIND_FOLDERS[kind], EXAMPLES[kind])) };
}

export function withFolder(config: BillsyncConfig, partyId: number, override: string | null): BillsyncConfig {
  const next = structuredClone(config);
  const key = String(partyId);
  const entry = { ...(next.dossiers[key] ?? {}) };
  if (override === null) delete entry.folder;
  else entry.folder = override;
  if (Object.keys(entry).length === 0) delete next.dossiers[key];
  else next.dossiers[key] = entry;
  return next;
}

/** The preview as plain text (GET /dossiers/:id/preview and the page's <pre>): one path per line. */
export function previewText(ledger: Ledger, config: BillsyncConfig, dossier: DossierRow, value: string, lang: Lang): { ok: boolean; text: string } {
  const t = dossierText(lang);
  try {
    const preview = previewFolder(ledger, config, dossier, value);
    return { ok: true, text: [...preview.paths, ...(preview.tooLong ? ['', t('preview-too-long')] : [])].join('\n') };
  } catch (error) {
    if (error instanceof TemplateProblem) {
      return { ok: false, text: t(error.problem === 'brace' ? 'template-brace' : 'template-placeholder', { part: error.part, known: PLACEHOLDERS.map((p) => `{${p}}`).join(', ') }) };
    }
    if (error instanceof RangeError) return { ok: false, text: t('preview-invalid', { reason: error.message }) };
    throw error;
  }
}

export interface FolderFormState {
  value: string;
  /** Shown after "Preview" without JavaScript, or with an error after "Save". */
  preview: { ok: boolean; text: string } | null;
  failure: string | null;
}

/**
 * POST /dossiers/:id/folder: "Preview" (action=preview) shows the paths without saving, for browsers
 * without JavaScript; "Save" stores the override (a template is stored rendered, as previewed), an
 * empty value removes it.
 */
export async function saveFolder(request: PageRequest, context: StatusContext, dossier: DossierRow): Promise<'folder-saved' | 'folder-removed' | FolderFormState> {
  const value = formString(request.form, 'folder');
  const preview = previewText(context.app.ledger, context.app.config, dossier, value, request.lang);
  if (formString(request.form, 'action') === 'preview' || !preview.ok) return { value, preview, failure: null };
  const override = overrideOf(value, dossier);
  try {
    await context.saveConfig((current) => withFolder(current, dossier.partyId, override));
  } catch (error) {
    if (error instanceof ConfigError) return { value, preview, failure: error.message };
    throw error;
  }
  return override === null ? 'folder-removed' : 'folder-saved';
}

export function renderFolderForm(request: PageRequest, context: StatusContext, dossier: DossierRow, state: FolderFormState | null): SafeHtml {
  const t = dossierText(request.lang);
  const configured = context.app.config.dossiers[String(dossier.partyId)]?.folder ?? '';
  const value = state?.value ?? configured;
  const preview = state?.preview ?? previewText(context.app.ledger, context.app.config, dossier, value, request.lang);
  const invalid = !preview.ok;
  return html`<form method="post" action="/dossiers/${dossier.partyId}/folder">${tokenField(request.formToken)}
${state?.failure ? html`<div class="error" role="alert"><p><strong>${t('not-saved')}</strong></p><p lang="en">${state.failure}</p></div>` : ''}
<div class="field"><label for="folder">${t('folder-field')}</label>
<input type="text" id="folder" name="folder" value="${value}" placeholder="${dossier.folder}" autocomplete="off" spellcheck="false"
 data-preview="/dossiers/${dossier.partyId}/preview" data-preview-target="folder-preview" aria-describedby="folder-hint folder-preview-label"${invalid ? html` aria-invalid="true"` : ''}>
<p class="hint" id="folder-hint">${t('folder-hint', { template: context.app.config.dossierFolderTemplate })}</p></div>
<p class="preview-label" id="folder-preview-label">${t('preview-label')}</p>
<pre id="folder-preview" class="preview${invalid ? ' invalid' : ''}" aria-live="polite">${preview.text}</pre>
<p class="buttons"><button type="submit" name="action" value="save">${t('save')}</button>
<button type="submit" name="action" value="preview" class="secondary">${t('preview')}</button></p>
<p class="hint">${t('folder-after-save')}</p>
</form>`;
}
