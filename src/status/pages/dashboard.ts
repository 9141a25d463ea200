import { clockTime, type AgentSnapshot } from '../../app/agent-status.js';
import type { RunRow } from '../../ledger/run-repository.js';
import { html, type SafeHtml } from '../html.js';
import { translator, type Lang, type Messages, type Translate } from '../i18n.js';
import type { PageRequest, Route, StatusContext } from '../page.js';
import { connectionState } from '../view-connection-state.js';
import { dossierCounts, needsAttention, totalsOf, type CountKey, type DossierCounts } from '../view-dossier-counts.js';
import { firstSentence, formatCount, formatDateTime, noticeBox, pickNotice, runStatusLabel, tokenField, triggerLabel } from '../view-format.js';
import { plannedRuns, type PlannedRun } from '../view-schedule.js';

type Key =
  | 'title' | 'state-paused' | 'state-syncing' | 'state-error' | 'state-attention' | 'state-attention-held' | 'state-attention-failed'
  | 'state-up-to-date' | 'state-up-to-date-never' | 'totals' | CountKey
  | 'last-run' | 'last-run-none' | 'last-run-line' | 'last-run-identical' | 'last-run-running' | 'last-run-error' | 'next-run' | 'next-paused'
  | 'job-startup' | 'job-monthly' | 'job-catch-up' | 'job-after-10-minutes' | 'job-feed' | 'job-approvals' | 'job-coda'
  | 'connection' | 'connection-none' | 'connection-ok-run' | 'connection-bad-run' | 'connection-ok-test' | 'connection-bad-test' | 'connection-link'
  | 'sync-now' | 'sync-now-hint' | 'notice-sync-queued' | 'notice-sync-already-queued'
  | 'attention' | 'attention-caption' | 'dossier' | 'all-good' | 'no-dossiers' | 'all-dossiers' | 'one-dossier' | 'n-dossiers';

