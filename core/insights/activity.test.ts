import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  bgnbdLogLikelihood, expectedTransactions, expectedTransactionsNew, fitBgNbd, hyp2f1, lgamma, pAlive, summarisePurchases,
} from './activity.ts';
import { parseDay } from '../dates.ts';

const DATA = '/work/shared/datasets';

/** Purchase events (member index, day) of a dataset's baskets file. */
function loadEvents(path: string): { member: number[]; day: number[]; members: number } {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split(/\r?\n/);
  const header = lines[0]!.split(',');
  const mi = header.indexOf('member_id'), di = header.indexOf('date');
  const ids = new Map<string, number>(), member: number[] = [], day: number[] = [];
  for (let l = 1; l < lines.length; l++) {
    if (!lines[l]) continue;
    const f = lines[l]!.split(',');
    let m = ids.get(f[mi]!);
    if (m === undefined) { m = ids.size; ids.set(f[mi]!, m); }
    member.push(m); day.push(parseDay(f[di]!)!);
  }
  return { member, day, members: ids.size };
}

const relClose = (got: number, want: number, rel: number) => expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(rel);

describe('special functions', () => {
  it('computes ln Γ to about 1e-13', () => {
    expect(lgamma(1)).toBeCloseTo(0, 13);
    expect(lgamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(lgamma(10)).toBeCloseTo(Math.log(362880), 12);
    let logFactorial = 0;
    for (let k = 2; k < 60; k++) logFactorial += Math.log(k);
    relClose(lgamma(60), logFactorial, 1e-13); // Γ(60) = 59!
    expect(lgamma(100.5) - lgamma(99.5)).toBeCloseTo(Math.log(99.5), 11);
  });

  it('sums ₂F₁ to its closed forms', () => {
    for (const z of [0.1, 0.5, 0.9]) {
      relClose(hyp2f1(1, 1, 2, z), -Math.log(1 - z) / z, 1e-12);
      relClose(hyp2f1(2.5, 3, 3, z), (1 - z) ** -2.5, 1e-12);
    }
  });
});

describe('summarising purchases into (x, t_x, T)', () => {
  it('merges same-day purchases, counts repeats only up to the calibration end, and drops later newcomers', () => {
    // member 0: days 0, 0, 7, 21, 35(after end); member 1: only after the end; member 2: day 14 once
    const s = summarisePurchases([0, 0, 0, 0, 0, 1, 2], [7, 0, 0, 21, 35, 30, 14], 3, 28, 7);
    expect([...s.member]).toEqual([0, 2]);
    expect([...s.x]).toEqual([2, 0]);
    expect([...s.tx]).toEqual([3, 0]);
    expect([...s.T]).toEqual([4, 2]);
    expect([...s.firstDay]).toEqual([0, 14]);
  });

  it('reproduces the CDNOW calibration counts of the BTYD walkthrough', () => {
    const ev = loadEvents(`${DATA}/cdnow-full/baskets.csv.gz`);
    const s = summarisePurchases(ev.member, ev.day, ev.members, parseDay('1997-09-30')!);
    expect(s.x.length).toBe(2357);
    expect(s.x.reduce((a, b) => a + b, 0)).toBe(2457);
    const bins = new Array<number>(8).fill(0);
    for (const x of s.x) bins[Math.min(7, x)]!++;
    expect(bins).toEqual([1411, 439, 214, 100, 62, 38, 29, 64]);
  });
});

describe('BG/NBD', () => {
  const ev = loadEvents(`${DATA}/cdnow/baskets.csv.gz`);
  const cdnow = summarisePurchases(ev.member, ev.day, ev.members, parseDay('1997-09-30')!);
  const fit = fitBgNbd(cdnow);

  // The CDNOW likelihood is flat along a ridge: BTYD's published optimum (7 digits) and ours differ by ~1e-4
  // relative in b while the log-likelihoods agree to 1e-7. So: parameters within 5e-4 relative, log-likelihood
  // within 1e-3 absolute, and ours must be at least as high as at the published parameters.
  it('reproduces Fader, Hardie & Lee’s CDNOW estimates', () => {
    const published = { r: 0.2425982, alpha: 4.413684, a: 0.7929899, b: 2.426167 };
    relClose(fit.params.r, published.r, 5e-4);
    relClose(fit.params.alpha, published.alpha, 5e-4);
    relClose(fit.params.a, published.a, 5e-4);
    relClose(fit.params.b, published.b, 5e-4);
    expect(fit.members).toBe(2357);
    expect(Math.abs(fit.loglik - -9582.429)).toBeLessThan(1e-3);
    expect(fit.loglik).toBeGreaterThanOrEqual(bgnbdLogLikelihood(published, cdnow) - 1e-6);
  });

  it('lands on the same optimum from another starting point', () => {
    const other = fitBgNbd(cdnow, { r: 2, alpha: 20, a: 3, b: 0.5 });
    expect(Math.abs(other.loglik - fit.loglik)).toBeLessThan(1e-6);
    relClose(other.params.b, fit.params.b, 1e-4);
  });

  // The vignette and the README's independent scipy fit give 4 decimals: half a unit in the last place (5e-5
  // absolute) is the tightest honest tolerance; the log-likelihood is given to 0.1.
  it('reproduces the BTYDplus grocery estimates with calibration ending 2006-12-31', () => {
    const g = loadEvents(`${DATA}/grocery-elog/baskets.csv.gz`);
    const s = summarisePurchases(g.member, g.day, g.members, parseDay('2006-12-31')!);
    expect(s.x.length).toBe(1525);
    expect(s.x.reduce((a, b) => a + b, 0)).toBe(5569);
    const f = fitBgNbd(s);
    expect(Math.abs(f.params.r - 0.3486)).toBeLessThan(5e-5);
    expect(Math.abs(f.params.alpha - 2.5817)).toBeLessThan(5e-5);
    expect(Math.abs(f.params.a - 0.5038)).toBeLessThan(5e-5);
    expect(Math.abs(f.params.b - 3.6444)).toBeLessThan(5e-5);
    expect(Math.abs(f.loglik - -15836.6)).toBeLessThan(0.05);
  });

  it('gives the paper’s worked example: 1.226 expected purchases in 39 weeks for x=2, t_x=30.43, T=38.86', () => {
    expect(Math.abs(expectedTransactions(fit.params, 2, 30.43, 38.86, 39) - 1.226)).toBeLessThan(5e-4);
  });

  it('keeps P(alive) at 1 without repeats and lowers it as the silence since the last purchase grows', () => {
    expect(pAlive(fit.params, 0, 0, 30)).toBe(1);
    const recent = pAlive(fit.params, 4, 30, 32), silent = pAlive(fit.params, 4, 10, 32);
    expect(recent).toBeGreaterThan(silent);
    expect(silent).toBeGreaterThan(0);
    expect(recent).toBeLessThan(1);
  });

  it('agrees with the new-member formula for a member seen only today', () => {
    relClose(expectedTransactions(fit.params, 0, 0, 0, 26), expectedTransactionsNew(fit.params, 26), 1e-12);
    expect(expectedTransactions(fit.params, 3, 20, 30, 0)).toBe(0);
  });
});
