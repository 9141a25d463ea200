import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolvePolicy } from '../../src/config/resolve-policy.js';
import type { Route } from '../../src/status/page.js';
import { dossierRoutes } from '../../src/status/pages/dossier.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { openSandbox } from '../support/sandbox.js';
import { openStatusPage, type StatusPageEnv } from '../support/status-page.js';

const routes: Route[] = [...dossierRoutes];

function textOf(page: string): string {
  return page.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

function configOnDisk(env: StatusPageEnv): any {
  return JSON.parse(readFileSync(env.configFile, 'utf8'));
}

async function get(env: StatusPageEnv, path: string, lang?: string): Promise<{ status: number; body: string }> {
  const response = lang
    ? await fetch(`${env.server.origin}${path}`, { headers: { cookie: `billsync_session=test-token-0123456789; billsync_lang=${lang}` }, redirect: 'manual' })
    : await env.get(path);
  return { status: response.status, body: await response.text() };
}

/** A form post in another language than Dutch (the env's post() sends no language cookie). */
async function postIn(env: StatusPageEnv, lang: string, path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${env.server.origin}${path}`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: `billsync_session=test-token-0123456789; billsync_lang=${lang}` },
    body: new URLSearchParams({ ...fields, _token: env.formToken }),
  });
}

const VALID_POLICY = { action: 'save', frequency: 'last-month', lastMonthDay: '5', lastMonthTime: '07:30', requireApproval: '1', exportFrom: '2026-09-01' };

describe('the dossier page', () => {
  let sandbox: Sandbox;
  let env: StatusPageEnv;
  let id: number;
  let other: number;

  before(async () => {
    sandbox = await openSandbox({ dossiers: 2 });
    [id, other] = [...sandbox.world.dossiers.keys()] as [number, number];
    env = await openStatusPage(sandbox, routes, { policy: { frequency: 'after-10-minutes' } });
    env.agent.queue.enqueue({ trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false });
    await env.agent.queue.idle();
  });
  after(async () => { await env.close(); await sandbox.close(); });

  test('shows the dossier, its folder, its counts and its recent documents with their files', async () => {
    const dossier = env.app.ledger.dossiers.get(id)!;
    const { status, body } = await get(env, `/dossiers/${id}`);
    assert.equal(status, 200);
    const text = textOf(body);
    assert.ok(text.includes(dossier.name));
    assert.ok(text.includes(join(env.root, dossier.folder)), 'the absolute folder');
    const delivered = env.app.ledger.documents.listByState(['acknowledged'], id);
    assert.ok(delivered.length > 5);
    assert.match(text, new RegExp(`${delivered.length} Geëxporteerd`));
    const rows = body.match(/<tr>\s*<td>/g) ?? [];
    assert.equal(rows.length, Math.min(50, env.app.ledger.documents.listByState(['seen', 'fetched', 'placed', 'acknowledged', 'quarantined', 'picked_up'], id).length));
    for (const row of delivered) assert.ok(text.includes(row.finalPath!), `${row.finalPath} is listed`);
    assert.match(text, /Dit dossier volgt de kantoorinstellingen \(10 minuten na aanmaak\)/);
    assert.match(body, /id="frequency-after-10-minutes" value="after-10-minutes" checked/);
  });

  test('an unknown dossier answers 404', async () => {
    assert.equal((await get(env, '/dossiers/999999999')).status, 404);
    assert.equal((await get(env, '/dossiers/abc')).status, 404);
    assert.equal((await env.post('/dossiers/999999999/policy', VALID_POLICY)).status, 404);
  });

  test('a valid policy is saved in the configuration file (only what differs from the office) and applied', async () => {
    const response = await env.post(`/dossiers/${id}/policy`, VALID_POLICY);
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `/dossiers/${id}?notice=policy-saved#policy`);
    const saved = configOnDisk(env);
    assert.deepEqual(saved.dossiers[String(id)].policy, {
      frequency: 'last-month', lastMonthDay: 5, lastMonthTime: '07:30', requireApproval: true, lockAfterExport: false, exportFrom: '2026-09-01',
    });
    assert.equal(saved.billit.apiKey, sandbox.apiKey, 'the rest of the file is kept');
    assert.equal(saved.dossiers[String(other)], undefined, 'the other dossier is untouched');
    assert.deepEqual(resolvePolicy(env.app.config, id), {
      frequency: 'last-month', lastMonthDay: 5, lastMonthTime: '07:30', requireApproval: true, lockAfterExport: false, exportFrom: '2026-09-01',
    }, 'the running agent has the new policy');
    const page = textOf((await get(env, `/dossiers/${id}?notice=policy-saved`)).body);
    assert.match(page, /De dossierinstellingen zijn opgeslagen\./);
    assert.match(page, /Dit dossier heeft eigen instellingen \(6 afwijkend van het kantoor\)/);
  });

  test('a day 31 and a time 25:00 are refused in Dutch, shown back as typed, and the file stays byte-identical', async () => {
    const before = readFileSync(env.configFile);
    const response = await env.post(`/dossiers/${id}/policy`, { ...VALID_POLICY, lastMonthDay: '31', lastMonthTime: '25:00', frequency: 'never' });
    assert.equal(response.status, 422);
    const body = await response.text();
    const text = textOf(body);
    assert.match(text, /Er is niets opgeslagen/);
    assert.match(text, /De dag moet een getal van 1 tot 28 zijn \(elke maand heeft die dag\), niet "31"\./);
    assert.match(text, /Het uur moet UU:MM zijn, van 00:00 tot 23:59, niet "25:00"\./);
    assert.match(body, /id="lastMonthDay" name="lastMonthDay"[^>]*value="31"[^>]*aria-invalid="true"/);
    assert.match(body, /href="#lastMonthTime"/, 'the error summary links to the field');
    assert.match(body, /id="frequency-never" value="never" checked/, 'the choices made are kept');
    assert.deepEqual(readFileSync(env.configFile), before);
    assert.equal(resolvePolicy(env.app.config, id).frequency, 'last-month', 'the agent keeps the saved policy');
  });

  test('the same mistakes are explained in English and in French', async () => {
    const before = readFileSync(env.configFile);
    const en = textOf(await (await postIn(env, 'en', `/dossiers/${id}/policy`, { ...VALID_POLICY, lastMonthDay: '31', exportFrom: '2026-02-30' })).text());
    assert.match(en, /The day must be a number from 1 to 28 \(every month has it\), not "31"\./);
    assert.match(en, /The date must be a real date \(YYYY-MM-DD\), not "2026-02-30"\./);
    const fr = textOf(await (await postIn(env, 'fr', `/dossiers/${id}/policy`, { ...VALID_POLICY, lastMonthTime: '7h' })).text());
    assert.match(fr, /L'heure doit être HH:MM, de 00:00 à 23:59, pas « 7h »\./);
    assert.deepEqual(readFileSync(env.configFile), before);
  });

  test('"Use the office defaults" removes the dossier\'s policy override from the file', async () => {
    const response = await env.post(`/dossiers/${id}/policy`, { ...VALID_POLICY, action: 'reset' });
    assert.equal(response.status, 303);
    assert.equal(configOnDisk(env).dossiers[String(id)], undefined);
    assert.equal(resolvePolicy(env.app.config, id).frequency, 'after-10-minutes');
  });

  test('disabling a dossier is saved, shown, and refuses a manual export', async () => {
    await env.post(`/dossiers/${other}/policy`, { action: 'save', frequency: 'after-10-minutes', lastMonthDay: '1', lastMonthTime: '06:00', lockAfterExport: '1', disabled: '1' });
    assert.deepEqual(configOnDisk(env).dossiers[String(other)], { disabled: true }, 'nothing else differs from the office');
    assert.match(textOf((await get(env, `/dossiers/${other}`)).body), /Dit dossier is uitgeschakeld/);
    const runs = env.app.ledger.runs.list(100).length;
    const refused = await env.post(`/dossiers/${other}/export`, { from: '2026-08-01', to: '2026-11-30', kinds: 'purchase' });
    assert.equal(refused.status, 422);
    assert.match(textOf(await refused.text()), /Dit dossier is uitgeschakeld: schakel het eerst weer in\./);
    await env.agent.queue.idle();
    assert.equal(env.app.ledger.runs.list(100).length, runs, 'nothing was queued');
    await env.post(`/dossiers/${other}/policy`, { action: 'reset' });
    assert.equal(configOnDisk(env).dossiers[String(other)], undefined);
  });

  test('"Open folder" opens the dossier folder on this machine', async () => {
    const response = await env.post(`/dossiers/${id}/open`, {});
    assert.equal(response.status, 303);
    assert.deepEqual(env.opener.opened.at(-1), join(env.root, env.app.ledger.dossiers.get(id)!.folder));
  });

  test('"Open folder" before any export root is set says where to set it and opens nothing', async () => {
    const saved = env.app.config.exportRoot;
    const opened = env.opener.opened.length;
    delete env.app.config.exportRoot;
    try {
      const response = await env.post(`/dossiers/${id}/open`, {});
      assert.equal(response.status, 409);
      assert.match(await response.text(), /Er is nog geen exportmap ingesteld: kies ze onder Instellingen\./);
      assert.equal(env.opener.opened.length, opened, 'no relative path was opened');
    } finally {
      env.app.config.exportRoot = saved;
    }
  });
});