const M: Messages<Key> = {
  nl: {
    title: 'Overzicht',
    'state-paused': 'Gepauzeerd tot {time}', 'state-syncing': 'Bezig met synchroniseren… (gestart om {time})', 'state-error': 'Fout · {error}',
    'state-attention': 'Aandacht nodig · {parts}', 'state-attention-held': '{n} tegengehouden', 'state-attention-failed': '{n} mislukt',
    'state-up-to-date': 'Bijgewerkt · laatste synchronisatie {time}', 'state-up-to-date-never': 'Bijgewerkt · nog niet gesynchroniseerd',
    totals: 'Totalen', waitingApproval: 'Wacht op goedkeuring', toExport: 'Te exporteren', quarantined: 'In quarantaine', failing: 'Mislukt, wordt opnieuw geprobeerd', exported: 'Geëxporteerd',
    'last-run': 'Laatste synchronisatie', 'last-run-none': 'Nog geen synchronisatie.', 'last-run-line': '{at} · {trigger} · {status}: {exported} geëxporteerd, {failed} mislukt, {quarantined} in quarantaine',
    'last-run-identical': '({n} stonden al identiek in de map en werden opnieuw bevestigd)', 'last-run-running': 'Bezig sinds {at} ({trigger})', 'last-run-error': 'Reden: {error}',
    'next-run': 'Volgende synchronisatie', 'next-paused': 'Gepauzeerd tot {time}: geplande synchronisaties gaan daarna verder.',
    'job-startup': 'Dossiers ophalen bij Billit: elke minuut tot het lukt', 'job-monthly': 'Maandelijkse export op {at} ({dossiers})',
    'job-catch-up': 'Gemiste maandexport inhalen: binnen een minuut ({dossiers})', 'job-after-10-minutes': '10 minuten na aanmaak: elke minuut ({dossiers})',
    'job-feed': 'Feed van het boekhoudersportaal: elke minuut', 'job-approvals': 'Goedkeuringen nakijken om {at}, elk kwartier ({dossiers})',
    'job-coda': 'CODA-bestanden ophalen om {at}, elk halfuur ({dossiers})',
    connection: 'Verbinding met Billit', 'connection-none': 'Nog niet gecontroleerd.', 'connection-ok-run': 'Actief (laatste synchronisatie {at})',
    'connection-bad-run': 'De laatste synchronisatie ({at}) is mislukt: {error}', 'connection-ok-test': 'Actief (getest {at})',
    'connection-bad-test': 'Niet actief (getest {at})', 'connection-link': 'Verbinding testen',
    'sync-now': 'Nu synchroniseren', 'sync-now-hint': 'Voert voor elk dossier zijn beleid nu uit, ook tijdens een pauze.',
    'notice-sync-queued': 'De synchronisatie staat in de wachtrij.', 'notice-sync-already-queued': 'Er wacht al een synchronisatie; ze gaat zo dadelijk van start.',
    attention: 'Dossiers die aandacht vragen', 'attention-caption': 'Alleen dossiers met documenten die wachten, klaarstaan of in de problemen zitten',
    dossier: 'Dossier', 'all-good': 'Alle {n} dossiers zijn bijgewerkt: niets wacht en niets zit vast.', 'no-dossiers': 'Nog geen dossiers: billsync haalt ze op bij de eerste synchronisatie.',
    'all-dossiers': 'Alle dossiers', 'one-dossier': '1 dossier', 'n-dossiers': '{n} dossiers',
  },
  en: {
    title: 'Dashboard',
    'state-paused': 'Paused until {time}', 'state-syncing': 'Syncing… (started {time})', 'state-error': 'Error · {error}',
    'state-attention': 'Needs attention · {parts}', 'state-attention-held': '{n} held back', 'state-attention-failed': '{n} failed',
    'state-up-to-date': 'Up to date · last sync {time}', 'state-up-to-date-never': 'Up to date · no sync yet',
    totals: 'Totals', waitingApproval: 'Waiting for approval', toExport: 'To export', quarantined: 'Quarantined', failing: 'Failing, will be retried', exported: 'Exported',
    'last-run': 'Last sync', 'last-run-none': 'No sync yet.', 'last-run-line': '{at} · {trigger} · {status}: {exported} exported, {failed} failed, {quarantined} quarantined',
    'last-run-identical': '({n} were in the folder already, identical, and were confirmed again)', 'last-run-running': 'Running since {at} ({trigger})', 'last-run-error': 'Reason: {error}',
    'next-run': 'Next sync', 'next-paused': 'Paused until {time}: scheduled syncs resume after that.',
    'job-startup': 'Fetching the dossiers from Billit: every minute until it works', 'job-monthly': 'Monthly export on {at} ({dossiers})',
    'job-catch-up': 'Catching up a missed monthly export: within a minute ({dossiers})', 'job-after-10-minutes': '10 minutes after creation: every minute ({dossiers})',
    'job-feed': 'Accountant portal feed: every minute', 'job-approvals': 'Checking approvals at {at}, every quarter hour ({dossiers})',
    'job-coda': 'Fetching CODA files at {at}, every half hour ({dossiers})',
    connection: 'Connection to Billit', 'connection-none': 'Not checked yet.', 'connection-ok-run': 'Active (last sync {at})',
    'connection-bad-run': 'The last sync ({at}) failed: {error}', 'connection-ok-test': 'Active (tested {at})',
    'connection-bad-test': 'Not active (tested {at})', 'connection-link': 'Test the connection',
    'sync-now': 'Sync now', 'sync-now-hint': 'Runs every dossier\'s policy now, also while paused.',
    'notice-sync-queued': 'The sync is queued.', 'notice-sync-already-queued': 'A sync is already waiting; it starts shortly.',
    attention: 'Dossiers that need attention', 'attention-caption': 'Only dossiers with documents waiting, ready to go, or in trouble',
    dossier: 'Dossier', 'all-good': 'All {n} dossiers are up to date: nothing is waiting and nothing is stuck.', 'no-dossiers': 'No dossiers yet: billsync fetches them at the first sync.',
    'all-dossiers': 'All dossiers', 'one-dossier': '1 dossier', 'n-dossiers': '{n} dossiers',
  },
  fr: {
    title: 'Tableau de bord',
    'state-paused': 'En pause jusqu\'à {time}', 'state-syncing': 'Synchronisation… (commencée à {time})', 'state-error': 'Erreur · {error}',
    'state-attention': 'Attention requise · {parts}', 'state-attention-held': '{n} retenus', 'state-attention-failed': '{n} en échec',
    'state-up-to-date': 'À jour · dernière synchronisation {time}', 'state-up-to-date-never': 'À jour · pas encore synchronisé',
    totals: 'Totaux', waitingApproval: 'En attente d\'approbation', toExport: 'À exporter', quarantined: 'En quarantaine', failing: 'En échec, sera réessayé', exported: 'Exportés',
    'last-run': 'Dernière synchronisation', 'last-run-none': 'Pas encore de synchronisation.', 'last-run-line': '{at} · {trigger} · {status} : {exported} exportés, {failed} en échec, {quarantined} en quarantaine',
    'last-run-identical': '({n} étaient déjà dans le dossier, identiques, et ont été confirmés à nouveau)', 'last-run-running': 'En cours depuis {at} ({trigger})', 'last-run-error': 'Raison : {error}',
    'next-run': 'Prochaine synchronisation', 'next-paused': 'En pause jusqu\'à {time} : les synchronisations planifiées reprennent ensuite.',
    'job-startup': 'Récupération des dossiers chez Billit : chaque minute jusqu\'à réussite', 'job-monthly': 'Export mensuel le {at} ({dossiers})',
    'job-catch-up': 'Rattrapage d\'un export mensuel manqué : dans la minute ({dossiers})', 'job-after-10-minutes': '10 minutes après la création : chaque minute ({dossiers})',
    'job-feed': 'Flux du portail comptable : chaque minute', 'job-approvals': 'Vérification des approbations à {at}, chaque quart d\'heure ({dossiers})',
    'job-coda': 'Récupération des fichiers CODA à {at}, chaque demi-heure ({dossiers})',
    connection: 'Connexion à Billit', 'connection-none': 'Pas encore vérifiée.', 'connection-ok-run': 'Active (dernière synchronisation {at})',
    'connection-bad-run': 'La dernière synchronisation ({at}) a échoué : {error}', 'connection-ok-test': 'Active (testée {at})',
    'connection-bad-test': 'Inactive (testée {at})', 'connection-link': 'Tester la connexion',
    'sync-now': 'Synchroniser maintenant', 'sync-now-hint': 'Applique maintenant la règle de chaque dossier, même en pause.',
    'notice-sync-queued': 'La synchronisation est dans la file d\'attente.', 'notice-sync-already-queued': 'Une synchronisation attend déjà ; elle commence bientôt.',
    attention: 'Dossiers qui demandent votre attention', 'attention-caption': 'Uniquement les dossiers avec des documents en attente, prêts ou en difficulté',
    dossier: 'Dossier', 'all-good': 'Les {n} dossiers sont à jour : rien n\'attend et rien n\'est bloqué.', 'no-dossiers': 'Pas encore de dossiers : billsync les récupère à la première synchronisation.',
    'all-dossiers': 'Tous les dossiers', 'one-dossier': '1 dossier', 'n-dossiers': '{n} dossiers',
  },
};

