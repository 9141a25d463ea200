import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openApp } from '../../../src/app/app-context.js';
import { startDesktopAgent } from '../../../src/app/desktop-agent.js';
import { RecordingNotifier } from '../../../src/platform/notify.js';
import { RecordingOpener } from '../../../src/platform/open-target.js';
import { alive, desktopConfig, waitUntil } from '../../support/desktop.js';
import { control, openSandbox } from '../../support/sandbox.js';

/*
 * `billsync run` as put together by startDesktopAgent (agent, scheduler, status page, notifications,
 * tray), with the fake tray helper (test/support/fake-tray) in place of GTK and the recording
 * notifier in place of the desktop's: every menu line clicked, without X. systray2 runs
 * ./traybin/<helper> from the working directory, so this file chdir()s there (node:test gives each
 * test file its own process).
 */

const FAKE_TRAY = fileURLToPath(new URL('../../support/fake-tray/', import.meta.url));
process.chdir(FAKE_TRAY);

interface Item { title: string; hidden?: boolean; enabled?: boolean; items?: Item[] }
interface Message { type?: string; pid?: number; items?: Item[]; item?: Item & { __id: number } }

test('billsync run\'s tray menu, clicked line by line on the fake helper, drives the agent, the page and the notifier', async (t) => {
  const sandbox = await openSandbox({ dossiers: 2 });
  t.after(() => sandbox.close());
  const { base, root, configFile, dataDir } = desktopConfig(sandbox, 'billsync-desktop-menu-', { policy: { frequency: 'last-month', requireApproval: true } });
  process.env.BILLSYNC_DATA_DIR = dataDir;
  const logFile = join(base, 'fake-tray.jsonl');
  const clicksFile = join(base, 'clicks.txt');
  writeFileSync(clicksFile, '');
  Object.assign(process.env, { FAKE_TRAY_LOG: logFile, FAKE_TRAY_CLICKS: clicksFile, DISPLAY: ':fake' });
  delete process.env.FAKE_TRAY_MODE;
  const [partyId] = [...sandbox.world.dossiers.keys()] as [number];
  const name = sandbox.world.dossiers.get(partyId)!.name;
  await control(sandbox, 'POST', 'documents', { partyId, count: 4, approvalStatus: 'Pending' });

  const app = await openApp(configFile);
  const notifier = new RecordingNotifier();
  const opener = new RecordingOpener();
  const logged: string[] = [];
  const log = { info: (m: string) => logged.push(`info ${m}`), warn: (m: string) => logged.push(`warn ${m}`), error: (m: string) => logged.push(`error ${m}`), close: async () => {} };
  let quits = 0;
  const desktop = await startDesktopAgent(app, { log, notifier, opener: opener.open, headless: false, onQuit: () => { quits++; } });
  let stopped = false;
  t.after(async () => { if (!stopped) await desktop.stop(3000); app.close(); });
  const { agent } = desktop;
  await agent.queue.idle();

  const messages = (): Message[] => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Message) : []);
  const click = (title: string) => appendFileSync(clicksFile, `${title}\n`);
  /** The menu as the helper has it now: the first menu, with every later item update applied. */
  const menu = (): Item[] => {
    const all = messages();
    const lastMenu = all.findLastIndex((m) => m.type === undefined && m.items);
    if (lastMenu < 0) return [];
    const items: Item[] = structuredClone(all[lastMenu]!.items!);
    const flat: Item[] = [];
    const walk = (list: Item[]) => { for (const item of list) { flat.push(item); walk(item.items ?? []); } };
    walk(items);
    for (const m of all.slice(lastMenu + 1)) if (m.type === 'update-item' && m.item) Object.assign(flat[m.item.__id - 1]!, m.item);
    return items;
  };
  const line = () => menu()[0]?.title;
  const sub = (title: string) => (menu().find((i) => i.items !== undefined && i.title.startsWith(title))?.items ?? []).filter((i) => !i.hidden);

  // The menu has every line of product.md §7, the live counts and the status line.
  await waitUntil('the first menu, settled', () => line()?.startsWith('Up to date'));
  const titles = menu().map((i) => i.title);
  for (const entry of ['Sync now', 'Pause', 'Open export folder', 'Dossiers', 'Open status page', 'Open log folder', 'Copy diagnostics', 'Quit']) assert.ok(titles.includes(entry), `${entry} in ${titles.join(' | ')}`);
  const waiting = agent.status.snapshot().approvalsWaiting;
  assert.ok(waiting >= 4, `the agent counts what waits for approval (${waiting})`);
  assert.ok(titles.includes(`Approvals waiting (${waiting})`), titles.join(' | '));
  assert.ok(sub('Approvals waiting').some((i) => i.title.startsWith(`${name}: `)), 'the dossier with waiting documents is listed');
  assert.deepEqual(sub('Pause').map((i) => i.title), ['Pause 1 hour', 'Pause until tomorrow', 'Resume']);

  // Sync now: Billit is asked, the status line goes through "Syncing…" back to "Up to date".
  const listsBefore = sandbox.stats.byRoute['GET /v1/orders'] ?? 0;
  await control(sandbox, 'POST', 'faults', { kind: 'latency', latencyMs: 600, count: 1, route: '/v1/orders' });
  click('Sync now');
  await waitUntil('Syncing… on the helper', () => line()?.startsWith('Syncing…'));
  await waitUntil('back to Up to date', () => line()?.startsWith('Up to date · last sync'));
  assert.ok((sandbox.stats.byRoute['GET /v1/orders'] ?? 0) > listsBefore, 'Sync now asked Billit for the orders');

  // The entrepreneur approves; the next run gives one notification naming the dossier and the count.
  const pending = [...sandbox.world.orders.values()].filter((o) => o.companyId === partyId && o.approvalStatus === 'Pending').slice(0, 3);
  await control(sandbox, 'POST', 'approve', { orderIds: pending.map((o) => o.orderId) });
  click('Sync now');
  await waitUntil('the approvals notification', () => notifier.shown.find((n) => n.title === 'Documents approved'));
  await agent.queue.idle();
  assert.deepEqual(notifier.shown.map((n) => n.message), [`${name} approved 3 documents`]);
  await waitUntil('the approvals count follows', () => menu().some((i) => i.title === `Approvals waiting (${waiting - 3})`));

  // Pause 1 hour: the agent is paused, the line and the submenu say so; Resume undoes it.
  click('Pause 1 hour');
  // The helper gets a changed menu one item at a time, and ignores clicks on lines still disabled:
  // each step waits for the last of its items, the line to click next.
  const enabled = (title: string) => sub('Pause').find((i) => i.title === title)?.enabled === true;
  await waitUntil('Paused on the helper', () => line()?.startsWith('Paused until') && enabled('Resume'));
  assert.equal(agent.status.isPaused(), true);
  assert.deepEqual(sub('Pause').map((i) => [i.title, i.enabled]), [['Pause 1 hour', false], ['Pause until tomorrow', false], ['Resume', true]]);
  click('Resume');
  await waitUntil('resumed', () => line()?.startsWith('Up to date') && enabled('Pause until tomorrow'));
  assert.equal(agent.status.isPaused(), false);
  click('Pause until tomorrow');
  await waitUntil('paused until tomorrow', () => /^Paused until \d{1,2}\/\d{1,2} 00:00$/.test(line() ?? '') && enabled('Resume'));
  const until = agent.status.snapshot().pausedUntil!;
  assert.equal(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(until), '00:00', 'midnight in Brussels');
  assert.ok(until.getTime() > Date.now() && until.getTime() - Date.now() <= 25 * 3600_000);
  click('Resume');
  await waitUntil('resumed again', () => !agent.status.isPaused());

  // The folders and the page open where they should.
  click('Open export folder');
  const dossierLine = sub('Dossiers').find((i) => i.title.startsWith(name))!;
  assert.match(dossierLine.title, / — \d+ waiting for approval/, 'the dossier line carries its counts');
  click(dossierLine.title);
  click('Open log folder');
  click('Open status page');
  await waitUntil(`four things opened (${opener.opened.join(', ')})`, () => opener.opened.length === 4);
  const folder = agent.status.snapshot().dossiers.find((d) => d.partyId === partyId)!.folder;
  assert.deepEqual(opener.opened.slice(0, 3), [root, folder, app.paths.logDir]);
  assert.equal(opener.opened[3], desktop.statusUrl);
  assert.match(opener.opened[3]!, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
  click(sub('Approvals waiting').find((i) => i.title.startsWith(`${name}: `))!.title);
  await waitUntil('the approvals line opens the status page', () => opener.opened.length === 5);
  assert.equal(opener.opened[4], desktop.statusUrl);

  // Copy diagnostics: the report is saved into the data folder, whole and without the key, and its folder shown.
  click('Copy diagnostics');
  await waitUntil('the diagnostics folder opens', () => opener.opened.length === 6);
  assert.equal(opener.opened[5], join(dataDir, 'diagnostics'));
  const saved = logged.find((l) => l.startsWith('info diagnostics saved to '))!.slice('info diagnostics saved to '.length);
  assert.equal(join(saved, '..'), join(dataDir, 'diagnostics'));
  const report = readFileSync(saved, 'utf8');
  assert.ok(!report.includes(app.config.billit.apiKey!), 'the API key is not in the report');
  assert.match(report, /^API key: set \(not shown\)$/m);
  assert.match(report, new RegExp(`^export root: ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  assert.match(report, /^dossiers: 2$/m, 'the ledger counts');
  assert.match(report, /^Up to date · last sync \d{2}:\d{2}$/m, 'the status line');
  assert.match(report, /sync-now: ok/, 'the runs');

  click('Quit');
  await waitUntil('Quit reaches the agent', () => quits === 1);
  const pids = messages().filter((m) => m.type === 'fake-started').map((m) => m.pid!);
  assert.ok(pids.length > 0 && pids.every(alive));
  stopped = true;
  assert.equal(await desktop.stop(3000), true, 'stopped cleanly');
  assert.ok(pids.every((pid) => !alive(pid)), 'no tray helper left');
  assert.deepEqual(logged.filter((l) => !l.startsWith('info ')), [], 'no warning or error');
});
