// Association rules by Eclat (vertical tid-list intersection, Zaki 2000) with Apriori-style rule generation
// (Agrawal & Srikant 1994): support, confidence and lift, one item on the right, as arules' apriori() counts them.

/** An association rule `lhs ⇒ rhs` over dense item ids; measures as shares of all baskets. */
export interface Rule {
  /** Items on the left, ascending ids, never empty. */
  lhs: number[];
  /** The one item on the right. */
  rhs: number;
  /** Share of baskets holding lhs ∪ {rhs}. */
  support: number;
  /** support(lhs ∪ rhs) / support(lhs). */
  confidence: number;
  /** confidence / support(rhs). */
  lift: number;
  /** Baskets holding lhs ∪ {rhs}. */
  count: number;
}

/** Thresholds for {@link mineRules}. */
export interface RuleOptions {
  /** An itemset is frequent when its basket count ≥ minSupport × N. */
  minSupport: number;
  minConfidence: number;
  /** Most items in a rule (lhs + rhs); 10 by default, as in arules. */
  maxLength?: number;
}

/** Frequent itemsets as a prefix tree over items ranked by ascending frequency. */
export interface FrequentItemsets {
  baskets: number;
  /** Number of frequent itemsets (the empty set excluded). */
  size: number;
  /** For node k (1..size): its parent node (0 = root), its item (original id) and its basket count. */
  parent: Int32Array;
  item: Int32Array;
  count: Int32Array;
  /** Depth of each node = itemset length. */
  depth: Int32Array;
}

/** The least basket count that satisfies "count ≥ minSupport × N", robust to 0.1 × 30 = 3.0000000000000004. */
export function minCount(minSupport: number, baskets: number): number {
  return Math.max(1, Math.ceil(minSupport * baskets - 1e-9));
}

/** All itemsets whose basket count reaches minSupport × N, up to maxLength items (Eclat, depth first). */
export function frequentItemsets(
  baskets: readonly (readonly number[])[], itemCount: number, minSupport: number, maxLength = 10,
): FrequentItemsets {
  const n = baskets.length;
  const need = minCount(minSupport, n);
  // Vertical layout: a sorted list of basket ids per item (duplicates in a basket counted once).
  const freq = new Int32Array(itemCount);
  const stamp = new Int32Array(itemCount).fill(-1);
  for (let b = 0; b < n; b++) {
    for (const i of baskets[b]!) if (stamp[i] !== b) { stamp[i] = b; freq[i]!++; }
  }
  const singles: number[] = [];
  for (let i = 0; i < itemCount; i++) if (freq[i]! >= need) singles.push(i);
  // Ascending frequency keeps the intersected lists short (the usual Eclat order).
  singles.sort((x, y) => freq[x]! - freq[y]! || x - y);
  const tids: Int32Array[] = new Array(itemCount);
  const fill = new Int32Array(itemCount);
  for (const i of singles) tids[i] = new Int32Array(freq[i]!);
  stamp.fill(-1);
  for (let b = 0; b < n; b++) {
    for (const i of baskets[b]!) if (stamp[i] !== b) { stamp[i] = b; if (tids[i]) tids[i]![fill[i]!++] = b; }
  }

  // Pair counts in a triangular matrix over the frequent singles, so the root level intersects only frequent pairs
  // (the usual Eclat speed-up: most of the work is in the many infrequent pairs).
  const m = singles.length;
  const pos = new Int32Array(itemCount).fill(-1);
  singles.forEach((i, k) => { pos[i] = k; });
  // Beyond ~16 M pairs (64 MB) the matrix costs more memory than it saves time: intersect every pair instead.
  const usePairs = (m * (m - 1)) / 2 <= 16_000_000;
  const pairs = new Int32Array(usePairs ? (m * (m - 1)) / 2 : 0);
  const row = (a: number): number => a * m - (a * (a + 1)) / 2 - a - 1; // pairs[row(a) + b] for a < b
  const local: number[] = [];
  stamp.fill(-1);
  for (let b = 0; usePairs && b < n; b++) {
    local.length = 0;
    for (const i of baskets[b]!) if (pos[i]! >= 0 && stamp[i] !== b) { stamp[i] = b; local.push(pos[i]!); }
    for (let x = 0; x < local.length; x++) {
      for (let y = x + 1; y < local.length; y++) {
        const p = local[x]!, q = local[y]!;
        pairs[p < q ? row(p) + q : row(q) + p]!++;
      }
    }
  }

  const parent: number[] = [0], item: number[] = [-1], count: number[] = [n], depth: number[] = [0];
  const add = (p: number, it: number, c: number): number => {
    parent.push(p); item.push(it); count.push(c); depth.push(depth[p]! + 1);
    return parent.length - 1;
  };
  const grow = (node: number, classItems: number[], classTids: Int32Array[]): void => {
    const len = depth[node]! + 1; // length of the itemsets in this class
    for (let a = 0; a < classItems.length; a++) {
      const child = add(node, classItems[a]!, classTids[a]!.length);
      if (len >= maxLength) continue;
      const nextItems: number[] = [], nextTids: Int32Array[] = [];
      const ta = classTids[a]!;
      for (let b = a + 1; b < classItems.length; b++) {
        if (node === 0 && usePairs && pairs[row(a) + b]! < need) continue;
        const tb = classTids[b]!;
        const out = new Int32Array(Math.min(ta.length, tb.length));
        let i = 0, j = 0, k = 0;
        while (i < ta.length && j < tb.length) {
          const x = ta[i]!, y = tb[j]!;
          if (x === y) { out[k++] = x; i++; j++; } else if (x < y) i++; else j++;
        }
        if (k >= need) { nextItems.push(classItems[b]!); nextTids.push(out.subarray(0, k)); }
      }
      if (nextItems.length) grow(child, nextItems, nextTids);
    }
  };
  grow(0, singles, singles.map((i) => tids[i]!));
  return {
    baskets: n, size: parent.length - 1,
    parent: Int32Array.from(parent), item: Int32Array.from(item), count: Int32Array.from(count), depth: Int32Array.from(depth),
  };
}

