import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  DEFAULT_DOSSIER_TEMPLATE,
  KIND_FOLDERS,
  PathEscapeError,
  WINDOWS_MAX_PATH,
  codaFileName,
  conflictName,
  documentFileName,
  exceedsWindowsMaxPath,
  renderFolderTemplate,
  resolveInside,
  ublFileName,
  windowsPathLength,
} from '../../src/export/layout.js';
import { sanitizeFileName, sanitizeSegment } from '../../src/export/windows-name.js';

const POSIX_ROOT = '/srv/export';
const WIN_ROOT = 'C:\\Export';

/** [label, input]: every one must come out as one harmless segment. */
const HOSTILE: ReadonlyArray<readonly [string, string]> = [
  ['dot dot', '..'],
  ['single dot', '.'],
  ['posix traversal', '../../etc/passwd'],
  ['windows traversal', '..\\..\\Windows'],
  ['absolute posix path', '/etc/passwd'],
  ['absolute windows path', 'C:\\Windows\\win.ini'],
  ['bare drive', 'C:'],
  ['drive-relative path', 'C:..\\x'],
  ['UNC path', '\\\\server\\share\\x'],
  ['long-path prefix', '\\\\?\\C:\\x'],
  ['device namespace', '\\\\.\\PhysicalDrive0'],
  ['CON', 'CON'],
  ['con.xml', 'con.xml'],
  ['NUL .txt', 'NUL .txt'],
  ['COM1', 'COM1'],
  ['com0 with two extensions', 'com0.tar.gz'],
  ['LPT9.pdf', 'LPT9.pdf'],
  ['COM with superscript one', 'COM¹'],
  ['lpt with superscript three', 'lpt³.txt'],
  ['CONIN$', 'CONIN$'],
  ['aux with trailing spaces and dots', 'aux . .'],
  ['NUL character', 'a\u0000b'],
  ['control characters', '\u0001\u0007\u001b[31mred'],
  ['C1 control and DEL', 'a\u0085b\u007fc\u009f'],
  ['newlines and tabs', 'line1\nline2\r\n\tend'],
  ['trailing dots', 'invoice...'],
  ['trailing spaces', 'invoice   '],
  ['trailing dots and spaces', 'invoice. . .  '],
  ['leading spaces', '   invoice'],
  ['only spaces', '   '],
  ['empty string', ''],
  ['300 characters', 'x'.repeat(300)],
  ['300 characters with extension', `${'y'.repeat(300)}.xml`],
  ['300 emoji', '😀'.repeat(300)],
  ['odd-length emoji cut point', `a${'😀'.repeat(200)}`],
  ['division slash', 'a∕b'],
  ['fraction slash', 'a⁄b'],
  ['fullwidth solidus', 'a／b'],
  ['fullwidth reverse solidus', 'a＼b'],
  ['big solidus', 'a⧸b'],
  ['big reverse solidus and set minus', 'a⧹b∖c'],
  ['small reverse solidus and box diagonals', 'a﹨b╱c╲d'],
  ['mathematical diagonals', 'a⟋b⟍c'],
  ['look-alike traversal', '․․∕․․∕etc'],
  ['fullwidth colon and question mark', 'a：b？c'],
  ['RTL override', '\u202Eexe.pdf'],
  ['bidi isolates', 'a\u2066b\u2069c'],
  ['zero-width characters', 'a\u200Bb\u200Cc\u200Dd\uFEFF'],
  ['lone surrogate', 'a\uD800b'],
  ['private-use mapped colon', 'a\uF03Ab'],
  ['script tag', '<script>'],
  ['colon (alternate data stream)', 'a:b'],
  ['pipes, stars, questions, quotes', 'a|b*?"'],
  ['only dots', '.....'],
  ['only dots and underscores', '._._.'],
  ['leading dot (hidden file)', '.billsync'],
  ['short-name alias', 'INVOIC~1.XML'],
  ['non-breaking and ideographic spaces', 'a\u00A0\u00A0b\u3000c'],
  ['letterlike account-of sign', '℀ invoice'],
];

