import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildLayout, fitLayout, sameState, submenuCapacity, walkSlots, type Slot } from '../../../src/desktop/tray/systray-layout.js';
import { titleEscaper } from '../../../src/desktop/tray/systray-host.js';
import { SEPARATOR, type TrayItem } from '../../../src/desktop/tray/tray-menu.js';

const plain = (title: string): string => title;
const line = (key: string, title = key, enabled = true): TrayItem => ({ key, title, enabled });
const menu = (dossiers: string[]): TrayItem[] => [
  line('status', 'Up to date', false),
  SEPARATOR,
  line('sync-now', 'Sync now'),
  { key: 'dossiers', title: 'Dossiers', enabled: true, items: dossiers.map((name) => line(`dossier:${name}`, name)) },
  line('quit', 'Quit'),
];

const ids = (slots: readonly Slot[]): number[] => [...walkSlots(slots)].map((slot) => slot.id);

test('lines are numbered as systray2 numbers them: depth first, parents before children, from 1, separators counted', () => {
  const { slots, helperItems } = buildLayout(menu(['A', 'B']), plain);
  assert.deepEqual(ids(slots), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const dossiers = slots[3]!;
  assert.deepEqual(dossiers.children!.map((s) => [s.id, s.key, s.state?.hidden]), [[5, 'dossier:A', false], [6, 'dossier:B', false], [7, null, true], [8, null, true]]);
  assert.equal(slots[4]!.id, 9, 'Quit comes after the four lines of the Dossiers submenu');
  assert.deepEqual(helperItems.map((i) => i.title), ['Up to date', '<SEPARATOR>', 'Sync now', 'Dossiers', 'Quit']);
  assert.deepEqual(helperItems[3]!.items!.map((i) => [i.title, i.hidden]), [['A', false], ['B', false], ['', true], ['', true]]);
  assert.equal(slots[0]!.key, null, 'a disabled line has no action');
});

test('a submenu grows into its spare lines and shrinks by hiding them; past its room it needs a new helper', () => {
  const { slots } = buildLayout(menu(['A']), plain);
  const grown = fitLayout(slots, menu(['A', 'B', 'C', 'D']), plain);
  assert.ok(grown, 'four dossiers fit the four lines');
  assert.deepEqual(grown.filter((a) => a.slot.id >= 5 && a.slot.id <= 8).map((a) => [a.slot.id, a.state.title, a.state.hidden, a.key]), [
    [5, 'A', false, 'dossier:A'], [6, 'B', false, 'dossier:B'], [7, 'C', false, 'dossier:C'], [8, 'D', false, 'dossier:D'],
  ]);
  assert.equal(fitLayout(slots, menu(['A', 'B', 'C', 'D', 'E']), plain), null, 'a fifth does not');
  const shrunk = fitLayout(slots, menu([]), plain);
  assert.ok(shrunk, 'an empty list still fits: the parent stays a submenu line with its lines hidden');
  assert.equal(submenuCapacity(5), 8);
  assert.equal(submenuCapacity(2000), 2048);
});

test('only what changed needs an update-item; a hidden line stays hidden whatever it held', () => {
  const { slots } = buildLayout(menu(['A', 'B']), plain);
  const plan = fitLayout(slots, menu(['B', 'A']), plain)!;
  const changed = plan.filter((a) => !sameState(a.slot.state, a.state)).map((a) => a.slot.id);
  assert.deepEqual(changed, [5, 6], 'a reorder rewrites the two lines, nothing else');
  assert.ok(sameState({ title: 'old', tooltip: '', enabled: true, checked: false, hidden: true }, { title: '', tooltip: '', enabled: false, checked: false, hidden: true }));
});

test('a different shape does not fit: separators cannot move and a plain line cannot become a submenu', () => {
  const { slots } = buildLayout(menu(['A']), plain);
  const moved: TrayItem[] = [line('status', 'Up to date', false), line('sync-now', 'Sync now'), SEPARATOR, { key: 'dossiers', title: 'Dossiers', enabled: true, items: [line('x')] }, line('quit')];
  assert.equal(fitLayout(slots, moved, plain), null);
  const submenu: TrayItem[] = [...menu(['A']).slice(0, 4), { key: 'quit', title: 'Quit', enabled: true, items: [line('really')] }];
  assert.equal(fitLayout(slots, submenu, plain), null);
});

test('titles are escaped for the platform menu: "_" on Linux (dbusmenu), "&" on Windows', () => {
  assert.equal(titleEscaper('linux')('Jansen_BV'), 'Jansen__BV');
  assert.equal(titleEscaper('win32')('De Smet & Zonen'), 'De Smet && Zonen');
  assert.equal(titleEscaper('darwin')('A_B & C'), 'A_B & C');
  const { helperItems } = buildLayout([line('x', '<SEPARATOR>')], titleEscaper('linux'));
  assert.notEqual(helperItems[0]!.title, '<SEPARATOR>', 'a dossier called "<SEPARATOR>" stays a line');
});
