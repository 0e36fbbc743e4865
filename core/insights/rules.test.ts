import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { categoryBaskets, frequentItemsets, mineRules, minCount, rulesFor, rulesForBasket, type Rule } from './rules.ts';

const DATA = '/work/shared/datasets';

/** Baskets of dense item ids from a dataset CSV (these files have no quoted fields). */
function loadBaskets(path: string, itemColumn = 'product_id'): { baskets: number[][]; names: string[] } {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split(/\r?\n/);
  const header = lines[0]!.split(',');
  const bi = header.indexOf('basket_id'), pi = header.indexOf(itemColumn);
  const ids = new Map<string, number>(), names: string[] = [];
  const byBasket = new Map<string, number[]>();
  for (let l = 1; l < lines.length; l++) {
    if (!lines[l]) continue;
    const f = lines[l]!.split(',');
    let id = ids.get(f[pi]!);
    if (id === undefined) { id = names.length; ids.set(f[pi]!, id); names.push(f[pi]!); }
    const b = byBasket.get(f[bi]!);
    if (b) b.push(id); else byBasket.set(f[bi]!, [id]);
  }
  return { baskets: [...byBasket.values()], names };
}

const named = (r: Rule, names: string[]) => ({ lhs: r.lhs.map((i) => names[i]!).sort(), rhs: [names[r.rhs]!] });
const ref = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as {
  itemsets: number; rules: number; rules_confidence_gt_0_8?: number; ['rules_confidence_gt_0.8']?: number;
  top: { lhs: string[]; rhs: string[]; support: number; confidence: number; lift: number }[];
};

// Tolerance 1e-9 relative: the measures are ratios of the same integer counts, so any difference beyond
// floating-point rounding of a division or two would mean a different count, i.e. a different itemset.
const close = (got: number, want: number) => expect(Math.abs(got - want) / want).toBeLessThan(1e-9);

describe('association rules on small baskets', () => {
  const baskets = [[0, 1, 2], [0, 1], [0, 2], [1, 2], [0, 1, 2, 2], [3]];

  it('counts an itemset only when its baskets reach support × N', () => {
    expect(minCount(0.5, 6)).toBe(3);
    expect(minCount(0.1, 30)).toBe(3); // 0.1 × 30 is 3.0000000000000004 in floating point
    const sets = frequentItemsets(baskets, 4, 0.5);
    expect(sets.size).toBe(3 + 3); // {0},{1},{2},{0,1},{0,2},{1,2}; {0,1,2} is in 2 baskets only
  });

  it('computes support, confidence and lift from basket counts', () => {
    const rules = mineRules(baskets, 4, { minSupport: 0.3, minConfidence: 0.5 });
    const r = rules.find((x) => x.lhs.length === 1 && x.lhs[0] === 0 && x.rhs === 1)!;
    expect(r.count).toBe(3);
    expect(r.support).toBeCloseTo(3 / 6, 12);
    expect(r.confidence).toBeCloseTo(3 / 4, 12);
    expect(r.lift).toBeCloseTo((3 / 4) / (4 / 6), 12);
    expect(rules.every((x) => x.lhs.length >= 1 && !x.lhs.includes(x.rhs))).toBe(true);
  });

  it('respects the maximum rule length', () => {
    const rules = mineRules(baskets, 4, { minSupport: 0.2, minConfidence: 0, maxLength: 2 });
    expect(rules.length).toBe(6);
    expect(Math.max(...rules.map((r) => r.lhs.length + 1))).toBe(2);
    expect(mineRules(baskets, 4, { minSupport: 0.2, minConfidence: 0 }).length).toBe(6 + 3);
  });

  it('suggests what is bought together with an item or a basket, one rule per suggestion', () => {
    const rules = mineRules(baskets, 4, { minSupport: 0.2, minConfidence: 0 });
    const withMilk = rulesFor(rules, 0);
    expect(withMilk.map((r) => r.rhs).sort()).toEqual([1, 2]);
    expect(rulesForBasket(rules, [0, 1]).map((r) => r.rhs)).toEqual([2]);
  });

  it('lifts baskets to categories before mining', () => {
    expect(categoryBaskets([[0, 1, 2], [3]], [5, 5, 7, -1])).toEqual([[5, 7], []]);
  });
});

describe('association rules against the independent references', () => {
  it('finds the 5,668 Groceries rules of the arulesViz vignette (support 0.001, confidence 0.5)', () => {
    const { baskets, names } = loadBaskets(`${DATA}/groceries-arules/transactions.csv.gz`);
    const want = ref(`${DATA}/groceries-arules/rules-reference.json`);
    expect(baskets.length).toBe(9835);
    const sets = frequentItemsets(baskets, names.length, 0.001, 10);
    expect(sets.size).toBe(want.itemsets);
    const rules = mineRules(baskets, names.length, { minSupport: 0.001, minConfidence: 0.5, maxLength: 10 });
    expect(rules.length).toBe(want.rules);
    expect(rules.filter((r) => r.confidence > 0.8).length).toBe(want['rules_confidence_gt_0.8']);
    want.top.forEach((t, k) => {
      const r = rules[k]!;
      expect(named(r, names)).toEqual({ lhs: [...t.lhs].sort(), rhs: t.rhs });
      close(r.support, t.support); close(r.confidence, t.confidence); close(r.lift, t.lift);
    });
  });

  it('finds the 176 Ta-Feng rules and the top five by lift (support 0.001, confidence 0.3)', () => {
    const { baskets, names } = loadBaskets(`${DATA}/tafeng/baskets.csv.gz`);
    const want = ref(`${DATA}/tafeng/rules-reference.json`);
    expect(baskets.length).toBe(91227);
    expect(frequentItemsets(baskets, names.length, 0.001).size).toBe(want.itemsets);
    const rules = mineRules(baskets, names.length, { minSupport: 0.001, minConfidence: 0.3 });
    expect(rules.length).toBe(want.rules);
    // The two rules of equal lift (4753 ⇔ 4043) may come in either order: match each reference rule by its items.
    for (const t of want.top) {
      const r = rules.slice(0, 5).find((x) => {
        const n = named(x, names);
        return n.rhs[0] === t.rhs[0] && n.lhs.join() === [...t.lhs].sort().join();
      });
      expect(r, `${t.lhs} => ${t.rhs}`).toBeDefined();
      close(r!.support, t.support); close(r!.confidence, t.confidence); close(r!.lift, t.lift);
    }
  });
});
