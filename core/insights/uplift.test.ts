import { describe, expect, it } from 'vitest';
import { campaignGroups, campaignOutcomes, measureCampaign, measuredWindow, newcombeInterval, upliftWithInterval, wilson, type CampaignOutcome } from './uplift.ts';
import { inHoldout } from '../lists/campaigns.ts';
import { seededRandom } from '../random.ts';
import { generateDemoStore } from '../../demo/demo-store.ts';
import { productMap } from '../lists/member-stats.ts';
import { parseDay } from '../dates.ts';
import type { Basket, Campaign, Member, Product } from '../types.ts';

const campaign: Pick<Campaign, 'id' | 'segments' | 'holdoutShare'> = { id: 'C-TEST', segments: ['national-high', 'national-mid'], holdoutShare: 0.3 };

/** Members of a store with a planted campaign effect: control members buy with `controlRate`, treated with
 * `treatedRate`; a buyer takes 1–3 units. A third of the members are outside the targeted segments and buy at 0.9
 * (they must not count). Holdout membership is the campaign's own hash, as in production. */
function plantedStore(seed: number, n: number, controlRate: number, treatedRate: number): CampaignOutcome[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const memberId = `S${seed}-M${i}`;
    const eligible = i % 3 !== 0;
    const rate = !eligible ? 0.9 : inHoldout(memberId, campaign.id, campaign.holdoutShare) ? controlRate : treatedRate;
    const units = rnd() < rate ? 1 + Math.floor(rnd() * 3) : 0;
    return { memberId, units, ...(eligible ? { segment: i % 2 ? 'national-high' as const : 'national-mid' as const } : { segment: 'store-low' as const }) };
  });
}

const contains = (iv: { low: number; high: number } | null, x: number) => !!iv && iv.low <= x && x <= iv.high;

