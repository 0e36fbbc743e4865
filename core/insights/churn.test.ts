import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pAlive } from './activity.ts';
import { churnWarnings, type ChurnMember, type ChurnWarning } from './churn.ts';
import { kiosk } from '../../i18n/en/kiosk.ts';

/** A churn reason in the manager screen's English. */
const churnText = (r: ChurnWarning['reasons'][number]) => kiosk.manager.reasons[r.code](r.params);

/** A member who shops every `every` days from `from` for `visits` visits. */
const aMember = (memberId: string, o: { every: number; visits: number; from?: number; spend?: number }): ChurnMember => ({
  memberId, spendCents: o.spend ?? 10_000, days: Array.from({ length: o.visits }, (_, i) => (o.from ?? 0) + i * o.every),
});
// The CDNOW fit, weeks.
const model = { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };

describe('churn warnings', () => {
  it('leaves a weekly shopper alone while they keep their rhythm', () => {
    const m = aMember('w', { every: 7, visits: 20 }); // last visit on day 133
    expect(churnWarnings([m], { asOfDay: 138 })).toEqual([]);
    expect(churnWarnings([m], { asOfDay: 138, model })).toEqual([]);
  });

  it('warns with a reminder when the gap is over twice the member’s own interval', () => {
    const [w] = churnWarnings([aMember('w', { every: 7, visits: 20 })], { asOfDay: 133 + 15 });
    expect(w!.reasons[0]!.code).toBe('gap-over-rhythm');
    expect(w!.reasons[0]!.params).toEqual({ gapDays: 15, typicalDays: 7, factor: 2 });
    expect(churnText(w!.reasons[0]!)).toContain('15 days');
    expect(w!.action).toBe('reminder');
    expect(churnWarnings([aMember('w', { every: 7, visits: 20 })], { asOfDay: 133 + 14 })).toEqual([]);
  });

  it('uses the median interval, so one long holiday does not hide a slipping habit', () => {
    const m: ChurnMember = { memberId: 'h', spendCents: 1, days: [0, 7, 14, 60, 67, 74] };
    const [w] = churnWarnings([m], { asOfDay: 74 + 15 });
    expect(w!.typicalIntervalDays).toBe(7);
  });

  it('gives no rhythm warning before the member has enough visits', () => {
    expect(churnWarnings([aMember('n', { every: 7, visits: 2 })], { asOfDay: 100 })).toEqual([]);
  });

  it('flags a falling chance of still shopping here and recommends a non-price reward', () => {
    const m = aMember('f', { every: 7, visits: 20 });
    const asOf = 133 + 42; // P(alive) about 0.84 four weeks ago, 0.24 now
    const [w] = churnWarnings([m], { asOfDay: asOf, model });
    const now = pAlive(model, 19, 133 / 7, asOf / 7), before = pAlive(model, 19, 133 / 7, (asOf - 28) / 7);
    expect(w!.pAlive).toBeCloseTo(now, 12);
    expect(w!.pAliveBefore).toBeCloseTo(before, 12);
    expect(before - now).toBeGreaterThan(0.25);
    expect(w!.reasons.map((r) => r.code)).toEqual(['gap-over-rhythm', 'p-alive-falling']);
    expect(w!.action).toBe('non-price-reward');
  });

  it('flags a low chance for an occasional shopper who has gone quiet', () => {
    const m: ChurnMember = { memberId: 'o', spendCents: 5, days: [0, 30] };
    const [w] = churnWarnings([m], { asOfDay: 400, model, fallBy: 1 });
    expect(w!.reasons.map((r) => r.code)).toEqual(['p-alive-low']);
    expect(w!.reasons[0]!.params.percent).toBe(Math.round(pAlive(model, 1, 30 / 7, 400 / 7) * 100));
  });

  it('ranks the members at risk by their value to the store', () => {
    const ws = churnWarnings([
      aMember('small', { every: 7, visits: 10, spend: 2_000 }),
      aMember('big', { every: 7, visits: 10, spend: 90_000 }),
      aMember('mid', { every: 7, visits: 10, spend: 30_000 }),
    ], { asOfDay: 200 });
    expect(ws.map((w) => w.memberId)).toEqual(['big', 'mid', 'small']);
  });

  it('only ever recommends a reminder or a non-price reward, and always gives a reason', () => {
    const member = fc.record({
      memberId: fc.string(), spendCents: fc.nat(1_000_000), days: fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 40 }),
    });
    fc.assert(fc.property(fc.array(member, { maxLength: 20 }), fc.integer({ min: 0, max: 800 }), fc.boolean(), (ms, asOfDay, withModel) => {
      const ws = churnWarnings(ms, withModel ? { asOfDay, model } : { asOfDay });
      for (const w of ws) {
        expect(['reminder', 'non-price-reward']).toContain(w.action);
        expect(w.reasons.length).toBeGreaterThan(0);
        expect(w.reasons.every((r) => churnText(r).length > 0)).toBe(true);
      }
      for (let i = 1; i < ws.length; i++) expect(ws[i - 1]!.spendCents).toBeGreaterThanOrEqual(ws[i]!.spendCents);
    }), { numRuns: 200 });
  });
});
