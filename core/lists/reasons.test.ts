import { describe, expect, it } from 'vitest';
import { couponReason, dealReason, dueReason, makeReason, NON_PERSONAL_REASONS, reasonComplete, reasonText, type ReasonCode } from './reasons.ts';
import { parseDay } from '../dates.ts';

const monday = parseDay('2026-11-23')!;

describe('reasons', () => {
  it('explains a due item in one sentence with the weekday', () => {
    const r = dueReason('coffee', 12.2, monday + 3, monday);
    expect(r.text).toBe('You buy coffee about every 12 days; it is due Thursday.');
    expect(r.code).toBe('due');
    expect(reasonText(r, 'zh-CN')).toBe('您大约每12天购买一次coffee，预计星期四需要补货。');
  });

  it('says now for an overdue item and a date for one far ahead', () => {
    expect(dueReason('tea', 7, monday - 2, monday).text).toMatch(/due now\.$/);
    expect(dueReason('tea', 30, monday + 20, monday).text).toMatch(/due on December 13\.$/);
  });

  it('formats money with Intl in both locales', () => {
    const r = couponReason(0.9, 3500, 17500);
    expect(r.text).toBe('Thank you for doing 90% of your grocery shopping with us: $35.00 off a shop of $175.00 or more.');
    expect(reasonText(r, 'zh-CN')).toContain('US$35.00');
    expect(reasonText(r, 'en', { currency: 'EUR' })).toContain('€35.00');
  });

  it('describes every deal kind', () => {
    const end = monday + 30;
    expect(dealReason('deal', { name: 'Tea', kind: 'multibuy', value: 3, endDay: end }).text).toContain('buy 3, pay for 2');
    expect(dealReason('deal', { name: 'Tea', kind: 'price', value: 199, endDay: end }).text).toContain('now $1.99');
    expect(reasonText(dealReason('store-deal', { name: 'Tea', kind: 'percent', value: 20, endDay: end }), 'zh-CN')).toContain('立减20%');
  });

  it('has a non-empty sentence for every code in both locales', () => {
    const codes: ReasonCode[] = ['due', 'bought-before', 'explore', 'popular', 'store-deal', 'deal', 'segment-deal', 'campaign-switch', 'campaign-try', 'affinity-deal', 'loyalty-coupon', 'recipe', 'service', 'tip'];
    for (const c of codes) {
      const r = makeReason(c, { name: 'x', title: 'y', dueDay: monday, asOfDay: monday, endDay: monday, from: monday, until: monday });
      expect(reasonComplete(r)).toBe(true);
      expect(reasonText(r, 'zh-CN')).not.toBe(r.text);
      // Words of its own, whatever the parameters: what lets reasonComplete trust a code's template without rendering.
      expect(reasonText({ code: c, params: { name: '', title: '', example: '', category: '', tag: '' } }, 'zh-CN').trim()).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(NON_PERSONAL_REASONS.has('due')).toBe(false);
    expect(reasonComplete({ code: 'x', params: {}, text: '' })).toBe(false);
  });
});