const NOTICES = ['sync-queued', 'sync-already-queued'] as const;
const COLUMNS: CountKey[] = ['waitingApproval', 'toExport', 'failing', 'quarantined'];
const TOTALS: CountKey[] = ['waitingApproval', 'toExport', 'quarantined', 'failing', 'exported'];

/** The tray's status line, in the user's language (AgentSnapshot.line is the tray's English one). */
function stateLine(snapshot: AgentSnapshot, now: Date, t: Translate<Key>): { text: string; className: string } {
  const last = snapshot.lastRun;
  switch (snapshot.state) {
    case 'paused': return { text: t('state-paused', { time: snapshot.pausedUntil ? clockTime(snapshot.pausedUntil, now) : '' }), className: 'state-warn' };
    case 'syncing': return { text: t('state-syncing', { time: snapshot.running ? clockTime(snapshot.running.since, now) : '' }), className: 'state-ok' };
    case 'error': return { text: t('state-error', { error: firstSentence(last?.error ?? '') }), className: 'state-bad' };
    case 'attention': {
      const parts = [snapshot.quarantined > 0 ? t('state-attention-held', { n: snapshot.quarantined }) : '', (last?.failed ?? 0) > 0 ? t('state-attention-failed', { n: last?.failed ?? 0 }) : ''];
      return { text: t('state-attention', { parts: parts.filter(Boolean).join(', ') }), className: 'state-warn' };
    }
    default: return { text: last ? t('state-up-to-date', { time: clockTime(last.finishedAt, now) }) : t('state-up-to-date-never'), className: 'state-ok' };
  }
}