const FORBIDDEN =
  /[<>:"/\\|?*\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD\u2215\u2044\u29F8\u29F9\u29F5\uFF0F\uFF3C\u2216\uFE68\u2571\u2572\u27CB\u27CD\uFF1A\uFF1F\u2024\uE000-\uF8FF]/u;
const RESERVED = new Set(['con', 'prn', 'aux', 'nul', 'conin$', 'conout$']);
for (const digit of '0123456789¹²³') RESERVED.add(`com${digit}`).add(`lpt${digit}`);

function assertSafeSegment(result: string, maxLength: number, context: string): void {
  assert.ok(result.length > 0, `${context}: empty`);
  assert.ok(result.length <= maxLength, `${context}: ${result.length} > ${maxLength}`);
  assert.doesNotMatch(result, FORBIDDEN, `${context}: forbidden character in ${JSON.stringify(result)}`);
  assert.doesNotMatch(result, /\p{Cs}/u, `${context}: lone surrogate`);
  assert.ok(!RESERVED.has((result.split('.')[0] ?? '').trimEnd().toLowerCase()), `${context}: reserved name ${result}`);
  assert.doesNotMatch(result, /[. ]$/, `${context}: trailing dot or space`);
  assert.doesNotMatch(result, /^[. ]/, `${context}: leading dot or space`);
  assert.ok(result === '_' || !/^[._ ]+$/.test(result), `${context}: only dots/underscores in ${JSON.stringify(result)}`);
  assert.notEqual(result, '.');
  assert.notEqual(result, '..');
  assert.equal(result, result.normalize('NFC'), `${context}: not NFC`);
  assert.equal(sanitizeSegment(result, { maxLength }), result, `${context}: not idempotent`);
}

function assertStaysInside(segment: string, context: string): void {
  const posix = resolveInside(POSIX_ROOT, segment, path.posix);
  assert.equal(path.posix.dirname(posix), POSIX_ROOT, `${context}: posix ${posix}`);
  const win = resolveInside(WIN_ROOT, segment, path.win32);
  assert.equal(path.win32.dirname(win), WIN_ROOT, `${context}: win32 ${win}`);
  assert.equal(resolveInside(WIN_ROOT, 'Dossier', 'Purchases', segment, path.win32), `${WIN_ROOT}\\Dossier\\Purchases\\${segment}`);
}

describe('sanitizeSegment on hostile input', () => {
  for (const [label, input] of HOSTILE) {
    test(`the ${label} input becomes one safe segment that stays inside the root`, () => {
      const result = sanitizeSegment(input);
      assertSafeSegment(result, 120, label);
      assertStaysInside(result, label);
      const short = sanitizeSegment(input, { maxLength: 12 });
      assertSafeSegment(short, 12, `${label} (maxLength 12)`);
      const file = sanitizeFileName(input, '.XML');
      assertSafeSegment(file, 120, `${label} as file name`);
      assert.ok(file.endsWith('.xml'), `${label}: extension lost in ${file}`);
      assertStaysInside(file, `${label} as file name`);
    });
  }

  test('the hostile table has at least 45 entries', () => {
    assert.ok(HOSTILE.length >= 45, `only ${HOSTILE.length}`);
  });

  test('traversal and reserved names give the expected readable results', () => {
    assert.equal(sanitizeSegment('..'), '_');
    assert.equal(sanitizeSegment('../../etc/passwd'), '___.._etc_passwd');
    assert.equal(sanitizeSegment('con.xml'), '_con.xml');
    assert.equal(sanitizeSegment('NUL .txt'), '_NUL .txt');
    assert.equal(sanitizeSegment('COM¹'), '_COM¹');
    assert.equal(sanitizeSegment('a∕b'), 'a_b');
    assert.equal(sanitizeSegment('\u202Eexe.pdf'), '_exe.pdf');
    assert.equal(sanitizeSegment('invoice. . .  '), 'invoice');
    assert.equal(sanitizeSegment('CONSOLE'), 'CONSOLE');
  });

  test('NFD and NFC forms of the same name give the same output', () => {
    assert.equal(sanitizeSegment('Caf\u0065\u0301'), sanitizeSegment('Caf\u00E9'));
    assert.equal(sanitizeSegment('Soci\u0065\u0301te\u0301'), 'Société');
  });

  test('Dutch and French names keep their accents and punctuation', () => {
    for (const name of ['Société Générale', 'Bakkerij Sint-Niklaas', "O'Brien & Zonen", 'Brasserie Ça Va, Liège', 'Ĳzerhandel Noël']) {
      assert.equal(sanitizeSegment(name), name);
    }
  });

  test('truncation never splits a surrogate pair and keeps whole emoji', () => {
    const result = sanitizeSegment(`a${'😀'.repeat(200)}`);
    assert.equal(result, `a${'😀'.repeat(59)}`);
    assert.equal(sanitizeSegment('🇧🇪'.repeat(40), { maxLength: 10 }), '🇧🇪🇧🇪');
  });

  test('truncation strips the trailing dots and spaces it exposes', () => {
    assert.equal(sanitizeSegment('abc . def', { maxLength: 5 }), 'abc');
  });

  test('a custom fallback is used for empty results and must itself be safe', () => {
    assert.equal(sanitizeSegment('...', { fallback: 'unnamed' }), 'unnamed');
    assert.throws(() => sanitizeSegment('x', { fallback: '..' }), RangeError);
    assert.throws(() => sanitizeSegment('x', { fallback: '' }), RangeError);
    assert.throws(() => sanitizeSegment('x', { maxLength: 0 }), RangeError);
    assert.throws(() => sanitizeSegment('x', { maxLength: 256 }), RangeError);
  });

  test('sanitizeFileName keeps the lower-cased extension whole while shortening the base', () => {
    const result = sanitizeFileName('z'.repeat(300), ' .PDF ');
    assert.equal(result, `${'z'.repeat(116)}.pdf`);
    assert.equal(sanitizeFileName('nul', 'txt'), '_nul.txt');
    assert.equal(sanitizeFileName('report', '.x/../ml'), 'report.x.ml');
    assert.equal(sanitizeFileName('..', ''), '_');
  });

  test('random strings from a hostile alphabet always give safe, idempotent segments', () => {
    const alphabet = ['.', ' ', '/', '\\', ':', '\u0000', '\n', 'a', 'é', 'e\u0301', '😀', '\uD83D', '∕', '＼', '\u202E', '\u200B', 'C', 'O', 'N', 'nul', '~1', '¹', '\u3000'];
    let seed = 42;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 2000; i++) {
      let input = '';
      const length = next() % 40;
      for (let j = 0; j < length; j++) input += alphabet[next() % alphabet.length] ?? '';
      const maxLength = 1 + (next() % 30);
      const result = sanitizeSegment(input, { maxLength });
      assertSafeSegment(result, maxLength, `random ${JSON.stringify(input)}`);
      assertStaysInside(result, `random ${JSON.stringify(input)}`);
    }
  });
});

