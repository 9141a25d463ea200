import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgentSnapshot, DossierStatus } from '../../../src/app/agent-status.js';
import { isSeparator, trayMenu, type TrayEntry, type TrayItem } from '../../../src/desktop/tray/tray-menu.js';

const dossier = (partyId: number, name: string, counts: Partial<Pick<DossierStatus, 'waitingApproval' | 'toExport' | 'quarantined'>> = {}): DossierStatus => ({
  partyId, name, folder: `/srv/venice/${name}`, waitingApproval: 0, toExport: 0, quarantined: 0, ...counts,
});

function snapshot(overrides: Partial<AgentSnapshot> = {}): AgentSnapshot {
  const dossiers = overrides.dossiers ?? [];
  return {
    state: 'up-to-date', line: 'Up to date · last sync 14:02', running: null, lastRun: null, pausedUntil: null,
    dossiers, approvalsWaiting: dossiers.reduce((sum, d) => sum + d.waitingApproval, 0), quarantined: dossiers.reduce((sum, d) => sum + d.quarantined, 0),
    ...overrides,
  };
}

/** The menu as "title [key] (disabled)" lines, submenus indented: one string to compare whole. */
function outline(items: readonly TrayItem[], indent = ''): string[] {
  return items.flatMap((item) => {
    if (isSeparator(item)) return [`${indent}---`];
    const line = `${indent}${item.title} [${item.key}]${item.enabled ? '' : ' (disabled)'}`;
    return [line, ...(item.items ? outline(item.items, `${indent}  `) : [])];
  });
}

function find(items: readonly TrayItem[], key: string): TrayEntry | undefined {
  for (const item of items) {
    if (isSeparator(item)) continue;
    const found = item.key === key ? item : item.items ? find(item.items, key) : undefined;
    if (found) return found;
  }
  return undefined;
}

const entry = (items: readonly TrayItem[], key: string): TrayEntry => find(items, key) ?? assert.fail(`no menu entry ${key}`);

test('up to date, no dossiers yet: the whole menu of product.md §7, in order', () => {
  const menu = trayMenu(snapshot(), { statusPageUrl: 'http://127.0.0.1:4711/?token=abc' });
  assert.equal(menu.icon, 'up-to-date');
  assert.equal(menu.tooltip, 'billsync: Up to date · last sync 14:02');
  assert.deepEqual(outline(menu.items), [
    'Up to date · last sync 14:02 [status] (disabled)',
    '---',
    'Sync now [sync-now]',
    'Pause [pause]',
    '  Pause 1 hour [pause-hour]',
    '  Pause until tomorrow [pause-tomorrow]',
    '  Resume [resume] (disabled)',
    '---',
    'Open export folder [open-export]',
    'Dossiers [dossiers]',
    '  No dossiers yet [dossiers-none] (disabled)',
    'Approvals waiting (0) [approvals]',
    '  Nothing waiting [approvals-none] (disabled)',
    '---',
    'Open status page [open-status-page]',
    'Open log folder [open-logs]',
    'Copy diagnostics [diagnostics]',
    '---',
    'Quit [quit]',
  ]);
});

test('syncing: the icon and status line follow, and "Sync now" stays enabled (the queue drops duplicates)', () => {
  const menu = trayMenu(snapshot({ state: 'syncing', line: 'Syncing… (started 14:05)', running: { trigger: 'monthly', since: new Date() } }), { statusPageUrl: null });
  assert.equal(menu.icon, 'syncing');
  assert.equal(entry(menu.items, 'status').title, 'Syncing… (started 14:05)');
  assert.equal(entry(menu.items, 'status').enabled, false);
  assert.equal(entry(menu.items, 'sync-now').enabled, true);
  assert.deepEqual(['pause-hour', 'pause-tomorrow', 'resume'].map((key) => entry(menu.items, key).enabled), [true, true, false]);
  assert.equal(entry(menu.items, 'open-status-page').enabled, false, 'no status page running: its line is greyed out');
});

test('paused: both pause lines are disabled and only Resume is enabled', () => {
  const menu = trayMenu(snapshot({ state: 'paused', line: 'Paused until 15:05', pausedUntil: new Date() }), { statusPageUrl: null });
  assert.equal(menu.icon, 'paused');
  assert.equal(menu.tooltip, 'billsync: Paused until 15:05');
  assert.deepEqual(outline(entry(menu.items, 'pause').items!), [
    'Pause 1 hour [pause-hour] (disabled)',
    'Pause until tomorrow [pause-tomorrow] (disabled)',
    'Resume [resume]',
  ]);
  assert.equal(entry(menu.items, 'sync-now').enabled, true, 'Sync now overrides a pause on purpose');
});

test('error: the error icon and the first sentence of the error as the status line', () => {
  const menu = trayMenu(snapshot({ state: 'error', line: 'Error · export root /srv/venice cannot be reached (ENOENT):' }), { statusPageUrl: null });
  assert.equal(menu.icon, 'error');
  assert.equal(outline(menu.items)[0], 'Error · export root /srv/venice cannot be reached (ENOENT): [status] (disabled)');
});

test('approvals waiting in two dossiers: counts per dossier, dossiers with work first, then by name', () => {
  const dossiers = [
    dossier(7, 'Zonnepanelen Wouters'),
    dossier(3, 'bakkerij Peeters', { waitingApproval: 3, toExport: 2, quarantined: 1 }),
    dossier(9, 'Apotheek De Smet & Zonen'),
    dossier(12, 'Garage Janssens', { waitingApproval: 5 }),
    dossier(4, 'Dossier 10', { toExport: 1 }),
    dossier(5, 'Dossier 9', { quarantined: 2 }),
  ];
  const menu = trayMenu(snapshot({ state: 'attention', line: 'Needs attention · 3 held back', dossiers }), { statusPageUrl: null });
  assert.equal(menu.icon, 'attention');
  assert.deepEqual(outline(entry(menu.items, 'dossiers').items!), [
    'bakkerij Peeters — 3 waiting for approval, 2 to export, 1 held back [dossier:3]',
    'Dossier 9 — 2 held back [dossier:5]',
    'Dossier 10 — 1 to export [dossier:4]',
    'Garage Janssens — 5 waiting for approval [dossier:12]',
    'Apotheek De Smet & Zonen [dossier:9]',
    'Zonnepanelen Wouters [dossier:7]',
  ]);
  assert.equal(entry(menu.items, 'dossier:3').tooltip, '/srv/venice/bakkerij Peeters', 'the tooltip names the folder a click opens');
  const approvals = entry(menu.items, 'approvals');
  assert.equal(approvals.title, 'Approvals waiting (8)');
  assert.deepEqual(outline(approvals.items!), ['bakkerij Peeters: 3 [approvals:3]', 'Garage Janssens: 5 [approvals:12]']);
  assert.equal(entry(menu.items, 'approvals:12').tooltip, 'Open the dossier folder');

  const withPage = trayMenu(snapshot({ dossiers }), { statusPageUrl: 'http://127.0.0.1:4711/?token=abc' });
  assert.equal(entry(withPage.items, 'approvals:12').tooltip, 'Open the status page');
  assert.equal(entry(withPage.items, 'open-status-page').enabled, true);
});

test('the same snapshot gives the same menu (keys are stable for the host to diff)', () => {
  const dossiers = [dossier(1, 'A', { waitingApproval: 1 }), dossier(2, 'B')];
  assert.deepEqual(trayMenu(snapshot({ dossiers }), { statusPageUrl: null }), trayMenu(snapshot({ dossiers }), { statusPageUrl: null }));
});
