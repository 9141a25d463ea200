import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import writeExcelFile from 'write-excel-file/node';
import { applyImport } from '../../src/config/dossier-import/apply-import.js';
import { decodeText } from '../../src/config/dossier-import/decode-text.js';
import { DossierImportError } from '../../src/config/dossier-import/dossier-import-error.js';
import { normaliseEnterpriseNumber } from '../../src/config/dossier-import/enterprise-number.js';
import { detectDelimiter, parseCsv } from '../../src/config/dossier-import/parse-csv.js';
import { importProblems, planImport, type ImportCompany, type ImportRow } from '../../src/config/dossier-import/plan-import.js';
import { readTable, tableFromBytes } from '../../src/config/dossier-import/read-table.js';
import { parseConfig } from '../../src/config/load-config.js';

/** Companies as Billit lists them; every enterprise number passes mod 97. */
const COMPANIES: ImportCompany[] = [
  { partyId: 101, name: 'Bakkerij Janssens', enterpriseNumber: '0417000030' },
  { partyId: 102, name: 'Café De Hoek', enterpriseNumber: '0876543270' },
  { partyId: 103, name: 'Acme Consulting', enterpriseNumber: '0123456749' },
  { partyId: 104, name: 'Dupont & Fils', enterpriseNumber: '0555000148' },
  { partyId: 105, name: 'Twin A', enterpriseNumber: '0999000228' },
  { partyId: 106, name: 'Twin B', enterpriseNumber: '0999000228' },
  { partyId: 107, name: 'Garage Peeters', enterpriseNumber: '1000000120' },
  { partyId: 108, name: 'Oud Archief NV', enterpriseNumber: '0444000573' },
  { partyId: 109, name: 'Hostile BV', enterpriseNumber: '0666000317' },
  { partyId: 110, name: 'Leeg BV', enterpriseNumber: '0777000484' },
  { partyId: 111, name: 'No VAT vzw', enterpriseNumber: null },
];

const CONFIG = parseConfig({
  dossiers: {
    101: { folder: 'Bakkerij Janssens', disabled: true },
    103: { folder: 'Acme', policy: { frequency: 'never' } },
    108: { folder: 'Archief' },
  },
});

/** Windows-1252 bytes of a string (the few non-Latin-1 characters used here). */
function cp1252(text: string): Buffer {
  const high: Record<string, number> = { '€': 0x80, '’': 0x92, '“': 0x93, '”': 0x94 };
  return Buffer.from([...text].map((c) => high[c] ?? c.charCodeAt(0)));
}

function byLine(rows: ImportRow[]): Map<number, ImportRow> {
  return new Map(rows.map((row) => [row.line, row]));
}

