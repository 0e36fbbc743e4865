import { describe, expect, it } from 'vitest';
import { couponReason, dealReason, dueReason, makeReason, NON_PERSONAL_REASONS, REASON_CODES, reasonComplete, recipeReason } from './reasons.ts';
import { parseDay } from '../dates.ts';

const monday = parseDay('2026-11-23')!;

describe('reasons', () => {
  it('carries a code and the values its sentence needs, never a sentence', () => {
    const r = dueReason('coffee', 12.2, monday + 3, monday);
    expect(r).toEqual({ code: 'due', params: { name: 'coffee', interval: 12, dueDay: monday + 3, asOfDay: monday } });
    expect(couponReason(0.9, 3500, 17500)).toEqual({ code: 'loyalty-coupon', params: { sharePct: 90, valueCents: 3500, minSpendCents: 17500 } });
    expect(dealReason('deal', { name: 'Tea', kind: 'multibuy', value: 3, endDay: monday }).params).toMatchObject({ kind: 'multibuy', value: 3 });
    for (const r of [dueReason('tea', 7, monday, monday), recipeReason('Soup', 2, 'leeks')]) {
      for (const v of Object.values(r.params)) expect(['string', 'number']).toContain(typeof v);
      expect(Object.keys(r)).toEqual(['code', 'params']);
    }
  });

  it('carries the Chinese title of a content reward when the feed has one', () => {
    expect(recipeReason('Soup', 2, 'leeks', '汤').params).toMatchObject({ title: 'Soup', titleZh: '汤' });
    expect(recipeReason('Soup', 2, 'leeks').params).not.toHaveProperty('titleZh');
  });

  it('counts a reason complete only when its code is one the languages know', () => {
    for (const c of REASON_CODES) expect(reasonComplete(makeReason(c, {}))).toBe(true);
    expect(reasonComplete({ code: 'x' as never, params: {} })).toBe(false);
    expect(reasonComplete(undefined)).toBe(false);
    expect(NON_PERSONAL_REASONS.has('due')).toBe(false);
    for (const c of NON_PERSONAL_REASONS) expect(REASON_CODES).toContain(c);
  });
});
