// BG/NBD member activity model, after Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way",
// Marketing Science 24(2): likelihood (their eq. 6), P(alive) (their eq. 13) and conditional expectation (eq. 10).
import type { Day } from '../types.ts';
import { nelderMead } from './optimize.ts';

/** The four BG/NBD parameters: purchase rates ~ Gamma(r, α), dropout probabilities ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Per member: repeat transactions x, time of the last one t_x and length of observation T (time since first purchase). */
export interface ActivitySummary {
  /** Index of the member (as given to the summariser) for each row. */
  member: Int32Array;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Day of each member's first purchase. */
  firstDay: Int32Array;
}

/** A fitted model with its log-likelihood. */
export interface BgNbdFit {
  params: BgNbdParams;
  loglik: number;
  members: number;
  iterations: number;
  converged: boolean;
}

/** (x, t_x, T) per member from purchase events (member index, day), same-day purchases merged, in units of
 * `unitDays` (7 = weeks), counting only purchases up to `endDay`; members first seen after `endDay` are left out. */
export function summarisePurchases(
  member: ArrayLike<number>, day: ArrayLike<number>, memberCount: number, endDay: Day, unitDays = 7,
): ActivitySummary {
  const first = new Int32Array(memberCount).fill(2 ** 31 - 1);
  const last = new Int32Array(memberCount).fill(-(2 ** 31));
  const n = member.length;
  // Sort events by (member, day) so that distinct days can be counted in one pass.
  const order = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (day[i]! <= endDay) order[m++] = i;
  const used = order.subarray(0, m).sort((i, j) => member[i]! - member[j]! || day[i]! - day[j]!);
  const distinct = new Int32Array(memberCount);
  let prevMember = -1, prevDay = 0;
  for (const i of used) {
    const who = member[i]!, d = day[i]!;
    if (who !== prevMember || d !== prevDay) distinct[who]!++;
    if (d < first[who]!) first[who] = d;
    if (d > last[who]!) last[who] = d;
    prevMember = who; prevDay = d;
  }
  let rows = 0;
  for (let k = 0; k < memberCount; k++) if (distinct[k]! > 0) rows++;
  const out: ActivitySummary = {
    member: new Int32Array(rows), x: new Float64Array(rows), tx: new Float64Array(rows), T: new Float64Array(rows), firstDay: new Int32Array(rows),
  };
  let r = 0;
  for (let k = 0; k < memberCount; k++) {
    if (distinct[k] === 0) continue;
    out.member[r] = k;
    out.x[r] = distinct[k]! - 1;
    out.tx[r] = (last[k]! - first[k]!) / unitDays;
    out.T[r] = (endDay - first[k]!) / unitDays;
    out.firstDay[r] = first[k]!;
    r++;
  }
  return out;
}

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits), with reflection below ½. */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Gauss hypergeometric ₂F₁(a, b; c; z) by its power series, for 0 ≤ z < 1. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1, sum = 1;
  for (let k = 0; k < 100_000; k++) {
    term *= ((a + k) * (b + k)) / ((c + k) * (k + 1)) * z;
    sum += term;
    if (Math.abs(term) <= 1e-15 * Math.abs(sum)) break;
  }
  return sum;
}

/** The BG/NBD log-likelihood of a summary (FHL 2005 eq. 6, summed over members). */
export function bgnbdLogLikelihood(p: BgNbdParams, s: Pick<ActivitySummary, 'x' | 'tx' | 'T'>): number {
  return weightedLogLikelihood(p, s.x, s.tx, s.T, undefined);
}

function weightedLogLikelihood(p: BgNbdParams, xs: Float64Array, txs: Float64Array, Ts: Float64Array, w: Float64Array | undefined): number {
  const { r, alpha, a, b } = p;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return -Infinity;
  let maxX = 0;
  for (let i = 0; i < xs.length; i++) if (xs[i]! > maxX) maxX = xs[i]!;
  // The gamma-function terms depend on x only: compute them once per distinct x.
  const base = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
  const byX = new Float64Array(maxX + 1);
  for (let x = 0; x <= maxX; x++) byX[x] = lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
  const logA = Math.log(a);
  let ll = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const l3 = -(r + x) * Math.log(alpha + Ts[i]!);
    let tail = l3;
    if (x > 0) {
      const l4 = logA - Math.log(b + x - 1) - (r + x) * Math.log(alpha + txs[i]!);
      const hi = Math.max(l3, l4);
      tail = hi + Math.log(Math.exp(l3 - hi) + Math.exp(l4 - hi));
    }
    ll += (base + byX[x]! + tail) * (w ? w[i]! : 1);
  }
  return ll;
}

/** Fit BG/NBD by maximum likelihood: Nelder–Mead on the log-parameters (kept within e^±15) from r = α = a = b = 1. */
export function fitBgNbd(s: ActivitySummary, start: BgNbdParams = { r: 1, alpha: 1, a: 1, b: 1 }): BgNbdFit {
  // Members with the same (x, t_x, T) share one likelihood term: fit over the distinct triples, weighted.
  const groups = new Map<string, number>();
  const gx: number[] = [], gtx: number[] = [], gT: number[] = [], gw: number[] = [];
  for (let i = 0; i < s.x.length; i++) {
    const key = `${s.x[i]} ${s.tx[i]} ${s.T[i]}`;
    const g = groups.get(key);
    if (g !== undefined) { gw[g]!++; continue; }
    groups.set(key, gx.length);
    gx.push(s.x[i]!); gtx.push(s.tx[i]!); gT.push(s.T[i]!); gw.push(1);
  }
  const xs = Float64Array.from(gx), txs = Float64Array.from(gtx), Ts = Float64Array.from(gT), w = Float64Array.from(gw);
  const toParams = (v: readonly number[]): BgNbdParams => ({ r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), a: Math.exp(v[2]!), b: Math.exp(v[3]!) });
  const res = nelderMead((v) => (v.some((u) => Math.abs(u) > 15) ? NaN : -weightedLogLikelihood(toParams(v), xs, txs, Ts, w)),
    [Math.log(start.r), Math.log(start.alpha), Math.log(start.a), Math.log(start.b)], { tolerance: 1e-10, maxIterations: 5000, restarts: 3 });
  return { params: toParams(res.x), loglik: -res.fx, members: s.x.length, iterations: res.iterations, converged: res.converged };
}

/** Probability that a member with history (x, t_x, T) is still active (FHL 2005 eq. 13). */
export function pAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x <= 0) return 1;
  const odds = Math.exp(Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx)));
  return 1 / (1 + odds);
}

/** Expected transactions in the next `t` time units for a member with history (x, t_x, T) (FHL 2005 eq. 10). */
export function expectedTransactions(p: BgNbdParams, x: number, tx: number, T: number, t: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  const z = t / (alpha + T + t);
  const head = (a + b + x - 1) / (a - 1);
  const body = 1 - Math.exp((r + x) * Math.log((alpha + T) / (alpha + T + t))) * hyp2f1(r + x, b + x, a + b + x - 1, z);
  return head * body * pAlive(p, x, tx, T);
}

/** Expected transactions of a new member in their first `t` time units (FHL 2005 eq. 9). */
export function expectedTransactionsNew(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  const z = t / (alpha + t);
  return ((a + b - 1) / (a - 1)) * (1 - Math.exp(r * Math.log(alpha / (alpha + t))) * hyp2f1(r, b, a + b - 1, z));
}
