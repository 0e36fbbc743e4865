import { describe, expect, it } from 'vitest';
import { nelderMead } from './optimize.ts';

describe('Nelder–Mead', () => {
  it('finds the minimum of the Rosenbrock valley', () => {
    const rosen = (v: readonly number[]) => 100 * (v[1]! - v[0]! ** 2) ** 2 + (1 - v[0]!) ** 2;
    const res = nelderMead(rosen, [-1.2, 1]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 5);
    expect(res.x[1]).toBeCloseTo(1, 5);
  });

  it('minimises a shifted quadratic bowl in four dimensions', () => {
    const centre = [3, -2, 0.5, 10];
    const res = nelderMead((v) => v.reduce((s, x, i) => s + (i + 1) * (x - centre[i]!) ** 2, 0), [0, 0, 0, 0]);
    res.x.forEach((x, i) => expect(x).toBeCloseTo(centre[i]!, 5));
    expect(res.fx).toBeLessThan(1e-9);
  });

  it('treats NaN as out of bounds and stays inside the feasible region', () => {
    const res = nelderMead((v) => (v[0]! <= 0 ? NaN : v[0]! - Math.log(v[0]!)), [3]);
    expect(res.x[0]).toBeCloseTo(1, 5);
  });
});
