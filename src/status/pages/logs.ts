import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { html, type SafeHtml } from '../html.js';
import { translator, type Lang, type Messages } from '../i18n.js';
import type { PageRequest, PageResult, Route, StatusContext } from '../page.js';
import { errorBox, formatCount, noticeBox, pickNotice, tokenField } from '../view-format.js';

/** How many lines the page shows at most. */
export const LOG_LINES = 200;
/** How much of each file's end is read: a day of heavy logging must not be read whole. */
const TAIL_BYTES = 512 * 1024;
const LOG_FILE = /^billsync-\d{4}-\d{2}-\d{2}\.log$/;

export const LOG_LEVELS = ['all', 'warn', 'error'] as const;
export type LogFilter = (typeof LOG_LEVELS)[number];

export interface LogLine {
  /** Brussels local "YYYY-MM-DDTHH:mm:ss.SSS" as the logger writes it; null for a line that is not JSON. */
  time: string | null;
  level: string | null;
  message: string;
  /** The entry's other fields (meta), as JSON. */
  extra: string | null;
  /** Not a JSON line (e.g. a crash printed by the runtime): shown as it is. */
  raw: boolean;
  file: string;
}

/** The end of a file, whole lines only. */
async function tail(file: string, maxBytes: number): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split(/\r?\n/);
    if (start > 0) lines.shift(); // the first line was cut
    return lines.filter((line) => line.trim() !== '');
  } finally {
    await handle.close();
  }
}

export function parseLogLine(line: string, file: string): LogLine {
  try {
    const entry: unknown = JSON.parse(line);
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
      const { time, level, message, ...rest } = entry as Record<string, unknown>;
      return {
        time: typeof time === 'string' ? time : null, level: typeof level === 'string' ? level : null,
        message: typeof message === 'string' ? message : JSON.stringify(message ?? ''),
        extra: Object.keys(rest).length > 0 ? JSON.stringify(rest) : null, raw: false, file,
      };
    }
  } catch { /* not JSON: shown raw */ }
  return { time: null, level: null, message: line, extra: null, raw: true, file };
}

function passes(line: LogLine, filter: LogFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'error') return line.level === 'error';
  return line.level === 'error' || line.level === 'warn';
}

/**
 * The newest `limit` lines that pass the filter, newest first, from the newest daily files
 * (billsync-YYYY-MM-DD.log, JSON lines). Lines that are not JSON have no level: only "all" shows them.
 */
export async function readLogTail(dir: string, filter: LogFilter, limit = LOG_LINES): Promise<LogLine[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => LOG_FILE.test(name)).sort().reverse();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: LogLine[] = [];
  for (const name of names) {
    const lines = await tail(join(dir, name), TAIL_BYTES);
    for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
      const parsed = parseLogLine(lines[i]!, name);
      if (passes(parsed, filter)) out.push(parsed);
    }
    if (out.length >= limit) break;
  }
  return out;
}

type Key = 'title' | 'intro' | 'level' | 'level-all' | 'level-warn' | 'level-error' | 'apply' | 'none' | 'none-filtered' | 'count'
  | 'time' | 'level-column' | 'message' | 'raw' | 'folder' | 'open-folder' | 'open-failed' | 'notice-folder-opened' | 'unreadable';

const M: Messages<Key> = {
  nl: {
    title: 'Logboek', intro: 'De laatste regels van het logboek, nieuwste eerst. Geheimen worden nooit gelogd.', level: 'Tonen',
    'level-all': 'Alles', 'level-warn': 'Waarschuwingen en fouten', 'level-error': 'Alleen fouten', apply: 'Filteren',
    none: 'Het logboek is nog leeg.', 'none-filtered': 'Geen regels met dit niveau.', count: '{n} regels, nieuwste eerst',
    time: 'Tijd', 'level-column': 'Niveau', message: 'Bericht', raw: 'geen JSON', folder: 'Map van het logboek: {dir}',
    'open-folder': 'Map van het logboek openen', 'open-failed': 'De map kon niet geopend worden', 'notice-folder-opened': 'De map van het logboek is geopend.',
    unreadable: 'Het logboek kon niet gelezen worden',
  },
  en: {
    title: 'Logs', intro: 'The last lines of the log, newest first. Secrets are never logged.', level: 'Show',
    'level-all': 'Everything', 'level-warn': 'Warnings and errors', 'level-error': 'Errors only', apply: 'Filter',
    none: 'The log is empty so far.', 'none-filtered': 'No lines of this level.', count: '{n} lines, newest first',
    time: 'Time', 'level-column': 'Level', message: 'Message', raw: 'not JSON', folder: 'Log folder: {dir}',
    'open-folder': 'Open the log folder', 'open-failed': 'The folder could not be opened', 'notice-folder-opened': 'The log folder is open.',
    unreadable: 'The log could not be read',
  },
  fr: {
    title: 'Journal', intro: 'Les dernières lignes du journal, les plus récentes d\'abord. Les secrets ne sont jamais journalisés.', level: 'Afficher',
    'level-all': 'Tout', 'level-warn': 'Avertissements et erreurs', 'level-error': 'Erreurs uniquement', apply: 'Filtrer',
    none: 'Le journal est encore vide.', 'none-filtered': 'Aucune ligne de ce niveau.', count: '{n} lignes, les plus récentes d\'abord',
    time: 'Heure', 'level-column': 'Niveau', message: 'Message', raw: 'pas du JSON', folder: 'Dossier du journal : {dir}',
    'open-folder': 'Ouvrir le dossier du journal', 'open-failed': 'Le dossier n\'a pas pu être ouvert', 'notice-folder-opened': 'Le dossier du journal est ouvert.',
    unreadable: 'Le journal n\'a pas pu être lu',
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
<form method="post" action="/logs/open">${tokenField(request.formToken)}<button type="submit" class="secondary">${t('open-folder')}</button></form>`;
  return { kind: 'page', title: t('title'), body, nav: 'logs' };
}

/** GET /logs?level=all|warn|error and POST /logs/open. */
export const logsRoutes: Route[] = [
  { method: 'GET', path: '/logs', handler: (request, context) => logsPage(request, context) },
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
