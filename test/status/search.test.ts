import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { compactVat } from '../../src/ledger/search-repository.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { SandboxOrder } from '../../src/sandbox/world/model.js';
import { escapeHtml } from '../../src/status/html.js';
import { parseAmountQuery, parseDateQuery, parseEnterpriseQuery, readSearchQuery } from '../../src/ledger/search-query.js';
import { searchRoutes } from '../../src/status/pages/search.js';
import { openSandbox } from '../support/sandbox.js';
import { openStatusPage, type StatusPageEnv } from '../support/status-page.js';

describe('reading a search query', () => {
  test('amounts written the Belgian, the English or the plain way become exact cents', () => {
    const cents = (text: string) => parseAmountQuery(text).cents;
    assert.deepEqual(cents('1.234,56'), [123456n]);
    assert.deepEqual(cents('1234.56'), [123456n]);
    assert.deepEqual(cents('1234,56 EUR'), [123456n]);
    assert.deepEqual(cents('€ 99'), [9900n]);
    assert.deepEqual(cents('99,-'), [9900n]);
    assert.deepEqual(cents('1 234,5'), [123450n]);
    assert.deepEqual(cents('1,234.56'), [123456n]);
    assert.deepEqual(cents('0,10'), [10n], 'no float on the way: 0.10 stays 10 cents');
    assert.deepEqual(cents('2026/0042'), []);
    assert.equal(parseAmountQuery('€ 99').explicit, true);
    assert.equal(parseAmountQuery('99').explicit, false);
  });

  test('dates are YYYY-MM-DD or the Belgian day/month/year, and must exist', () => {
    assert.equal(parseDateQuery('2026-10-15'), '2026-10-15');
    assert.equal(parseDateQuery('15/10/2026'), '2026-10-15');
    assert.equal(parseDateQuery('5.3.2026'), '2026-03-05');
    assert.equal(parseDateQuery('31/02/2026'), null);
    assert.equal(parseDateQuery('2026/0042'), null);
  });

  test('an enterprise or VAT number counts only with valid check digits', () => {
    assert.equal(parseEnterpriseQuery('BE 0123.456.749'), '0123456749');
    assert.equal(parseEnterpriseQuery('123456749'), '0123456749');
    assert.equal(parseEnterpriseQuery('0123456748'), null);
    assert.equal(compactVat('be 0123.456.749'), 'BE0123456749');
  });

  test('an amount with its currency, or a date, is not also searched as text', () => {
    assert.deepEqual(readSearchQuery('€ 99').words, []);
    assert.deepEqual(readSearchQuery('15/10/2026').words, []);
    assert.deepEqual(readSearchQuery('2026/0042').words, ['2026/0042']);
  });
});

describe('ledger search page', () => {
  let sandbox: Sandbox;
  let env: StatusPageEnv;
  let order: SandboxOrder;
  let finalPath: string;

  before(async () => {
    sandbox = await openSandbox();
    env = await openStatusPage(sandbox, searchRoutes, { policy: { frequency: 'after-10-minutes' } });
    env.agent.syncNow();
    await env.agent.queue.idle();
    // An exported invoice whose total is not shared with another one, so each search has one right answer.
    const exported = env.app.ledger.documents.listByState(['acknowledged']).filter((row) => row.source === 'orders');
    const orders = exported.map((row) => ({ row, order: sandbox.world.orders.get(Number(row.billitId))! }));
    const pick = orders.find(({ order: o }) => orders.filter(({ order: other }) => other.plan.totals.taxInclusive === o.plan.totals.taxInclusive).length === 1)!;
    order = pick.order;
    finalPath = pick.row.finalPath!;
  });
  after(async () => {
    await env.close();
    await sandbox.close();
  });

  async function search(q: string): Promise<string> {
    const response = await env.get(`/search?q=${encodeURIComponent(q)}`);
    assert.equal(response.status, 200);
    return response.text();
  }

  test('finds an invoice by its number (any case, part of it) and shows where the file is', async () => {
    const body = await search(order.plan.number);
    assert.ok(body.includes(escapeHtml(finalPath)), 'the file path is shown');
    assert.match(body, /Geëxporteerd/);
    const partial = await search(order.plan.number.slice(1).toLowerCase());
    assert.ok(partial.includes(escapeHtml(finalPath)));
  });

  test('finds an invoice by its amount, written the Belgian way or with the euro sign', async () => {
    const [whole, fraction] = order.plan.totals.taxInclusive.split('.') as [string, string];
    const belgian = `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${fraction}`;
    for (const q of [belgian, `€ ${whole},${fraction}`, `${whole}.${fraction} EUR`]) {
      const body = await search(q);
      assert.ok(body.includes(escapeHtml(finalPath)), `amount ${q}`);
      assert.ok(body.includes(`€ ${belgian}`), 'the amount is shown with a decimal comma');
      assert.match(body, /1 document gevonden\./, `${q} finds exactly that invoice`);
    }
  });

  test('finds invoices by date, and only documents of that date', async () => {
    const date = order.orderDate.slice(0, 10);
    const [y, m, d] = date.split('-');
    const body = await search(`${d}/${m}/${y}`);
    assert.ok(body.includes(escapeHtml(finalPath)));
    const shownDates = [...body.matchAll(/<time datetime="([^"]+)">([^<]*)<\/time>/g)].map((match) => match[2]);
    assert.ok(shownDates.length >= 1);
    assert.ok(shownDates.every((shown) => shown === `${d}/${m}/${y}`), `only ${d}/${m}/${y}: ${shownDates.join(', ')}`);
  });

  test('finds invoices by the counterparty\'s VAT number however it is written', async () => {
    const vat = order.counterparty.vatNumber;
    const digits = vat.replace(/\D/g, '');
    const body = await search(`BE ${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`);
    assert.ok(body.includes(escapeHtml(finalPath)));
  });

  test('documents recorded before the search columns existed are still found by number and date', async () => {
    const db = new Database(env.app.ledger.file);
    try {
      db.prepare('UPDATE documents SET reference = NULL, counterparty_name = NULL, counterparty_vat = NULL, amount_cents = NULL, document_date = NULL').run();
    } finally {
      db.close();
    }
    assert.ok((await search(order.plan.number)).includes(escapeHtml(finalPath)), 'by number, through the title');
    const [y, m, d] = order.orderDate.slice(0, 10).split('-');
    assert.ok((await search(`${d}/${m}/${y}`)).includes(escapeHtml(finalPath)), 'by date, through the file name');
  });

  test('the query is escaped, and an empty query shows only the form', async () => {
    const body = await search('<script>alert(1)</script>');
    assert.ok(!body.includes('<script>alert(1)</script>'));
    assert.match(body, /Geen documenten gevonden/);
    const empty = await search('');
    assert.ok(!empty.includes('<table'));
    assert.match(empty, /role="search"/);
  });
});