describe('folder and file names', () => {
  const vars = { name: 'Société Générale', enterprise: '0403.199.702', vat: 'BE0403199702', partyId: 4711 };

  test('kind folders match the documented layout', () => {
    assert.deepEqual(KIND_FOLDERS, { purchase: 'Purchases', sales: 'Sales', document: 'Documents', coda: 'FinancialTransactions' });
  });

  test('the default dossier template gives name and enterprise number', () => {
    assert.equal(renderFolderTemplate(DEFAULT_DOSSIER_TEMPLATE, vars), 'Société Générale (0403.199.702)');
    assert.equal(renderFolderTemplate('{partyId} {vat}', vars), '4711 BE0403199702');
  });

  test('an unknown placeholder throws a RangeError naming it and listing the known ones', () => {
    assert.throws(
      () => renderFolderTemplate('{name} {kbo}', vars),
      (error: unknown) =>
        error instanceof RangeError && error.message.includes('{kbo}') && ['{name}', '{enterprise}', '{vat}', '{partyId}'].every((p) => error.message.includes(p)),
    );
    assert.throws(() => renderFolderTemplate('{name', vars), RangeError);
  });

  test('a template cannot create subfolders and hostile values stay inside one segment', () => {
    assert.equal(renderFolderTemplate('{name}/{partyId}', vars), 'Société Générale_4711');
    const hostile = renderFolderTemplate(DEFAULT_DOSSIER_TEMPLATE, { ...vars, name: '../../Windows', enterprise: 'con' });
    assertSafeSegment(hostile, 120, 'hostile template values');
    assertStaysInside(hostile, 'hostile template values');
    assert.equal(renderFolderTemplate('{name}', { ...vars, name: '..' }), '_');
  });

  test('UBL file names turn slashes in invoice numbers into dashes', () => {
    assert.equal(
      ublFileName({ issueDate: '2026-01-05', counterpartyVat: 'BE 0403.199.702', invoiceNumber: '2026/0042' }),
      '2026-01-05_BE0403199702_2026-0042.xml',
    );
    assert.equal(ublFileName({ issueDate: '2026-01-05', counterpartyVat: null, invoiceNumber: 'F\\2026\\7' }), '2026-01-05_NOVAT_F-2026-7.xml');
    assert.equal(ublFileName({ issueDate: '2026-01-05', counterpartyVat: '  ', invoiceNumber: 'A:B' }), '2026-01-05_NOVAT_A_B.xml');
  });

  test('a very long invoice number still gives a UBL name of at most 120 characters', () => {
    const name = ublFileName({ issueDate: '2026-01-05', counterpartyVat: 'BE0403199702', invoiceNumber: `INV/${'9'.repeat(300)}` });
    assert.ok(name.length <= 120 && name.startsWith('2026-01-05_BE0403199702_INV-') && name.endsWith('.xml'), name);
    assertStaysInside(name, 'long UBL name');
  });

  test('CODA file names pad the sequence to three digits', () => {
    assert.equal(codaFileName({ iban: 'BE68 5390 0754 7034', newBalanceDate: '2026-01-05', sequence: 7 }), 'BE68539007547034_2026-01-05_007.cod');
    assert.equal(codaFileName({ iban: 'be68539007547034', newBalanceDate: '2026-01-05', sequence: '42' }), 'BE68539007547034_2026-01-05_042.cod');
    assert.equal(codaFileName({ iban: 'BE68539007547034', newBalanceDate: '2026-01-05', sequence: 1234 }), 'BE68539007547034_2026-01-05_1234.cod');
    assert.throws(() => codaFileName({ iban: 'BE68539007547034', newBalanceDate: '2026-01-05', sequence: '../1' }), RangeError);
  });

  test('document file names append the document id before the extension', () => {
    assert.equal(documentFileName({ name: 'Huurcontract 2026-01-05', documentId: 500123, extension: '.pdf' }), 'Huurcontract 2026-01-05 (500123).pdf');
    assert.equal(documentFileName({ name: 'Scan.PDF', documentId: '77', extension: 'pdf' }), 'Scan (77).pdf');
    const long = documentFileName({ name: 'd'.repeat(300), documentId: 9, extension: '.png' });
    assert.ok(long.length <= 120 && long.endsWith(' (9).png'), long);
    assert.throws(() => documentFileName({ name: 'x', documentId: ' ', extension: '.pdf' }), RangeError);
  });

  test('distinct hostile inputs can sanitise to the same name, so conflictName keeps them apart', () => {
    const collided = ['a/b.xml', 'a\\b.xml', 'a:b.xml', 'a∕b.xml', 'a＼b.xml'].map((n) => sanitizeSegment(n));
    assert.equal(new Set(collided).size, 1);
    const first = collided[0] ?? '';
    const names = [first, conflictName(first, 2), conflictName(first, 3)];
    assert.deepEqual(names, ['a_b.xml', 'a_b (conflict 2).xml', 'a_b (conflict 3).xml']);
    assert.equal(conflictName('a_b (conflict 2).xml', 3), 'a_b (conflict 3).xml');
    assert.equal(conflictName('README', 2), 'README (conflict 2)');
    const long = conflictName(`${'q'.repeat(116)}.xml`, 12);
    assert.ok(long.length <= 120 && long.endsWith(' (conflict 12).xml'), long);
    assert.throws(() => conflictName('a.xml', 0), RangeError);
  });
});

