// Variety figure: how many different discovery items 1,000 members see over 10 fortnightly visits, without and with
// the shown-items memory (core/variety.ts). Pure core over the seeded demo store, as the engine builds lists:
// the same scorer call, the same discovery slots, only the memory differs.
import { generateDemoStore } from '../demo/demo-store.ts';
import { parseDay } from '../core/dates.ts';
import { hashString } from '../core/random.ts';
import { buildStoreModel, scoreMember } from '../core/lists/next-basket.ts';
import { buildList, type BuildListInput } from '../core/lists/list.ts';
import { memberStats, productMap } from '../core/lists/member-stats.ts';
import { cutsOf, segmentCategories } from '../core/lists/segments.ts';
import { discoveryIds, isGenuinelyDue, recordShown, shownMap, type ShownMemory } from '../core/lists/variety.ts';
import type { Basket, ShoppingList, Trip } from '../core/types.ts';
import { figure, type Figure } from './figures.ts';

/** What one run of visits showed. */
export interface VarietyTally {
  /** Discovery items shown, over every list (explore and store-wide picks). */
  slots: number;
  /** Distinct (member, item) pairs among them. */
  pairs: number;
  /** Distinct items store-wide. */
  items: number;
  /** The same three over personalised lists only (where the memory acts; store-wide lists are the same for all). */
  personalSlots: number;
  personalPairs: number;
  personalItems: number;
  /** Lists that were personalised. */
  personalLists: number;
  lists: number;
  /** Repeat items due by the list's end that the list left out. */
  dueDropped: number;
}

/** Simulate `visits` fortnightly lists for the first `members` consenting members of the demo store, with and without
 * variety memory. */
export function varietyRun(opts: { members?: number; visits?: number; seed?: number } = {}): { before: VarietyTally; after: VarietyTally; seconds: number } {
  const t0 = performance.now();
  const members = opts.members ?? 1000, visits = opts.visits ?? 10;
  const endDate = '2026-11-22';
  const end = parseDay(endDate)!;
  const store = generateDemoStore({ members: Math.ceil(members * 1.25), seed: opts.seed ?? 42, endDate, days: 365 + 14 * visits });
  const products = store.products;
  const index = new Map(products.map((p, i) => [p.id, i]));
  const byId = productMap(products);
  const basketsOf = new Map<string, Basket[]>();
  for (const b of store.baskets) (basketsOf.get(b.memberId) ?? basketsOf.set(b.memberId, []).get(b.memberId)!).push(b);
  const firstVisit = end - 14 * (visits - 1);
  // The store model as of the first visit (the engine keeps its model between checkouts too).
  const ids = [...basketsOf.keys()];
  const tripsOf = (bs: readonly Basket[], upTo: number): Trip[] => bs.filter((b) => b.day <= upTo).map((b) => ({ day: b.day, items: [...new Set(b.lines.map((l) => index.get(l.productId)!))] }));
  const model = buildStoreModel(ids.map((id) => tripsOf(basketsOf.get(id)!, firstVisit)), {
    itemCount: products.length, itemCategory: Int32Array.from(products, (p) => hashString(p.category) & 0x7fffffff),
  });
  const position = new Map(ids.map((id, i) => [id, i]));
  const popular = Array.from(model.popular).slice(0, 12);
  const memberById = new Map(store.members.map((m) => [m.id, m]));
  const segmentCuts = cutsOf(segmentCategories(ids.filter((id) => memberById.has(id)).map((id) => memberStats(memberById.get(id)!, basketsOf.get(id)!.filter((b) => b.day <= firstVisit), byId, firstVisit))));
  const chosen = store.members.filter((m) => m.consent.personalise).slice(0, members);

  const tally = (): VarietyTally => ({ slots: 0, pairs: 0, items: 0, personalSlots: 0, personalPairs: 0, personalItems: 0, personalLists: 0, lists: 0, dueDropped: 0 });
  const before = tally(), after = tally();
  const sets = () => ({ pairs: new Set<string>(), items: new Set<string>(), personalPairs: new Set<string>(), personalItems: new Set<string>() });
  const seen = [sets(), sets()] as const;
  for (const member of chosen) {
    const all = basketsOf.get(member.id) ?? [];
    let memory: ShownMemory = {};
    for (let v = 0; v < visits; v++) {
      const day = firstVisit + 14 * v;
      const baskets = all.filter((b) => b.day < day);
      const trips = tripsOf(baskets, day - 1);
      const scored = trips.length >= 2 ? scoreMember(trips, model, day, { limit: 16 + 6, exploreLimit: 3 + 6, ...(position.has(member.id) ? { member: position.get(member.id)! } : {}) }) : [];
      const input: BuildListInput = {
        member, baskets, scored, products, deals: store.deals, campaigns: store.campaigns, content: store.content, asOfDay: day,
        listId: `${member.id}-${day}`, code: '9'.repeat(20), settings: { cadenceDays: 14 }, storeBudgetLeftCents: 500_000,
        segmentCuts, popular, productIndex: index, discovery: { slots: 3, limit: 16 },
      };
      const lists: [ShoppingList, ShoppingList] = [listOrStoreWide(input), listOrStoreWide({ ...input, shownBefore: shownMap(memory, day) })];
      const dueBefore = new Set(lists[0].items.filter((i) => isGenuinelyDue(i, lists[0].validUntilDay)).map((i) => i.productId));
      lists.forEach((list, k) => {
        const t = k ? after : before;
        t.lists++;
        if (list.personalised) t.personalLists++;
        const onList = new Set(list.items.map((i) => i.productId));
        for (const id of dueBefore) if (!onList.has(id)) t.dueDropped++;
        for (const id of discoveryIds(list)) {
          t.slots++;
          seen[k].pairs.add(`${member.id}|${id}`);
          seen[k].items.add(id);
          if (!list.personalised) continue;
          t.personalSlots++;
          seen[k].personalPairs.add(`${member.id}|${id}`);
          seen[k].personalItems.add(id);
        }
      });
      if (lists[1].personalised) memory = recordShown(memory, discoveryIds(lists[1]), day);
    }
  }
  [before, after].forEach((t, k) => {
    t.pairs = seen[k]!.pairs.size;
    t.items = seen[k]!.items.size;
    t.personalPairs = seen[k]!.personalPairs.size;
    t.personalItems = seen[k]!.personalItems.size;
  });
  return { before, after, seconds: (performance.now() - t0) / 1000 };
}

