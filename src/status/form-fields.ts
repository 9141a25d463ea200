import { html, type SafeHtml } from './html.js';
import type { PageRequest } from './page.js';

/**
 * Form building blocks shared by the status pages. Every field has a visible label tied to its input,
 * its hint and its error through aria-describedby, and marks itself aria-invalid when wrong, so the
 * forms work with the keyboard and a screen reader alone. Plain HTML forms: no script needed.
 */

/** The hidden form token every POST must carry (server.ts refuses a form without it). */
export function tokenField(request: PageRequest): SafeHtml {
  return html`<input type="hidden" name="_token" value="${request.formToken}">`;
}

/** A stable element id for a form field name: "billit.apiKey" → "field-billit-apiKey". */
export function fieldId(name: string): string {
  return `field-${name.replace(/[^\w-]/g, '-')}`;
}

export interface FieldOptions {
  name: string;
  label: string;
  /** The value shown; never pass a secret here. */
  value?: string;
  /** text, password or search: the types the stylesheet sizes (use inputmode for URLs and numbers). */
  type?: 'text' | 'password' | 'search';
  hint?: SafeHtml | string | null;
  error?: string | null;
  required?: boolean;
  autocomplete?: string;
  inputmode?: 'text' | 'decimal' | 'numeric' | 'url';
  spellcheck?: boolean;
  /** Further attributes, built with `html` (e.g. data-preview). */
  attributes?: SafeHtml;
  /** Further content after the hint (e.g. a live preview), built with `html`; give it an id and list it in describedBy. */
  after?: SafeHtml;
  /** Ids of further elements that describe the field (a preview). */
  describedBy?: string[];
}

/** A labelled text input with its hint and error. */
export function textField(options: FieldOptions): SafeHtml {
  const id = fieldId(options.name);
  const described = [
    ...(options.error ? [`${id}-error`] : []),
    ...(options.hint ? [`${id}-hint`] : []),
    ...(options.describedBy ?? []),
  ];
  return html`<div class="field">
<label for="${id}">${options.label}</label>
${options.error ? html`<p class="error" id="${id}-error">${options.error}</p>` : ''}
<input id="${id}" name="${options.name}" type="${options.type ?? 'text'}" value="${options.value ?? ''}"${options.required ? html` required` : ''}${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${options.inputmode ? html` inputmode="${options.inputmode}"` : ''}${options.spellcheck === false ? html` spellcheck="false"` : ''}${described.length > 0 ? html` aria-describedby="${described.join(' ')}"` : ''}${options.error ? html` aria-invalid="true"` : ''}${options.attributes ?? ''}>
${options.hint ? html`<p class="hint" id="${id}-hint">${options.hint}</p>` : ''}
${options.after ?? ''}
</div>`;
}

export interface RadioChoice {
  value: string;
  label: string;
  hint?: string;
}

/** A group of radio buttons in a fieldset whose legend names the choice. */
export function radioGroup(options: { name: string; legend: string; value: string; choices: RadioChoice[]; error?: string | null }): SafeHtml {
  const id = fieldId(options.name);
  return html`<fieldset id="${id}"${options.error ? html` aria-describedby="${id}-error"` : ''}><legend>${options.legend}</legend>
${options.error ? html`<p class="error" id="${id}-error">${options.error}</p>` : ''}
${options.choices.map((choice, i) => html`<div class="field inline">
<input type="radio" id="${id}-${i}" name="${options.name}" value="${choice.value}"${choice.value === options.value ? html` checked` : ''}${choice.hint ? html` aria-describedby="${id}-${i}-hint"` : ''}>
<label for="${id}-${i}">${choice.label}</label>
${choice.hint ? html`<p class="hint" id="${id}-${i}-hint">${choice.hint}</p>` : ''}
</div>`)}
</fieldset>`;
}

export interface FieldError {
  /** The form field the error belongs to, or null for an error about the whole form. */
  field: string | null;
  message: string;
}

/**
 * The list of what is wrong, at the top of the form: announced at once (role=alert), each entry a link
 * that moves the focus to its field.
 */
export function errorSummary(heading: string, errors: readonly FieldError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="error" role="alert" tabindex="-1" id="error-summary"><h2>${heading}</h2><ul>
${errors.map((error) => html`<li>${error.field === null ? error.message : html`<a href="#${fieldId(error.field)}">${error.message}</a>`}</li>`)}
</ul></div>`;
}

/** A confirmation (role=status: read out without taking the focus). */
export function noticeBox(message: SafeHtml | string): SafeHtml {
  return html`<div class="notice" role="status">${message}</div>`;
}

/** A posted text field, trimmed; '' when missing or when the field is a file. Cut at `maxLength` characters. */
export function formText(form: FormData | null, name: string, maxLength = 2000): string {
  const value = form?.get(name);
  return typeof value === 'string' ? value.trim().slice(0, maxLength) : '';
}

/** A posted file: its name and bytes, or null when none was chosen. */
export async function formFile(form: FormData | null, name: string): Promise<{ name: string; bytes: Uint8Array } | null> {
  const value = form?.get(name);
  if (value === null || value === undefined || typeof value === 'string') return null;
  const file = value as Blob & { name?: string };
  // A form sent without choosing a file still carries the field: an empty part without a name.
  if (file.size === 0 && !file.name) return null;
  return { name: file.name ?? 'upload', bytes: new Uint8Array(await file.arrayBuffer()) };
}
