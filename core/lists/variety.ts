// Variety memory: what a member was shown and when, and the rotation rule that uses it. Discovery items (explore
// picks) shown on recent visits give their place to other good candidates, so a member does not see the same
// bestsellers every fortnight; repeat items, and above all items that are genuinely due, are never rotated out.
import type { Day, ScoredItem, ShoppingList } from '../types.ts';

/** When a product was last shown to the member, and how many lists showed it. */
export interface ShownEntry {
  lastShownDay: Day;
  times: number;
}

/** A member's shown-items memory as stored: product id → entry. */
export type ShownMemory = Record<string, ShownEntry>;

/** How discovery items are picked. */
export interface RotationOptions {
  /** Day the list is built for. */
  asOfDay: Day;
  /** Last day of the list: a repeat item due by then is genuinely due. */
  listEndDay: Day;
  /** Discovery slots on the list: the positions the best `slots` explore candidates would take without memory. */
  slots: number;
  /** Most candidates kept in all (repeat items and discovery slots), in score order (default: all). */
  limit?: number;
  /** Days during which a shown item is held back (default 28: the two visits before a fortnightly one). */
  cooldownDays?: number;
}

/** Default hold-back after an item was shown. */
export const COOLDOWN_DAYS = 28;

/** A repeat item the member is due to buy before the list ends. */
export const isGenuinelyDue = (s: { kind: string; dueDay?: Day | undefined }, listEndDay: Day): boolean =>
  s.kind === 'repeat' && s.dueDay !== undefined && s.dueDay <= listEndDay;

/** Multiplier on a discovery candidate's score from what the member was shown: 1 for never shown; 0.05 while held
 * back, for `cooldownDays` after the first showing and that many more for every further one; after that, lower
 * the more often it was shown (1 / (1 + times)). */
export function rotationFactor(entry: ShownEntry | undefined, asOfDay: Day, cooldownDays = COOLDOWN_DAYS): number {
  if (!entry) return 1;
  const held = asOfDay - entry.lastShownDay < cooldownDays * Math.max(1, entry.times) ? 0.05 : 1;
  return held / (1 + entry.times);
}

/**
 * Pick the list's candidates: repeat items as ranked, and the discovery slots filled by the best explore candidates
 * after the rotation penalty. Without memory the result is the first `slots` explore candidates in score order (the
 * scorer's own pick). The slots keep their scores (positions on the list); only their occupants change.
 * @param idOf - product id of a dense item index.
 */
export function rotateScored(
  scored: readonly ScoredItem[],
  idOf: (item: number) => string | undefined,
  shown: ReadonlyMap<string, ShownEntry> | undefined,
  o: RotationOptions,
): ScoredItem[] {
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.item - b.item);
  const limit = o.limit ?? ranked.length;
  const out: ScoredItem[] = [];
  const slotScores: number[] = [];
  const pool: ScoredItem[] = [];
  for (const s of ranked) {
    if (s.kind === 'explore') {
      pool.push(s);
      if (slotScores.length < o.slots && out.length + slotScores.length < limit) slotScores.push(s.score);
    } else if (out.length + slotScores.length < limit) {
      out.push(s);
    }
  }
  const cooldown = o.cooldownDays ?? COOLDOWN_DAYS;
  const adjusted = pool
    .map((s) => {
      const id = idOf(s.item);
      return { s, v: s.score * rotationFactor(id === undefined ? undefined : shown?.get(id), o.asOfDay, cooldown) };
    })
    .sort((a, b) => b.v - a.v || a.s.item - b.s.item);
  slotScores.forEach((score, k) => out.push({ ...adjusted[k]!.s, score }));
  return out;
}

/** The memory after a list was shown on `day`: every discovery item's entry moved to that day. Showing the same
 * list again on the same day (a rebuilt list) counts once. */
export function recordShown(memory: ShownMemory, productIds: Iterable<string>, day: Day): ShownMemory {
  const next: ShownMemory = { ...memory };
  for (const id of productIds) {
    const prev = next[id];
    if (prev && prev.lastShownDay >= day) continue;
    next[id] = { lastShownDay: day, times: (prev?.times ?? 0) + 1 };
  }
  return next;
}

/** The discovery items of a list (explore and store-wide picks): what variety memory remembers. */
export const discoveryIds = (list: Pick<ShoppingList, 'items'>): string[] =>
  list.items.filter((i) => i.kind === 'explore' || i.kind === 'cold-start').map((i) => i.productId);

/** The memory as a map, forgetting entries shown on or after `beforeDay` (to rebuild a list as it was issued). */
export function shownMap(memory: ShownMemory | undefined, beforeDay = Infinity): Map<string, ShownEntry> {
  const m = new Map<string, ShownEntry>();
  for (const [id, e] of Object.entries(memory ?? {})) if (e.lastShownDay < beforeDay) m.set(id, e);
  return m;
}
