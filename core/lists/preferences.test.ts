import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyControl, expireControls, filterList, hiddenProducts, isItemControls, MUTE_DAYS, noControls } from './preferences.ts';
import { buildList, type BuildListInput } from './list.ts';
import { guardList } from './fairness.ts';
import type { Basket, Deal, DealKind, Member, Product, ScoredItem, ShoppingList } from '../types.ts';

const DAY = 20400;

describe('shopper controls', () => {
  it('"not for me" hides for good, "mute" for 30 days, "clear" undoes either', () => {
    let c = applyControl(noControls(), 'milk', 'not-for-me', DAY);
    c = applyControl(c, 'tea', 'mute', DAY);
    expect([...hiddenProducts(c, DAY)].sort()).to.deep.equal(['milk', 'tea']);
    expect([...hiddenProducts(c, DAY + MUTE_DAYS - 1)].sort()).to.deep.equal(['milk', 'tea']);
    expect([...hiddenProducts(c, DAY + MUTE_DAYS)]).to.deep.equal(['milk']);
    expect([...hiddenProducts(c, DAY + 1000)]).to.deep.equal(['milk']);
    const cleared = applyControl(c, 'milk', 'clear', DAY + 1);
    expect([...hiddenProducts(cleared, DAY + 1)]).to.deep.equal(['tea']);
    expect(c.notForMe).to.have.property('milk'); // the input is not changed
  });

  it('a mute replaces "not for me" on the same product and the other way round', () => {
    const muted = applyControl(applyControl(noControls(), 'milk', 'not-for-me', DAY), 'milk', 'mute', DAY);
    expect(muted.notForMe).to.deep.equal({});
    expect(muted.mutedUntil).to.deep.equal({ milk: DAY + MUTE_DAYS });
  });

  it('expires mutes that have run out and keeps the rest', () => {
    const c = applyControl(applyControl(applyControl(noControls(), 'a', 'mute', DAY - 40), 'b', 'mute', DAY - 5), 'c', 'not-for-me', DAY - 400);
    expect(expireControls(c, DAY)).to.deep.equal({ notForMe: { c: DAY - 400 }, mutedUntil: { b: DAY - 5 + MUTE_DAYS } });
  });

  it('filters a list\'s items and their offers, and returns the same list when nothing is hidden', () => {
    const reason = { code: 'popular', params: {}, text: 'x' } as const;
    const item = (productId: string) => ({ productId, name: productId, category: 'c', kind: 'cold-start' as const, confidence: 0, score: 0, shelfPriceCents: 100, priceCents: 90, reason,
      offer: { id: `L:d:${productId}`, dealId: 'd', productId, kind: 'amount' as const, value: 10, funder: 'store', savingCents: 10, limit: 1, reason } });
    const list: ShoppingList = { id: 'L', code: '1', memberId: 'm', issuedDay: DAY, validUntilDay: DAY + 14, personalised: false, items: [item('a'), item('b')], coupons: [], rewards: [] };
    expect(filterList(list, new Set(['x']))).to.equal(list);
    const out = filterList(list, new Set(['a']));
    expect(out.items.map((i) => i.productId)).to.deep.equal(['b']);
    expect(out.items.flatMap((i) => (i.offer ? [i.offer.productId] : []))).to.deep.equal(['b']);
    expect(list.items).to.have.length(2);
  });

  it('recognises stored controls', () => {
    expect(isItemControls(noControls())).to.equal(true);
    expect(isItemControls(undefined)).to.equal(false);
    expect(isItemControls({ notForMe: {} })).to.equal(false);
  });
});

// Random worlds: catalogue, deals (some invalid on purpose), baskets, consent, and a random set of hidden products.
const CATEGORIES = ['pet/dog-food', 'baby/nappies', 'dairy/milk', 'drinks/coffee', 'produce/vegetables'];
const KINDS: DealKind[] = ['percent', 'amount', 'price', 'multibuy'];
const worldArb = fc.integer({ min: 3, max: 14 }).chain((n) => fc.record({
  products: fc.tuple(...Array.from({ length: n }, (_, i) => fc.record({
    category: fc.constantFrom(...CATEGORIES), priceCents: fc.integer({ min: 0, max: 5000 }), tags: fc.subarray(['pet', 'baby', 'vegetable']),
  }).map((r): Product => ({ id: `p${i}`, name: `Product ${i}`, brand: `B${i % 3}`, brandType: i % 2 ? 'store' : 'national', ...r })))),
  deals: fc.array(fc.record({ pick: fc.nat(n - 1), kind: fc.constantFrom(...KINDS), value: fc.integer({ min: -20, max: 6000 }), len: fc.integer({ min: 0, max: 30 }) }), { maxLength: 5 }),
  baskets: fc.array(fc.record({ ago: fc.integer({ min: 0, max: 150 }), picks: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 5 }) }), { maxLength: 30 }),
  personalise: fc.boolean(),
  hiddenMask: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  explore: fc.array(fc.nat(n - 1), { maxLength: 4 }),
}));
type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

