import { html, type SafeHtml } from './html.js';
import { LANGUAGES, translator, type Lang, type Messages } from './i18n.js';
import type { NavKey } from './page.js';

const M: Messages<NavKey | 'skip' | 'language' | 'brand'> = {
  nl: { dashboard: 'Overzicht', search: 'Zoeken', quarantine: 'Quarantaine', settings: 'Instellingen', connection: 'Verbinding', logs: 'Logboek', import: 'Dossiers importeren', skip: 'Naar de inhoud', language: 'Taal', brand: 'billsync' },
  en: { dashboard: 'Dashboard', search: 'Search', quarantine: 'Quarantine', settings: 'Settings', connection: 'Connection', logs: 'Logs', import: 'Import dossiers', skip: 'Skip to content', language: 'Language' },
  fr: { dashboard: 'Tableau de bord', search: 'Recherche', quarantine: 'Quarantaine', settings: 'Paramètres', connection: 'Connexion', logs: 'Journal', import: 'Importer des dossiers', skip: 'Aller au contenu', language: 'Langue' },
};

const NAV: Array<[NavKey, string]> = [
  ['dashboard', '/'], ['search', '/search'], ['quarantine', '/quarantine'], ['settings', '/settings'],
  ['connection', '/connection'], ['logs', '/logs'], ['import', '/import'],
];

/** The frame of every page: navigation, language switch, one main landmark. */
export function layout(options: { lang: Lang; title: string; body: SafeHtml; nav?: NavKey | undefined; path: string }): string {
  const t = translator(M, options.lang);
  const back = encodeURIComponent(options.path);
  return `<!doctype html>\n${html`<html lang="${options.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · billsync</title><link rel="stylesheet" href="/style.css"><script src="/app.js" defer></script></head>
<body><a class="skip" href="#main">${t('skip')}</a>
<header><a class="brand" href="/">billsync</a>
<nav aria-label="billsync"><ul>${NAV.map(([key, href]) => html`<li><a href="${href}"${options.nav === key ? html` aria-current="page"` : ''}>${t(key)}</a></li>`)}</ul></nav>
<div class="langs" role="group" aria-label="${t('language')}">${LANGUAGES.map((code) => html`<a href="/lang/${code}?back=${back}" lang="${code}"${code === options.lang ? html` aria-current="true"` : ''}>${code.toUpperCase()}</a>`)}</div>
</header>
<main id="main" tabindex="-1"><h1>${options.title}</h1>${options.body}</main>
</body></html>`.value}`;
}
