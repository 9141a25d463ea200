import { BUSINESS_TIME_ZONE } from '../core/brussels-time.js';
import type { DocumentKind, DocumentState } from '../core/document-kind.js';
import type { Frequency, Policy } from '../core/policy.js';
import { html, type SafeHtml } from './html.js';
import { translator, type Lang, type Messages } from './i18n.js';

/**
 * Shared wording and formatting of the dashboard, dossier, connection and log pages: dates in
 * Brussels time (whatever the machine's zone, product.md §5), kinds, states, frequencies, and the
 * notice and error boxes. Texts in the three languages live here once.
 */

const LOCALES: Record<Lang, string> = { nl: 'nl-BE', en: 'en-GB', fr: 'fr-BE' };

const dateTimeFormats = new Map<Lang, Intl.DateTimeFormat>();
const dateFormats = new Map<Lang, Intl.DateTimeFormat>();

/** "3/12/2026 14:02" (nl), "03/12/2026, 14:02" (en): Brussels wall clock. */
export function formatDateTime(at: Date | string, lang: Lang): string {
  const instant = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(instant.getTime())) return String(at);
  let format = dateTimeFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: BUSINESS_TIME_ZONE, dateStyle: 'short', timeStyle: 'short' });
    dateTimeFormats.set(lang, format);
  }
  return format.format(instant);
}

/** A calendar date (YYYY-MM-DD, no time zone) in the user's order: "31/10/2026". */
export function formatDate(date: string, lang: Lang): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  let format = dateFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'UTC', dateStyle: 'short' });
    dateFormats.set(lang, format);
  }
  return format.format(new Date(`${date}T12:00:00Z`));
}

/** Whole numbers with the user's grouping ("1.234" in Dutch). */
export function formatCount(n: number, lang: Lang): string {
  return n.toLocaleString(LOCALES[lang]);
}

type Key =
  | `kind-${DocumentKind}` | `state-${DocumentState}` | `frequency-${Frequency}`
  | 'frequency-last-month-at' | 'trigger-manual' | 'trigger-sync-now' | 'trigger-monthly' | 'trigger-catch-up' | 'trigger-after-10-minutes'
  | 'trigger-coda' | 'trigger-approvals' | 'trigger-startup' | 'trigger-feed' | 'trigger-cli' | 'trigger-manual-export'
  | 'run-ok' | 'run-partial' | 'run-failed' | 'run-running' | 'yes' | 'no';

const M: Messages<Key> = {
  nl: {
    'kind-purchase': 'Aankoop', 'kind-sales': 'Verkoop', 'kind-document': 'Document', 'kind-coda': 'CODA',
    'state-seen': 'Gezien', 'state-fetched': 'Opgehaald', 'state-placed': 'In de map', 'state-acknowledged': 'Geëxporteerd',
    'state-quarantined': 'In quarantaine', 'state-picked_up': 'Opgehaald door Venice',
    'frequency-never': 'Nooit (alleen handmatig)', 'frequency-last-month': 'Laatste maand',
    'frequency-after-10-minutes': '10 minuten na aanmaak', 'frequency-last-month-at': 'Laatste maand (dag {day} om {time})',
    'trigger-manual': 'handmatige export', 'trigger-sync-now': 'nu synchroniseren', 'trigger-monthly': 'maandelijkse export',
    'trigger-catch-up': 'ingehaalde maandexport', 'trigger-after-10-minutes': '10 minuten na aanmaak', 'trigger-coda': 'CODA',
    'trigger-approvals': 'goedkeuringen', 'trigger-startup': 'opstart', 'trigger-feed': 'feed', 'trigger-cli': 'opdrachtregel',
    'trigger-manual-export': 'handmatige export (opdrachtregel)',
    'run-ok': 'geslaagd', 'run-partial': 'deels geslaagd', 'run-failed': 'mislukt', 'run-running': 'bezig',
    yes: 'ja', no: 'nee',
  },
  en: {
    'kind-purchase': 'Purchase', 'kind-sales': 'Sales', 'kind-document': 'Document', 'kind-coda': 'CODA',
    'state-seen': 'Seen', 'state-fetched': 'Fetched', 'state-placed': 'In the folder', 'state-acknowledged': 'Exported',
    'state-quarantined': 'Quarantined', 'state-picked_up': 'Taken by Venice',
    'frequency-never': 'Never (manual only)', 'frequency-last-month': 'Last month',
    'frequency-after-10-minutes': '10 minutes after creation', 'frequency-last-month-at': 'Last month (day {day} at {time})',
    'trigger-manual': 'manual export', 'trigger-sync-now': 'sync now', 'trigger-monthly': 'monthly export',
    'trigger-catch-up': 'caught-up monthly export', 'trigger-after-10-minutes': '10 minutes after creation', 'trigger-coda': 'CODA',
    'trigger-approvals': 'approvals', 'trigger-startup': 'start-up', 'trigger-feed': 'feed', 'trigger-cli': 'command line',
    'trigger-manual-export': 'manual export (command line)',
    'run-ok': 'succeeded', 'run-partial': 'partly succeeded', 'run-failed': 'failed', 'run-running': 'running',
    yes: 'yes', no: 'no',
  },
  fr: {
    'kind-purchase': 'Achat', 'kind-sales': 'Vente', 'kind-document': 'Document', 'kind-coda': 'CODA',
    'state-seen': 'Vu', 'state-fetched': 'Téléchargé', 'state-placed': 'Dans le dossier', 'state-acknowledged': 'Exporté',
    'state-quarantined': 'En quarantaine', 'state-picked_up': 'Repris par Venice',
    'frequency-never': 'Jamais (manuel uniquement)', 'frequency-last-month': 'Mois précédent',
    'frequency-after-10-minutes': '10 minutes après la création', 'frequency-last-month-at': 'Mois précédent (le {day} à {time})',
    'trigger-manual': 'export manuel', 'trigger-sync-now': 'synchroniser maintenant', 'trigger-monthly': 'export mensuel',
    'trigger-catch-up': 'export mensuel rattrapé', 'trigger-after-10-minutes': '10 minutes après la création', 'trigger-coda': 'CODA',
    'trigger-approvals': 'approbations', 'trigger-startup': 'démarrage', 'trigger-feed': 'flux', 'trigger-cli': 'ligne de commande',
    'trigger-manual-export': 'export manuel (ligne de commande)',
    'run-ok': 'réussi', 'run-partial': 'partiellement réussi', 'run-failed': 'échoué', 'run-running': 'en cours',
    yes: 'oui', no: 'non',
  },
};

