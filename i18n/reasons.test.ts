import { describe, expect, it } from 'vitest';
import { couponReason, dealReason, dueReason } from '../core/lists/reasons.ts';
import { parseDay } from '../core/dates.ts';
import { reasonText } from './reasons.ts';

const monday = parseDay('2026-11-23')!;

describe('reason sentences', () => {
  it('explains a due item in one sentence with the weekday', () => {
    const r = dueReason('coffee', 12.2, monday + 3, monday);
    expect(reasonText(r)).toBe('You buy coffee about every 12 days; it is due Thursday.');
    expect(reasonText(r, 'zh-CN')).toBe('您大约每12天购买一次coffee，预计星期四需要补货。');
  });

  it('says now for an overdue item and a date for one far ahead', () => {
    expect(reasonText(dueReason('tea', 7, monday - 2, monday))).toMatch(/due now\.$/);
    expect(reasonText(dueReason('tea', 30, monday + 20, monday))).toMatch(/due on December 13\.$/);
    expect(reasonText(dueReason('tea', 7, monday - 2, monday), 'zh-CN')).toContain('预计现在需要补货');
    expect(reasonText(dueReason('tea', 30, monday + 20, monday), 'zh-CN')).toContain('预计12月13日需要补货');
  });

  it('formats money with Intl in both locales', () => {
    const r = couponReason(0.9, 3500, 17500);
    expect(reasonText(r)).toBe('Thank you for doing 90% of your grocery shopping with us: $35.00 off a shop of $175.00 or more.');
    expect(reasonText(r, 'zh-CN')).toContain('US$35.00');
    expect(reasonText(r, 'en', { currency: 'EUR' })).toContain('€35.00');
  });

  it('describes every deal kind', () => {
    const end = monday + 30;
    expect(reasonText(dealReason('deal', { name: 'Tea', kind: 'multibuy', value: 3, endDay: end }))).toContain('buy 3, pay for 2');
    expect(reasonText(dealReason('deal', { name: 'Tea', kind: 'price', value: 199, endDay: end }))).toContain('now $1.99');
    expect(reasonText(dealReason('store-deal', { name: 'Tea', kind: 'percent', value: 20, endDay: end }), 'zh-CN')).toContain('立减20%');
  });

  it('shows a code this build does not know as the code, in either language', () => {
    expect(reasonText({ code: 'from-a-newer-engine', params: {} }, 'zh-CN')).toBe('from-a-newer-engine');
  });
});
