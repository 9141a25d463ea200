import { diagnosticsFileName, diagnosticsReport } from '../../app/diagnostics.js';
import { html, type SafeHtml } from '../html.js';
import { translator, type Lang, type Messages } from '../i18n.js';
import type { PageRequest, PageResult, Route, StatusContext } from '../page.js';
import { LOG_LEVELS, readLogTail, type LogFilter, type LogLine } from '../../platform/log-tail.js';
import { errorBox, formatCount, noticeBox, pickNotice, tokenField } from '../view-format.js';

type Key = 'title' | 'intro' | 'level' | 'level-all' | 'level-warn' | 'level-error' | 'apply' | 'none' | 'none-filtered' | 'count'
  | 'time' | 'level-column' | 'message' | 'raw' | 'folder' | 'open-folder' | 'open-failed' | 'notice-folder-opened' | 'unreadable'
  | 'diagnostics' | 'diagnostics-hint';

const M: Messages<Key> = {
  nl: {
    title: 'Logboek', intro: 'De laatste regels van het logboek, nieuwste eerst. Geheimen worden nooit gelogd.', level: 'Tonen',
    'level-all': 'Alles', 'level-warn': 'Waarschuwingen en fouten', 'level-error': 'Alleen fouten', apply: 'Filteren',
    none: 'Het logboek is nog leeg.', 'none-filtered': 'Geen regels met dit niveau.', count: '{n} regels, nieuwste eerst',
    time: 'Tijd', 'level-column': 'Niveau', message: 'Bericht', raw: 'geen JSON', folder: 'Map van het logboek: {dir}',
    'open-folder': 'Map van het logboek openen', 'open-failed': 'De map kon niet geopend worden', 'notice-folder-opened': 'De map van het logboek is geopend.',
    unreadable: 'Het logboek kon niet gelezen worden',
    diagnostics: 'Diagnose downloaden', 'diagnostics-hint': 'Versies, mappen, instellingen zonder geheimen, tellingen uit het register en het recente logboek in één tekstbestand, voor uw IT-partner of de ondersteuning.',
  },
  en: {
    title: 'Logs', intro: 'The last lines of the log, newest first. Secrets are never logged.', level: 'Show',
    'level-all': 'Everything', 'level-warn': 'Warnings and errors', 'level-error': 'Errors only', apply: 'Filter',
    none: 'The log is empty so far.', 'none-filtered': 'No lines of this level.', count: '{n} lines, newest first',
    time: 'Time', 'level-column': 'Level', message: 'Message', raw: 'not JSON', folder: 'Log folder: {dir}',
    'open-folder': 'Open the log folder', 'open-failed': 'The folder could not be opened', 'notice-folder-opened': 'The log folder is open.',
    unreadable: 'The log could not be read',
    diagnostics: 'Download diagnostics', 'diagnostics-hint': 'Versions, folders, settings without secrets, the ledger\'s counts and the recent log in one text file, for your IT partner or support.',
  },
  fr: {
    title: 'Journal', intro: 'Les dernières lignes du journal, les plus récentes d\'abord. Les secrets ne sont jamais journalisés.', level: 'Afficher',
    'level-all': 'Tout', 'level-warn': 'Avertissements et erreurs', 'level-error': 'Erreurs uniquement', apply: 'Filtrer',
    none: 'Le journal est encore vide.', 'none-filtered': 'Aucune ligne de ce niveau.', count: '{n} lignes, les plus récentes d\'abord',
    time: 'Heure', 'level-column': 'Niveau', message: 'Message', raw: 'pas du JSON', folder: 'Dossier du journal : {dir}',
    'open-folder': 'Ouvrir le dossier du journal', 'open-failed': 'Le dossier n\'a pas pu être ouvert', 'notice-folder-opened': 'Le dossier du journal est ouvert.',
    unreadable: 'Le journal n\'a pas pu être lu',
    diagnostics: 'Télécharger le diagnostic', 'diagnostics-hint': 'Versions, dossiers, réglages sans secrets, les comptages du registre et le journal récent dans un fichier texte, pour votre partenaire informatique ou le support.',
  },
};

