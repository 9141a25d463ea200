/**
 * An enterprise number as people type it into a spreadsheet — "BE0123.456.749", "0123 456 749",
 * "BE 0123456749", "0123-456-749" — or as Excel keeps it when the cell is a number: 123456749, its leading 0
 * gone. Returns the 10 digits, or null when the text does not have the shape of one. Does NOT check the
 * mod-97 digits (isValidEnterpriseNumber does), so that the user can be told which of the two is wrong.
 */
export function normaliseEnterpriseNumber(text: string): string | null {
  const digits = text.trim().replace(/^BE[\s:.-]*/i, '').replace(/[\s.\-/\u00a0\u202f]/g, '');
  if (/^\d{10}$/.test(digits)) return digits;
  // Enterprise numbers start with 0 or 1; only the 0 can be lost, so 9 digits mean a dropped leading 0.
  if (/^\d{9}$/.test(digits)) return `0${digits}`;
  return null;
}

/** "0123456749" → "0123.456.749", the way the KBO/BCE writes it. */
export function formatEnterpriseNumber(digits: string): string {
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}` : digits;
}
