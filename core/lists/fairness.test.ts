import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCampaignRule, guardList, listOfferValue, type GuardContext } from './fairness.ts';
import { buildList, type BuildListInput } from './list.ts';
import { SEGMENT_KEYS } from './segments.ts';
import { NON_PERSONAL_REASONS, reasonComplete } from './reasons.ts';
import type { Basket, Campaign, Deal, DealKind, Member, Product, ScoredItem, ShoppingList } from '../types.ts';

const AS_OF = 20400;
const CATEGORIES = ['pet/dog-food', 'baby/nappies', 'health/analgesics', 'dairy/milk', 'drinks/coffee', 'produce/vegetables'];
const KINDS: DealKind[] = ['percent', 'amount', 'price', 'multibuy'];

// Random catalogues, deals, campaigns and members: the generators cover invalid deal values on purpose.
const productArb = (i: number) => fc.record({
  category: fc.constantFrom(...CATEGORIES), brandType: fc.constantFrom('national' as const, 'store' as const),
  priceCents: fc.integer({ min: 0, max: 6000 }), tags: fc.subarray(['pet', 'baby', 'vegetable', 'organic']),
}).map((r): Product => ({ id: `p${i}`, name: `Product ${i}`, brand: r.brandType === 'store' ? 'Larder' : `Brand${i % 3}`, ...r }));
const catalogueArb = fc.integer({ min: 3, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => productArb(i))));

const dealArb = (products: Product[], i: number) => fc.record({
  scopeType: fc.constantFrom('product' as const, 'category' as const, 'brand' as const), pick: fc.nat(products.length - 1), kind: fc.constantFrom(...KINDS),
  value: fc.oneof(fc.integer({ min: -50, max: 8000 }), fc.integer({ min: 1, max: 100 })), start: fc.integer({ min: -20, max: 5 }), len: fc.integer({ min: 0, max: 40 }),
  funder: fc.constantFrom('store', 'Acme'), perMemberLimit: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  budgetCents: fc.option(fc.integer({ min: 0, max: 20000 }), { nil: undefined }), segments: fc.option(fc.subarray([...SEGMENT_KEYS], { minLength: 1 }), { nil: undefined }),
}).map((r): Deal => {
  const p = products[r.pick]!;
  const d: Deal = { id: `d${i}`, scopeType: r.scopeType, scope: r.scopeType === 'product' ? p.id : r.scopeType === 'category' ? p.category.split('/')[0]! : p.brand,
    kind: r.kind, value: r.value, startDay: AS_OF + r.start, endDay: AS_OF + r.start + r.len, funder: r.funder };
  if (r.perMemberLimit !== undefined) d.perMemberLimit = r.perMemberLimit;
  if (r.budgetCents !== undefined) d.budgetCents = r.budgetCents;
  if (r.segments !== undefined) d.segments = r.segments;
  return d;
});
const campaignArb = (i: number) => fc.record({
  category: fc.constantFrom(...CATEGORIES), goal: fc.constantFrom('to-store-brand' as const, 'grow-category' as const, 'retain' as const),
  segments: fc.subarray([...SEGMENT_KEYS], { minLength: 1 }), low: fc.integer({ min: 0, max: 100 }), mid: fc.integer({ min: 0, max: 100 }), high: fc.integer({ min: 0, max: 100 }),
  holdoutShare: fc.double({ min: 0, max: 0.9, noNaN: true }),
}).map((r): Campaign => ({ id: `c${i}`, name: `Campaign ${i}`, category: r.category, goal: r.goal, segments: r.segments, offerByTier: { low: r.low, mid: r.mid, high: r.high },
  funder: 'store', startDay: AS_OF - 10, endDay: AS_OF + 30, holdoutShare: r.holdoutShare }));

const basketsArb = (products: Product[]) => fc.array(fc.record({
  ago: fc.integer({ min: 0, max: 180 }), lines: fc.array(fc.record({ pick: fc.nat(products.length - 1), qty: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 6 }),
}), { maxLength: 30 }).map((bs): Basket[] => bs.map((b, i) => ({ id: `b${i}`, memberId: 'm', day: AS_OF - b.ago,
  lines: b.lines.map((l) => ({ productId: products[l.pick]!.id, qty: l.qty, unitPriceCents: products[l.pick]!.priceCents, discountCents: 0 })) })));

const memberArb = fc.record({ personalise: fc.boolean(), householdSize: fc.integer({ min: 1, max: 6 }), joinedAgo: fc.integer({ min: 0, max: 2000 }) })
  .map((r): Member => ({ id: 'm', cardCode: '2000000000008', consent: { personalise: r.personalise, contact: false }, householdSize: r.householdSize, joinedDay: AS_OF - r.joinedAgo }));

const worldArb = catalogueArb.chain((products) => fc.record({
  products: fc.constant(products as Product[]),
  deals: fc.integer({ min: 0, max: 5 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => dealArb(products, i)))),
  campaigns: fc.integer({ min: 0, max: 2 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => campaignArb(i)))),
  baskets: basketsArb(products), member: memberArb, budget: fc.integer({ min: 0, max: 8000 }), threshold: fc.constantFrom(0, 500, 2500),
}));
type World = { products: Product[]; deals: Deal[]; campaigns: Campaign[]; baskets: Basket[]; member: Member; budget: number; threshold: number };