describe('resolveInside', () => {
  test('joins sanitised segments under the root with posix and win32 semantics', () => {
    assert.equal(resolveInside(POSIX_ROOT, 'Dossier (0403.199.702)', 'Purchases', 'a.xml', path.posix), '/srv/export/Dossier (0403.199.702)/Purchases/a.xml');
    assert.equal(resolveInside(WIN_ROOT, 'Dossier', 'Sales', 'b.xml', path.win32), 'C:\\Export\\Dossier\\Sales\\b.xml');
    assert.equal(resolveInside('\\\\nas\\venice', 'D', path.win32), '\\\\nas\\venice\\D');
  });

  test('throws PathEscapeError for dot dot and other un-sanitised segments', () => {
    const refused: string[][] = [['..'], ['.'], ['a', '..'], ['a/b'], ['../x'], ['/etc/passwd'], ['con'], ['x.'], [' x'], ['a\u0000b'], ['']];
    for (const segments of refused) {
      for (const [root, api] of [[POSIX_ROOT, path.posix], [WIN_ROOT, path.win32]] as const) {
        assert.throws(() => resolveInside(root, ...segments, api), PathEscapeError, `${JSON.stringify(segments)} under ${root}`);
      }
    }
    assert.throws(() => resolveInside(WIN_ROOT, '..\\x', path.win32), PathEscapeError);
    assert.throws(() => resolveInside(WIN_ROOT, 'D:\\x', path.win32), PathEscapeError);
    assert.throws(() => resolveInside(WIN_ROOT, 'D:', path.win32), PathEscapeError);
  });

  test('the error carries the root and the attempted path', () => {
    try {
      resolveInside(POSIX_ROOT, '..', path.posix);
      assert.fail('expected PathEscapeError');
    } catch (error) {
      assert.ok(error instanceof PathEscapeError && error instanceof Error);
      assert.equal(error.name, 'PathEscapeError');
      assert.equal(error.root, POSIX_ROOT);
      assert.equal(error.attempted, '/srv');
    }
  });

  test('the root itself is not strictly inside the root', () => {
    assert.throws(() => resolveInside(POSIX_ROOT, path.posix), PathEscapeError);
  });

  test('a relative or drive-less root is refused', () => {
    assert.throws(() => resolveInside('export', 'a', path.posix), RangeError);
    assert.throws(() => resolveInside('C:export', 'a', path.win32), RangeError);
    assert.throws(() => resolveInside('\\Export', 'a', path.win32), RangeError);
  });
});

describe('Windows path length', () => {
  test('counts the path as Windows sees it and flags 260 characters or more', () => {
    assert.equal(windowsPathLength('C:\\Export', 'Dossier', 'a.xml'), 'C:\\Export\\Dossier\\a.xml'.length);
    assert.equal(windowsPathLength('C:/Export/', 'a'), 'C:\\Export\\a'.length);
    const fill = (total: number): string => 'f'.repeat(total - 'C:\\Export\\Dossier\\'.length);
    assert.equal(windowsPathLength(WIN_ROOT, 'Dossier', fill(259)), 259);
    assert.equal(exceedsWindowsMaxPath(WIN_ROOT, 'Dossier', fill(259)), false);
    assert.equal(exceedsWindowsMaxPath(WIN_ROOT, 'Dossier', fill(WINDOWS_MAX_PATH)), true);
  });
});