function inputOf(w: World, hidden?: ReadonlySet<string>): BuildListInput {
  const products = w.products;
  const member: Member = { id: 'm', cardCode: '2000000000008', consent: { personalise: w.personalise, contact: false }, householdSize: 2, joinedDay: DAY - 700 };
  const baskets: Basket[] = w.baskets.map((b, i) => ({ id: `b${i}`, memberId: 'm', day: DAY - b.ago,
    lines: [...new Set(b.picks)].map((k) => ({ productId: products[k]!.id, qty: 1, unitPriceCents: products[k]!.priceCents, discountCents: 0 })) }));
  const deals: Deal[] = w.deals.map((d, i) => ({ id: `d${i}`, scopeType: 'product', scope: products[d.pick]!.id, kind: d.kind, value: d.value, startDay: DAY - 3, endDay: DAY + d.len, funder: 'store' }));
  const counts = new Map<number, number>();
  for (const b of w.baskets) for (const k of new Set(b.picks)) counts.set(k, (counts.get(k) ?? 0) + 1);
  const scored: ScoredItem[] = [...counts].map(([item, c]) => ({ item, score: c, kind: 'repeat', confidence: 0.5, count: c, dueDay: DAY + (item % 20), intervalDays: 7 }));
  for (const item of new Set(w.explore)) if (!counts.has(item)) scored.push({ item, score: 0.5, kind: 'explore', confidence: 0.2, count: 0 });
  return {
    member, baskets, scored, products, deals, campaigns: [], content: [], asOfDay: DAY, listId: 'L', code: '9'.repeat(20), storeBudgetLeftCents: 3000,
    settings: { thresholdCentsPerWeek: 0, maxItems: 6 }, popular: products.map((_, i) => i), discovery: { slots: 2 },
    ...(hidden ? { hidden } : {}),
  };
}

describe('hiding products inside buildList', () => {
  it('never shows a hidden product, never raises a price above shelf, and the fairness guard still passes', () => {
    fc.assert(fc.property(worldArb, (w) => {
      const hidden = new Set(w.products.filter((_, i) => w.hiddenMask[i]).map((p) => p.id));
      const plain = buildList(inputOf(w));
      const r = buildList(inputOf(w, hidden));
      if (!r.ok) return !plain.ok && r.error === plain.error; // hiding never makes a list fail
      const shelf = new Map(w.products.map((p) => [p.id, p.priceCents]));
      for (const i of r.value.items) {
        if (hidden.has(i.productId) || (i.offer && hidden.has(i.offer.productId))) return false;
        if (i.priceCents > shelf.get(i.productId)! || i.priceCents < 0) return false;
      }
      return guardList(r.value, { member: { id: 'm', consent: { personalise: w.personalise, contact: false } }, shelfPriceOf: (id) => shelf.get(id) }).ok;
    }), { numRuns: 1500 });
  });

  it('refills the list with the next candidates when an item is hidden', () => {
    fc.assert(fc.property(worldArb, fc.nat(), (w, k) => {
      const plain = buildList(inputOf(w));
      if (!plain.ok || plain.value.items.length === 0) return true;
      const victim = plain.value.items[k % plain.value.items.length]!.productId;
      const r = buildList(inputOf(w, new Set([victim])));
      if (!r.ok) return false;
      const visibleLeft = new Set(w.products.map((p) => p.id));
      visibleLeft.delete(victim);
      // As many items as before, unless the catalogue cannot fill the list without the hidden product.
      return r.value.items.length >= Math.min(plain.value.items.length - 1, visibleLeft.size) && !r.value.items.some((i) => i.productId === victim);
    }), { numRuns: 800 });
  });

  it('a hidden due item gives its place to the next-best candidate (planted)', () => {
    const products: Product[] = Array.from({ length: 8 }, (_, i) => ({ id: `p${i}`, name: `Product ${i}`, category: 'dairy/milk', brand: 'B', brandType: 'national', priceCents: 100, tags: [] }));
    const w: World = { products, deals: [], baskets: [0, 7, 14, 21].map((ago) => ({ ago, picks: [0, 1, 2, 3, 4, 5, 6, 7] })), personalise: true, hiddenMask: [], explore: [] };
    const base = inputOf(w);
    const input: BuildListInput = { ...base, scored: products.map((_, i) => ({ item: i, score: 10 - i, kind: 'repeat', confidence: 0.5, count: 4, dueDay: DAY, intervalDays: 7 })), settings: { thresholdCentsPerWeek: 0, maxItems: 4, maxAffinityOffers: 0 } };
    const before = buildList(input);
    const after = buildList({ ...input, hidden: new Set(['p1']) });
    expect(before.ok && before.value.items.map((i) => i.productId)).to.deep.equal(['p0', 'p1', 'p2', 'p3']);
    expect(after.ok && after.value.items.map((i) => i.productId)).to.deep.equal(['p0', 'p2', 'p3', 'p4']);
  });
});
