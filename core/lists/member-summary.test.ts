import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateDemoStore } from '../../demo/demo-store.ts';
import { emptyHistory, mergeBaskets, tripsOf, tripsUntil, unpackHistory, type PackedHistory } from '../history.ts';
import { memberStats, productMap } from './member-stats.ts';
import { segmentCutsPacked, summariseBaskets, summarisePacked } from './member-summary.ts';
import { segmentCategories } from './segments.ts';
import { affinities } from './affinity.ts';
import { buildList } from './list.ts';
import { parseDay } from '../dates.ts';
import type { Basket } from '../types.ts';

// A small seeded store with pets, babies and brand loyalty (the demo generator), packed as the engine stores it.
const store = generateDemoStore({ members: 60, seed: 5, endDate: '2026-06-30', days: 400 });
const index = new Map(store.products.map((p, i) => [p.id, i]));
const ids = store.products.map((p) => p.id);
const byId = productMap(store.products);
const byMember = new Map<string, Basket[]>();
for (const b of store.baskets) (byMember.get(b.memberId) ?? byMember.set(b.memberId, []).get(b.memberId)!).push(b);
const histories: PackedHistory[] = store.members.map((m) => mergeBaskets(emptyHistory(m.id), byMember.get(m.id) ?? [], (id) => index.get(id)!).history);
// A day inside the history, so that later baskets exist and must be left out.
const asOf = parseDay('2026-03-15')!;

