import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSV_COLUMNS, csvHeader, csvRow } from '../../src/ledger/ledger-csv.js';
import type { SearchHit } from '../../src/ledger/search-repository.js';

const hit = (over: Partial<SearchHit>): SearchHit => ({
  id: 1, source: 'orders', billitId: '4711', dossierPartyId: 11, dossierName: 'Bakkerij Peeters', kind: 'purchase', state: 'acknowledged',
  title: null, reference: '2026/0042', counterpartyName: 'Café Ébène', counterpartyVat: 'BE0123456749', amountCents: 123456n,
  documentDate: '2026-11-20', finalPath: 'C:\\Venice\\Peeters\\Aankopen\\2026-11-20 2026_0042.xml', lastError: null,
  createdAt: '2026-11-20T10:00:00.000Z', updatedAt: '2026-07-01T22:30:00.000Z', ...over,
});

test('a ledger row in Excel\'s Belgian CSV: semicolons, decimal comma, CRLF, accents as they are', () => {
  assert.equal(csvHeader(), `${CSV_COLUMNS.join(';')}\r\n`);
  const cells = csvRow(hit({})).slice(0, -2).split(';');
  assert.equal(cells.length, CSV_COLUMNS.length);
  const byName = Object.fromEntries(CSV_COLUMNS.map((name, i) => [name, cells[i]]));
  assert.deepEqual(
    [byName.dossier, byName.counterparty, byName.amount, byName.document_date, byName.file, byName.billit_id],
    ['Bakkerij Peeters', 'Café Ébène', '1234,56', '2026-11-20', 'C:\\Venice\\Peeters\\Aankopen\\2026-11-20 2026_0042.xml', '4711'],
  );
  assert.deepEqual([byName.first_seen, byName.last_change], ['2026-11-20 11:00:00', '2026-07-02 00:30:00'], 'the ledger\'s UTC instants in Brussels time (winter, summer)');
  assert.ok(csvRow(hit({})).endsWith('\r\n'));
  assert.equal(csvRow(hit({ amountCents: -1250n })).split(';')[7], '-12,50', 'a credit note\'s negative amount stays a number');
  assert.equal(csvRow(hit({ amountCents: null })).split(';')[7], '', 'no amount known');
});

test('cells with separators, quotes or line breaks are quoted; text Excel would run as a formula is not', () => {
  const row = csvRow(hit({ counterpartyName: 'Janssens; "De Smet" & Co\nGent', reference: '=HYPERLINK("http://evil","x")', lastError: '-2+3', dossierName: '@SUM(A1)' }));
  assert.ok(row.includes(';"Janssens; ""De Smet"" & Co\nGent";'), row);
  assert.ok(row.includes(';"\'=HYPERLINK(""http://evil"",""x"")";'), 'a formula becomes text behind an apostrophe');
  assert.ok(row.includes(";'-2+3;"), 'also in an error message');
  assert.ok(row.startsWith("11;'@SUM(A1);"), 'and in a name');
});
