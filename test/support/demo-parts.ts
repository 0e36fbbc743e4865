// A seeded demo store's members' histories and the store parts `composeList` needs, as of the day after its data:
// the start of the core list tests (core/lists/compose.test.ts, core/lists/stored-list.test.ts).
import { parseDay } from '../../core/dates.ts';
import { emptyHistory, mergeBaskets, tripsOf, type PackedHistory } from '../../core/history.ts';
import { buildStoreModel } from '../../core/lists/next-basket.ts';
import { segmentCutsPacked } from '../../core/lists/member-summary.ts';
import type { StoreParts } from '../../core/lists/compose.ts';
import { generateDemoStore } from '../../demo/demo-store.ts';

/** `members` members of the demo generator with `seed`, 240 days of baskets to 2026-06-30. */
export function demoParts(members: number, seed: number) {
  const store = generateDemoStore({ members, seed, endDate: '2026-06-30', days: 240 });
  const day = parseDay('2026-07-01')!;
  const catalogue = store.products;
  const index = new Map(catalogue.map((p, i) => [p.id, i]));
  const histories = new Map<string, PackedHistory>();
  for (const m of store.members) {
    const mine = store.baskets.filter((b) => b.memberId === m.id);
    if (mine.length) histories.set(m.id, mergeBaskets(emptyHistory(m.id), mine, (id) => index.get(id)!).history);
  }
  const model = buildStoreModel([...histories.values()].map(tripsOf), { itemCount: catalogue.length });
  const parts: StoreParts = {
    model, position: new Map(), popular: Array.from(model.popular).slice(0, 12), productIndex: index,
    segmentCuts: segmentCutsPacked(histories.values(), catalogue, day),
    deals: store.deals, campaigns: store.campaigns, content: store.content, dealBudgetLeftCents: new Map(),
  };
  return { store, day, catalogue, index, histories, model, parts };
}