function lastRunSection(run: RunRow | null, lang: Lang, t: Translate<Key>): SafeHtml {
  if (!run) return html`<p>${t('last-run-none')}</p>`;
  if (run.status === 'running') return html`<p>${t('last-run-running', { at: formatDateTime(run.startedAt, lang), trigger: triggerLabel(run.trigger, lang) })}</p>`;
  const counts = (run.summary?.counts ?? {}) as Record<string, unknown>;
  const count = (key: string): number => (typeof counts[key] === 'number' ? counts[key] : 0);
  const n = (key: string): string => formatCount(count(key), lang);
  const error = typeof run.summary?.error === 'string' ? run.summary.error : null;
  const className = run.status === 'ok' ? 'state-ok' : run.status === 'partial' ? 'state-warn' : 'state-bad';
  return html`<p class="${className}">${t('last-run-line', {
    at: formatDateTime(run.finishedAt ?? run.startedAt, lang), trigger: triggerLabel(run.trigger, lang), status: runStatusLabel(run.status, lang),
    exported: formatCount(count('exported') + count('conflicts'), lang), failed: n('failed'), quarantined: n('quarantined'),
  })}${count('identical') > 0 ? ` ${t('last-run-identical', { n: n('identical') })}` : ''}</p>${error ? html`<p>${t('last-run-error', { error })}</p>` : ''}`;
}

function plannedText(run: PlannedRun, lang: Lang, t: Translate<Key>): string {
  const params = { at: formatDateTime(run.at, lang), dossiers: run.dossiers === 1 ? t('one-dossier') : t('n-dossiers', { n: formatCount(run.dossiers, lang) }) };
  return t(`job-${run.job}`, params);
}

function nextRunSection(context: StatusContext, snapshot: AgentSnapshot, now: Date, lang: Lang, t: Translate<Key>): SafeHtml {
  const planned = plannedRuns(context.app.config, context.app.ledger, now, snapshot.pausedUntil);
  const [first, ...rest] = planned;
  return html`${snapshot.pausedUntil ? html`<p class="state-warn">${t('next-paused', { time: clockTime(snapshot.pausedUntil, now) })}</p>` : ''}
${first ? html`<p><strong>${plannedText(first, lang, t)}</strong></p>` : ''}
${rest.length > 0 ? html`<ul>${rest.slice(0, 6).map((run) => html`<li>${plannedText(run, lang, t)}</li>`)}</ul>` : ''}`;
}