describe('member summary from the packed history', () => {
  it('equals the summary from the unpacked baskets for every member (statistics, units, bought, affinities)', () => {
    let withAffinity = 0;
    for (const [i, h] of histories.entries()) {
      const member = store.members[i]!;
      const baskets = unpackHistory(h, ids);
      const packed = summarisePacked(member, h, store.products, asOf, { weeks: 13 });
      const plain = summariseBaskets(member, baskets, byId, asOf, { weeks: 13 });
      expect(packed.stats).toEqual(memberStats(member, baskets, byId, asOf, { weeks: 13 }));
      expect(packed.stats).toEqual(plain.stats);
      expect([...packed.productUnits]).toEqual([...plain.productUnits]);
      expect([...packed.everBought].sort()).toEqual([...plain.everBought].sort());
      expect(packed.affinities).toEqual(affinities(baskets, byId, { asOfDay: asOf }));
      if (packed.affinities.length) withAffinity++;
    }
    expect(withAffinity).toBeGreaterThan(5); // the comparison covered members with pets, babies, vegetables
  });

  it('leaves out baskets after the day but still counts their products as bought', () => {
    const h = histories.find((x) => x.days[x.days.length - 1]! > asOf)!;
    const s = summarisePacked(store.members.find((m) => m.id === h.memberId)!, h, store.products, asOf);
    expect(s.stats.visits).toBe(Array.from(h.days).filter((d) => d <= asOf).length);
    expect(s.stats.lastDay).toBeLessThanOrEqual(asOf);
    const later = new Set<string>();
    for (let b = 0; b < h.basketIds.length; b++) if (h.days[b]! > asOf) for (let l = h.lineStart[b]!; l < h.lineStart[b + 1]!; l++) later.add(ids[h.products[l]!]!);
    for (const id of later) expect(s.everBought.has(id)).toBe(true);
  });

  it('gives the same segment cuts as segmenting every member\'s statistics', () => {
    const stats = histories.map((h, i) => memberStats(store.members[i]!, unpackHistory(h, ids), byId, asOf));
    const expected = new Map([...segmentCategories(stats)].map(([c, s]) => [c, s.cuts]));
    const cuts = segmentCutsPacked(histories, store.products, asOf);
    expect(cuts.size).toBeGreaterThan(10);
    expect(new Map([...cuts].sort())).toEqual(new Map([...expected].sort()));
  });

  it('cuts the trips at a day exactly as filtering every trip does', () => {
    for (const h of histories.slice(0, 20)) expect(tripsUntil(h, asOf)).toEqual(tripsOf(h).filter((t) => t.day <= asOf));
  });

  it('lets buildList give the same list from a summary as from the baskets', () => {
    let lists = 0;
    for (const [i, h] of histories.entries()) {
      const member = store.members[i]!;
      if (!member.consent.personalise) continue;
      const scored = tripsOf(h).length ? [{ item: h.products[0]!, score: 1, kind: 'repeat' as const, confidence: 0.5, count: 2, dueDay: asOf + 2, intervalDays: 7 }] : [];
      const common = { member, scored, products: store.products, deals: store.deals, campaigns: store.campaigns, content: store.content, asOfDay: asOf, listId: 'L', code: 'C', storeBudgetLeftCents: 100_000 };
      const fromBaskets = buildList({ ...common, baskets: unpackHistory(h, ids) });
      const fromSummary = buildList({ ...common, baskets: [], memberSummary: summarisePacked(member, h, store.products, asOf, { weeks: 13 }) });
      expect(fromSummary).toEqual(fromBaskets);
      if (fromBaskets.ok) lists++;
    }
    expect(lists).toBeGreaterThan(5);
  });

  it('equals the summary from baskets for random histories summarised one after another on one catalogue', () => {
    // The packed summary accumulates in scratch arrays kept with the catalogue: any state left over from one member
    // would show in the next one's summary.
    const line = fc.record({ item: fc.nat(store.products.length - 1), qty: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0.25, 1.5)), discount: fc.constantFrom(0, 0, 30) });
    const basket = fc.record({ day: fc.integer({ min: asOf - 120, max: asOf + 30 }), lines: fc.array(line, { minLength: 1, maxLength: 8 }) });
    fc.assert(fc.property(fc.array(fc.array(basket, { maxLength: 25 }), { minLength: 1, maxLength: 4 }), (members) => {
      for (const [m, drawn] of members.entries()) {
        const member = store.members[m]!;
        const baskets: Basket[] = drawn.map((b, i) => ({
          id: `R${m}-${i}`, memberId: member.id, day: b.day,
          lines: b.lines.map((l) => ({ productId: ids[l.item]!, qty: l.qty, unitPriceCents: store.products[l.item]!.priceCents, discountCents: l.discount })),
        }));
        const h = mergeBaskets(emptyHistory(member.id), baskets, (id) => index.get(id)!).history;
        const packed = summarisePacked(member, h, store.products, asOf, { weeks: 8 });
        const plain = summariseBaskets(member, unpackHistory(h, ids), byId, asOf, { weeks: 8 });
        expect(packed.stats).toEqual(plain.stats);
        expect([...packed.stats.categories.keys()]).toEqual([...plain.stats.categories.keys()]);
        expect([...packed.productUnits]).toEqual([...plain.productUnits]);
        expect([...packed.everBought].sort()).toEqual([...plain.everBought].sort());
        expect(packed.affinities).toEqual(plain.affinities);
      }
    }), { numRuns: 150 });
  });

  it('summarises a product index past the catalogue\'s end as a hole in it, and leaves the catalogue\'s summaries as they were', () => {
    const member = store.members[0]!;
    const n = store.products.length;
    const h = mergeBaskets(emptyHistory(member.id), [
      { id: 'W1', memberId: member.id, day: asOf - 20, lines: [{ productId: 'X', qty: 2, unitPriceCents: 100, discountCents: 0 }, { productId: ids[0]!, qty: 1, unitPriceCents: 100, discountCents: 0 }] },
      { id: 'W2', memberId: member.id, day: asOf + 5, lines: [{ productId: 'Y', qty: 1, unitPriceCents: 100, discountCents: 0 }] },
    ], (id) => (id === 'X' ? n + 3 : id === 'Y' ? n + 7 : index.get(id)!)).history;
    const products = [...store.products]; // a catalogue array of its own, so its scratch arrays start at its length
    const beyond = summarisePacked(member, h, products, asOf);
    const holes = summarisePacked(member, h, [...store.products, ...Array<undefined>(8)], asOf);
    expect(beyond).toEqual(holes);
    expect([...beyond.productUnits]).toEqual([['', 2], [ids[0], 1]]);
    // The arrays grown for it hold nothing back: the next member's summary on the same catalogue is unchanged.
    const [i, other] = [...histories.entries()][1]!;
    expect(summarisePacked(store.members[i]!, other, products, asOf)).toEqual(summarisePacked(store.members[i]!, other, store.products, asOf));
  });
});
