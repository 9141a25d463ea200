import { ApiKeyRejectedError, BillitHttpError, BillitUnreachableError, MalformedResponseError, PartyAccessError, ProxyAuthenticationError } from '../../billit/errors/index.js';
import type { AccountInformation } from '../../billit/schemas.js';
import { ConfigError } from '../../config/config-error.js';
import { html, type SafeHtml } from '../html.js';
import { translator, type Lang, type Messages, type Translate } from '../i18n.js';
import type { PageRequest, PageResult, Route, StatusContext } from '../page.js';
import { lastConnectionCheck, recordConnectionCheck, type ConnectionCheck, type ConnectionProblem } from '../view-connection-state.js';
import { formatCount, formatDateTime, tokenField } from '../view-format.js';

type Key =
  | 'title' | 'intro' | 'settings' | 'base-url' | 'mode' | 'mode-direct' | 'mode-feed' | 'accountant' | 'not-set' | 'api-key' | 'key-set' | 'key-missing'
  | 'change-settings' | 'test' | 'test-hint' | 'result' | 'never-tested' | 'active' | 'not-active' | 'tested-at' | 'account' | 'email' | 'party-id'
  | 'companies' | 'companies-line' | 'known-line' | 'what-to-do' | 'detail'
  | `problem-${ConnectionProblem}` | 'dossiers-link';

