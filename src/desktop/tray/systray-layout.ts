import type { MenuItem } from 'systray2';
import { isSeparator, type TrayEntry, type TrayItem } from './tray-menu.js';

/*
 * The systray2 helper builds its menu once, from the first message, and can never add, remove or
 * reorder a line afterwards: `update-menu` only changes the icon, title and tooltip (its Go side
 * ignores `items`), and `update-item` changes one existing line, found by systray2's `__id`. So the
 * menu is laid out as slots: every submenu gets spare hidden lines, a later menu that fits the slots
 * becomes a list of `update-item`s (hiding what is left over), and one that does not fit needs a new
 * helper. This file is the pure part of that: build, fit, compare.
 */

/** What one menu line shows, as sent to the helper. */
export interface SlotState {
  title: string;
  tooltip: string;
  enabled: boolean;
  checked: boolean;
  hidden: boolean;
}

/** One line of the helper's menu. */
export interface Slot {
  /**
   * systray2's `__id`: the line's position in a depth-first walk of the menu, parents before their
   * children, from 1, separators counted (systray2's addInternalId, which the helper's clicks and
   * `update-item` use; index.js, not the helper's post-order `seq_id`).
   */
  readonly id: number;
  readonly separator: boolean;
  /** The submenu's lines, or null for a plain line (which can never become a submenu). */
  readonly children: Slot[] | null;
  /** What the line shows now; null for separators, which the helper cannot change or hide. */
  state: SlotState | null;
  /** The action of the entry shown in this line; null when hidden, disabled or a separator. */
  key: string | null;
}

/** One line's next content, as planned by fitLayout(). */
export interface SlotAssignment {
  slot: Slot;
  state: SlotState;
  key: string | null;
}

/** Escapes a title for the platform's menu (mnemonic characters); identity where there are none. */
export type TitleEscaper = (title: string) => string;

const HIDDEN: SlotState = { title: '', tooltip: '', enabled: false, checked: false, hidden: true };

/** Room for a submenu to grow without a new helper: at least 4 lines, else the next power of two. */
export function submenuCapacity(count: number): number {
  let capacity = 4;
  while (capacity < count) capacity *= 2;
  return capacity;
}

/** The helper's first menu for `items`, and the slots it will have (ids as systray2 will number them). */
export function buildLayout(items: readonly TrayItem[], escape: TitleEscaper): { slots: Slot[]; helperItems: MenuItem[] } {
  return buildLevel(items, escape, { next: 1 }, false);
}

function buildLevel(items: readonly TrayItem[], escape: TitleEscaper, counter: { next: number }, nested: boolean): { slots: Slot[]; helperItems: MenuItem[] } {
  const slots: Slot[] = [];
  const helperItems: MenuItem[] = [];
  // The top level has a fixed shape (tray-menu.ts), so only submenus get spare lines.
  const capacity = nested ? submenuCapacity(items.length) : items.length;
  for (let index = 0; index < capacity; index++) {
    const item = items[index];
    const id = counter.next++;
    if (item !== undefined && isSeparator(item)) {
      slots.push({ id, separator: true, children: null, state: null, key: null });
      helperItems.push({ title: '<SEPARATOR>', tooltip: '', enabled: true });
      continue;
    }
    const state = item === undefined ? HIDDEN : stateOf(item, escape);
    const sub = item?.items !== undefined && item.items.length > 0 ? buildLevel(item.items, escape, counter, true) : null;
    slots.push({ id, separator: false, children: sub ? sub.slots : null, state, key: item?.enabled ? item.key : null });
    helperItems.push({ ...toHelperItem(state), ...(sub ? { items: sub.helperItems } : {}) });
  }
  return { slots, helperItems };
}

/**
 * How the slots show `items`: one assignment per non-separator line (the unchanged ones too, so the
 * caller can take over the keys), or null when `items` does not fit and a new helper is needed.
 */
export function fitLayout(slots: readonly Slot[], items: readonly TrayItem[], escape: TitleEscaper): SlotAssignment[] | null {
  const out: SlotAssignment[] = [];
  return fitLevel(slots, items, escape, out) ? out : null;
}

function fitLevel(slots: readonly Slot[], items: readonly TrayItem[], escape: TitleEscaper, out: SlotAssignment[]): boolean {
  if (items.length > slots.length) return false;
  for (const [index, slot] of slots.entries()) {
    const item = items[index];
    if (item === undefined) {
      // A left-over line is hidden; a separator cannot be, so a shorter list ending there does not fit.
      if (slot.separator) return false;
      hideAll(slot, out);
      continue;
    }
    if (isSeparator(item) !== slot.separator) return false;
    if (isSeparator(item)) continue;
    // A submenu line keeps its arrow even with every line hidden; a plain line can never get one.
    const sub = item.items ?? null;
    if (slot.children === null ? sub !== null && sub.length > 0 : sub === null) return false;
    out.push({ slot, state: stateOf(item, escape), key: item.enabled ? item.key : null });
    if (slot.children !== null && !fitLevel(slot.children, sub ?? [], escape, out)) return false;
  }
  return true;
}

function hideAll(slot: Slot, out: SlotAssignment[]): void {
  if (slot.separator) return;
  out.push({ slot, state: HIDDEN, key: null });
  for (const child of slot.children ?? []) hideAll(child, out);
}

/** Whether the helper has to be told: a hidden line stays hidden whatever else it held. */
export function sameState(a: SlotState | null, b: SlotState): boolean {
  if (a === null) return false;
  if (a.hidden && b.hidden) return true;
  return a.title === b.title && a.tooltip === b.tooltip && a.enabled === b.enabled && a.checked === b.checked && a.hidden === b.hidden;
}

/**
 * The helper item for a line's state. `items` is left out on purpose: for an `update-item` the
 * helper calls Show() on every child listed there, which would bring back hidden spare lines.
 */
export function toHelperItem(state: SlotState): MenuItem {
  return { title: state.title, tooltip: state.tooltip, enabled: state.enabled, checked: state.checked, hidden: state.hidden };
}

function stateOf(item: TrayEntry, escape: TitleEscaper): SlotState {
  // systray2 turns a line titled "<SEPARATOR>" into a separator; a dossier could be called that.
  const title = item.title === '<SEPARATOR>' ? '<SEPARATOR>\u200b' : escape(item.title);
  return { title, tooltip: item.tooltip ?? '', enabled: item.enabled, checked: item.checked ?? false, hidden: false };
}

/** The lines of the layout, depth first (the order of their ids). */
export function* walkSlots(slots: readonly Slot[]): Generator<Slot> {
  for (const slot of slots) {
    yield slot;
    if (slot.children) yield* walkSlots(slot.children);
  }
}
