import { translator, type Lang, type Messages, type Translate } from '../i18n.js';
import type { CountKey } from '../view-dossier-counts.js';

/** The dossier pages' texts (list, detail, policy, folder, manual export, documents). */
type Key =
  | CountKey | 'list-title' | 'list-count' | 'list-none' | 'dossier' | 'folder' | 'frequency' | 'disabled-short' | 'own-policy-short'
  | 'not-found-title' | 'not-found' | 'about' | 'party-id' | 'vat' | 'open-folder' | 'open-failed' | 'no-export-root' | 'counts' | 'disabled-banner'
  | 'not-saved' | 'not-saved-summary' | 'errors-title' | 'save'
  | 'policy' | 'policy-follows-office' | 'policy-own' | 'frequency-never' | 'frequency-last-month' | 'frequency-after-10-minutes' | 'day' | 'time'
  | 'require-approval' | 'require-approval-hint' | 'lock-after-export' | 'lock-after-export-hint' | 'export-from' | 'export-from-hint' | 'export-from-hint-office'
  | 'disabled' | 'disabled-hint' | 'use-office-defaults' | 'error-frequency' | 'error-day' | 'error-time' | 'error-date'
  | 'folder-title' | 'folder-field' | 'folder-hint' | 'preview-label' | 'preview' | 'preview-too-long' | 'preview-invalid' | 'template-placeholder' | 'template-brace' | 'folder-after-save'
  | 'export-title' | 'export-period' | 'export-from-date' | 'export-to-date' | 'export-period-hint' | 'export-kinds' | 'include-exported' | 'include-exported-hint'
  | 'export-submit' | 'export-latest' | 'export-what' | 'export-what-including' | 'export-waiting' | 'export-running' | 'export-finished' | 'export-identical' | 'export-quarantined' | 'export-failed' | 'run-number'
  | 'error-export-feed' | 'error-export-disabled' | 'error-export-date' | 'error-export-order' | 'error-export-kinds'
  | 'documents' | 'docs-none' | 'docs-caption' | 'doc-changed' | 'doc-kind' | 'doc-title' | 'doc-state' | 'doc-file' | 'doc-error'
  | 'doc-waiting-approval' | 'doc-failing' | 'doc-deleted'
  | 'notice-policy-saved' | 'notice-policy-reset' | 'notice-folder-saved' | 'notice-folder-removed' | 'notice-export-queued'
  | 'notice-export-already-queued' | 'notice-folder-opened';