/** The member's list, or the store-wide one below the spend threshold (as the engine does). */
function listOrStoreWide(input: BuildListInput): ShoppingList {
  const r = buildList(input);
  if (r.ok) return r.value;
  const s = buildList({ ...input, member: { ...input.member, consent: { ...input.member.consent, personalise: false } }, baskets: [], scored: [] });
  if (!s.ok) throw new Error(`store-wide list refused: ${s.error}`);
  return s.value;
}

/** The variety figures, before (no memory) as the baseline and after (with memory). */
export function varietyFigures(opts: { members?: number; visits?: number } = {}): Figure[] {
  const { before, after, seconds } = varietyRun(opts);
  const members = opts.members ?? 1000, visits = opts.visits ?? 10;
  const share = (t: VarietyTally) => (t.personalSlots ? t.personalPairs / t.personalSlots : 0);
  const shareAll = (t: VarietyTally) => (t.slots ? t.pairs / t.slots : 0);
  const scope = `${members.toLocaleString('en')} consenting members × ${visits} fortnightly visits, demo store`;
  return [
    figure('variety.member_distinct.share', share(after), 'share', {
      baseline: share(before), baselineName: 'no memory',
      note: `distinct (member, discovery item) pairs / discovery slots on the ${after.personalLists} personalised lists of ${after.lists}; ${scope}; due items dropped: ${after.dueDropped} (before: ${before.dueDropped})`,
    }),
    figure('variety.store_distinct.items', after.personalItems, 'items', { baseline: before.personalItems, baselineName: 'no memory', note: `distinct discovery items on personalised lists, store-wide; ${scope}` }),
    figure('variety.all_lists.share', shareAll(after), 'share', {
      baseline: shareAll(before), baselineName: 'no memory',
      note: `as variety.member_distinct.share over every list, the same store-wide list for members below the threshold included (${after.items} distinct items, before ${before.items})`,
    }),
    figure('variety.run.s', seconds, 's', { note: 'both runs, store generation and model build included' }),
  ];
}