/** Scored items as a scorer would give them: every product bought, due one mean gap after the last purchase. */
function scoredOf(w: World): ScoredItem[] {
  const idx = new Map(w.products.map((p, i) => [p.id, i]));
  const days = new Map<number, number[]>();
  for (const b of w.baskets) for (const l of b.lines) { const i = idx.get(l.productId)!; (days.get(i) ?? days.set(i, []).get(i)!).push(b.day); }
  return [...days].map(([item, ds]) => {
    ds.sort((a, b) => a - b);
    const gap = ds.length > 1 ? (ds[ds.length - 1]! - ds[0]!) / (ds.length - 1) : undefined;
    const s: ScoredItem = { item, score: ds.length, kind: 'repeat', confidence: 0.5, lastDay: ds[ds.length - 1]!, count: ds.length };
    if (gap) { s.intervalDays = gap; s.dueDay = Math.round(ds[ds.length - 1]! + gap); }
    return s;
  });
}
const inputOf = (w: World, member = w.member): BuildListInput => ({
  member, baskets: w.baskets, scored: scoredOf(w), products: w.products, deals: w.deals, campaigns: w.campaigns, content: [
    { id: 'tip', kind: 'tip', title: 'A tip', body: '', categories: [] }, { id: 'svc', kind: 'service', title: 'home delivery', body: '', categories: [] },
    { id: 'rec', kind: 'recipe', title: 'A recipe', body: '', categories: [], productIds: ['p0', 'p1'] }],
  asOfDay: AS_OF, listId: 'L', code: '9'.repeat(20), storeBudgetLeftCents: w.budget, settings: { thresholdCentsPerWeek: w.threshold },
});
const ctxOf = (w: World, member = w.member): GuardContext => {
  const shelf = new Map(w.products.map((p) => [p.id, p.priceCents]));
  return { member, shelfPriceOf: (id) => shelf.get(id) };
};

describe('fairness invariants over random members, catalogues and campaigns', () => {
  it('1, 4, 5: every list built is within shelf prices, explains itself and respects consent', () => {
    fc.assert(fc.property(worldArb, (w) => {
      const r = buildList(inputOf(w));
      if (!r.ok) return r.error === 'not-eligible';
      const l = r.value;
      for (const i of l.items) {
        const shelf = w.products.find((p) => p.id === i.productId)!.priceCents;
        if (i.shelfPriceCents !== shelf || i.priceCents > shelf || i.priceCents < 0) return false;
        if (!reasonComplete(i.reason) || (i.offer && (!reasonComplete(i.offer.reason) || i.offer.savingCents < 0))) return false;
      }
      if (![...l.coupons, ...l.rewards].every((x) => reasonComplete(x.reason))) return false;
      if (!w.member.consent.personalise) {
        if (l.personalised || l.coupons.length > 0) return false;
        if (!l.items.every((i) => i.kind === 'cold-start' && NON_PERSONAL_REASONS.has(i.reason.code))) return false;
        const storeWide = new Set(w.deals.filter((d) => !d.segments).map((d) => d.id));
        if (!l.items.every((i) => !i.offer || storeWide.has(i.offer.dealId))) return false;
        if (!l.rewards.every((x) => NON_PERSONAL_REASONS.has(x.reason.code))) return false;
      }
      return guardList(l, ctxOf(w)).ok;
    }), { numRuns: 3000 });
  });

  it('2: a more loyal member (larger share of wallet, longer tenure) gets at least the same total offer value', () => {
    fc.assert(fc.property(worldArb, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1500 }), (w, smaller, earlier) => {
      const a = { ...w.member, consent: { personalise: true, contact: false } };
      const b: Member = { ...a, householdSize: Math.max(1, a.householdSize! - smaller), joinedDay: a.joinedDay! - earlier };
      const ra = buildList(inputOf(w, a));
      const rb = buildList(inputOf(w, b));
      if (!ra.ok) return ra.error === 'not-eligible' && (rb.ok || rb.error === 'not-eligible');
      return rb.ok && listOfferValue(rb.value) >= listOfferValue(ra.value);
    }), { numRuns: 2000 });
  });

  it('2, 3: refuses any rule that rewards leaving or shuts existing members out, whatever else it says', () => {
    const audience = fc.oneof(
      fc.record({ churnRiskAtLeast: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ shareOfWalletBelow: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ visitsBelow: fc.nat(10) }),
      fc.record({ openToNewMembers: fc.constant(true), excludeExistingMembers: fc.constant(true) }),
      fc.record({ tenureDaysBelow: fc.nat(365) }),
    );
    fc.assert(fc.property(campaignArb(0), audience, (c, a) => !checkCampaignRule({ ...c, audience: a }).ok), { numRuns: 2000 });
    fc.assert(fc.property(campaignArb(0), (c) => checkCampaignRule(c).ok));
    expect(checkCampaignRule({ id: 'd', scopeType: 'product', scope: 'x', kind: 'percent', value: 10, startDay: 0, endDay: 9, funder: 'store', audience: { openToNewMembers: true } }).ok).toBe(true);
  });
});

