import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pAlive } from './activity.ts';
import { activityOutlook } from './outlook.ts';

// Fader, Hardie & Lee (2005), CDNOW, weeks.
const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const summary = (rows: [number, number, number][]) => ({
  x: Float64Array.from(rows, (r) => r[0]), tx: Float64Array.from(rows, (r) => r[1]), T: Float64Array.from(rows, (r) => r[2]),
});

describe('the activity outlook', () => {
  it('sums the paper’s worked example: 1.226 expected visits in 39 weeks for x=2, t_x=30.43, T=38.86', () => {
    const o = activityOutlook(published, summary([[2, 30.43, 38.86]]), { horizonWeeks: 39 });
    expect(o.expectedVisits).toBeCloseTo(1.226, 3);
    expect(o).toMatchObject({ members: 1, likelyLapsed: 0, horizonWeeks: 39, lapsedBelow: 0.5 });
  });

  it('counts a regular who went silent as lapsed, never a member seen once, and adds members up', () => {
    const rows: [number, number, number][] = [[10, 5, 100], [0, 0, 50], [2, 30.43, 38.86], [2, 30.43, 38.86]];
    expect(pAlive(published, 10, 5, 100)).toBeLessThan(0.5);
    const o = activityOutlook(published, summary(rows), { horizonWeeks: 39 });
    expect(o.members).toBe(4);
    expect(o.likelyLapsed).toBe(1);
    const each = rows.map((r) => activityOutlook(published, summary([r]), { horizonWeeks: 39 }).expectedVisits);
    expect(o.expectedVisits).toBeCloseTo(each.reduce((a, b) => a + b, 0), 9);
  });

  it('counts more members lapsed under a higher threshold and expects more visits over a longer horizon', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 104 })), { minLength: 1, maxLength: 30 }),
      fc.double({ min: 0.05, max: 0.9, noNaN: true }), fc.integer({ min: 1, max: 26 }),
      (raw, low, weeks) => {
        const rows = raw.map(([x, f, T]) => [x, x ? f * T : 0, T] as [number, number, number]);
        const s = summary(rows);
        const a = activityOutlook(published, s, { lapsedBelow: low, horizonWeeks: weeks });
        const b = activityOutlook(published, s, { lapsedBelow: low + 0.09, horizonWeeks: weeks + 4 });
        expect(b.likelyLapsed).toBeGreaterThanOrEqual(a.likelyLapsed);
        expect(b.expectedVisits).toBeGreaterThanOrEqual(a.expectedVisits - 1e-9);
        expect(a.likelyLapsed).toBeLessThanOrEqual(rows.filter((r) => r[0] > 0).length);
      }), { numRuns: 200 });
  });
});
