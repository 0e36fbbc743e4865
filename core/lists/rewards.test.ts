import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loyaltyCouponCents, loyaltyCoupons, matchRewards } from './rewards.ts';
import type { Content } from '../types.ts';
import { reasonText } from '../../i18n/reasons.ts';

describe('loyalty coupons', () => {
  it('gives the most loyal members $30–40 a list and nothing to occasional shoppers', () => {
    expect(loyaltyCouponCents(1, 25000, 1e9)).toBe(4000);
    const loyal = loyaltyCouponCents(0.95, 14000, 1e9);
    expect(loyal).toBeGreaterThanOrEqual(3000);
    expect(loyal).toBeLessThanOrEqual(4000);
    expect(loyaltyCouponCents(0.2, 3000, 1e9)).toBe(0);
  });

  it('never falls as share of wallet or spend grows, and stays within the budget', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 50000 }), fc.integer({ min: 0, max: 50000 }), fc.integer({ min: 0, max: 10000 }),
      (s1, s2, w1, w2, budget) => {
        const [sLo, sHi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [wLo, wHi] = w1 <= w2 ? [w1, w2] : [w2, w1];
        const lo = loyaltyCouponCents(sLo, wLo, budget);
        const hi = loyaltyCouponCents(sHi, wHi, budget);
        return lo <= hi && hi <= budget && lo >= 0;
      }), { numRuns: 3000 });
  });

  it('issues a coupon with a minimum shop and a reason', () => {
    const [c] = loyaltyCoupons({ listId: 'L1', shareOfWallet: 0.9, avgWeeklySpendCents: 12000, budgetLeftCents: 10000 });
    expect(c!.valueCents).toBeGreaterThan(0);
    expect(c!.minSpendCents).toBe(c!.valueCents * 5);
    expect(c!.reason.code).toBe('loyalty-coupon');
    expect(loyaltyCoupons({ listId: 'L1', shareOfWallet: 0.9, avgWeeklySpendCents: 12000, budgetLeftCents: 50 })).toEqual([]);
  });
});

describe('non-price rewards', () => {
  const content: Content[] = [
    { id: 'r1', kind: 'recipe', title: 'Pasta bake', body: '…', categories: ['pantry/pasta'], productIds: ['pasta', 'cheese'] },
    { id: 'r2', kind: 'recipe', title: 'Curry', body: '…', categories: ['pantry/spices'], productIds: ['rice'] },
    { id: 's1', kind: 'service', title: 'the express lane', body: '…', categories: [] },
    { id: 't1', kind: 'tip', title: 'Store bread in the freezer', body: '…', categories: [] },
    { id: 't2', kind: 'tip', title: 'Dog dental care', body: '…', categories: ['pet'] },
  ];
  const ctx = { dueProductIds: new Set(['pasta', 'cheese']), nameOf: (id: string) => id, categories: ['pantry/pasta'], highValue: true, personalised: true, max: 5 };

  it('matches a recipe that uses due items and offers services to high-value members', () => {
    const r = matchRewards(content, ctx);
    expect(r.map((x) => x.id)).toEqual(['r1', 's1', 't1']);
    expect(reasonText(r[0]!.reason)).toBe('Pasta bake uses 2 items on your list, such as pasta.');
  });

  it('carries the Chinese title and body onto the reward and its reason when the content has them', () => {
    const zh: Content[] = [{ ...content[0]!, titleZh: '焗意面', bodyZh: '烤二十分钟。' }, content[3]!];
    const [recipe, tip] = matchRewards(zh, ctx);
    expect(recipe).toMatchObject({ title: 'Pasta bake', titleZh: '焗意面', bodyZh: '烤二十分钟。' });
    expect(recipe!.reason.params).toMatchObject({ title: 'Pasta bake', titleZh: '焗意面' });
    expect(reasonText(recipe!.reason, 'zh-CN')).toBe('焗意面用到您清单上的2件商品，例如pasta。');
    // Without a translation the original title shows, as it is.
    expect(tip).not.toHaveProperty('titleZh');
    expect(reasonText(tip!.reason, 'zh-CN')).toBe('Store bread in the freezer：来自本店的小贴士。');
  });

  it('gives only general tips without consent', () => {
    expect(matchRewards(content, { ...ctx, personalised: false }).map((x) => x.id)).toEqual(['t1']);
    expect(matchRewards(content, { ...ctx, highValue: false }).some((x) => x.kind === 'service')).toBe(false);
  });
});