const M: Messages<Key> = {
  nl: {
    waitingApproval: 'Wacht op goedkeuring', toExport: 'Te exporteren', failing: 'Mislukt, wordt opnieuw geprobeerd', quarantined: 'In quarantaine', exported: 'Geëxporteerd',
    'list-title': 'Alle dossiers', 'list-count': '{n} dossiers', 'list-none': 'Nog geen dossiers: billsync haalt ze op bij de eerste synchronisatie.',
    dossier: 'Dossier', folder: 'Map', frequency: 'Frequentie van export', 'disabled-short': 'uitgeschakeld', 'own-policy-short': 'eigen instellingen',
    'not-found-title': 'Onbekend dossier', 'not-found': 'billsync kent dit dossier niet. Misschien is het nog niet gesynchroniseerd.',
    about: 'Dossier', 'party-id': 'Billit PartyID', vat: 'Btw-nummer', 'open-folder': 'Map openen', 'open-failed': 'De map kon niet geopend worden', 'no-export-root': 'Er is nog geen exportmap ingesteld: kies ze onder Instellingen.',
    counts: 'Documenten', 'disabled-banner': 'Dit dossier is uitgeschakeld: billsync exporteert er niets van, ook niet handmatig.',
    'not-saved': 'Niet opgeslagen', 'not-saved-summary': 'Er is niets opgeslagen: verbeter de fouten hieronder.', 'errors-title': 'Verbeter het volgende:', save: 'Opslaan',
    policy: 'Dossierinstellingen', 'policy-follows-office': 'Dit dossier volgt de kantoorinstellingen ({office}).', 'policy-own': 'Dit dossier heeft eigen instellingen ({count} afwijkend van het kantoor).',
    'frequency-never': 'Nooit: alleen handmatig exporteren', 'frequency-last-month': 'Laatste maand (aanbevolen): alle documenten van de laatste volledige maand',
    'frequency-after-10-minutes': 'Na 10 minuten: elk document 10 minuten na aanmaak', day: 'Dag van de maand (1 tot 28)', time: 'Uur (Brussel)',
    'require-approval': 'Enkel na goedkeuring door de ondernemer', 'require-approval-hint': 'Je krijgt een melding wanneer de ondernemer documenten goedkeurt.',
    'lock-after-export': 'Documenten niet meer aanpasbaar in Billit na export', 'lock-after-export-hint': 'Billit weigert dan wijzigingen aan geëxporteerde facturen.',
    'export-from': 'Exporteren vanaf', 'export-from-hint': 'Leeg: geen grens. Oudere documenten gaan nooit automatisch; handmatig kan nog.',
    'export-from-hint-office': 'Leeg: de datum van het kantoor ({date}). Oudere documenten gaan nooit automatisch; handmatig kan nog.',
    disabled: 'Dossier uitschakelen', 'disabled-hint': 'billsync slaat dit dossier dan over, automatisch en handmatig.', 'use-office-defaults': 'Kantoorinstellingen gebruiken',
    'error-frequency': 'Kies een frequentie van export.', 'error-day': 'De dag moet een getal van 1 tot 28 zijn (elke maand heeft die dag), niet "{value}".',
    'error-time': 'Het uur moet UU:MM zijn, van 00:00 tot 23:59, niet "{value}".', 'error-date': 'De datum moet een bestaande datum zijn (JJJJ-MM-DD), niet "{value}".',
    'folder-title': 'Map van het dossier', 'folder-field': 'Mapnaam (leeg: volgens het sjabloon van het kantoor)',
    'folder-hint': 'Een naam, of een sjabloon met {name}, {enterprise}, {vat} of {partyId}. Sjabloon van het kantoor: {template}',
    'preview-label': 'Zo komen de bestanden op schijf:', preview: 'Voorbeeld tonen', 'preview-too-long': 'Let op: sommige paden zijn 260 tekens of langer; Venice en Verkenner kunnen ze niet openen.',
    'preview-invalid': 'Deze naam kan niet: {reason}',
    'template-placeholder': '{part} is geen gekend veld. Gebruik {known}.', 'template-brace': 'Er staat een losse "{part}" in de naam. Velden staan tussen accolades: {known}.', 'folder-after-save': 'Een nieuwe map geldt vanaf de volgende synchronisatie; wat al geëxporteerd is, blijft in de oude map.',
    'export-title': 'Handmatige export', 'export-period': 'Periode (documentdatum)', 'export-from-date': 'Van', 'export-to-date': 'Tot en met',
    'export-period-hint': 'Beide dagen inbegrepen.', 'export-kinds': 'Soorten documenten', 'include-exported': 'Inclusief reeds geëxporteerd',
    'include-exported-hint': 'Levert ook documenten die al in de map stonden opnieuw af.', 'export-submit': 'Exporteren',
    'export-latest': 'Laatste handmatige export:', 'export-what': '{from} tot en met {to} ({kinds})', 'export-what-including': 'inclusief reeds geëxporteerd',
    'export-waiting': 'In de wachtrij sinds {at}.', 'export-running': 'Bezig sinds {at}.', 'export-finished': 'Klaar om {at}: {delivered} afgeleverd, {failed} mislukt.',
    'export-identical': '{identical} ervan stonden al identiek in de map en werden opnieuw bevestigd.', 'export-quarantined': '{quarantined} in quarantaine.',
    'export-failed': 'Mislukt om {at}: {error}', 'run-number': 'run {id}',
    'error-export-feed': 'Handmatig exporteren kan alleen in de rechtstreekse modus; in feed-modus exporteer je vanuit het boekhoudersportaal van Billit.',
    'error-export-disabled': 'Dit dossier is uitgeschakeld: schakel het eerst weer in.', 'error-export-date': 'Vul een bestaande datum in (JJJJ-MM-DD), niet "{value}".',
    'error-export-order': 'De einddatum ligt vóór de begindatum.', 'error-export-kinds': 'Kies minstens één soort document.',
    documents: 'Recente documenten', 'docs-none': 'Nog geen documenten van dit dossier.', 'docs-caption': 'De {n} laatst gewijzigde documenten',
    'doc-changed': 'Gewijzigd', 'doc-kind': 'Soort', 'doc-title': 'Nummer', 'doc-state': 'Status', 'doc-file': 'Bestand', 'doc-error': 'Laatste fout',
    'doc-waiting-approval': 'Wacht op goedkeuring', 'doc-failing': 'Mislukt ({attempts}×), wordt opnieuw geprobeerd', 'doc-deleted': 'Verwijderd in Billit',
    'notice-policy-saved': 'De dossierinstellingen zijn opgeslagen.', 'notice-policy-reset': 'Dit dossier volgt nu de kantoorinstellingen.',
    'notice-folder-saved': 'De map is opgeslagen; ze geldt vanaf de volgende synchronisatie.', 'notice-folder-removed': 'De eigen mapnaam is verwijderd.',
    'notice-export-queued': 'De export staat in de wachtrij.', 'notice-export-already-queued': 'Deze export wachtte al in de wachtrij.', 'notice-folder-opened': 'De map is geopend.',
  },
  en: {
    waitingApproval: 'Waiting for approval', toExport: 'To export', failing: 'Failing, will be retried', quarantined: 'Quarantined', exported: 'Exported',
    'list-title': 'All dossiers', 'list-count': '{n} dossiers', 'list-none': 'No dossiers yet: billsync fetches them at the first sync.',
    dossier: 'Dossier', folder: 'Folder', frequency: 'Export frequency', 'disabled-short': 'disabled', 'own-policy-short': 'own settings',
    'not-found-title': 'Unknown dossier', 'not-found': 'billsync does not know this dossier. It may not have been synced yet.',
    about: 'Dossier', 'party-id': 'Billit PartyID', vat: 'VAT number', 'open-folder': 'Open folder', 'open-failed': 'The folder could not be opened', 'no-export-root': 'No export folder is set yet: choose it under Settings.',
    counts: 'Documents', 'disabled-banner': 'This dossier is disabled: billsync exports nothing of it, not even manually.',
    'not-saved': 'Not saved', 'not-saved-summary': 'Nothing was saved: correct the errors below.', 'errors-title': 'Please correct the following:', save: 'Save',
    policy: 'Dossier settings', 'policy-follows-office': 'This dossier follows the office settings ({office}).', 'policy-own': 'This dossier has its own settings ({count} differing from the office).',
    'frequency-never': 'Never: manual exports only', 'frequency-last-month': 'Last month (recommended): every document of the last full month',
    'frequency-after-10-minutes': 'After 10 minutes: every document 10 minutes after creation', day: 'Day of the month (1 to 28)', time: 'Time (Brussels)',
    'require-approval': 'Only after the entrepreneur\'s approval', 'require-approval-hint': 'You get a notification when the entrepreneur approves documents.',
    'lock-after-export': 'Documents can no longer be changed in Billit after export', 'lock-after-export-hint': 'Billit then refuses changes to exported invoices.',
    'export-from': 'Export from', 'export-from-hint': 'Empty: no limit. Older documents never go automatically; a manual export can still send them.',
    'export-from-hint-office': 'Empty: the office\'s date ({date}). Older documents never go automatically; a manual export can still send them.',
    disabled: 'Disable this dossier', 'disabled-hint': 'billsync then skips this dossier, automatically and manually.', 'use-office-defaults': 'Use the office defaults',
    'error-frequency': 'Choose an export frequency.', 'error-day': 'The day must be a number from 1 to 28 (every month has it), not "{value}".',
    'error-time': 'The time must be HH:MM, from 00:00 to 23:59, not "{value}".', 'error-date': 'The date must be a real date (YYYY-MM-DD), not "{value}".',
    'folder-title': 'Dossier folder', 'folder-field': 'Folder name (empty: the office template)',
    'folder-hint': 'A name, or a template with {name}, {enterprise}, {vat} or {partyId}. Office template: {template}',
    'preview-label': 'This is where the files go:', preview: 'Show preview', 'preview-too-long': 'Note: some paths are 260 characters or longer; Venice and Explorer cannot open them.',
    'preview-invalid': 'This name cannot be used: {reason}',
    'template-placeholder': '{part} is not a known field. Use {known}.', 'template-brace': 'There is a stray "{part}" in the name. Fields go between braces: {known}.', 'folder-after-save': 'A new folder applies from the next sync; what was exported stays in the old folder.',
    'export-title': 'Manual export', 'export-period': 'Period (document date)', 'export-from-date': 'From', 'export-to-date': 'To (inclusive)',
    'export-period-hint': 'Both days included.', 'export-kinds': 'Kinds of documents', 'include-exported': 'Include already exported',
    'include-exported-hint': 'Also delivers documents that were in the folder already, again.', 'export-submit': 'Export',
    'export-latest': 'Latest manual export:', 'export-what': '{from} to {to} ({kinds})', 'export-what-including': 'including already exported',
    'export-waiting': 'Queued since {at}.', 'export-running': 'Running since {at}.', 'export-finished': 'Done at {at}: {delivered} delivered, {failed} failed.',
    'export-identical': '{identical} of them were in the folder already, identical, and were confirmed again.', 'export-quarantined': '{quarantined} quarantined.',
    'export-failed': 'Failed at {at}: {error}', 'run-number': 'run {id}',
    'error-export-feed': 'Manual export works in direct mode only; in feed mode, export from Billit\'s accountant portal.',
    'error-export-disabled': 'This dossier is disabled: enable it first.', 'error-export-date': 'Enter a real date (YYYY-MM-DD), not "{value}".',
    'error-export-order': 'The end date is before the start date.', 'error-export-kinds': 'Choose at least one kind of document.',
    documents: 'Recent documents', 'docs-none': 'No documents of this dossier yet.', 'docs-caption': 'The {n} most recently changed documents',
    'doc-changed': 'Changed', 'doc-kind': 'Kind', 'doc-title': 'Number', 'doc-state': 'State', 'doc-file': 'File', 'doc-error': 'Last error',
    'doc-waiting-approval': 'Waiting for approval', 'doc-failing': 'Failed ({attempts}×), will be retried', 'doc-deleted': 'Deleted in Billit',
    'notice-policy-saved': 'The dossier settings are saved.', 'notice-policy-reset': 'This dossier now follows the office settings.',
    'notice-folder-saved': 'The folder is saved; it applies from the next sync.', 'notice-folder-removed': 'The dossier\'s own folder name is removed.',
    'notice-export-queued': 'The export is queued.', 'notice-export-already-queued': 'This export was already queued.', 'notice-folder-opened': 'The folder is open.',
  },
  fr: {
    waitingApproval: 'En attente d\'approbation', toExport: 'À exporter', failing: 'En échec, sera réessayé', quarantined: 'En quarantaine', exported: 'Exportés',
    'list-title': 'Tous les dossiers', 'list-count': '{n} dossiers', 'list-none': 'Pas encore de dossiers : billsync les récupère à la première synchronisation.',
    dossier: 'Dossier', folder: 'Dossier sur disque', frequency: 'Fréquence d\'export', 'disabled-short': 'désactivé', 'own-policy-short': 'réglages propres',
    'not-found-title': 'Dossier inconnu', 'not-found': 'billsync ne connaît pas ce dossier. Il n\'a peut-être pas encore été synchronisé.',
    about: 'Dossier', 'party-id': 'PartyID Billit', vat: 'Numéro de TVA', 'open-folder': 'Ouvrir le dossier', 'open-failed': 'Le dossier n\'a pas pu être ouvert', 'no-export-root': 'Aucun dossier d\'export n\'est encore choisi : choisissez-le dans Paramètres.',
    counts: 'Documents', 'disabled-banner': 'Ce dossier est désactivé : billsync n\'en exporte rien, même manuellement.',
    'not-saved': 'Non enregistré', 'not-saved-summary': 'Rien n\'a été enregistré : corrigez les erreurs ci-dessous.', 'errors-title': 'Veuillez corriger ce qui suit :', save: 'Enregistrer',
    policy: 'Réglages du dossier', 'policy-follows-office': 'Ce dossier suit les réglages du bureau ({office}).', 'policy-own': 'Ce dossier a ses propres réglages ({count} différents du bureau).',
    'frequency-never': 'Jamais : uniquement des exports manuels', 'frequency-last-month': 'Mois précédent (recommandé) : tous les documents du dernier mois complet',
    'frequency-after-10-minutes': 'Après 10 minutes : chaque document 10 minutes après sa création', day: 'Jour du mois (1 à 28)', time: 'Heure (Bruxelles)',
    'require-approval': 'Uniquement après approbation par l\'entrepreneur', 'require-approval-hint': 'Vous êtes averti quand l\'entrepreneur approuve des documents.',
    'lock-after-export': 'Documents non modifiables dans Billit après l\'export', 'lock-after-export-hint': 'Billit refuse alors les modifications des factures exportées.',
    'export-from': 'Exporter à partir du', 'export-from-hint': 'Vide : pas de limite. Les documents plus anciens ne partent jamais automatiquement ; un export manuel reste possible.',
    'export-from-hint-office': 'Vide : la date du bureau ({date}). Les documents plus anciens ne partent jamais automatiquement ; un export manuel reste possible.',
    disabled: 'Désactiver ce dossier', 'disabled-hint': 'billsync ignore alors ce dossier, automatiquement et manuellement.', 'use-office-defaults': 'Utiliser les réglages du bureau',
    'error-frequency': 'Choisissez une fréquence d\'export.', 'error-day': 'Le jour doit être un nombre de 1 à 28 (chaque mois l\'a), pas « {value} ».',
    'error-time': 'L\'heure doit être HH:MM, de 00:00 à 23:59, pas « {value} ».', 'error-date': 'La date doit être une date existante (AAAA-MM-JJ), pas « {value} ».',
    'folder-title': 'Dossier sur disque', 'folder-field': 'Nom du dossier (vide : le modèle du bureau)',
    'folder-hint': 'Un nom, ou un modèle avec {name}, {enterprise}, {vat} ou {partyId}. Modèle du bureau : {template}',
    'preview-label': 'Voici où vont les fichiers :', preview: 'Aperçu', 'preview-too-long': 'Attention : certains chemins font 260 caractères ou plus ; Venice et l\'Explorateur ne peuvent pas les ouvrir.',
    'preview-invalid': 'Ce nom n\'est pas possible : {reason}',
    'template-placeholder': '{part} n\'est pas un champ connu. Utilisez {known}.', 'template-brace': 'Il y a un « {part} » isolé dans le nom. Les champs s\'écrivent entre accolades : {known}.', 'folder-after-save': 'Un nouveau dossier s\'applique dès la prochaine synchronisation ; ce qui a été exporté reste dans l\'ancien.',
    'export-title': 'Export manuel', 'export-period': 'Période (date du document)', 'export-from-date': 'Du', 'export-to-date': 'Au (inclus)',
    'export-period-hint': 'Les deux jours sont inclus.', 'export-kinds': 'Types de documents', 'include-exported': 'Y compris les documents déjà exportés',
    'include-exported-hint': 'Livre à nouveau les documents qui étaient déjà dans le dossier.', 'export-submit': 'Exporter',
    'export-latest': 'Dernier export manuel :', 'export-what': 'du {from} au {to} ({kinds})', 'export-what-including': 'y compris les documents déjà exportés',
    'export-waiting': 'En file d\'attente depuis {at}.', 'export-running': 'En cours depuis {at}.', 'export-finished': 'Terminé à {at} : {delivered} livrés, {failed} en échec.',
    'export-identical': '{identical} d\'entre eux étaient déjà dans le dossier, identiques, et ont été confirmés à nouveau.', 'export-quarantined': '{quarantined} en quarantaine.',
    'export-failed': 'Échec à {at} : {error}', 'run-number': 'passage {id}',
    'error-export-feed': 'L\'export manuel ne fonctionne qu\'en mode direct ; en mode flux, exportez depuis le portail comptable de Billit.',
    'error-export-disabled': 'Ce dossier est désactivé : réactivez-le d\'abord.', 'error-export-date': 'Indiquez une date existante (AAAA-MM-JJ), pas « {value} ».',
    'error-export-order': 'La date de fin précède la date de début.', 'error-export-kinds': 'Choisissez au moins un type de document.',
    documents: 'Documents récents', 'docs-none': 'Pas encore de documents pour ce dossier.', 'docs-caption': 'Les {n} documents modifiés le plus récemment',
    'doc-changed': 'Modifié', 'doc-kind': 'Type', 'doc-title': 'Numéro', 'doc-state': 'État', 'doc-file': 'Fichier', 'doc-error': 'Dernière erreur',
    'doc-waiting-approval': 'En attente d\'approbation', 'doc-failing': 'En échec ({attempts}×), sera réessayé', 'doc-deleted': 'Supprimé dans Billit',
    'notice-policy-saved': 'Les réglages du dossier sont enregistrés.', 'notice-policy-reset': 'Ce dossier suit maintenant les réglages du bureau.',
    'notice-folder-saved': 'Le dossier est enregistré ; il s\'applique dès la prochaine synchronisation.', 'notice-folder-removed': 'Le nom de dossier propre est supprimé.',
    'notice-export-queued': 'L\'export est dans la file d\'attente.', 'notice-export-already-queued': 'Cet export attendait déjà dans la file.', 'notice-folder-opened': 'Le dossier est ouvert.',
  },
};

export function dossierText(lang: Lang): Translate<Key> {
  return translator(M, lang);
}
