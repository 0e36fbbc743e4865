// Baseline for the rules benchmark: the textbook level-wise Apriori with string-keyed itemsets and a subset scan of
// every basket per candidate level — the straightforward implementation Larder's miner is compared against.

/** Thrown when the textbook miner runs past its deadline (the bench then reports the time spent as a lower bound). */
export class Unfinished extends Error {
  constructor(readonly level: number, readonly candidates: number) {
    super(`stopped while counting ${candidates.toLocaleString('en')} candidates of length ${level}`);
  }
}

/** Frequent itemsets (sorted item arrays joined by ',') with their basket counts; past `deadline` (a
 * `performance.now()` time) it throws {@link Unfinished}. */
export function naiveFrequentItemsets(baskets: readonly (readonly number[])[], minCount: number, maxLength = 10, deadline = Infinity): Map<string, number> {
  const out = new Map<string, number>();
  let level = new Map<string, number>();
  for (const b of baskets) for (const i of new Set(b)) level.set(String(i), (level.get(String(i)) ?? 0) + 1);
  let k = 1;
  while (level.size && k <= maxLength) {
    const frequent = [...level].filter(([, c]) => c >= minCount);
    for (const [key, c] of frequent) out.set(key, c);
    if (++k > maxLength) break;
    const keys = frequent.map(([key]) => key.split(',').map(Number));
    const known = new Set(frequent.map(([key]) => key));
    const candidates = new Set<string>();
    for (let a = 0; a < keys.length; a++) {
      if (performance.now() > deadline) throw new Unfinished(k, candidates.size);
      for (let b = a + 1; b < keys.length; b++) {
        const x = keys[a]!, y = keys[b]!;
        if (x.slice(0, -1).join(',') !== y.slice(0, -1).join(',')) continue;
        const c = [...x, y[y.length - 1]!].sort((p, q) => p - q);
        if (c.every((_, drop) => known.has(c.filter((__, j) => j !== drop).join(',')))) candidates.add(c.join(','));
      }
    }
    level = new Map([...candidates].map((c) => [c, 0]));
    const cands = [...candidates].map((c) => c.split(',').map(Number));
    for (const [at, basket] of baskets.entries()) {
      if ((at & 255) === 0 && performance.now() > deadline) throw new Unfinished(k, cands.length);
      if (basket.length < k) continue;
      const set = new Set(basket);
      for (let i = 0; i < cands.length; i++) if (cands[i]!.every((x) => set.has(x))) level.set(cands[i]!.join(','), level.get(cands[i]!.join(','))! + 1);
    }
  }
  return out;
}
