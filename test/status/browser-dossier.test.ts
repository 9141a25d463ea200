import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Route } from '../../src/status/page.js';
import { connectionRoutes } from '../../src/status/pages/connection.js';
import { dashboardRoutes } from '../../src/status/pages/dashboard.js';
import { dossierRoutes } from '../../src/status/pages/dossier.js';
import { logsRoutes } from '../../src/status/pages/logs.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { artifactPath, launchBrowser } from '../support/browser.js';
import { control, openSandbox } from '../support/sandbox.js';
import { openStatusPage, type StatusPageEnv } from '../support/status-page.js';

const routes: Route[] = [...dashboardRoutes, ...dossierRoutes, ...connectionRoutes, ...logsRoutes];

/** Presses Tab until the focused element matches, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, matches: (el: { tag: string; href: string | null; id: string }) => boolean, max = 80): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { tag: el?.tagName.toLowerCase() ?? '', href: el?.getAttribute('href') ?? null, id: el?.id ?? '' };
    });
    if (matches(focused)) return presses;
  }
  throw new Error(`nothing matching was reached with ${max} Tab presses`);
}

/** At 200 % zoom a 1280 px wide window is 640 CSS px wide: nothing may need horizontal scrolling. */
async function assertNoHorizontalScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  assert.ok(scrollWidth <= clientWidth, `${what} at 200 %: scrollWidth ${scrollWidth} > clientWidth ${clientWidth}`);
}

function configOnDisk(env: StatusPageEnv): any {
  return JSON.parse(readFileSync(env.configFile, 'utf8'));
}

describe('a form post from a real browser', () => {
  // With Referrer-Policy no-referrer Chromium would send "Origin: null" and the server refuse every form.
  test('is accepted by the server as it is', async () => {
    const sandbox = await openSandbox({ dossiers: 1 });
    const env = await openStatusPage(sandbox, routes);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(env.server.url);
      const [response] = await Promise.all([page.waitForNavigation(), page.click('form[action="/sync-now"] button')]);
      assert.equal(response?.status(), 200, 'the post is accepted and redirects back to the dashboard');
    } finally {
      await browser.close();
      await env.close();
      await sandbox.close();
    }
  });
});

