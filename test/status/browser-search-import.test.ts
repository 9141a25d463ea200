import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import writeExcelFile from 'write-excel-file/node';
import { parseConfig } from '../../src/config/load-config.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { html } from '../../src/status/html.js';
import type { Route } from '../../src/status/page.js';
import { importRoutes } from '../../src/status/pages/import.js';
import { searchRoutes } from '../../src/status/pages/search.js';
import { artifactPath, launchBrowser } from '../support/browser.js';
import { openSandbox } from '../support/sandbox.js';
import { openStatusPage, type StatusPageEnv } from '../support/status-page.js';

/** A stand-in for the dashboard (built elsewhere), so the token's redirect lands on a page with the navigation. */
const home: Route = { method: 'GET', path: '/', handler: () => ({ kind: 'page', title: 'billsync', nav: 'dashboard', body: html`<p>Home</p>` }) };

/** At 200 % zoom a 1280 px screen is 640 CSS px wide: the page must reflow, not scroll sideways. */
async function assertNoSidewaysScroll(page: Page, what: string): Promise<void> {
  // Expressions as text: the tests compile without the DOM types, the page evaluates them.
  const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
  assert.ok(scrollWidth <= innerWidth, `${what}: the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
}

/** Presses Tab until the focused element matches, as a keyboard user would; fails if it is never reached. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

describe('status page in a browser: search and dossier import', () => {
  let sandbox: Sandbox;
  let env: StatusPageEnv;
  let browser: Browser;

  before(async () => {
    sandbox = await openSandbox({ dossiers: 3, docsPerDossier: 6 });
    env = await openStatusPage(sandbox, [home, ...searchRoutes, ...importRoutes], { policy: { frequency: 'after-10-minutes' } });
    env.agent.syncNow();
    await env.agent.queue.idle();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env.close();
    await sandbox.close();
  });

  test('finds an invoice by its number with the keyboard alone and shows its file path', async () => {
    const row = env.app.ledger.documents.listByState(['acknowledged']).find((r) => r.source === 'orders')!;
    const number = sandbox.world.orders.get(Number(row.billitId))!.plan.number;
    const context = await browser.newContext({ locale: 'nl-BE', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(env.server.url);
      await tabTo(page, 'nav a[href="/search"]');
      await Promise.all([page.waitForURL(/\/search$/), page.keyboard.press('Enter')]);
      assert.ok(await page.evaluate<boolean>("document.activeElement?.id === 'field-q'"), 'the search box has the focus');
      await page.keyboard.type(number);
      await Promise.all([page.waitForURL(/\/search\?q=/), page.keyboard.press('Enter')]);
      const results = page.locator('section[aria-labelledby="results-heading"]');
      assert.ok((await results.innerText()).includes(row.finalPath!), 'the file path is shown');
      assert.match(await page.locator('[role="status"]').first().innerText(), /gevonden/);
      await page.screenshot({ path: artifactPath('search-results.png'), fullPage: true });
      await page.setViewportSize({ width: 640, height: 900 });
      await assertNoSidewaysScroll(page, 'search results');
      await page.screenshot({ path: artifactPath('search-results-200pct.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  test('imports a dossier mapping from an .xlsx file: upload, preview, apply, and the file has the change', async () => {
    const [c0, c1] = [...sandbox.world.dossiers.values()];
    const workbook = await writeExcelFile([
      ['KBO-nummer', 'Dossiermap'],
      [c0!.enterpriseNumber, 'Venice - Eerste'],
      [c1!.enterpriseNumber, 'Venice - Tweede'],
    ]).toBuffer();
    const before = readFileSync(env.configFile);
    const context = await browser.newContext({ locale: 'nl-BE', viewport: { width: 640, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(env.server.url);
      await page.goto(`${env.server.origin}/import`);
      await page.setInputFiles('#field-file', { name: 'mapping.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: workbook });
      await tabTo(page, 'button[type="submit"]');
      await Promise.all([page.waitForResponse((r) => r.url().endsWith('/import') && r.request().method() === 'POST'), page.keyboard.press('Enter')]);
      await page.waitForLoadState();
      const preview = await page.locator('main').innerText();
      assert.match(preview, /Dit is een voorbeeld: er is nog niets gewijzigd/);
      assert.ok(preview.includes('Venice - Eerste') && preview.includes('Venice - Tweede'));
      assert.ok(readFileSync(env.configFile).equals(before), 'the preview changed nothing');
      await assertNoSidewaysScroll(page, 'import preview');
      await page.screenshot({ path: artifactPath('import-preview-200pct.png'), fullPage: true });

      const apply = page.getByRole('button', { name: /Toepassen: 2 dossiermappen wijzigen/ });
      await apply.focus();
      await Promise.all([page.waitForURL(/\/import\?applied=2/), page.keyboard.press('Enter')]);
      assert.match(await page.locator('[role="status"]').first().innerText(), /Opgeslagen: 2 dossiermappen gewijzigd/);
      const saved = parseConfig(JSON.parse(readFileSync(env.configFile, 'utf8')));
      assert.deepEqual(saved.dossiers, {
        [String(c0!.partyId)]: { folder: 'Venice - Eerste' },
        [String(c1!.partyId)]: { folder: 'Venice - Tweede' },
      });
    } finally {
      await context.close();
    }
  });
});