export function kindLabel(kind: DocumentKind, lang: Lang): string {
  return translator(M, lang)(`kind-${kind}`);
}

export function stateLabel(state: DocumentState, lang: Lang): string {
  return translator(M, lang)(`state-${state}`);
}

/** "Laatste maand (dag 1 om 06:00)", "Nooit (alleen handmatig)". */
export function frequencyLabel(policy: Pick<Policy, 'frequency' | 'lastMonthDay' | 'lastMonthTime'>, lang: Lang): string {
  const t = translator(M, lang);
  return policy.frequency === 'last-month'
    ? t('frequency-last-month-at', { day: policy.lastMonthDay, time: policy.lastMonthTime })
    : t(`frequency-${policy.frequency}`);
}

/** A run's trigger in words; an unknown one (free text in the ledger) as it is. */
export function triggerLabel(trigger: string, lang: Lang): string {
  const key = `trigger-${trigger}`;
  return key in M.nl ? translator(M, lang)(key as Key) : trigger;
}

export function runStatusLabel(status: 'ok' | 'partial' | 'failed' | 'running', lang: Lang): string {
  return translator(M, lang)(`run-${status}`);
}

export function yesNo(value: boolean, lang: Lang): string {
  return translator(M, lang)(value ? 'yes' : 'no');
}

/** A confirmation after an action (role=status: screen readers announce it without moving focus). */
export function noticeBox(text: string): SafeHtml {
  return html`<p class="notice" role="status">${text}</p>`;
}

/** What went wrong, announced at once (role=alert). */
export function errorBox(title: string, details: readonly string[] = []): SafeHtml {
  return html`<div class="error" role="alert"><p><strong>${title}</strong></p>${details.length > 0 ? html`<ul>${details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`;
}

/** The first sentence of an (English, technical) error message, for one-line summaries. */
export function firstSentence(text: string, max = 160): string {
  const sentence = text.split(/(?<=[.;?!])\s/)[0] ?? text;
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
}

/** A known key from `?notice=`, else nothing: the page never echoes text from the address. */
export function pickNotice<K extends string>(query: URLSearchParams, known: readonly K[]): K | null {
  const value = query.get('notice');
  return value !== null && (known as readonly string[]).includes(value) ? value as K : null;
}

/** The hidden form token every POST form carries (checked by the server before any handler runs). */
export function tokenField(formToken: string): SafeHtml {
  return html`<input type="hidden" name="_token" value="${formToken}">`;
}
