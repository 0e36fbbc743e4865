import { describe, expect, it } from 'vitest';
import { discoveryIds, isGenuinelyDue, recordShown, rotateScored, rotationFactor, shownMap, type ShownMemory } from './variety.ts';
import { buildList, type BuildListInput } from './list.ts';
import { seededRandom } from '../random.ts';
import type { Basket, Member, Product, ScoredItem } from '../types.ts';

const DAY = 20400;

describe('variety memory', () => {
  it('records each shown item once per day and counts the lists that showed it', () => {
    let m: ShownMemory = {};
    m = recordShown(m, ['a', 'b'], DAY);
    m = recordShown(m, ['a'], DAY); // the same list rebuilt on the same day
    m = recordShown(m, ['a'], DAY + 14);
    expect(m).to.deep.equal({ a: { lastShownDay: DAY + 14, times: 2 }, b: { lastShownDay: DAY, times: 1 } });
    expect([...shownMap(m, DAY + 14).keys()]).to.deep.equal(['b']);
  });

  it('holds back items shown within the cooldown, and more so the more often they were shown', () => {
    expect(rotationFactor(undefined, DAY)).to.equal(1);
    expect(rotationFactor({ lastShownDay: DAY - 14, times: 1 }, DAY)).to.be.below(0.1);
    expect(rotationFactor({ lastShownDay: DAY - 60, times: 1 }, DAY)).to.be.above(rotationFactor({ lastShownDay: DAY - 60, times: 4 }, DAY));
  });

  it('without memory picks what the scorer would: repeat items as ranked and the first explore candidates', () => {
    const scored: ScoredItem[] = [
      { item: 0, score: 9, kind: 'repeat', confidence: 1, count: 3, dueDay: DAY }, { item: 1, score: 8, kind: 'explore', confidence: 0.1, count: 0 },
      { item: 2, score: 7, kind: 'explore', confidence: 0.1, count: 0 }, { item: 3, score: 6, kind: 'repeat', confidence: 1, count: 3 },
      { item: 4, score: 5, kind: 'explore', confidence: 0.1, count: 0 }, { item: 5, score: 4, kind: 'repeat', confidence: 1, count: 2 },
    ];
    const picked = rotateScored(scored, (i) => `p${i}`, undefined, { asOfDay: DAY, listEndDay: DAY + 14, slots: 2, limit: 4 });
    expect(picked.map((s) => s.item).sort()).to.deep.equal([0, 1, 2, 3]);
    const rotated = rotateScored(scored, (i) => `p${i}`, new Map([['p1', { lastShownDay: DAY - 14, times: 1 }]]), { asOfDay: DAY, listEndDay: DAY + 14, slots: 2, limit: 4 });
    expect(rotated.map((s) => s.item).sort()).to.deep.equal([0, 2, 3, 4]);
    expect(rotated.filter((s) => s.kind === 'explore').map((s) => s.score)).to.deep.equal([8, 7]); // the slots keep their places
  });

  it('never rotates a due repeat item out, however often it was shown', () => {
    const due: ScoredItem = { item: 0, score: 1, kind: 'repeat', confidence: 1, count: 5, dueDay: DAY + 3 };
    expect(isGenuinelyDue(due, DAY + 14)).to.equal(true);
    const shown = new Map([['p0', { lastShownDay: DAY - 1, times: 50 }]]);
    const out = rotateScored([due, { item: 1, score: 5, kind: 'explore', confidence: 0.1, count: 0 }], (i) => `p${i}`, shown, { asOfDay: DAY, listEndDay: DAY + 14, slots: 1 });
    expect(out.map((s) => s.item)).to.include(0);
  });
});

// Generated data with a planted effect: 5 bestsellers score far above 35 other explore candidates for every member,
// so without memory everyone sees the same 5 every visit. Each member also has 3 items due on every visit.
describe('rotation on generated data (planted bestsellers)', () => {
  const N = 40, MEMBERS = 200, VISITS = 10, SLOTS = 3;
  const products: Product[] = Array.from({ length: N + 3 }, (_, i) => ({ id: `p${i}`, name: `Product ${i}`, category: 'pantry/misc', brand: 'B', brandType: 'national', priceCents: 500, tags: [] }));
  function simulate(memory: boolean) {
    const rnd = seededRandom(7);
    let slots = 0;
    const pairs = new Set<string>(), items = new Set<string>();
    let dueMissing = 0;
    for (let m = 0; m < MEMBERS; m++) {
      const member: Member = { id: `m${m}`, cardCode: '2000000000008', consent: { personalise: true, contact: false }, householdSize: 2, joinedDay: DAY - 900 };
      const noise = Array.from({ length: N }, () => rnd());
      let shown: ShownMemory = {};
      for (let v = 0; v < VISITS; v++) {
        const day = DAY + 14 * v;
        const baskets: Basket[] = [0, 7, 14, 21].map((ago) => ({ id: `b${m}-${v}-${ago}`, memberId: member.id, day: day - ago - 1,
          lines: [N, N + 1, N + 2].map((k) => ({ productId: `p${k}`, qty: 1, unitPriceCents: 5000, discountCents: 0 })) }));
        const scored: ScoredItem[] = [
          ...[N, N + 1, N + 2].map((item): ScoredItem => ({ item, score: 0.01, kind: 'repeat', confidence: 0.9, count: 4, dueDay: day + 2, intervalDays: 7 })),
          // bestsellers 0..4 score ~10; the rest ~1, with per-member noise
          ...Array.from({ length: N }, (_, i): ScoredItem => ({ item: i, score: (i < 5 ? 10 : 1) + noise[i]!, kind: 'explore', confidence: 0.1, count: 0 })),
        ];
        const input: BuildListInput = {
          member, baskets, scored, products, deals: [], campaigns: [], content: [], asOfDay: day, listId: `L${m}-${v}`, code: '9'.repeat(20),
          settings: { thresholdCentsPerWeek: 0, maxAffinityOffers: 0 }, discovery: { slots: SLOTS, limit: 16 }, ...(memory ? { shownBefore: shownMap(shown) } : {}),
        };
        const r = buildList(input);
        if (!r.ok) throw new Error(r.error);
        const ids = new Set(r.value.items.map((i) => i.productId));
        for (const k of [N, N + 1, N + 2]) if (!ids.has(`p${k}`)) dueMissing++;
        const disc = discoveryIds(r.value);
        for (const id of disc) { slots++; pairs.add(`${m}|${id}`); items.add(id); }
        shown = recordShown(shown, disc, day);
      }
    }
    return { pairShare: pairs.size / slots, items: items.size, dueMissing, slots };
  }

  it('raises the share of distinct items shown per member and store-wide, and never drops a due item', () => {
    const before = simulate(false);
    const after = simulate(true);
    expect(before.slots).to.equal(MEMBERS * VISITS * SLOTS);
    expect(after.slots).to.equal(before.slots); // the same number of discovery slots: only their occupants change
    // Without memory: each member sees the same 3 of the 5 bestsellers every time.
    expect(before.pairShare).to.be.closeTo(1 / VISITS, 1e-9);
    expect(before.items).to.be.at.most(5);
    expect(after.pairShare).to.be.above(0.6);
    expect(after.items).to.be.above(20);
    expect(before.dueMissing).to.equal(0);
    expect(after.dueMissing).to.equal(0);
  });
});
