// Baseline for the BG/NBD benchmark: the textbook fit, FHL (2005) eq. 6 summed member by member with every gamma
// function evaluated for every member, handed to the same Nelder–Mead search from the same start. Larder's fit
// (core/insights/activity.ts) sums over distinct (x, t_x, T) triples and computes the x-only terms once per x.
import { lgamma, type ActivitySummary, type BgNbdParams } from '../core/insights/activity.ts';
import { nelderMead } from '../core/insights/optimize.ts';

export function textbookLogLikelihood({ r, alpha, a, b }: BgNbdParams, s: Pick<ActivitySummary, 'x' | 'tx' | 'T'>): number {
  let ll = 0;
  for (let i = 0; i < s.x.length; i++) {
    const x = s.x[i]!, tx = s.tx[i]!, T = s.T[i]!;
    const A1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
    const A2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
    const A3 = -(r + x) * Math.log(alpha + T);
    const A4 = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
    const hi = Math.max(A3, A4); // as the lifetimes package does, so that frequent buyers do not underflow
    ll += A1 + A2 + hi + Math.log(Math.exp(A3 - hi) + Math.exp(A4 - hi));
  }
  return ll;
}

/** The fitted parameters, by the textbook likelihood. */
export function naiveFitBgNbd(s: ActivitySummary): BgNbdParams {
  const toParams = (v: readonly number[]): BgNbdParams => ({ r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), a: Math.exp(v[2]!), b: Math.exp(v[3]!) });
  const res = nelderMead((v) => (v.some((u) => Math.abs(u) > 15) ? NaN : -textbookLogLikelihood(toParams(v), s)), [0, 0, 0, 0], { tolerance: 1e-10, maxIterations: 5000, restarts: 3 });
  return toParams(res.x);
}