const M: Messages<Key> = {
  nl: {
    title: 'Verbinding', intro: 'Controleer of de koppeling met Billit actief is: billsync vraagt Billit met de API-sleutel voor welke bedrijven het mag werken.',
    settings: 'Instellingen', 'base-url': 'Adres van de Billit-API', mode: 'Modus', 'mode-direct': 'Rechtstreeks: billsync haalt de documenten van elk dossier op',
    'mode-feed': 'Feed: billsync levert wat in het boekhoudersportaal werd geëxporteerd', accountant: 'PartyID van het kantoor', 'not-set': 'niet ingesteld',
    'api-key': 'API-sleutel', 'key-set': 'ingesteld (wordt nooit getoond)', 'key-missing': 'niet ingesteld', 'change-settings': 'Wijzigen bij Instellingen',
    test: 'Verbinding testen', 'test-hint': 'Eén vraag aan Billit; er wordt niets geëxporteerd.', result: 'Resultaat', 'never-tested': 'Nog niet getest sinds billsync startte.',
    active: 'De verbinding is actief.', 'not-active': 'De verbinding is niet actief.', 'tested-at': 'Getest op {at}.', account: 'Account', email: 'E-mail', 'party-id': 'PartyID',
    companies: 'Bedrijven (dossiers)', 'companies-line': 'Deze sleutel mag voor {n} bedrijven werken.', 'known-line': 'billsync kent {known} dossiers, waarvan {disabled} uitgeschakeld.',
    'what-to-do': 'Wat nu?', detail: 'Technische details',
    'problem-not-configured': 'Er is nog geen API-sleutel of exportmap ingesteld. Vul ze in bij Instellingen.',
    'problem-key-rejected': 'Billit weigert de API-sleutel (of het PartyID van het kantoor). Controleer dat je de aparte Billsync-sleutel gebruikt die je van Billit-support kreeg (niet de API-token uit je gebruikersinstellingen) en dat ze bij deze omgeving hoort (productie of Billit-sandbox).',
    'problem-party': 'De sleutel is geldig, maar Billit geeft geen toegang tot dit bedrijf. Misschien heeft de ondernemer de koppeling met het kantoor beëindigd; kijk het dossier na in het boekhoudersportaal.',
    'problem-unreachable': 'Billit is niet bereikbaar. Controleer de netwerkverbinding, de proxy-instellingen en het adres van de API.',
    'problem-proxy': 'De proxy vraagt om aan te melden (407). Vul de proxy-gegevens in bij Instellingen.',
    'problem-refused': 'Billit antwoordde met een fout. Probeer het later opnieuw; blijft het duren, neem dan contact op met Billit-support.',
    'problem-malformed': 'Billit gaf een onverwacht antwoord. Klopt het adres van de API?',
    'problem-other': 'De test is mislukt om een onverwachte reden; het logboek zegt meer.',
    'dossiers-link': 'Alle dossiers',
  },
  en: {
    title: 'Connection', intro: 'Check that the link with Billit is active: billsync asks Billit, with the API key, which companies it may act for.',
    settings: 'Settings', 'base-url': 'Billit API address', mode: 'Mode', 'mode-direct': 'Direct: billsync fetches the documents of every dossier',
    'mode-feed': 'Feed: billsync delivers what was exported in the accountant portal', accountant: 'Office PartyID', 'not-set': 'not set',
    'api-key': 'API key', 'key-set': 'set (never shown)', 'key-missing': 'not set', 'change-settings': 'Change under Settings',
    test: 'Test the connection', 'test-hint': 'One question to Billit; nothing is exported.', result: 'Result', 'never-tested': 'Not tested since billsync started.',
    active: 'The connection is active.', 'not-active': 'The connection is not active.', 'tested-at': 'Tested at {at}.', account: 'Account', email: 'E-mail', 'party-id': 'PartyID',
    companies: 'Companies (dossiers)', 'companies-line': 'This key may act for {n} companies.', 'known-line': 'billsync knows {known} dossiers, {disabled} of them disabled.',
    'what-to-do': 'What now?', detail: 'Technical details',
    'problem-not-configured': 'No API key or export folder is set yet. Enter them under Settings.',
    'problem-key-rejected': 'Billit rejects the API key (or the office PartyID). Check that you use the separate Billsync key Billit support gave you (not the API token of your user settings) and that it belongs to this environment (production or the Billit sandbox).',
    'problem-party': 'The key is valid, but Billit gives no access to this company. The entrepreneur may have ended the link with the office; check the dossier in the accountant portal.',
    'problem-unreachable': 'Billit cannot be reached. Check the network connection, the proxy settings and the API address.',
    'problem-proxy': 'The proxy asks to sign in (407). Enter the proxy details under Settings.',
    'problem-refused': 'Billit answered with an error. Try again later; if it persists, contact Billit support.',
    'problem-malformed': 'Billit gave an unexpected answer. Is the API address right?',
    'problem-other': 'The test failed for an unexpected reason; the log says more.',
    'dossiers-link': 'All dossiers',
  },
  fr: {
    title: 'Connexion', intro: 'Vérifiez que la liaison avec Billit est active : billsync demande à Billit, avec la clé API, pour quelles sociétés il peut agir.',
    settings: 'Réglages', 'base-url': 'Adresse de l\'API Billit', mode: 'Mode', 'mode-direct': 'Direct : billsync récupère les documents de chaque dossier',
    'mode-feed': 'Flux : billsync livre ce qui a été exporté dans le portail comptable', accountant: 'PartyID du bureau', 'not-set': 'non défini',
    'api-key': 'Clé API', 'key-set': 'définie (jamais affichée)', 'key-missing': 'non définie', 'change-settings': 'Modifier dans Paramètres',
    test: 'Tester la connexion', 'test-hint': 'Une seule question à Billit ; rien n\'est exporté.', result: 'Résultat', 'never-tested': 'Pas encore testée depuis le démarrage de billsync.',
    active: 'La connexion est active.', 'not-active': 'La connexion n\'est pas active.', 'tested-at': 'Testée le {at}.', account: 'Compte', email: 'E-mail', 'party-id': 'PartyID',
    companies: 'Sociétés (dossiers)', 'companies-line': 'Cette clé peut agir pour {n} sociétés.', 'known-line': 'billsync connaît {known} dossiers, dont {disabled} désactivés.',
    'what-to-do': 'Que faire ?', detail: 'Détails techniques',
    'problem-not-configured': 'Aucune clé API ou dossier d\'export n\'est encore défini. Saisissez-les dans Paramètres.',
    'problem-key-rejected': 'Billit refuse la clé API (ou le PartyID du bureau). Vérifiez que vous utilisez la clé Billsync distincte reçue du support Billit (pas le jeton API de vos réglages utilisateur) et qu\'elle correspond à cet environnement (production ou bac à sable Billit).',
    'problem-party': 'La clé est valide, mais Billit ne donne pas accès à cette société. L\'entrepreneur a peut-être mis fin à la liaison avec le bureau ; vérifiez le dossier dans le portail comptable.',
    'problem-unreachable': 'Billit est injoignable. Vérifiez la connexion réseau, les réglages du proxy et l\'adresse de l\'API.',
    'problem-proxy': 'Le proxy demande une authentification (407). Saisissez les données du proxy dans Paramètres.',
    'problem-refused': 'Billit a répondu par une erreur. Réessayez plus tard ; si cela persiste, contactez le support Billit.',
    'problem-malformed': 'Billit a donné une réponse inattendue. L\'adresse de l\'API est-elle correcte ?',
    'problem-other': 'Le test a échoué pour une raison inattendue ; le journal en dit plus.',
    'dossiers-link': 'Tous les dossiers',
  },
};

/** Removes the key from any text, whatever the error class promises: this page never shows it. */
function withoutSecret(text: string, secret: string | undefined): string {
  return secret && secret.length > 0 ? text.split(secret).join('[…]') : text;
}

function problemOf(error: unknown): ConnectionProblem {
  if (error instanceof ConfigError) return 'not-configured';
  if (error instanceof ApiKeyRejectedError) return 'key-rejected';
  if (error instanceof PartyAccessError) return 'party';
  // Before the unreachable case: a proxy asking for a login is one kind of "cannot reach Billit".
  if (error instanceof ProxyAuthenticationError) return 'proxy';
  if (error instanceof BillitUnreachableError) return 'unreachable';
  if (error instanceof BillitHttpError) return error.status === 407 ? 'proxy' : 'refused';
  if (error instanceof MalformedResponseError) return 'malformed';
  return 'other';
}