function levelClass(level: string | null): string {
  return level === 'error' ? 'state-bad' : level === 'warn' ? 'state-warn' : '';
}

function table(lines: LogLine[], lang: Lang): SafeHtml {
  const t = translator(M, lang);
  return html`<div class="table-wrap"><table class="log">
<caption class="muted">${t('count', { n: formatCount(lines.length, lang) })}</caption>
<thead><tr><th scope="col">${t('time')}</th><th scope="col">${t('level-column')}</th><th scope="col">${t('message')}</th></tr></thead>
<tbody>${lines.map((line) => html`<tr>
<td class="nowrap">${line.time ? line.time.replace('T', ' ').slice(0, 19) : ''}</td>
<td class="${levelClass(line.level)}">${line.raw ? html`<span class="muted">${t('raw')}</span>` : line.level ?? ''}</td>
<td>${line.raw ? html`<code>${line.message}</code>` : line.message}${line.extra ? html`<br><code class="muted">${line.extra}</code>` : ''}</td></tr>`)}</tbody>
</table></div>`;
}

async function logsPage(request: PageRequest, context: StatusContext, openFailed: string | null = null): Promise<PageResult> {
  const { lang } = request;
  const t = translator(M, lang);
  const asked = request.query.get('level');
  const filter: LogFilter = (LOG_LEVELS as readonly string[]).includes(asked ?? '') ? asked as LogFilter : 'all';
  const dir = context.app.paths.logDir;
  let content: SafeHtml;
  try {
    const lines = await readLogTail(dir, filter);
    content = lines.length > 0 ? table(lines, lang) : html`<p>${t(filter === 'all' ? 'none' : 'none-filtered')}</p>`;
  } catch (error) {
    content = errorBox(t('unreadable'), [(error as Error).message]);
  }
  const notice = pickNotice(request.query, ['folder-opened'] as const);
  const body = html`${notice ? noticeBox(t('notice-folder-opened')) : ''}${openFailed ? errorBox(t('open-failed'), [openFailed]) : ''}
<p>${t('intro')}</p>
<form method="get" action="/logs" class="filter"><fieldset class="inline-checks"><legend>${t('level')}</legend>
${LOG_LEVELS.map((level) => html`<span class="check"><input type="radio" name="level" id="level-${level}" value="${level}"${level === filter ? html` checked` : ''}> <label for="level-${level}">${t(`level-${level}`)}</label></span>`)}
</fieldset><button type="submit">${t('apply')}</button></form>
${content}
<p class="muted path">${t('folder', { dir })}</p>
<form method="post" action="/logs/open">${tokenField(request.formToken)}<button type="submit" class="secondary">${t('open-folder')}</button></form>
<p><a href="/logs/diagnostics" download>${t('diagnostics')}</a><br><span class="muted">${t('diagnostics-hint')}</span></p>`;
  return { kind: 'page', title: t('title'), body, nav: 'logs' };
}

/** GET /logs?level=all|warn|error, GET /logs/diagnostics (the report as a file) and POST /logs/open. */
export const logsRoutes: Route[] = [
  { method: 'GET', path: '/logs', handler: (request, context) => logsPage(request, context) },
  {
    method: 'GET', path: '/logs/diagnostics',
    handler: async (_request, context) => {
      const now = context.now();
      const { app } = context;
      const text = await diagnosticsReport({
        config: app.config, configFile: app.configFile, paths: app.paths, ledger: app.ledger, now, statusLine: context.agent.status.snapshot().line,
      });
      return { kind: 'text', contentType: 'text/plain; charset=utf-8', text, download: diagnosticsFileName(now) };
    },
  },
  {
    method: 'POST', path: '/logs/open',
    handler: async (request, context) => {
      try {
        await context.open(context.app.paths.logDir);
      } catch (error) {
        return logsPage(request, context, (error as Error).message);
      }
      return { kind: 'redirect', to: '/logs?notice=folder-opened' };
    },
  },
];