describe('reading mapping files', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'billsync-dossier-import-')); });

  test('a semicolon CSV with a UTF-8 BOM and Dutch headers reads as the cells Excel shows, line numbers kept', async () => {
    const file = join(dir, 'mapping.csv');
    writeFileSync(file, '\uFEFFOndernemingsnummer;Naam;Dossiermap\r\n'
      + 'BE0417.000.030;"Janssens; bakkerij";Bakkerij Janssens\r\n'
      + '\r\n'
      + '0876 543 270;"Café ""De Hoek""\r\ntweede lijn";Café De Hoek\r\n'
      + '0123456749;Acme;Acme Consulting\r\n');
    const rows = await readTable(file);
    assert.deepEqual(rows, [
      ['Ondernemingsnummer', 'Naam', 'Dossiermap'],
      ['BE0417.000.030', 'Janssens; bakkerij', 'Bakkerij Janssens'],
      [],
      ['0876 543 270', 'Café "De Hoek"\r\ntweede lijn', 'Café De Hoek'],
      [], // line 5 is the second line of the quoted name above
      ['0123456749', 'Acme', 'Acme Consulting'],
    ]);
    assert.equal(rows[0]![0]!.charCodeAt(0), 'O'.charCodeAt(0), 'the BOM is not part of the first header');
    const plan = planImport(rows, COMPANIES, CONFIG);
    assert.deepEqual(plan.rows.map((r) => [r.line, r.partyId, r.folder, r.outcome]), [
      [2, 101, 'Bakkerij Janssens', 'unchanged'],
      [4, 102, 'Café De Hoek', 'set'],
      [6, 103, 'Acme Consulting', 'set'],
    ]);
  });

  test('a Windows-1252 CSV (not valid UTF-8) keeps é and the curly apostrophe Node 20 would turn into a control character', async () => {
    const file = join(dir, 'ansi.csv');
    writeFileSync(file, cp1252('KBO;Map\r\n0876543270;Café l’Ami “€”\r\n'));
    assert.equal(decodeText(cp1252('é')).encoding, 'windows-1252');
    const rows = await readTable(file);
    assert.deepEqual(rows, [['KBO', 'Map'], ['0876543270', 'Café l’Ami “€”']]);
    const plan = planImport(rows, COMPANIES, CONFIG);
    assert.equal(plan.rows[0]!.folder, 'Café l’Ami “€”');
    assert.equal(plan.rows[0]!.outcome, 'set');
  });

  test('comma and tab files are told apart from the header line; UTF-16 "Unicode text" from Excel is read too', async () => {
    assert.equal(detectDelimiter('Mapping 2026\nVAT,Folder\n0123456749,Acme'), ',');
    assert.equal(detectDelimiter('"a;b",x,y\n'), ',');
    assert.equal(detectDelimiter('Naam, voornaam;KBO;Map\n'), ';');
    assert.deepEqual(parseCsv('VAT,Folder\n0123456749,"Acme, Inc"\n'), [['VAT', 'Folder'], ['0123456749', 'Acme, Inc']]);
    const file = join(dir, 'unicode.txt');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('TVA\tRépertoire\r\n0123456749\tAcmé\r\n', 'utf16le')]));
    assert.deepEqual(await readTable(file), [['TVA', 'Répertoire'], ['0123456749', 'Acmé']]);
  });

  test('an .xlsx whose enterprise number is a number cell without its leading 0 still finds the company', async () => {
    const file = join(dir, 'mapping.xlsx');
    await writeExcelFile([
      ['Klantenlijst 2026', null],
      [null, null],
      ['KBO', 'Venice map'],
      [417000030, 'Bakkerij Janssens'],
      [876543270, 'Café De Hoek'],
      [1000000120, { value: 'Garage Peeters', type: String }],
      ['BE0123.456.749', 'Acme Consulting'],
      [1.5, 'Not a number'],
    ]).toFile(file);
    const rows = await readTable(file);
    assert.deepEqual(rows, [
      ['Klantenlijst 2026', ''],
      ['', ''],
      ['KBO', 'Venice map'],
      ['417000030', 'Bakkerij Janssens'],
      ['876543270', 'Café De Hoek'],
      ['1000000120', 'Garage Peeters'],
      ['BE0123.456.749', 'Acme Consulting'],
      ['1.5', 'Not a number'],
    ]);
    const plan = planImport(rows, COMPANIES, CONFIG);
    assert.deepEqual(plan.header, { line: 3, enterpriseColumn: 0, folderColumn: 1, enterpriseTitle: 'KBO', folderTitle: 'Venice map' });
    assert.deepEqual(plan.rows.map((r) => [r.line, r.enterpriseNumber, r.partyId, r.outcome]), [
      [4, '0417000030', 101, 'unchanged'],
      [5, '0876543270', 102, 'set'],
      [6, '1000000120', 107, 'set'],
      [7, '0123456749', 103, 'set'],
      [8, '1.5', null, 'invalid-enterprise-number'],
    ]);
  });

  test('files billsync cannot read fail with the file name and what to do', async () => {
    const xls = join(dir, 'old.xls');
    writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    await assert.rejects(readTable(xls), (e: DossierImportError) => e instanceof DossierImportError && e.code === 'unsupported-format'
      && e.file === xls && e.message.includes(xls) && /save it as \.xlsx \(Excel Workbook\) or \.csv/.test(e.message));
    const encrypted = join(dir, 'locked.xlsx');
    writeFileSync(encrypted, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    await assert.rejects(readTable(encrypted), /locked\.xlsx is an old-format \(\.xls\) or password-protected Excel workbook/);
    const fake = join(dir, 'fake.xlsx');
    writeFileSync(fake, 'KBO;Map\n');
    await assert.rejects(readTable(fake), (e: DossierImportError) => e.code === 'bad-xlsx' && e.message.startsWith(`${fake} is not an Excel workbook`));
    const broken = join(dir, 'broken.xlsx');
    writeFileSync(broken, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40, 7)]));
    await assert.rejects(readTable(broken), (e: DossierImportError) => e.code === 'bad-xlsx' && e.message.includes(broken) && e.message.includes('cannot be read as an Excel workbook'));
    await assert.rejects(readTable(join(dir, 'missing.csv')), (e: DossierImportError) => e.code === 'unreadable' && e.message === `${join(dir, 'missing.csv')} does not exist`);
    await assert.rejects(readTable(dir), (e: DossierImportError) => e.code === 'unreadable' && e.message.endsWith('is a folder, not a file'));
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    await assert.rejects(readTable(empty), (e: DossierImportError) => e.code === 'empty-file' && e.message === `${empty} is empty`);
    await assert.rejects(tableFromBytes(Buffer.from('%PDF-1.7'), 'scan.pdf'), /scan\.pdf has a type billsync does not read \(\.pdf\)/);
    await assert.rejects(tableFromBytes(Buffer.from('KBO;Map\n0123456749;"Acme\n0417000030;Janssens\n'), 'open.csv'),
      (e: DossierImportError) => e.code === 'bad-csv' && e.message === 'open.csv: line 2: a field opened with a double quote (") is never closed; check the quotes on that line');
  });
});

