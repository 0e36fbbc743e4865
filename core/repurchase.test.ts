import { describe, expect, it } from 'vitest';
import { dueDay, dueness, priorFrom } from './repurchase.ts';

const prior = { meanLog: Math.log(30), sdLog: 0.5, weight: 2 };

describe('repurchase timing', () => {
  it('follows a member with a long, regular rhythm', () => {
    const d = dueDay([0, 7, 14, 21, 28, 35, 42, 49], prior)!;
    expect(d.intervalDays).toBeGreaterThan(7);
    expect(d.intervalDays).toBeLessThan(10);
    expect(d.dueDay).toBe(49 + Math.round(d.intervalDays));
  });

  it('shrinks toward the product prior when the member has one interval only', () => {
    const d = dueDay([0, 7], prior)!;
    expect(d.intervalDays).toBeGreaterThan(15);
    expect(d.intervalDays).toBeLessThan(30);
    expect(d.confidence).toBeLessThan(dueDay([0, 7, 14, 21, 28, 35, 42, 49], prior)!.confidence);
  });

  it('uses the prior alone, with low confidence, for a one-off purchase', () => {
    const d = dueDay([100], prior)!;
    expect(d.dueDay).toBe(130);
    expect(d.own).toBe(0);
    expect(d.confidence).toBeLessThanOrEqual(0.05);
  });

  it('moves to a changed rhythm within a few purchases', () => {
    const d = dueDay([0, 30, 60, 90, 120, 127, 134, 141, 148], prior)!;
    expect(d.intervalDays).toBeLessThan(14);
  });

  it('scores an item due now above one bought yesterday', () => {
    expect(dueness(0, 7, 7, 0.3)).toBeGreaterThan(dueness(6, 7, 7, 0.3));
  });

  it('builds a prior from pooled log intervals', () => {
    const p = priorFrom([Math.log(10), Math.log(10), Math.log(10), Math.log(10)]);
    expect(Math.exp(p.meanLog)).toBeCloseTo(10);
  });
});
