/**
 * Names that try to escape the export root or break Windows, for the sandbox's `hostileNames`
 * data set: billsync must write every document inside its dossier folder under a unique, valid name.
 */
export const HOSTILE_NAMES: readonly string[] = [
  '..', '.', '...', '../../etc/passwd', '..\\..\\Windows\\System32', '/etc/shadow', 'C:\\Windows\\win.ini', 'C:', 'D:relative',
  '\\\\server\\share\\file', '\\\\?\\C:\\x', '//server/share', 'CON', 'con.xml', 'NUL .txt', 'PRN', 'AUX.pdf', 'COM1', 'COM¹', 'LPT9.pdf',
  'CONIN$', 'name\u0000with nul', 'line\nbreak', 'tab\there', 'bell\u0007', 'trailing dot.', 'trailing space ', 'trailing dots and spaces. . .',
  '   ', '', 'a∕b', 'a⁄b', 'a／b', 'a＼b', 'a⧸b', 'a⧹b', '\u202Efdp.exe', 'zero\u200Bwidth', '<script>alert(1)</script>', 'a:b',
  'a|b*?"c', '.billsync', '.billsync-x.partial', 'Société Générale', 'Bakkerij Sint-Niklaas', "O'Brien & Zonen", 'INVOIC~1.XML',
  'x'.repeat(300), '😀'.repeat(150), 'e\u0301te\u0301', 'été', 'Purchases', '%2e%2e%2f', '${HOME}', '$(rm -rf ~)',
];

/** A hostile name for the n-th thing, cycling through the list. */
export function hostileName(n: number): string {
  return HOSTILE_NAMES[n % HOSTILE_NAMES.length]!;
}