function connectionSection(context: StatusContext, lang: Lang, t: Translate<Key>): SafeHtml {
  const state = connectionState(context.agent, context.app.ledger);
  let line: SafeHtml;
  if (state.source === 'none') line = html`<p>${t('connection-none')}</p>`;
  else if (state.source === 'test') line = html`<p class="${state.ok ? 'state-ok' : 'state-bad'}">${t(state.ok ? 'connection-ok-test' : 'connection-bad-test', { at: formatDateTime(state.at, lang) })}</p>`;
  else line = state.ok
    ? html`<p class="state-ok">${t('connection-ok-run', { at: formatDateTime(state.at, lang) })}</p>`
    : html`<p class="state-bad">${t('connection-bad-run', { at: formatDateTime(state.at, lang), error: firstSentence(state.error ?? '') })}</p>`;
  return html`${line}<p><a href="/connection">${t('connection-link')}</a></p>`;
}

function attentionSection(all: DossierCounts[], lang: Lang, t: Translate<Key>): SafeHtml {
  if (all.length === 0) return html`<p class="notice">${t('no-dossiers')}</p>`;
  const attention = all.filter(needsAttention);
  if (attention.length === 0) return html`<p class="notice">${t('all-good', { n: formatCount(all.length, lang) })}</p>`;
  return html`<div class="table-wrap"><table>
<caption class="muted">${t('attention-caption')}</caption>
<thead><tr><th scope="col">${t('dossier')}</th>${COLUMNS.map((key) => html`<th scope="col" class="num">${t(key)}</th>`)}</tr></thead>
<tbody>${attention.map((d) => html`<tr><th scope="row"><a href="/dossiers/${d.partyId}">${d.name}</a></th>${COLUMNS.map((key) => html`<td class="num${key === 'failing' || key === 'quarantined' ? (d[key] > 0 ? ' state-bad' : '') : ''}">${formatCount(d[key], lang)}</td>`)}</tr>`)}</tbody>
</table></div>`;
}

function dashboard(request: PageRequest, context: StatusContext) {
  const { lang } = request;
  const t = translator(M, lang);
  const now = context.now();
  const snapshot = context.agent.status.snapshot();
  const all = dossierCounts(context.app.ledger, context.app.config, context.now());
  const totals = totalsOf(all);
  const line = stateLine(snapshot, now, t);
  const notice = pickNotice(request.query, NOTICES);
  const body = html`${notice ? noticeBox(t(`notice-${notice}`)) : ''}
<p class="status-line ${line.className}" role="status"><strong>${line.text}</strong></p>
<section aria-labelledby="totals-title"><h2 id="totals-title">${t('totals')}</h2>
<ul class="totals">${TOTALS.map((key) => html`<li><strong>${formatCount(totals[key], lang)}</strong> ${t(key)}</li>`)}</ul></section>
<div class="columns">
<section class="card" aria-labelledby="last-run-title"><h2 id="last-run-title">${t('last-run')}</h2>${lastRunSection(context.app.ledger.runs.last(), lang, t)}</section>
<section class="card" aria-labelledby="next-run-title"><h2 id="next-run-title">${t('next-run')}</h2>${nextRunSection(context, snapshot, now, lang, t)}</section>
<section class="card" aria-labelledby="connection-title"><h2 id="connection-title">${t('connection')}</h2>${connectionSection(context, lang, t)}</section>
</div>
<form method="post" action="/sync-now" class="inline-form">${tokenField(request.formToken)}<button type="submit">${t('sync-now')}</button> <span class="hint">${t('sync-now-hint')}</span></form>
<section aria-labelledby="attention-title"><h2 id="attention-title">${t('attention')}</h2>${attentionSection(all, lang, t)}
<p><a href="/dossiers">${t('all-dossiers')} (${formatCount(all.length, lang)})</a></p></section>`;
  return { kind: 'page' as const, title: t('title'), body, nav: 'dashboard' as const };
}

/** GET / (the dashboard) and POST /sync-now. */
export const dashboardRoutes: Route[] = [
  { method: 'GET', path: '/', handler: dashboard },
  {
    method: 'POST', path: '/sync-now',
    handler: (_request, context) => ({ kind: 'redirect', to: `/?notice=${context.agent.syncNow() ? 'sync-queued' : 'sync-already-queued'}` }),
  },
];
