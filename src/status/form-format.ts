import type { DocumentKind, DocumentState } from '../core/document-kind.js';
import { translator, type Lang, type Messages } from './i18n.js';

/**
 * How the pages write amounts, dates, document kinds and states. Amounts and dates follow Belgian
 * habits in every language of the page (€ 1.234,56 and 15/10/2026): the offices read them next to
 * Venice, which writes them that way.
 */

/** Integer cents → "€ 1.234,56" (no float on the way). */
export function formatEuro(cents: bigint): string {
  const negative = cents < 0n;
  const digits = (negative ? -cents : cents).toString().padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${negative ? '- ' : ''}€ ${whole},${digits.slice(-2)}`;
}

/** "2026-10-15" → "15/10/2026"; anything else as it is. */
export function formatDate(isoDate: string | null): string {
  const match = isoDate === null ? null : /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : isoDate ?? '';
}

type LabelKey = DocumentKind | DocumentState;

const LABELS: Messages<LabelKey> = {
  nl: {
    purchase: 'Aankoop', sales: 'Verkoop', document: 'Document', coda: 'CODA',
    seen: 'Nog niet geëxporteerd', fetched: 'Opgehaald, nog niet geplaatst', placed: 'Geplaatst', acknowledged: 'Geëxporteerd',
    quarantined: 'In quarantaine', picked_up: 'Ingelezen door Venice',
  },
  en: {
    purchase: 'Purchase', sales: 'Sales', document: 'Document', coda: 'CODA',
    seen: 'Not exported yet', fetched: 'Fetched, not placed yet', placed: 'Placed', acknowledged: 'Exported',
    quarantined: 'In quarantine', picked_up: 'Taken in by Venice',
  },
  fr: {
    purchase: 'Achat', sales: 'Vente', document: 'Document', coda: 'CODA',
    seen: 'Pas encore exporté', fetched: 'Récupéré, pas encore placé', placed: 'Placé', acknowledged: 'Exporté',
    quarantined: 'En quarantaine', picked_up: 'Repris par Venice',
  },
};

/** A document kind or ledger state in the page's language. */
export function documentLabel(lang: Lang, key: LabelKey): string {
  return translator(LABELS, lang)(key);
}

/** The CSS class that colours a state: good, needs a look, or in trouble. */
export function stateClass(state: DocumentState): string {
  if (state === 'quarantined') return 'state-bad';
  if (state === 'seen' || state === 'fetched' || state === 'placed') return 'state-warn';
  return 'state-ok';
}