describe('the folder preview and the folder override', () => {
  let sandbox: Sandbox;
  let env: StatusPageEnv;
  let id: number;
  let other: number;

  before(async () => {
    sandbox = await openSandbox({ dossiers: 2 });
    [id, other] = [...sandbox.world.dossiers.keys()] as [number, number];
    env = await openStatusPage(sandbox, routes, { policy: { frequency: 'after-10-minutes' } });
    env.agent.queue.enqueue({ trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false });
    await env.agent.queue.idle();
  });
  after(async () => { await env.close(); await sandbox.close(); });

  const paths = (root: string, folder: string) => [
    join(root, folder, 'Purchases', '2026-11-02_BE0123456749_F-2026-0042.xml'),
    join(root, folder, 'Sales', '2026-11-05_BE0417497106_VF-2026-0117.xml'),
    join(root, folder, 'Documents', 'Huurcontract 2026-11-05 (500123).pdf'),
    join(root, folder, 'FinancialTransactions', 'BE68539007547034_2026-11-02_042.cod'),
  ].join('\n');

  test('returns the exact example paths, sanitised as the exporter sanitises', async () => {
    const plain = await env.get(`/dossiers/${id}/preview?value=${encodeURIComponent('Klant A')}`);
    assert.equal(plain.status, 200);
    assert.match(plain.headers.get('content-type')!, /^text\/plain/);
    assert.equal(await plain.text(), paths(env.root, 'Klant A'));
    const unsafe = await (await env.get(`/dossiers/${id}/preview?value=${encodeURIComponent('Klant: A/B? ')}`)).text();
    assert.equal(unsafe, paths(env.root, 'Klant_ A_B_'));
    const device = await (await env.get(`/dossiers/${id}/preview?value=CON`)).text();
    assert.equal(device, paths(env.root, '_CON'));
  });

  test('treats a value with placeholders as a template of this dossier, and explains a wrong one in the user\'s language', async () => {
    const dossier = env.app.ledger.dossiers.get(id)!;
    const text = await (await env.get(`/dossiers/${id}/preview?value=${encodeURIComponent('{partyId} - {name}')}`)).text();
    assert.equal(text, paths(env.root, `${id} - ${dossier.name}`));
    const wrong = await env.get(`/dossiers/${id}/preview?value=${encodeURIComponent('{nmae}')}`);
    assert.equal(wrong.status, 422);
    assert.equal(await wrong.text(), '{nmae} is geen gekend veld. Gebruik {name}, {enterprise}, {vat}, {partyId}.');
    const en = await fetch(`${env.server.origin}/dossiers/${id}/preview?value=${encodeURIComponent('Klant {name')}`, { headers: { cookie: 'billsync_session=test-token-0123456789; billsync_lang=en' } });
    assert.equal(await en.text(), 'There is a stray "{" in the name. Fields go between braces: {name}, {enterprise}, {vat}, {partyId}.');
  });

  test('an empty value shows the folder the dossier has; the name of another dossier gets its PartyID appended', async () => {
    const mine = env.app.ledger.dossiers.get(id)!.folder;
    assert.equal(await (await env.get(`/dossiers/${id}/preview?value=`)).text(), paths(env.root, mine));
    const theirs = env.app.ledger.dossiers.get(other)!.folder;
    const clash = await (await env.get(`/dossiers/${id}/preview?value=${encodeURIComponent(theirs.toUpperCase())}`)).text();
    assert.equal(clash, paths(env.root, `${theirs.toUpperCase()} [${id}]`));
  });

  test('"Preview" works without JavaScript and saves nothing', async () => {
    const before = readFileSync(env.configFile);
    const response = await env.post(`/dossiers/${id}/folder`, { folder: 'Klant A', action: 'preview' });
    assert.equal(response.status, 200);
    const body = await response.text();
    assert.ok(textOf(body).includes(join(env.root, 'Klant A', 'Purchases', '2026-11-02_BE0123456749_F-2026-0042.xml')));
    assert.match(body, /id="folder" name="folder" value="Klant A"/);
    assert.match(body, /data-preview="\/dossiers\/\d+\/preview" data-preview-target="folder-preview"/, 'the live preview is wired');
    assert.deepEqual(readFileSync(env.configFile), before);
  });

  test('saving a folder writes the override, and the next sync exports into it', async () => {
    const response = await env.post(`/dossiers/${id}/folder`, { folder: 'Klant {partyId}', action: 'save' });
    assert.equal(response.status, 303);
    assert.equal(configOnDisk(env).dossiers[String(id)].folder, `Klant ${id}`, 'a template is stored as previewed');
    const bad = readFileSync(env.configFile);
    const refused = await env.post(`/dossiers/${id}/folder`, { folder: '{oops}', action: 'save' });
    assert.equal(refused.status, 422);
    assert.deepEqual(readFileSync(env.configFile), bad, 'a wrong template saves nothing');
    // Billit gets a new invoice; the next run maps the dossier to its new folder and puts it there.
    const { control } = await import('../support/sandbox.js');
    await control(sandbox, 'POST', 'documents', { partyId: id, count: 1, approvalStatus: 'Approved', created: '2026-11-01T10:00:00' });
    env.agent.queue.enqueue({ trigger: 'sync-now', dossiers: null, kinds: null, watchOnly: false });
    await env.agent.queue.idle();
    assert.equal(env.app.ledger.dossiers.get(id)!.folder, `Klant ${id}`);
    const placed = env.app.ledger.documents.listByState(['acknowledged'], id).filter((row) => row.finalPath!.startsWith(join(env.root, `Klant ${id}`)));
    assert.equal(placed.length, 1);
    assert.ok(existsSync(placed[0]!.finalPath!));
    const removed = await env.post(`/dossiers/${id}/folder`, { folder: '', action: 'save' });
    assert.equal(removed.headers.get('location'), `/dossiers/${id}?notice=folder-removed#folder-title`);
    assert.equal(configOnDisk(env).dossiers[String(id)], undefined);
  });
});
