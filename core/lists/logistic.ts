// Weighted logistic regression for the calibrated blend's fit (core/lists/calibrated.ts; fit.ts stage 3): apart
// from the scorer, so a device that only ranks does not load it.

/** Weighted logistic regression by Newton's method (L2 `l2` on every weight but the bias, backtracking steps): the
 * weights that make `x` (row-major, `d` per row) predict `y`; row `r` counts `rowWeight[r]` (default 1). */
export function fitLogistic(x: Float64Array, y: Uint8Array, d: number, rowWeight?: Float64Array, l2 = 1e-4, iterations = 30): Float64Array {
  const n = y.length;
  const w = new Float64Array(d);
  if (n === 0) return w;
  const rw = rowWeight ?? new Float64Array(n).fill(1);
  let total = 0;
  for (let r = 0; r < n; r++) total += rw[r]!;
  const loss = (v: Float64Array) => {
    let l = 0;
    for (let r = 0; r < n; r++) {
      let z = 0;
      for (let f = 0; f < d; f++) z += v[f]! * x[r * d + f]!;
      l += rw[r]! * (y[r] ? softplus(-z) : softplus(z));
    }
    let reg = 0;
    for (let f = 1; f < d; f++) reg += v[f]! * v[f]!;
    return l / total + 0.5 * l2 * reg;
  };
  let current = loss(w);
  for (let it = 0; it < iterations; it++) {
    const g = new Float64Array(d);
    const h = new Float64Array(d * d);
    for (let r = 0; r < n; r++) {
      const o = r * d;
      let z = 0;
      for (let f = 0; f < d; f++) z += w[f]! * x[o + f]!;
      const pr = 1 / (1 + Math.exp(-z));
      const e = rw[r]! * (pr - y[r]!);
      const v = rw[r]! * pr * (1 - pr);
      for (let a = 0; a < d; a++) {
        const xa = x[o + a]!;
        if (xa === 0) continue;
        g[a]! += e * xa;
        const va = v * xa;
        for (let b = a; b < d; b++) h[a * d + b]! += va * x[o + b]!;
      }
    }
    for (let a = 0; a < d; a++) {
      g[a] = g[a]! / total + (a > 0 ? l2 * w[a]! : 0);
      for (let b = a; b < d; b++) h[b * d + a] = h[a * d + b] = h[a * d + b]! / total + (a === b ? (a > 0 ? l2 : 1e-9) : 0);
    }
    const step = solveSymmetric(h, g, d);
    let t = 1;
    let next = w;
    let value = current;
    for (let tries = 0; tries < 20; tries++, t /= 2) {
      next = w.map((wf, f) => wf - t * step[f]!);
      value = loss(next);
      if (value <= current) break;
    }
    if (!(value <= current)) break;
    const moved = Math.max(...step.map((s) => Math.abs(s * t)));
    w.set(next);
    current = value;
    if (moved < 1e-7) break;
  }
  return w;
}

const softplus = (z: number): number => (z > 30 ? z : Math.log1p(Math.exp(z)));

// Solve H s = g for symmetric positive-definite H (Cholesky, with a small ridge when it is not).
function solveSymmetric(h: Float64Array, g: Float64Array, d: number): Float64Array {
  for (let ridge = 0; ; ridge = ridge ? ridge * 10 : 1e-8) {
    const l = new Float64Array(d * d);
    let ok = true;
    for (let i = 0; i < d && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = h[i * d + j]! + (i === j ? ridge : 0);
        for (let k = 0; k < j; k++) sum -= l[i * d + k]! * l[j * d + k]!;
        if (i === j) {
          if (!(sum > 0)) ok = false;
          else l[i * d + i] = Math.sqrt(sum);
        } else l[i * d + j] = sum / l[j * d + j]!;
      }
    }
    if (!ok) {
      if (ridge > 1e3) return new Float64Array(d);
      continue;
    }
    const z = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let sum = g[i]!;
      for (let k = 0; k < i; k++) sum -= l[i * d + k]! * z[k]!;
      z[i] = sum / l[i * d + i]!;
    }
    const s = new Float64Array(d);
    for (let i = d - 1; i >= 0; i--) {
      let sum = z[i]!;
      for (let k = i + 1; k < d; k++) sum -= l[k * d + i]! * s[k]!;
      s[i] = sum / l[i * d + i]!;
    }
    return s;
  }
}
