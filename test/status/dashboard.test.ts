import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { escapeHtml } from '../../src/status/html.js';
import type { Route } from '../../src/status/page.js';
import { dashboardRoutes } from '../../src/status/pages/dashboard.js';
import { dossierRoutes } from '../../src/status/pages/dossier.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { control, openSandbox } from '../support/sandbox.js';
import { openStatusPage, type StatusPageEnv } from '../support/status-page.js';

const routes: Route[] = [...dashboardRoutes, ...dossierRoutes];

/** The page's text without markup, entities decoded, whitespace collapsed. */
function textOf(page: string): string {
  return page.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

/** The attention table as { partyId: [waiting, toExport, failing, quarantined] }. */
function attentionRows(page: string): Map<number, number[]> {
  const rows = new Map<number, number[]>();
  for (const m of page.matchAll(/<tr><th scope="row"><a href="\/dossiers\/(\d+)">[^<]*<\/a><\/th>((?:<td[^>]*>[^<]*<\/td>)+)<\/tr>/g)) {
    rows.set(Number(m[1]), [...m[2]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => Number(c[1])));
  }
  return rows;
}

function totalOf(page: string, label: string): number {
  const m = new RegExp(`<li><strong>([\\d.]+)</strong> ${label}</li>`).exec(page);
  assert.ok(m, `total "${label}" is on the page`);
  return Number(m[1]!.replace(/\./g, ''));
}

async function pageText(env: StatusPageEnv, path: string, lang?: string): Promise<{ status: number; body: string }> {
  const response = lang
    ? await fetch(`${env.server.origin}${path}`, { headers: { cookie: `billsync_session=test-token-0123456789; billsync_lang=${lang}` }, redirect: 'manual' })
    : await env.get(path);
  return { status: response.status, body: await response.text() };
}

describe('the dashboard after a real sync of four dossiers', () => {
  let sandbox: Sandbox;
  let env: StatusPageEnv;
  let ids: [number, number, number, number];
  let failingOrder: number;

  before(async () => {
    sandbox = await openSandbox({ dossiers: 4 });
    ids = [...sandbox.world.dossiers.keys()] as [number, number, number, number];
    const [quarantineParty, , failingParty, approvalParty] = ids;
    env = await openStatusPage(sandbox, routes, {
      policy: { frequency: 'after-10-minutes' },
      // One dossier waits for its entrepreneur's approvals.
      dossiers: { [String(approvalParty)]: { policy: { requireApproval: true } } },
    });
    const orders = [...sandbox.world.orders.values()];
    // One supplier sends a UBL whose totals do not add up: it goes to quarantine.
    const damaged = orders.find((o) => o.companyId === quarantineParty && o.approvalStatus === 'Approved')!;
    await control(sandbox, 'POST', `orders/${damaged.orderId}/damage`, { damaged: true });
    // One order cannot be read from Billit during this run: it fails and will be retried.
    failingOrder = orders.find((o) => o.companyId === failingParty && o.approvalStatus === 'Approved')!.orderId;
    await control(sandbox, 'POST', 'faults', { kind: 'status', status: 400, route: `/v1/orders/${failingOrder}`, method: 'GET' });
    try {
      env.agent.queue.enqueue({ trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false });
      await env.agent.queue.idle();
    } finally {
      await control(sandbox, 'DELETE', 'faults');
    }
  });
  after(async () => { await env.close(); await sandbox.close(); });

  test('the totals count what the ledger holds: 3 waiting, 2 to export, 1 quarantined, 1 failing, and every delivered document', async () => {
    const { status, body } = await pageText(env, '/');
    assert.equal(status, 200);
    const world = sandbox.world;
    const approvalParty = ids[3];
    const awaiting = [...world.orders.values()].filter((o) => o.companyId === approvalParty && (o.approvalStatus === 'Pending' || o.approvalStatus === 'ToApproveByMe'));
    assert.equal(awaiting.length, 3, 'the seeded world has three documents waiting in that dossier');
    const withoutFlow = [...world.orders.values()].filter((o) => o.companyId === approvalParty && o.approvalStatus === null);
    assert.equal(withoutFlow.length, 2, 'and two without any approval flow');
    const delivered = [...world.orders.values()].filter((o) => o.exportedToConnector).length + world.documents.size + world.codaFiles.size;
    assert.equal(totalOf(body, 'Wacht op goedkeuring'), 3);
    // Under "only after approval", orders without an approval flow are held too; they are to export, not waiting.
    assert.equal(totalOf(body, 'Te exporteren'), 2);
    assert.equal(totalOf(body, 'In quarantaine'), 1);
    assert.equal(totalOf(body, 'Mislukt, wordt opnieuw geprobeerd'), 1);
    assert.equal(totalOf(body, 'Geëxporteerd'), delivered);
    assert.ok(delivered > 40, `a real export happened (${delivered} documents)`);
  });

  test('only the three dossiers in need of attention are listed, each with its counts and a link to its page', async () => {
    const { body } = await pageText(env, '/');
    const rows = attentionRows(body);
    const [quarantineParty, cleanParty, failingParty, approvalParty] = ids;
    assert.deepEqual([...rows.keys()].sort(), [quarantineParty, approvalParty, failingParty].sort());
    assert.deepEqual(rows.get(quarantineParty), [0, 0, 0, 1]);
    assert.deepEqual(rows.get(approvalParty), [3, 2, 0, 0]);
    assert.deepEqual(rows.get(failingParty), [0, 0, 1, 0]);
    assert.equal(rows.has(cleanParty), false, 'a dossier with nothing waiting stays off the dashboard');
    assert.ok(body.includes(`>${escapeHtml(sandbox.world.dossiers.get(approvalParty)!.name)}</a>`), 'names are shown, escaped');
    const detail = await pageText(env, `/dossiers/${failingParty}`);
    assert.equal(detail.status, 200);
    assert.match(textOf(detail.body), /Mislukt \(1×\), wordt opnieuw geprobeerd/);
    assert.match(detail.body, new RegExp(`/v1/orders/${failingOrder}`), 'the last error of the failing order is shown');
  });

  test('the state line, the last run, the next runs and the connection state are shown', async () => {
    const text = textOf((await pageText(env, '/')).body);
    assert.match(text, /Aandacht nodig · 1 tegengehouden, 1 mislukt/);
    const run = env.app.ledger.runs.last()!;
    assert.equal(run.status, 'partial');
    assert.match(text, /nu synchroniseren · deels geslaagd: \d+ geëxporteerd, 1 mislukt, 1 in quarantaine/);
    // Every dossier exports 10 minutes after creation: the scheduler looks every minute, and CODA every half hour.
    assert.match(text, /10 minuten na aanmaak: elke minuut \(4 dossiers\)/);
    assert.match(text, /CODA-bestanden ophalen om .*elk halfuur \(4 dossiers\)/);
    assert.match(text, /Verbinding met Billit Actief \(laatste synchronisatie/);
  });

  test('the dashboard speaks English and French when asked', async () => {
    const en = textOf((await pageText(env, '/', 'en')).body);
    assert.match(en, /Needs attention · 1 held back, 1 failed/);
    assert.match(en, /Dossiers that need attention/);
    assert.match(en, /3 Waiting for approval/);
    const fr = textOf((await pageText(env, '/', 'fr')).body);
    assert.match(fr, /Dossiers qui demandent votre attention/);
    assert.match(fr, /3 En attente d'approbation/);
  });

  test('"Sync now" queues a run, redirects back with a notice, and the run lands in the ledger', async () => {
    const before = env.app.ledger.runs.last()!.id;
    const response = await env.post('/sync-now', {});
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/?notice=sync-queued');
    await env.agent.queue.idle();
    const run = env.app.ledger.runs.last()!;
    assert.ok(run.id > before);
    assert.equal(run.trigger, 'sync-now');
    assert.match(textOf((await pageText(env, '/?notice=sync-queued')).body), /De synchronisatie staat in de wachtrij\./);
    // The failing order can be read again now: the retry delivered it, so its dossier left the list.
    assert.equal(attentionRows((await pageText(env, '/')).body).has(ids[2]), false);
    assert.equal(attentionRows((await pageText(env, '/')).body).has(ids[3]), true, 'the approvals still wait');
  });

  test('the page never echoes a notice it does not know', async () => {
    const { body } = await pageText(env, '/?notice=%3Cscript%3Ealert(1)%3C/script%3E');
    assert.doesNotMatch(body, /alert\(1\)/);
  });

  test('the list of all dossiers shows the clean dossier too', async () => {
    const { status, body } = await pageText(env, '/dossiers');
    assert.equal(status, 200);
    for (const id of ids) assert.ok(body.includes(`href="/dossiers/${id}"`), `dossier ${id} is listed`);
    assert.match(textOf(body), /4 dossiers/);
  });
});

describe('the dashboard of an office where everything is up to date', () => {
  test('says so with the number of dossiers, and before the first sync says there are none yet', async () => {
    const sandbox = await openSandbox({ dossiers: 2 });
    const env = await openStatusPage(sandbox, routes, { policy: { frequency: 'after-10-minutes' } });
    try {
      let text = textOf((await pageText(env, '/')).body);
      assert.match(text, /Nog geen dossiers/);
      assert.match(text, /Nog geen synchronisatie\./);
      assert.match(text, /Dossiers ophalen bij Billit: elke minuut tot het lukt/);
      assert.match(text, /Bijgewerkt · nog niet gesynchroniseerd/);
      env.agent.queue.enqueue({ trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false });
      await env.agent.queue.idle();
      const body = (await pageText(env, '/')).body;
      text = textOf(body);
      assert.match(text, /Alle 2 dossiers zijn bijgewerkt/);
      assert.equal(attentionRows(body).size, 0);
      assert.match(text, /Bijgewerkt · laatste synchronisatie \d{2}:\d{2}/);
      assert.equal(totalOf(body, 'Te exporteren'), 0);
    } finally {
      await env.close();
      await sandbox.close();
    }
  });
});