function accountOf(info: AccountInformation, configured: number | null): NonNullable<ConnectionCheck['account']> {
  const extra = info as Record<string, unknown>;
  const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
  const partyId = typeof extra.PartyID === 'number' ? extra.PartyID : configured;
  const own = info.Companies.find((c) => c.PartyID === partyId);
  const person = `${text(extra.FirstName)} ${text(extra.LastName)}`.trim();
  return { email: info.Email ?? null, name: own?.Name ?? (person || null), partyId };
}

/** Asks Billit once (GET /v1/account/accountInformation) with the agent's client: is the key accepted, for which companies. */
export async function testConnection(context: StatusContext): Promise<ConnectionCheck> {
  const { billit } = context.app.config;
  const base = { baseUrl: billit.baseUrl, mode: billit.mode };
  try {
    const info = await context.agent.billit.accountInformation();
    return { ...base, at: context.now(), ok: true, account: accountOf(info, billit.accountantPartyId ?? null), companies: info.Companies.length, problem: null, detail: null };
  } catch (error) {
    return { ...base, at: context.now(), ok: false, account: null, companies: null, problem: problemOf(error), detail: withoutSecret((error as Error).message ?? String(error), billit.apiKey) };
  }
}

function resultSection(check: ConnectionCheck | null, context: StatusContext, lang: Lang, t: Translate<Key>): SafeHtml {
  if (!check) return html`<p>${t('never-tested')}</p>`;
  if (!check.ok) {
    return html`<p class="status-line state-bad"><strong>${t('not-active')}</strong></p><p>${t('tested-at', { at: formatDateTime(check.at, lang) })}</p>
<div class="error" role="alert"><p><strong>${t('what-to-do')}</strong></p><p>${t(`problem-${check.problem ?? 'other'}`)}</p></div>
${check.detail ? html`<details><summary>${t('detail')}</summary><p class="detail">${check.detail}</p></details>` : ''}`;
  }
  const known = context.app.ledger.dossiers.list();
  const disabled = known.filter((d) => context.app.config.dossiers[String(d.partyId)]?.disabled).length;
  const account = check.account;
  return html`<p class="status-line state-ok"><strong>${t('active')}</strong></p><p>${t('tested-at', { at: formatDateTime(check.at, lang) })}</p>
<dl class="facts">
<dt>${t('account')}</dt><dd>${account?.name ?? '—'}</dd>
${account?.email ? html`<dt>${t('email')}</dt><dd>${account.email}</dd>` : ''}
<dt>${t('party-id')}</dt><dd>${account?.partyId ?? '—'}</dd>
<dt>${t('companies')}</dt><dd><strong class="companies">${formatCount(check.companies ?? 0, lang)}</strong> — ${t('companies-line', { n: formatCount(check.companies ?? 0, lang) })}
${t('known-line', { known: formatCount(known.length, lang), disabled: formatCount(disabled, lang) })} <a href="/dossiers">${t('dossiers-link')}</a></dd>
</dl>`;
}

function connectionPage(request: PageRequest, context: StatusContext): PageResult {
  const { lang } = request;
  const t = translator(M, lang);
  const { billit } = context.app.config;
  const body = html`<p>${t('intro')}</p>
<section class="card" aria-labelledby="result-title"><h2 id="result-title">${t('result')}</h2>
${resultSection(lastConnectionCheck(context.agent), context, lang, t)}
<form method="post" action="/connection/test">${tokenField(request.formToken)}<button type="submit">${t('test')}</button> <span class="hint">${t('test-hint')}</span></form>
</section>
<section class="card" aria-labelledby="settings-title"><h2 id="settings-title">${t('settings')}</h2>
<dl class="facts">
<dt>${t('base-url')}</dt><dd class="path">${billit.baseUrl}</dd>
<dt>${t('mode')}</dt><dd>${t(billit.mode === 'feed' ? 'mode-feed' : 'mode-direct')}</dd>
<dt>${t('accountant')}</dt><dd>${billit.accountantPartyId ?? t('not-set')}</dd>
<dt>${t('api-key')}</dt><dd>${billit.apiKey ? t('key-set') : t('key-missing')}</dd>
</dl>
<p><a href="/settings">${t('change-settings')}</a></p>
</section>`;
  return { kind: 'page', title: t('title'), body, nav: 'connection' };
}

/** GET /connection (the seed's "Status" tab) and POST /connection/test. */
export const connectionRoutes: Route[] = [
  { method: 'GET', path: '/connection', handler: connectionPage },
  {
    method: 'POST', path: '/connection/test',
    handler: async (_request, context) => {
      recordConnectionCheck(context.agent, await testConnection(context));
      return { kind: 'redirect', to: '/connection#result-title' };
    },
  },
];
