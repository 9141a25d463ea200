/**
 * The header row of a mapping file: the column with the enterprise number and the column with the Venice
 * dossier folder, named in Dutch, French or English. Matching ignores case, accents and punctuation
 * ("KBO-nummer" = "kbo nummer", "Numéro d'entreprise" = "numero d entreprise") but is otherwise exact, so a
 * column called "Dossierbeheerder" is not mistaken for "Dossier".
 */

/** Most specific first: when several columns qualify, the earliest name in the list wins. */
export const ENTERPRISE_HEADERS: readonly string[] = [
  'ondernemingsnummer', 'ondernemingsnr', 'KBO', 'KBO-nummer', 'KBO-nr', 'BCE', 'numéro BCE', 'numéro d\'entreprise', 'n° d\'entreprise',
  'enterprise', 'enterprise number', 'company number',
  'BTW', 'btw-nummer', 'btw-nr', 'VAT', 'VAT number', 'VAT no', 'TVA', 'numéro TVA', 'numéro de TVA', 'n° TVA',
];

/** Generic words ("dossier", "Venice") last: a file may have both a "Dossier" and a "Map" column. */
export const FOLDER_HEADERS: readonly string[] = [
  'dossiermap', 'dossier map', 'dossier folder', 'Venice folder', 'Venice map', 'map Venice', 'dossier Venice', 'Venice dossier',
  'répertoire', 'répertoire dossier', 'map', 'mapnaam', 'folder', 'folder name', 'dossier', 'Venice',
];

export interface HeaderMatch {
  /** 1-based line/row of the header in the file. */
  line: number;
  enterpriseColumn: number;
  folderColumn: number;
  /** The header cells as written in the file. */
  enterpriseTitle: string;
  folderTitle: string;
}

/** A title block above the header rarely takes more rows than this; a data row must not be read as a header. */
const HEADER_SCAN_ROWS = 30;

/** "Numéro d'entreprise " → "numero d entreprise". */
export function normaliseHeader(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

const enterpriseRank = rankOf(ENTERPRISE_HEADERS);
const folderRank = rankOf(FOLDER_HEADERS);

/** The first row (within the first 30) that has both columns, or null. */
export function findHeader(rows: readonly (readonly string[])[]): HeaderMatch | null {
  for (let index = 0; index < rows.length && index < HEADER_SCAN_ROWS; index++) {
    const row = rows[index]!;
    const enterprise = bestColumn(row, enterpriseRank);
    const folder = bestColumn(row, folderRank);
    if (enterprise !== null && folder !== null) {
      return { line: index + 1, enterpriseColumn: enterprise, folderColumn: folder, enterpriseTitle: row[enterprise]!.trim(), folderTitle: row[folder]!.trim() };
    }
  }
  return null;
}

/** For error messages: what a header may say. */
export function acceptedHeadersText(): string {
  const list = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');
  return `the enterprise-number column may be called ${list(ENTERPRISE_HEADERS)}; the folder column ${list(FOLDER_HEADERS)}`;
}

function rankOf(names: readonly string[]): ReadonlyMap<string, number> {
  const ranks = new Map<string, number>();
  names.forEach((name, rank) => { if (!ranks.has(normaliseHeader(name))) ranks.set(normaliseHeader(name), rank); });
  return ranks;
}

function bestColumn(row: readonly string[], ranks: ReadonlyMap<string, number>): number | null {
  let best: number | null = null;
  let bestRank = Infinity;
  row.forEach((cell, column) => {
    const rank = ranks.get(normaliseHeader(cell));
    if (rank !== undefined && rank < bestRank) [best, bestRank] = [column, rank];
  });
  return best;
}