describe('the guard refuses, with an explanation, lists that break an invariant', () => {
  const personal = fc.tuple(worldArb, fc.nat()).map(([w, n]) => ({ w: { ...w, member: { ...w.member, consent: { personalise: true, contact: false } }, threshold: 0 }, n }));
  const built = (w: World) => {
    const r = buildList(inputOf(w));
    return r.ok && r.value.items.length > 0 ? r.value : undefined;
  };
  const tamper = (l: ShoppingList, n: number, f: (i: ShoppingList['items'][number]) => void): ShoppingList => {
    const copy = structuredClone(l);
    f(copy.items[n % copy.items.length]!);
    return copy;
  };

  it('a price above the shelf', () => {
    fc.assert(fc.property(personal, ({ w, n }) => {
      const l = built(w);
      if (!l) return true;
      const r = guardList(tamper(l, n, (i) => { i.priceCents = i.shelfPriceCents + 1; }), ctxOf(w));
      return !r.ok && r.error === 'price-above-shelf' && /above its shelf price/.test(r.detail ?? '');
    }), { numRuns: 2000 });
  });

  it('an item or offer without a reason', () => {
    fc.assert(fc.property(personal, ({ w, n }) => {
      const l = built(w);
      if (!l) return true;
      const r = guardList(tamper(l, n, (i) => { (i.offer ?? i).reason = { code: '' as never, params: {} }; }), ctxOf(w));
      return !r.ok && r.error === 'missing-reason';
    }), { numRuns: 2000 });
  });

  it('personal items for a member who has not consented', () => {
    fc.assert(fc.property(personal, ({ w }) => {
      const l = built(w);
      if (!l) return true;
      const withdrawn = { ...w.member, consent: { personalise: false, contact: false } };
      const r = guardList({ ...l, personalised: false, coupons: [] }, ctxOf(w, withdrawn));
      return !r.ok && r.error === 'no-consent';
    }), { numRuns: 1000 });
  });

  it('a coupon rule that pays more loyal members less', () => {
    const l: ShoppingList = { id: 'L', code: '', memberId: 'm', issuedDay: 0, validUntilDay: 14, personalised: true, items: [], rewards: [],
      coupons: [{ id: 'c', valueCents: 1000, minSpendCents: 5000, reason: { code: 'loyalty-coupon', params: { sharePct: 40, valueCents: 1000, minSpendCents: 5000 } } }] };
    const member = { id: 'm', consent: { personalise: true, contact: false } };
    const win = guardList(l, { member, shelfPriceOf: () => 0, loyalty: { shareOfWallet: 0.4, tenureDays: 100, valueAt: (s) => (s < 0.6 ? 1000 : 500) } });
    expect(win).toMatchObject({ ok: false, error: 'loyalty-penalised' });
    expect(guardList(l, { member, shelfPriceOf: () => 0, loyalty: { shareOfWallet: 0.4, tenureDays: 100, valueAt: (s) => 1000 + s * 10 } }).ok).toBe(true);
  });

  it('an offer from an unfair rule', () => {
    const p: Product = { id: 'p', name: 'Tea', category: 'drinks/tea', brand: 'x', brandType: 'national', priceCents: 300, tags: [] };
    const reason = { code: 'deal' as const, params: { name: 'Tea', kind: 'percent', value: 10, endDay: 9 } };
    const l: ShoppingList = { id: 'L', code: '', memberId: 'm', issuedDay: 0, validUntilDay: 14, personalised: true, coupons: [], rewards: [], items: [{
      productId: 'p', name: 'Tea', category: p.category, kind: 'repeat', confidence: 1, score: 1, shelfPriceCents: 300, priceCents: 270, reason,
      offer: { id: 'o', dealId: 'winback', productId: 'p', kind: 'percent', value: 10, funder: 'store', savingCents: 30, limit: 1, reason } }] };
    const rule = { id: 'winback', scopeType: 'product' as const, scope: 'p', kind: 'percent' as const, value: 10, startDay: 0, endDay: 9, funder: 'store', audience: { churnRiskAtLeast: 0.6 } };
    const r = guardList(l, { member: { id: 'm', consent: { personalise: true, contact: false } }, shelfPriceOf: () => 300, rules: new Map([['winback', rule]]) });
    expect(r).toMatchObject({ ok: false, error: 'unfair-rule' });
    expect(r.ok || r.detail).toMatch(/about to leave/);
  });
});