describe('the dossier pages in a real browser, with the keyboard', () => {
  let sandbox: Sandbox;
  let env: StatusPageEnv;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let target: number;
  let damagedOrder: number;
  const problems: string[] = [];

  before(async () => {
    sandbox = await openSandbox({ dossiers: 3 });
    target = [...sandbox.world.dossiers.keys()][1]!;
    env = await openStatusPage(sandbox, routes, { policy: { frequency: 'after-10-minutes' } });
    // One invoice of the target dossier fails validation, so the dashboard lists that dossier.
    const damaged = [...sandbox.world.orders.values()].find((o) => o.companyId === target && o.approvalStatus === 'Approved')!;
    damagedOrder = damaged.orderId;
    await control(sandbox, 'POST', `orders/${damaged.orderId}/damage`, { damaged: true });
    env.agent.queue.enqueue({ trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false });
    await env.agent.queue.idle();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'nl-BE', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(message.text()); });
    // Chromium asks for /favicon.ico by itself; the page offers none (yet). Everything else must load.
    page.on('response', (response) => {
      if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') problems.push(`${response.status()} ${response.url()}`);
    });
  });
  after(async () => {
    await browser?.close();
    await env.close();
    await sandbox.close();
  });

  test('the token address opens the dashboard in Dutch, which lists the dossier that needs attention', async () => {
    await page.goto(env.server.url);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.ok(!page.url().includes('token='), 'the token left the address bar');
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    assert.equal(await page.textContent('h1'), 'Overzicht');
    assert.equal(await page.locator(`table a[href="/dossiers/${target}"]`).count(), 1);
    await page.screenshot({ path: artifactPath('dashboard.png'), fullPage: true });
    assert.ok(statSync(artifactPath('dashboard.png')).size > 10_000, 'the dashboard screenshot shows a real page');
  });

  test('Tab and Enter lead from the dashboard to the dossier', async () => {
    await page.goto(`${env.server.origin}/`);
    const presses = await tabTo(page, (el) => el.tag === 'a' && el.href === `/dossiers/${target}`);
    assert.ok(presses > 1);
    await Promise.all([page.waitForURL(`**/dossiers/${target}`), page.keyboard.press('Enter')]);
    assert.equal(await page.textContent('h1'), env.app.ledger.dossiers.get(target)!.name);
    await page.screenshot({ path: artifactPath('dossier.png'), fullPage: true });
    assert.ok(statSync(artifactPath('dossier.png')).size > 10_000, 'the dossier screenshot shows a real page');
  });

  test('the policy is changed with the keyboard and the configuration file follows', async () => {
    // Choose "last month" in the radio group with the arrow keys, then day 15 at 08:00, approval on, lock off.
    await page.focus('#frequency-after-10-minutes');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.isChecked('#frequency-last-month'), true);
    await page.focus('#lastMonthDay');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('15');
    await page.fill('#lastMonthTime', '08:00');
    await page.focus('#requireApproval');
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.id === 'lockAfterExport', 5);
    await page.keyboard.press('Space');
    await page.focus('#policy-section button[value="save"]');
    await Promise.all([page.waitForURL(/notice=policy-saved/), page.keyboard.press('Enter')]);
    assert.match(await page.textContent('.notice') ?? '', /De dossierinstellingen zijn opgeslagen\./);
    assert.deepEqual(configOnDisk(env).dossiers[String(target)].policy, {
      frequency: 'last-month', lastMonthDay: 15, lastMonthTime: '08:00', requireApproval: true, lockAfterExport: false,
    });
    assert.equal(await page.isChecked('#frequency-last-month'), true, 'the page shows what was saved');
  });

  test('the folder preview follows the typing (the page\'s own script, no CDN)', async () => {
    await page.focus('#folder');
    await page.keyboard.type('Klant: Test');
    await page.waitForFunction(() => document.getElementById('folder-preview')?.textContent?.includes('Klant_ Test'));
    const preview = await page.textContent('#folder-preview');
    assert.ok(preview!.split('\n')[0]!.endsWith('/Klant_ Test/Purchases/2026-11-02_BE0123456749_F-2026-0042.xml'), preview!);
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src));
    assert.ok(scripts.every((src) => src.startsWith(env.server.origin.replace('127.0.0.1', '127.0.0.1'))), `only local scripts: ${scripts.join(', ')}`);
  });

  test('a manual export with "include already exported" re-delivers the period and the ledger records it', async () => {
    await page.goto(`${env.server.origin}/dossiers/${target}`);
    const ledger = env.app.ledger;
    const inPeriod = [...sandbox.world.orders.values()].filter((o) => o.companyId === target && o.orderDate! >= '2026-08-01' && o.orderDate! < '2026-12-01');
    const delivered = inPeriod.filter((o) => ledger.documents.find('orders', String(o.orderId))?.state === 'acknowledged');
    assert.ok(delivered.length >= 5, `the period was exported before (${delivered.length})`);
    const runsBefore = ledger.runs.list(1000).length;
    const reExportsBefore = ledger.events.list({ limit: 10_000, type: 're-export', dossierPartyId: target }).length;
    const reopenedBefore = ledger.events.list({ limit: 10_000, type: 'document.reopened', dossierPartyId: target }).length;

    await page.fill('#export-from', '2026-08-01');
    await page.fill('#export-to', '2026-11-30');
    await page.focus('#kind-document');
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.id === 'kind-coda', 3);
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.id === 'includeExported', 3);
    await page.keyboard.press('Space');
    assert.equal(await page.isChecked('#includeExported'), true);
    await tabTo(page, (el) => el.tag === 'button', 3);
    await Promise.all([page.waitForURL(/notice=export-queued/), page.keyboard.press('Enter')]);
    await env.agent.queue.idle();

    const runs = ledger.runs.list(1000);
    assert.equal(runs.length, runsBefore + 1, 'one new run');
    assert.equal(runs[0]!.trigger, 'manual');
    assert.equal(runs[0]!.status, 'ok');
    const reExports = ledger.events.list({ limit: 10_000, type: 're-export', dossierPartyId: target });
    assert.equal(reExports.length - reExportsBefore, delivered.length, 'every invoice delivered before went again');
    assert.ok(reExports.slice(0, delivered.length).every((e) => e.runId === runs[0]!.id));
    const reopened = ledger.events.list({ limit: 10_000, type: 'document.reopened', dossierPartyId: target }).length;
    assert.ok(reopened - reopenedBefore >= delivered.length, 'the audit trail keeps where the earlier copies went');
    for (const order of inPeriod) {
      // The damaged invoice is tried again (a manual export retries quarantine) and is held back again.
      const expected = order.orderId === damagedOrder ? 'quarantined' : 'acknowledged';
      assert.equal(ledger.documents.find('orders', String(order.orderId))!.state, expected, `order ${order.orderId}`);
    }

    await page.reload();
    const result = await page.textContent('#export-section');
    assert.match(result!, new RegExp(`Klaar om .*: ${inPeriod.length - 1} afgeleverd, 0 mislukt\\.`));
    assert.match(result!, /1 in quarantaine\./);
    assert.match(result!, new RegExp(`run ${runs[0]!.id}`));
  });

  test('at 200 % zoom (640 CSS pixels wide) no page scrolls sideways', async () => {
    await page.setViewportSize({ width: 640, height: 900 });
    for (const path of ['/', `/dossiers/${target}`, '/dossiers', '/connection', '/logs']) {
      await page.goto(`${env.server.origin}${path}`);
      await assertNoHorizontalScroll(page, path);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('no script error and no blocked resource on any page', () => {
    assert.deepEqual(problems, []);
  });
});
