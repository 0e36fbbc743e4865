// Nelder–Mead simplex minimisation (Nelder & Mead 1965), with the adaptive coefficients of Gao & Han (2012)
// and restarts from the best point, as in scipy.optimize.minimize(method='Nelder-Mead').

/** Options for {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Stop when the simplex spans less than this in every coordinate and in f. */
  tolerance?: number;
  maxIterations?: number;
  /** Size of the first simplex's steps. */
  step?: number;
  /** Fresh simplices built around the best point after convergence (guards against a collapsed simplex). */
  restarts?: number;
}

/** The best point found, its value and how much work it took. */
export interface NelderMeadResult {
  x: number[];
  fx: number;
  iterations: number;
  converged: boolean;
}

/** Minimise `f` from `x0`; non-finite values of f count as +∞ so constraints can be written as NaN. */
export function nelderMead(f: (x: readonly number[]) => number, x0: readonly number[], opts: NelderMeadOptions = {}): NelderMeadResult {
  const tol = opts.tolerance ?? 1e-10, maxIter = opts.maxIterations ?? 5000, restarts = opts.restarts ?? 2;
  const g = (x: readonly number[]) => { const v = f(x); return Number.isFinite(v) ? v : Infinity; };
  let best = [...x0], fBest = g(best), total = 0, converged = false;
  for (let round = 0; round <= restarts; round++) {
    const r = simplexRun(g, best, opts.step ?? (round === 0 ? 0.5 : 0.05), tol, maxIter - total);
    total += r.iterations;
    const improved = fBest - r.fx;
    if (r.fx <= fBest) { best = r.x; fBest = r.fx; }
    converged = r.converged;
    if (round > 0 && improved <= tol * (1 + Math.abs(fBest))) break;
    if (total >= maxIter) break;
  }
  return { x: best, fx: fBest, iterations: total, converged };
}

function simplexRun(f: (x: readonly number[]) => number, x0: readonly number[], step: number, tol: number, maxIter: number): NelderMeadResult {
  const n = x0.length;
  // Gao & Han's dimension-dependent coefficients behave better than the classic 1, 2, ½, ½ beyond two dimensions.
  const alpha = 1, beta = n > 1 ? 1 + 2 / n : 2, gamma = n > 1 ? 0.75 - 1 / (2 * n) : 0.5, delta = n > 1 ? 1 - 1 / n : 0.5;
  const pts: number[][] = [[...x0]];
  for (let i = 0; i < n; i++) { const p = [...x0]; p[i] = p[i]! + step; pts.push(p); }
  const vals = pts.map(f);
  const order = pts.map((_, i) => i);
  const centroid = new Array<number>(n);
  const along = (c: number[], worst: number[], t: number) => c.map((ci, k) => ci + t * (ci - worst[k]!));
  let it = 0;
  for (; it < maxIter; it++) {
    order.sort((a, b) => vals[a]! - vals[b]!);
    const lo = order[0]!, hi = order[n]!, next = order[n - 1]!;
    let spread = Math.abs(vals[hi]! - vals[lo]!);
    for (let i = 1; i <= n; i++) for (let k = 0; k < n; k++) spread = Math.max(spread, Math.abs(pts[order[i]!]![k]! - pts[lo]![k]!));
    if (spread <= tol) return { x: pts[lo]!, fx: vals[lo]!, iterations: it, converged: true };
    centroid.fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) centroid[k] += pts[order[i]!]![k]! / n;
    const xr = along(centroid, pts[hi]!, alpha), fr = f(xr);
    if (fr < vals[lo]!) {
      const xe = along(centroid, pts[hi]!, beta), fe = f(xe);
      if (fe < fr) { pts[hi] = xe; vals[hi] = fe; } else { pts[hi] = xr; vals[hi] = fr; }
    } else if (fr < vals[next]!) {
      pts[hi] = xr; vals[hi] = fr;
    } else {
      const outside = fr < vals[hi]!;
      const xc = along(centroid, pts[hi]!, outside ? gamma : -gamma), fc = f(xc);
      if (fc < (outside ? fr : vals[hi]!)) { pts[hi] = xc; vals[hi] = fc; } else {
        for (let i = 1; i <= n; i++) {
          const p = pts[order[i]!]!;
          for (let k = 0; k < n; k++) p[k] = pts[lo]![k]! + delta * (p[k]! - pts[lo]![k]!);
          vals[order[i]!] = f(p);
        }
      }
    }
  }
  order.sort((a, b) => vals[a]! - vals[b]!);
  return { x: pts[order[0]!]!, fx: vals[order[0]!]!, iterations: it, converged: false };
}
