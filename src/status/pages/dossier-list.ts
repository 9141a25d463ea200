import { resolvePolicy } from '../../config/resolve-policy.js';
import { html } from '../html.js';
import type { PageRequest, PageResult, StatusContext } from '../page.js';
import { dossierCounts, type CountKey } from '../view-dossier-counts.js';
import { formatCount, frequencyLabel } from '../view-format.js';
import { dossierText } from './dossier-messages.js';

const COLUMNS: CountKey[] = ['waitingApproval', 'toExport', 'failing', 'quarantined', 'exported'];

/** GET /dossiers: every dossier with its folder, policy and counts. */
export function dossierList(request: PageRequest, context: StatusContext): PageResult {
  const { lang } = request;
  const t = dossierText(lang);
  const config = context.app.config;
  const all = dossierCounts(context.app.ledger, config, context.now());
  const body = all.length === 0
    ? html`<p class="notice">${t('list-none')}</p>`
    : html`<p>${t('list-count', { n: formatCount(all.length, lang) })}</p>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${t('dossier')}</th><th scope="col">${t('folder')}</th><th scope="col">${t('frequency')}</th>${COLUMNS.map((key) => html`<th scope="col" class="num">${t(key)}</th>`)}</tr></thead>
<tbody>${all.map((d) => html`<tr>
<th scope="row"><a href="/dossiers/${d.partyId}">${d.name}</a>${d.disabled ? html` <span class="muted">(${t('disabled-short')})</span>` : ''}</th>
<td class="path">${d.folder}</td><td>${frequencyLabel(resolvePolicy(config, d.partyId), lang)}${config.dossiers[String(d.partyId)]?.policy ? html` <span class="muted">(${t('own-policy-short')})</span>` : ''}</td>
${COLUMNS.map((key) => html`<td class="num">${formatCount(d[key], lang)}</td>`)}</tr>`)}</tbody>
</table></div>`;
  return { kind: 'page', title: t('list-title'), body, nav: 'dashboard' };
}
