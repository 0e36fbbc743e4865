// The bench's BG/NBD baseline (bench/naive-bgnbd.ts, the textbook likelihood member by member) against Larder's fit:
// the same likelihood everywhere, and the same optimum, so the bench compares the time of the same answer.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bgnbdLogLikelihood, fitBgNbd, summarisePurchases } from '../core/insights/activity.ts';
import { naiveFitBgNbd, textbookLogLikelihood } from './naive-bgnbd.ts';

const summary = fc.array(fc.tuple(fc.nat(60), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 80, noNaN: true })), { minLength: 1, maxLength: 40 })
  .map((rows) => {
    // x repeat purchases, t_x ≤ T, t_x > 0 when x > 0
    const x = Float64Array.from(rows, ([n]) => n);
    const T = Float64Array.from(rows, ([, , t]) => t);
    const tx = Float64Array.from(rows, ([n, share, t]) => (n > 0 ? Math.max(1e-3, share * t) : 0));
    return { x, tx, T };
  });
const params = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }), alpha: fc.double({ min: 0.1, max: 20, noNaN: true }),
  a: fc.double({ min: 0.05, max: 5, noNaN: true }), b: fc.double({ min: 0.05, max: 10, noNaN: true }),
});

describe('the textbook BG/NBD baseline', () => {
  it('has the same log-likelihood as Larder\'s for any parameters and members', () => {
    fc.assert(fc.property(params, summary, (p, s) => {
      const ours = bgnbdLogLikelihood(p, s), textbook = textbookLogLikelihood(p, s);
      expect(Math.abs(ours - textbook)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(textbook)));
    }));
  });

  it('finds the same fit as Larder\'s grouped one', () => {
    // 300 members buying on a weekly-ish rhythm, some lapsing: a summary with many repeated (x, t_x, T) triples.
    const member: number[] = [], day: number[] = [];
    for (let m = 0; m < 300; m++) {
      const start = (m * 7) % 90, every = 5 + (m % 11), stop = m % 3 === 0 ? 200 : 400;
      for (let d = start; d < stop; d += every) { member.push(m); day.push(d); }
    }
    const s = summarisePurchases(member, day, 300, 400, 7);
    const ours = fitBgNbd(s).params, textbook = naiveFitBgNbd(s);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(textbook[k]).toBeCloseTo(ours[k], 3);
  });
});
