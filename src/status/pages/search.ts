import type { SearchHit } from '../../ledger/search-repository.js';
import { textField } from '../form-fields.js';
import { documentLabel, formatDate, formatEuro, stateClass } from '../form-format.js';
import { html, type SafeHtml } from '../html.js';
import { translator, type Lang, type Translate } from '../i18n.js';
import type { PageRequest, PageResult, Route, StatusContext } from '../page.js';
import { readSearchQuery, type ReadQuery } from '../../ledger/search-query.js';
import { SEARCH_MESSAGES, type SearchKey } from './search-messages.js';

/** Hits shown at most; one more is asked for, to know whether there were more. */
const LIMIT = 100;

/**
 * Ledger search (GET /search?q=…): "where is invoice X?" by invoice number, counterparty, amount or
 * date, newest first, with the path of the file. A plain GET form: Enter searches, the address can be
 * bookmarked, the back button works.
 */
export const searchRoutes: Route[] = [
  { method: 'GET', path: '/search', handler: search },
];

function search(request: PageRequest, context: StatusContext): PageResult {
  const t = translator(SEARCH_MESSAGES, request.lang);
  const text = (request.query.get('q') ?? '').trim().slice(0, 200);
  const read = text === '' ? null : readSearchQuery(text, LIMIT + 1);
  const hits = read === null ? [] : context.app.ledger.search.search(read.query);
  const form = html`<form method="get" action="/search" role="search">
${textField({
    name: 'q', label: t('label'), type: 'search', value: text, hint: t('hint'), spellcheck: false, autocomplete: 'off',
    ...(text === '' ? { attributes: html` autofocus` } : {}),
  })}
<p><button type="submit">${t('button')}</button></p>
</form>`;
  return { kind: 'page', nav: 'search', title: t('title'), body: html`${form}${read === null ? '' : results(t, request.lang, read, hits)}` };
}

function results(t: Translate<SearchKey>, lang: Lang, read: ReadQuery, hits: SearchHit[]): SafeHtml {
  const shown = hits.slice(0, LIMIT);
  const count = shown.length === 0 ? t('none') : shown.length === 1 ? t('countOne') : t('count', { count: shown.length });
  return html`<section aria-labelledby="results-heading">
<h2 id="results-heading">${t('caption')}</h2>
<p>${t('searchedFor')} ${readings(t, read).join('; ')}</p>
<p role="status">${count}</p>
${hits.length > LIMIT ? html`<p class="warning">${t('tooMany', { limit: LIMIT })}</p>` : ''}
${shown.map((hit) => card(t, lang, hit))}
</section>`;
}

/**
 * One hit, as a card rather than a table row: the path is long, and in a table it squeezed every other
 * column into broken words at 200 % zoom. The number leads; where the file is gets a line of its own.
 */
function card(t: Translate<SearchKey>, lang: Lang, hit: SearchHit): SafeHtml {
  const id = `hit-${hit.id}`;
  return html`<article class="card" aria-labelledby="${id}">
<h3 id="${id}">${hit.reference ?? hit.title ?? hit.billitId} <span class="muted">· ${documentLabel(lang, hit.kind)}${hit.documentDate === null ? '' : html` · <time datetime="${hit.documentDate}">${formatDate(hit.documentDate)}</time>`}</span></h3>
<p><span class="muted">${t('colDossier')}:</span> ${hit.dossierName ?? String(hit.dossierPartyId)}${hit.counterpartyName === null && hit.counterpartyVat === null ? '' : html` · <span class="muted">${t('colCounterparty')}:</span> ${hit.counterpartyName ?? ''}${hit.counterpartyVat === null ? '' : ` (${hit.counterpartyVat})`}`}${hit.amountCents === null ? '' : html` · <span class="muted">${t('colAmount')}:</span> <strong>${formatEuro(hit.amountCents)}</strong>`}</p>
<p><span class="${stateClass(hit.state)}">${documentLabel(lang, hit.state)}</span> · <span class="muted">${t('colFile')}:</span> ${where(t, hit)}</p>
</article>`;
}

/** Where the file is: its path, or why there is none (yet). */
function where(t: Translate<SearchKey>, hit: SearchHit): SafeHtml {
  if (hit.state === 'quarantined') return html`<a href="/quarantine">${t('inQuarantine')}</a>`;
  if (hit.finalPath === null) return html`<span class="muted">${t('notPlaced')}</span>`;
  return html`<code class="path">${hit.finalPath}</code>${hit.state === 'picked_up' ? html` <span class="muted">(${t('takenByVenice')})</span>` : ''}`;
}

function readings(t: Translate<SearchKey>, read: ReadQuery): string[] {
  return [
    ...(read.words.length > 0 ? [t('readText', { text: read.words.join(' ') })] : []),
    ...read.amountsCents.map((cents) => t('readAmount', { amount: formatEuro(cents) })),
    ...(read.date === null ? [] : [t('readDate', { date: formatDate(read.date) })]),
    ...(read.enterpriseDigits === null ? [] : [t('readEnterprise', { number: `${read.enterpriseDigits.slice(0, 4)}.${read.enterpriseDigits.slice(4, 7)}.${read.enterpriseDigits.slice(7)}` })]),
  ];
}
