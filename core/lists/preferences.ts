// Shopper controls: "not for me" and "mute for a month" per product, kept on the device. Pure functions over plain
// data: apply a control, drop expired mutes, and filter list items (with their offers) the shopper asked not to see.
import type { Day, ShoppingList } from '../types.ts';

/** Days a mute lasts. */
export const MUTE_DAYS = 30;

/** What a shopper asked about one product. */
export type ItemControl = 'not-for-me' | 'mute' | 'clear';

/** One member's controls: product id → the day "not for me" was set, and product id → the first day shown again. */
export interface ItemControls {
  notForMe: Record<string, Day>;
  mutedUntil: Record<string, Day>;
}

/** No controls at all. */
export const noControls = (): ItemControls => ({ notForMe: {}, mutedUntil: {} });

/** Controls as a member pack lists them (protocol/member-pack.ts), as the engine keeps them; a mute without an end
 * lasts. */
export function controlsFromList(list: readonly { productId: string; kind: 'not-for-me' | 'mute'; untilDay?: number }[]): ItemControls {
  const controls = noControls();
  for (const c of list) {
    if (c.kind === 'not-for-me') controls.notForMe[c.productId] = 0;
    else controls.mutedUntil[c.productId] = c.untilDay ?? Number.MAX_SAFE_INTEGER;
  }
  return controls;
}

/** The controls after one more control on `day` (a new object; the input is not changed). "not for me" and "mute"
 * replace each other; "clear" removes both. */
export function applyControl(controls: ItemControls, productId: string, control: ItemControl, day: Day): ItemControls {
  const notForMe = { ...controls.notForMe };
  const mutedUntil = { ...controls.mutedUntil };
  delete notForMe[productId];
  delete mutedUntil[productId];
  if (control === 'not-for-me') notForMe[productId] = day;
  else if (control === 'mute') mutedUntil[productId] = day + MUTE_DAYS;
  return { notForMe, mutedUntil };
}

/** The controls with mutes that have run out by `day` removed. */
export function expireControls(controls: ItemControls, day: Day): ItemControls {
  const mutedUntil: Record<string, Day> = {};
  for (const [id, until] of Object.entries(controls.mutedUntil)) if (until > day) mutedUntil[id] = until;
  return { notForMe: { ...controls.notForMe }, mutedUntil };
}

/** Product ids hidden on `day`: every "not for me" and every mute still running. */
export function hiddenProducts(controls: ItemControls | undefined, day: Day): Set<string> {
  const hidden = new Set<string>();
  if (!controls) return hidden;
  for (const id of Object.keys(controls.notForMe)) hidden.add(id);
  for (const [id, until] of Object.entries(controls.mutedUntil)) if (until > day) hidden.add(id);
  return hidden;
}

/** Items (and so the offers they carry) whose product is not hidden, in their order. */
export function filterItems<T extends { productId: string }>(items: readonly T[], hidden: ReadonlySet<string>): T[] {
  return hidden.size ? items.filter((i) => !hidden.has(i.productId)) : [...items];
}

/** A list without the hidden products' items and offers; the same object when nothing is hidden. */
export function filterList(list: ShoppingList, hidden: ReadonlySet<string>): ShoppingList {
  if (!list.items.some((i) => hidden.has(i.productId))) return list;
  return { ...list, items: filterItems(list.items, hidden) };
}

/** Whether a value read from storage is a controls record (anything else counts as no controls). */
export function isItemControls(v: unknown): v is ItemControls {
  if (!v || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  return !!c.notForMe && typeof c.notForMe === 'object' && !!c.mutedUntil && typeof c.mutedUntil === 'object';
}