describe('planning an import', () => {
  test('every outcome, with the dossier, folder and reason per row, and totals', () => {
    const rows = parseCsv([
      'Ondernemingsnummer;Naam;Dossiermap', //                                   1
      'BE0417.000.030;Bakkerij Janssens;Bakkerij Janssens', //                  2 unchanged (current override)
      '0876 543 270;Café De Hoek;Café De Hoek', //                               3 set, no override before
      'BE 0123456749;Acme;ACME Consulting', //                                   4 set, replaces "Acme"
      '0123.456.748;Typo;Whatever', //                                           5 mod 97 wrong
      '0333.000.604;Unknown;Unknown BV', //                                      6 valid, not in Billit
      '0876543270;Café De Hoek;Café De Hoek', //                                 7 same company, same folder
      '0555.000.148;Dupont;archief', //                                          8 the folder of 108, other case
      '0999.000.228;Twin;Twin', //                                               9 two Billit companies
      '1000.000.120;Garage;..\\..\\Windows', //                                 10 hostile, sanitised
      '0666.000.317;Hostile;CON', //                                            11 device name, sanitised
      ';;', //                                                                  12 empty: left out
      '0777000484;Leeg;', //                                                    13 no folder
      'NL123456789B01;Dutch;Nederland', //                                      14 not Belgian
      ';Only a folder;Somewhere', //                                            15 no number
    ].join('\r\n'));
    const plan = planImport(rows, COMPANIES, CONFIG);
    const at = byLine(plan.rows);
    assert.deepEqual(plan.rows.map((r) => r.line), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15]);
    assert.deepEqual(plan.rows.map((r) => [r.line, r.enterpriseNumber, r.partyId, r.companyName, r.folder, r.outcome]), [
      [2, '0417000030', 101, 'Bakkerij Janssens', 'Bakkerij Janssens', 'unchanged'],
      [3, '0876543270', 102, 'Café De Hoek', 'Café De Hoek', 'set'],
      [4, '0123456749', 103, 'Acme Consulting', 'ACME Consulting', 'set'],
      [5, '0123456748', null, null, 'Whatever', 'invalid-enterprise-number'],
      [6, '0333000604', null, null, 'Unknown BV', 'unknown-company'],
      [7, '0876543270', 102, 'Café De Hoek', 'Café De Hoek', 'duplicate-row'],
      [8, '0555000148', 104, 'Dupont & Fils', 'archief', 'folder-clash'],
      [9, '0999000228', null, null, 'Twin', 'ambiguous-company'],
      [10, '1000000120', 107, 'Garage Peeters', '___.._Windows', 'set'],
      [11, '0666000317', 109, 'Hostile BV', '_CON', 'set'],
      [13, '0777000484', 110, 'Leeg BV', '', 'empty-folder'],
      [14, 'NL123456789B01', null, null, 'Nederland', 'invalid-enterprise-number'],
      [15, '', null, null, 'Somewhere', 'invalid-enterprise-number'],
    ]);
    assert.deepEqual(plan.totals, {
      set: 4, unchanged: 1, 'unknown-company': 1, 'ambiguous-company': 1, 'invalid-enterprise-number': 3,
      'empty-folder': 1, 'duplicate-row': 1, 'folder-clash': 1,
    });
    assert.equal(importProblems(plan).length, 8);
    assert.equal(at.get(4)!.previousFolder, 'Acme');
    assert.equal(at.get(4)!.message, 'replaces "Acme"');
    assert.equal(at.get(3)!.message, 'replaces the default folder');
    assert.equal(at.get(2)!.message, 'already the folder of this dossier');
    assert.equal(at.get(5)!.message, '"0123.456.748" is not a valid Belgian enterprise number (its mod-97 check digits do not match: check for a typing error)');
    assert.equal(at.get(6)!.message, 'no company in Billit has enterprise number 0333.000.604');
    assert.equal(at.get(7)!.message, 'same company and folder as line 3; this row is ignored');
    assert.equal(at.get(8)!.message, 'folder "archief" would also be the folder of Oud Archief NV (PartyID 108), which already uses it; folder names are compared without case, as on Windows');
    assert.match(at.get(9)!.message, /^2 Billit companies have enterprise number 0999\.000\.228 \(Twin A \(PartyID 105\), Twin B \(PartyID 106\)\)/);
    assert.deepEqual([at.get(10)!.folderAsWritten, at.get(10)!.folderSanitised], ['..\\..\\Windows', true]);
    assert.equal(at.get(10)!.message, 'replaces the default folder; "..\\..\\Windows" is not a safe Windows folder name, so it becomes "___.._Windows"');
    assert.deepEqual([at.get(11)!.folder, at.get(11)!.folderSanitised], ['_CON', true]);
    assert.equal(at.get(3)!.folderSanitised, false);
    assert.equal(at.get(13)!.message, 'no folder on this row');
    assert.match(at.get(14)!.message, /expected 10 digits/);
    assert.equal(at.get(15)!.message, 'no enterprise number on this row');
  });

  test('applyImport sets exactly the "set" rows and keeps every other setting; the input is not modified', () => {
    const rows = parseCsv('KBO;Map\n0417000030;Bakkerij Janssens\n0876543270;Café De Hoek\n0123456749;ACME Consulting\n0555000148;archief\n0333000604;Nobody\n');
    const plan = planImport(rows, COMPANIES, CONFIG);
    const before = structuredClone(CONFIG);
    const next = parseConfig(applyImport(plan, CONFIG));
    assert.deepEqual(CONFIG, before);
    assert.deepEqual(next.dossiers, {
      101: { folder: 'Bakkerij Janssens', disabled: true },
      102: { folder: 'Café De Hoek' },
      103: { folder: 'ACME Consulting', policy: { frequency: 'never' } },
      108: { folder: 'Archief' },
    });
    assert.deepEqual({ ...next, dossiers: {} }, { ...CONFIG, dossiers: {} });
    // Planning again against the result: everything that was applied is now unchanged.
    const again = planImport(rows, COMPANIES, next);
    assert.deepEqual(again.rows.map((r) => r.outcome), ['unchanged', 'unchanged', 'unchanged', 'folder-clash', 'unknown-company']);
  });

  test('two rows giving the same folder (any case) both stay out, and a dossier whose row failed keeps its folder for the clash check', () => {
    const rows = parseCsv([
      'VAT;Folder',
      '0876543270;Shared',
      '0555000148;SHARED',
      // 108 leaves "Archief" in the same file, so 110 may take it; "acme" is still 103's folder.
      '0444000573;Nieuw Archief',
      '0777000484;Archief',
      '0666000317;acme',
    ].join('\n'));
    const plan = planImport(rows, COMPANIES, CONFIG);
    assert.deepEqual(plan.rows.map((r) => [r.line, r.outcome]), [[2, 'folder-clash'], [3, 'folder-clash'], [4, 'set'], [5, 'set'], [6, 'folder-clash']]);
    assert.equal(byLine(plan.rows).get(2)!.message, 'folder "Shared" would also be the folder of Dupont & Fils (PartyID 104) on line 3; folder names are compared without case, as on Windows');
  });

  test('swapping two dossiers\' folders in one file is allowed; a refused move cascades to the row that counted on it', () => {
    const swap = planImport(parseCsv('KBO;Map\n0417000030;Acme\n0123456749;Bakkerij Janssens\n'), COMPANIES, CONFIG);
    assert.deepEqual(swap.rows.map((r) => r.outcome), ['set', 'set']);
    // 103 leaves "Acme" for a folder 104 also wants: both refused, so 103 keeps "Acme" and 101 cannot have it.
    const cascade = planImport(parseCsv('KBO;Map\n0123456749;New\n0555000148;new\n0417000030;Acme\n'), COMPANIES, CONFIG);
    assert.deepEqual(cascade.rows.map((r) => r.outcome), ['folder-clash', 'folder-clash', 'folder-clash']);
    assert.match(cascade.rows[2]!.message, /Acme Consulting \(PartyID 103\), which already uses it/);
    // A row confirming a dossier's folder is not at fault when another row wants that folder too.
    const keep = planImport(parseCsv('KBO;Map\n0876543270;bakkerij janssens\n0417000030;Bakkerij Janssens\n'), COMPANIES, CONFIG);
    assert.deepEqual(keep.rows.map((r) => r.outcome), ['folder-clash', 'unchanged']);
    assert.match(keep.rows[0]!.message, /^folder "bakkerij janssens" would also be the folder of Bakkerij Janssens \(PartyID 101\), which already uses it;/);
  });

  test('the folders dossiers have now without an override count, and conflicting duplicate rows apply nothing', () => {
    const currentFolders = new Map([[102, 'Café De Hoek (0876543270)'], [104, 'Dupont & Fils (0555000148)'], [109, 'Hostile BV (0666000317)']]);
    const plan = planImport(parseCsv('KBO;Map\n0417000030;café de hoek (0876543270)\n0123456749;X\n0123456749;Y\n0666000317;Nieuw\n'), COMPANIES, CONFIG, { currentFolders });
    assert.deepEqual(plan.rows.map((r) => [r.line, r.outcome]), [[2, 'folder-clash'], [3, 'duplicate-row'], [4, 'duplicate-row'], [5, 'set']]);
    assert.equal(plan.rows[0]!.message, 'folder "café de hoek (0876543270)" would also be the folder of Café De Hoek (PartyID 102), which already uses it; folder names are compared without case, as on Windows');
    assert.equal(plan.rows[1]!.message, 'lines 3, 4 give this company different folders; none is applied: keep one row');
    assert.equal(plan.rows[3]!.message, 'replaces the default folder "Hostile BV (0666000317)"');
    assert.deepEqual(applyImport(plan, CONFIG).dossiers, { ...CONFIG.dossiers, 109: { folder: 'Nieuw' } });
  });

  test('headers in French or English, anywhere in the first rows, are found; without one the error lists the accepted names', () => {
    const french = planImport([['Liste des clients'], ['Nom', 'Numéro d\'entreprise', 'Répertoire'], ['Acme', 'BE0123456749', 'Acme SA']], COMPANIES, CONFIG);
    assert.deepEqual(french.header, { line: 2, enterpriseColumn: 1, folderColumn: 2, enterpriseTitle: 'Numéro d\'entreprise', folderTitle: 'Répertoire' });
    assert.equal(french.rows[0]!.outcome, 'set');
    // "Dossier" (a Venice dossier number here) loses to the more specific "Folder"; "VAT" loses to "Company number".
    const english = planImport([['Dossier', 'VAT', 'Company number', 'Folder'], ['17', 'x', '0123456749', 'Acme']], COMPANIES, CONFIG);
    assert.deepEqual([english.header.enterpriseColumn, english.header.folderColumn], [2, 3]);
    assert.equal(planImport([['BTW-nummer', 'DOSSIER VENICE']], COMPANIES, CONFIG).header.folderTitle, 'DOSSIER VENICE');
    assert.throws(() => planImport([['Naam', 'Nummer', 'Dossierbeheerder'], ['Acme', '0123456749', 'Jan']], COMPANIES, CONFIG), (e: DossierImportError) =>
      e instanceof DossierImportError && e.code === 'no-header'
      && e.message.includes('"ondernemingsnummer", "ondernemingsnr", "KBO"') && e.message.includes('"numéro d\'entreprise"')
      && e.message.includes('"dossiermap"') && e.message.includes('"répertoire"') && e.message.includes('"Venice"'));
  });

  test('enterprise numbers are normalised from the ways people and Excel write them', () => {
    assert.equal(normaliseEnterpriseNumber('BE0123.456.749'), '0123456749');
    assert.equal(normaliseEnterpriseNumber(' 0123 456 749 '), '0123456749');
    assert.equal(normaliseEnterpriseNumber('BE 0123456749'), '0123456749');
    assert.equal(normaliseEnterpriseNumber('be0123-456-749'), '0123456749');
    assert.equal(normaliseEnterpriseNumber('123456749'), '0123456749');
    assert.equal(normaliseEnterpriseNumber('0123\u00a0456\u00a0749'), '0123456749');
    assert.equal(normaliseEnterpriseNumber('12345678'), null);
    assert.equal(normaliseEnterpriseNumber('NL123456789B01'), null);
    assert.equal(normaliseEnterpriseNumber(''), null);
  });
});
