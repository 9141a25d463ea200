import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Route } from '../../src/status/page.js';
import { dossierRoutes } from '../../src/status/pages/dossier.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { expectedOrderFile, openSandbox } from '../support/sandbox.js';
import { openStatusPage, type StatusPageEnv } from '../support/status-page.js';

const routes: Route[] = [...dossierRoutes];

function textOf(page: string): string {
  return page.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

/** A form with repeated fields (kinds=purchase&kinds=sales). */
function form(fields: Array<[string, string]>): FormData {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}

describe('a manual export from the dossier page', () => {
  let sandbox: Sandbox;
  let env: StatusPageEnv;
  let id: number;

  before(async () => {
    sandbox = await openSandbox({ dossiers: 2 });
    id = [...sandbox.world.dossiers.keys()][0]!;
    env = await openStatusPage(sandbox, routes, { policy: { frequency: 'after-10-minutes' } });
    env.agent.queue.enqueue({ trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false });
    await env.agent.queue.idle();
  });
  after(async () => { await env.close(); await sandbox.close(); });

  test('offers the last full month, every kind, and "include already exported" unticked', async () => {
    const body = await (await env.get(`/dossiers/${id}`)).text();
    // The machine's clock decides the default; the last full month in Brussels.
    const { lastFullMonth } = await import('../../src/core/months.js');
    const { addDays } = await import('../../src/core/brussels-time.js');
    const month = lastFullMonth(new Date());
    assert.match(body, new RegExp(`id="export-from" name="from" value="${month.from}"`));
    assert.match(body, new RegExp(`id="export-to" name="to" value="${addDays(month.until, -1)}"`));
    for (const kind of ['purchase', 'sales', 'document', 'coda']) assert.match(body, new RegExp(`id="kind-${kind}" name="kinds" value="${kind}" checked`));
    assert.match(body, /id="includeExported" name="includeExported" value="1">/);
  });

  test('a wrong period or no kind is refused and nothing is queued', async () => {
    const runs = env.app.ledger.runs.list(100).length;
    const response = await env.post(`/dossiers/${id}/export`, { from: '2026-13-01', to: '2026-08-01' });
    assert.equal(response.status, 422);
    const text = textOf(await response.text());
    assert.match(text, /Vul een bestaande datum in \(JJJJ-MM-DD\), niet "2026-13-01"\./);
    assert.match(text, /Kies minstens één soort document\./);
    const reversed = await env.post(`/dossiers/${id}/export`, form([['from', '2026-10-31'], ['to', '2026-10-01'], ['kinds', 'sales']]));
    assert.match(textOf(await reversed.text()), /De einddatum ligt vóór de begindatum\./);
    await env.agent.queue.idle();
    assert.equal(env.app.ledger.runs.list(100).length, runs);
  });

  test('"include already exported" re-delivers the period\'s invoices in a manual run, and the page reports it', async () => {
    const world = sandbox.world;
    const orders = [...world.orders.values()].filter((o) => o.companyId === id && o.orderDate! >= '2026-09-01' && o.orderDate! < '2026-11-01');
    assert.ok(orders.length >= 3, `the period holds invoices (${orders.length})`);
    const exportedBefore = orders.filter((o) => o.exportedToConnector).length;
    assert.ok(exportedBefore >= 2, 'most of them were exported by the first sync');
    const runsBefore = env.app.ledger.runs.list(1000).length;
    const reExportsBefore = env.app.ledger.events.list({ limit: 10_000, type: 're-export', dossierPartyId: id }).length;

    const response = await env.post(`/dossiers/${id}/export`, form([
      ['from', '2026-09-01'], ['to', '2026-10-31'], ['kinds', 'purchase'], ['kinds', 'sales'], ['includeExported', '1'],
    ]));
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `/dossiers/${id}?notice=export-queued#export`);
    await env.agent.queue.idle();

    const runs = env.app.ledger.runs.list(1000);
    assert.equal(runs.length, runsBefore + 1);
    const run = runs[0]!;
    assert.equal(run.trigger, 'manual');
    assert.equal(run.status, 'ok');
    const counts = (run.summary as any).counts;
    assert.equal(counts.acknowledged, orders.length, 'every invoice of the period, the rejected one too: a manual export is explicit');
    // The copies Venice has not taken yet are still in the folder, byte-identical: they are confirmed, not duplicated.
    assert.equal(counts.exported + counts.identical, orders.length);
    assert.equal(counts.conflicts, 0);
    const reExports = env.app.ledger.events.list({ limit: 10_000, type: 're-export', dossierPartyId: id });
    assert.equal(reExports.length - reExportsBefore, exportedBefore, 'one re-export event per invoice delivered before');
    assert.ok(reExports.slice(0, exportedBefore).every((e) => e.runId === run.id), 'recorded by the manual run');
    for (const order of orders) {
      const row = env.app.ledger.documents.find('orders', String(order.orderId))!;
      assert.equal(row.state, 'acknowledged');
      assert.deepEqual(readFileSync(row.finalPath!), expectedOrderFile(sandbox, order));
    }

    const text = textOf(await (await env.get(`/dossiers/${id}?notice=export-queued`)).text());
    assert.match(text, /De export staat in de wachtrij\./);
    assert.match(text, new RegExp(`Laatste handmatige export: 1/09/2026 tot en met 31/10/2026 \\(Aankoop, Verkoop\\) inclusief reeds geëxporteerd`));
    assert.match(text, new RegExp(`Klaar om .*: ${orders.length} afgeleverd, 0 mislukt\\. ${counts.identical} ervan stonden al identiek in de map en werden opnieuw bevestigd\\. \\(run ${run.id}\\)`));
  });

  test('the same export twice in a row is queued once', async () => {
    const fields: Array<[string, string]> = [['from', '2026-08-01'], ['to', '2026-08-31'], ['kinds', 'coda']];
    const manualBefore = env.app.ledger.runs.list(1000).filter((r) => r.trigger === 'manual').length;
    // Keep the loop busy so that both requests wait.
    env.agent.queue.enqueue({ trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false });
    const first = await env.post(`/dossiers/${id}/export`, form(fields));
    const second = await env.post(`/dossiers/${id}/export`, form(fields));
    assert.equal(first.headers.get('location'), `/dossiers/${id}?notice=export-queued#export`);
    assert.equal(second.headers.get('location'), `/dossiers/${id}?notice=export-already-queued#export`);
    await env.agent.queue.idle();
    assert.equal(env.app.ledger.runs.list(1000).filter((r) => r.trigger === 'manual').length, manualBefore + 1);
  });
});
