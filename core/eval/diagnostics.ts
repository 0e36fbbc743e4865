// Per-dataset diagnostics: how much a store looks like the grocery store of regular, few-product members
// (repeat share of the targets, how much of a member's buying their own top 10 covers, how steady their trips are).
import type { Split } from './protocol.ts';

/** Shape figures of one split (test targets against the histories before them). */
export interface Diagnostics {
  members: number;
  products: number;
  medianTrips: number;
  meanBasket: number;
  /** Share of target items the member bought before. */
  repeatShare: number;
  /** Mean share of a member's purchases that are of their own 10 most bought items. */
  top10Coverage: number;
  /** Median distinct products per member. */
  medianDistinct: number;
  /** Median coefficient of variation of a member's gaps between trips (low = regular). */
  medianGapCv: number;
}

const median = (xs: number[]): number => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};

/** Diagnostics of a split. */
export function diagnose(split: Split, itemCount: number): Diagnostics {
  let targetItems = 0;
  let repeats = 0;
  let basketItems = 0;
  let baskets = 0;
  const coverage: number[] = [];
  const distinct: number[] = [];
  const gapCv: number[] = [];
  const trips: number[] = [];
  for (let m = 0; m < split.histories.length; m++) {
    const h = split.histories[m]!;
    const counts = new Map<number, number>();
    let total = 0;
    for (const t of h) {
      baskets++;
      basketItems += t.items.length;
      for (const i of t.items) {
        counts.set(i, (counts.get(i) ?? 0) + 1);
        total++;
      }
    }
    for (const i of new Set(split.targets[m]!)) {
      targetItems++;
      if (counts.has(i)) repeats++;
    }
    const top = [...counts.values()].sort((a, b) => b - a).slice(0, 10).reduce((a, b) => a + b, 0);
    coverage.push(total ? top / total : 0);
    distinct.push(counts.size);
    trips.push(h.length);
    const gaps: number[] = [];
    for (let t = 1; t < h.length; t++) gaps.push(h[t]!.day - h[t - 1]!.day);
    if (gaps.length >= 2) {
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
      if (mean > 0) gapCv.push(sd / mean);
    }
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    members: split.histories.length,
    products: itemCount,
    medianTrips: median(trips),
    meanBasket: baskets ? basketItems / baskets : 0,
    repeatShare: targetItems ? repeats / targetItems : 0,
    top10Coverage: mean(coverage),
    medianDistinct: median(distinct),
    medianGapCv: median(gapCv),
  };
}