describe('campaign uplift with a confidence interval', () => {
  it('finds a planted +10 point uplift: the interval contains 0.10 and excludes 0', () => {
    const { treated, control } = campaignGroups(campaign, plantedStore(7, 12_000, 0.2, 0.3));
    expect(treated.members + control.members).toBe(8000);
    expect(control.members / 8000).toBeGreaterThan(0.27);
    expect(control.members / 8000).toBeLessThan(0.33);
    const u = upliftWithInterval(treated, control);
    expect(u.significant).toBe(true);
    expect(contains(u.interval, 0.1)).toBe(true);
    expect(u.interval!.low).toBeGreaterThan(0);
    expect(u.uplift).toBeCloseTo(0.1, 1);
    expect(u.relativeUplift).toBeGreaterThan(0.3); // 0.10 / 0.20 = 0.5 planted
    expect(u.relativeUplift).toBeLessThan(0.7);
    // Units: a buyer takes 2 on average, so the planted units uplift is 0.10 × 2 = 0.2 per member.
    expect(contains(u.unitsInterval, 0.2)).toBe(true);
    expect(u.unitsInterval!.low).toBeGreaterThan(0);
  });

  it('covers the planted effect in at least 90 of 100 seeds, and 0 in at least 90 of 100 seeds with no effect', () => {
    let planted = 0, excludesZero = 0, nothing = 0, falseAlarms = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const a = campaignGroups(campaign, plantedStore(seed, 3000, 0.2, 0.3));
      const ua = upliftWithInterval(a.treated, a.control);
      if (contains(ua.interval, 0.1)) planted++;
      if (ua.significant) excludesZero++;
      const b = campaignGroups(campaign, plantedStore(1000 + seed, 3000, 0.2, 0.2));
      const ub = upliftWithInterval(b.treated, b.control);
      if (contains(ub.interval, 0)) nothing++;
      if (ub.significant) falseAlarms++;
    }
    expect(planted).toBeGreaterThanOrEqual(90);
    expect(nothing).toBeGreaterThanOrEqual(90);
    expect(falseAlarms).toBe(100 - nothing);
    expect(excludesZero).toBeGreaterThan(80); // power with ~600 controls and 1400 treated at +10 points
  });

  it('suppresses a group under k members: no rates, no interval', () => {
    const u = upliftWithInterval({ members: 200, buyers: 60, units: 90, unitsSq: 150 }, { members: 9, buyers: 1, units: 1, unitsSq: 1 });
    expect(u.control).toEqual({ members: null, buyers: null, buyRate: null, unitsPerMember: null, suppressed: true });
    expect(u.treated.members).toBe(200);
    expect(u.interval).toBeNull();
    expect(u.uplift).toBeNull();
    expect(u.significant).toBe(false);
    expect(upliftWithInterval({ members: 10, buyers: 0, units: 0, unitsSq: 0 }, { members: 10, buyers: 0, units: 0, unitsSq: 0 }).interval).not.toBeNull();
  });

  it('matches published Wilson and Newcombe figures', () => {
    // Newcombe (1998) table II example: 56/70 vs 48/80 → difference 0.2, hybrid score interval 0.0524 to 0.3339.
    const iv = newcombeInterval(56, 70, 48, 80);
    expect(iv.low).toBeCloseTo(0.0524, 3);
    expect(iv.high).toBeCloseTo(0.3339, 3);
    // Wilson interval of 0/10 stays inside [0, 1] and is not degenerate.
    const w = wilson(0, 10);
    expect(w.low).toBe(0);
    expect(w.high).toBeCloseTo(0.2775, 3);
  });

  it('measures from the campaign start to its end or the last day with data', () => {
    expect(measuredWindow({ startDay: 100, endDay: 150 }, 120)).toEqual({ fromDay: 100, untilDay: 120 });
    expect(measuredWindow({ startDay: 100, endDay: 150 }, 200)).toEqual({ fromDay: 100, untilDay: 150 });
    expect(measuredWindow({ startDay: 100, endDay: 150 }, 99)).toBeUndefined();
  });

  it('segments members from baskets before the start, and counts category units inside the window only', () => {
    const products: Product[] = [
      { id: 'nat', name: 'Acme', category: 'health/analgesics', brand: 'Acme', brandType: 'national', priceCents: 500, tags: [] },
      { id: 'own', name: 'Own', category: 'health/analgesics', brand: 'Own', brandType: 'store', priceCents: 300, tags: [] },
      { id: 'milk', name: 'Milk', category: 'dairy/milk', brand: 'Own', brandType: 'store', priceCents: 100, tags: [] },
    ];
    const member = (id: string): Member => ({ id, cardCode: id, consent: { personalise: true, contact: false } });
    const basket = (memberId: string, day: number, productId: string, qty = 1): Basket =>
      ({ id: `${memberId}-${day}-${productId}`, memberId, day, lines: [{ productId, qty, unitPriceCents: 100, discountCents: 0 }] });
    const people = [
      { member: member('a'), baskets: [basket('a', 10, 'nat', 3), basket('a', 105, 'own', 2), basket('a', 130, 'own')] },
      { member: member('b'), baskets: [basket('b', 20, 'milk'), basket('b', 101, 'nat', 5)] }, // starts buying during: not eligible
    ];
    // A parent path: the leaf the member buys most in counts. Only a's national-brand buying before day 100 decides the
    // segment (a sole buyer is the low tertile), not the store-brand units bought during the campaign.
    const c = { category: 'health', startDay: 100 };
    const out = campaignOutcomes(c, people, productMap(products), { fromDay: 100, untilDay: 120 });
    expect(out).toEqual([{ memberId: 'a', units: 2, segment: 'national-low' }, { memberId: 'b', units: 5 }]);
  });

  it('finds the response planted in the demo store in both of its campaigns', () => {
    const store = generateDemoStore();
    const byMember = new Map<string, Basket[]>();
    for (const b of store.baskets) byMember.set(b.memberId, [...(byMember.get(b.memberId) ?? []), b]);
    const people = store.members.map((member) => ({ member, baskets: byMember.get(member.id) ?? [] }));
    const end = parseDay('2026-11-22')!;
    for (const c of store.campaigns) {
      const r = measureCampaign(c, people, productMap(store.products), end, { issued: 0, redeemed: 0 });
      expect(r.window).toEqual({ fromDay: c.startDay, untilDay: end });
      expect(r.uplift.control.members, c.id).toBeGreaterThanOrEqual(10);
      expect(r.uplift.interval!.low, c.id).toBeGreaterThan(0);
    }
  }, 30_000);
});