/** Rules `X \ {y} ⇒ y` from every frequent itemset X of two or more items, kept when confidence ≥ minConfidence. */
export function rulesFromItemsets(sets: FrequentItemsets, minConfidence: number): Rule[] {
  const { parent, item, count, depth, baskets: n } = sets;
  // Child lookup (parent, item) → node, to find the count of any subset by walking the tree in rank order.
  const nodes = parent.length;
  let itemMax = 0;
  for (let k = 1; k < nodes; k++) if (item[k]! > itemMax) itemMax = item[k]!;
  const width = itemMax + 1;
  const child = new Map<number, number>();
  const single = new Int32Array(width);
  for (let k = 1; k < nodes; k++) {
    child.set(parent[k]! * width + item[k]!, k);
    if (depth[k] === 1) { single[item[k]!] = count[k]!; }
  }
  const rules: Rule[] = [];
  const path: number[] = [];
  for (let k = 1; k < nodes; k++) {
    const len = depth[k]!;
    if (len < 2) continue;
    path.length = 0;
    for (let p = k; p !== 0; p = parent[p]!) path.push(item[p]!);
    path.reverse(); // items in tree (rank) order
    const c = count[k]!;
    for (let drop = 0; drop < len; drop++) {
      let node = 0;
      for (let q = 0; q < len; q++) if (q !== drop) node = child.get(node * width + path[q]!)!;
      const confidence = c / count[node]!;
      if (!(confidence >= minConfidence)) continue;
      const rhs = path[drop]!;
      const lhs: number[] = [];
      for (let q = 0; q < len; q++) if (q !== drop) lhs.push(path[q]!);
      lhs.sort((x, y) => x - y);
      rules.push({ lhs, rhs, support: c / n, confidence, lift: confidence / (single[rhs]! / n), count: c });
    }
  }
  return rules;
}

/** Association rules with one item on the right and a non-empty left side, strongest lift first. */
export function mineRules(baskets: readonly (readonly number[])[], itemCount: number, opts: RuleOptions): Rule[] {
  const sets = frequentItemsets(baskets, itemCount, opts.minSupport, opts.maxLength ?? 10);
  return sortRules(rulesFromItemsets(sets, opts.minConfidence));
}

/** Sort rules by lift, then confidence, then support, then items (a stable, total order). */
export function sortRules(rules: Rule[]): Rule[] {
  return rules.sort((p, q) => q.lift - p.lift || q.confidence - p.confidence || q.support - p.support
    || p.rhs - q.rhs || p.lhs.length - q.lhs.length || compareIds(p.lhs, q.lhs));
}

function compareIds(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Baskets of categories: each item replaced by `categoryOf[item]`, duplicates removed (for category-level rules). */
export function categoryBaskets(baskets: readonly (readonly number[])[], categoryOf: ArrayLike<number>): number[][] {
  return baskets.map((b) => {
    const out: number[] = [];
    for (const i of b) { const c = categoryOf[i]!; if (c >= 0 && !out.includes(c)) out.push(c); }
    return out;
  });
}

/** "Frequently bought together" for one item: rules whose left side contains it, strongest first, one per right-hand item. */
export function rulesFor(rules: readonly Rule[], item: number, limit = 10): Rule[] {
  return pickDistinctRhs(rules.filter((r) => r.lhs.includes(item)), limit);
}

/** Rules that fire on a basket: left side inside it, right side not yet in it, strongest first, one per right-hand item. */
export function rulesForBasket(rules: readonly Rule[], items: readonly number[], limit = 10): Rule[] {
  const have = new Set(items);
  return pickDistinctRhs(rules.filter((r) => !have.has(r.rhs) && r.lhs.every((i) => have.has(i))), limit);
}

function pickDistinctRhs(rules: Rule[], limit: number): Rule[] {
  rules.sort((p, q) => q.lift - p.lift || q.confidence - p.confidence || q.support - p.support);
  const seen = new Set<number>();
  const out: Rule[] = [];
  for (const r of rules) {
    if (seen.has(r.rhs)) continue;
    seen.add(r.rhs);
    out.push(r);
    if (out.length >= limit) break;
  }
  return out;
}
