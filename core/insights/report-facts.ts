// The manufacturer report's facts: per member and category, their units and spend (from their statistics), their
// segment, and the offers issued to them and redeemed by them in that category.
import type { Redemption, ShoppingList } from '../types.ts';
import type { MemberStats } from '../lists/member-stats.ts';
import type { CategorySegments } from '../lists/segments.ts';
import type { ReportFact } from './report.ts';

/** One fact per member and category they bought in and have a segment for. A redemption counts in the category of
 * the list item its offer was on; when that list is gone, in the category of the product its offer id ends with
 * (`…:<productId>`), as `categoryOf` gives it. */
export function reportFacts(
  stats: readonly MemberStats[],
  segments: ReadonlyMap<string, CategorySegments>,
  lists: readonly ShoppingList[],
  redemptions: readonly Pick<Redemption, 'memberId' | 'listId' | 'offerId'>[],
  categoryOf: ReadonlyMap<string, string>,
): ReportFact[] {
  const issued = new Map<string, number>(), redeemed = new Map<string, number>();
  const listById = new Map<string, ShoppingList>();
  for (const l of lists) {
    if (!listById.has(l.id)) listById.set(l.id, l); // the first of a repeated id, as a search from the start finds
    for (const i of l.items) if (i.offer) issued.set(`${l.memberId}|${i.category}`, (issued.get(`${l.memberId}|${i.category}`) ?? 0) + 1);
  }
  for (const r of redemptions) {
    const offer = listById.get(r.listId)?.items.find((i) => i.offer?.id === r.offerId);
    const key = `${r.memberId}|${offer?.category ?? categoryOf.get(r.offerId.split(':').pop() ?? '') ?? ''}`;
    redeemed.set(key, (redeemed.get(key) ?? 0) + 1);
  }
  const facts: ReportFact[] = [];
  for (const st of stats) {
    for (const [category, volume] of st.categories) {
      const segment = segments.get(category)?.members.get(st.memberId);
      if (!segment) continue;
      const key = `${st.memberId}|${category}`;
      facts.push({ memberId: st.memberId, category, segment, units: volume.units, spendCents: volume.spendCents, offersIssued: issued.get(key) ?? 0, offersRedeemed: redeemed.get(key) ?? 0 });
    }
  }
  return facts;
}
