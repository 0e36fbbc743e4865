// De-duplication within one import: the last version of a product or deal wins; a member's card code identifies them.
import type { Member } from '../types.ts';

/** The last version of each id, in order of each id's first appearance. */
export function latestById<T extends { id: string }>(rows: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const r of rows) byId.set(r.id, r);
  return [...byId.values()];
}

/** Members de-duplicated by card code and by id, the later row winning both ways (a reissued card, a corrected record). */
export function mergeMembers(members: readonly Member[]): Member[] {
  const byCard = new Map<string, Member>();
  const cardOfId = new Map<string, string>();
  for (const m of members) {
    const oldCard = cardOfId.get(m.id);
    if (oldCard !== undefined && oldCard !== m.cardCode) byCard.delete(oldCard);
    const holder = byCard.get(m.cardCode);
    if (holder && holder.id !== m.id) cardOfId.delete(holder.id);
    byCard.set(m.cardCode, m);
    cardOfId.set(m.id, m.cardCode);
  }
  return [...byCard.values()];
}
