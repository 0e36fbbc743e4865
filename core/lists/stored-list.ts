// A list as it is stored and sent on, after it is made: an item's `score` and `confidence` kept to LIST_DECIMALS
// decimals. No reader of a stored list ranks by them (the list's order is made before, and kept); at full double
// precision they were ~0.7 kB of a personal list's ~9 kB of JSON, and digits that gzip cannot shrink.
import type { ListItem, ShoppingList } from '../types.ts';

/** Decimals kept of an item's score and confidence (a confidence shown as a percent needs two). */
export const LIST_DECIMALS = 4;

const SCALE = 10 ** LIST_DECIMALS;
const round = (x: number): number => Math.round(x * SCALE) / SCALE;

/** The list with its items' scores and confidences rounded; everything else, the items' order included, as it was
 * (items already round are the same objects; the list given is not changed). */
export function roundedList(list: ShoppingList): ShoppingList {
  let items: ListItem[] | undefined;
  for (let k = 0; k < list.items.length; k++) {
    const i = list.items[k]!;
    const score = round(i.score);
    const confidence = round(i.confidence);
    if (score === i.score && confidence === i.confidence) continue;
    items ??= list.items.slice();
    items[k] = { ...i, score, confidence };
  }
  return items ? { ...list, items } : list;
}
