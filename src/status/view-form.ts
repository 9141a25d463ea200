import { html, type SafeHtml } from './html.js';

/** Reading posted fields: text is trimmed, a missing field is '' (never null), files are ignored. */
export function formString(form: FormData | null, name: string): string {
  const value = form?.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A checkbox: present (any value but '') means on. */
export function formBool(form: FormData | null, name: string): boolean {
  return formString(form, name) !== '';
}

export function formAll(form: FormData | null, name: string): string[] {
  return (form?.getAll(name) ?? []).filter((v): v is string => typeof v === 'string').map((v) => v.trim());
}

/** YYYY-MM-DD that is a real calendar date (no 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** A validation problem of one field; `field` is the input's id, so the summary can link to it. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * The list of problems above a form (role=alert, links move focus to the field), as GOV.UK's error
 * summary does: keyboard and screen reader users learn at once what to fix and where.
 */
export function errorSummary(title: string, errors: readonly FieldError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="error" role="alert"><p><strong>${title}</strong></p><ul>${errors.map((e) => html`<li><a href="#${e.field}">${e.message}</a></li>`)}</ul></div>`;
}

/** The attributes that tie an input to its error message. */
export function invalidAttributes(field: string, errors: readonly FieldError[]): SafeHtml {
  return errors.some((e) => e.field === field) ? html` aria-invalid="true" aria-describedby="${field}-error"` : html``;
}

/** The error message under a field, if any. */
export function fieldError(field: string, errors: readonly FieldError[]): SafeHtml {
  const error = errors.find((e) => e.field === field);
  return error ? html`<p class="field-error" id="${field}-error">${error.message}</p>` : html``;
}
