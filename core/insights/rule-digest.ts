// The few association rules a manager reads: rules with lift above 1, without the ones that only restate another —
// a longer rule that does not improve much on its shorter sub-rule (Bayardo, Agrawal & Gunopulos 2000, "minimum
// improvement"; here in confidence or in lift), the reverse of a rule over the same items, a rule whose items are
// already shown linked pair by pair — and at most a few rules from one aisle, so one strong aisle does not fill the panel.
import type { Rule } from './rules.ts';

/** Thresholds of {@link digestRules}. */
export interface DigestOptions {
  /** Rules to keep (default 8). */
  limit?: number;
  /** A longer rule must beat each sub-rule with the same right-hand side by this much confidence (default 0.05)… */
  minImprovement?: number;
  /** …and raise its lift by this factor (default 1.5): "food + sauce ⇒ wipes" at lift 12.5 restates "food ⇒ wipes" at 9. */
  minLiftGain?: number;
  /** The aisle of an item; at most `perGroup` rules over the same set of aisles are kept. */
  groupOf?: (item: number) => string;
  /** Default 2. */
  perGroup?: number;
  /** Most items on the left (default: any). */
  maxLhs?: number;
}

const isSubset = (a: readonly number[], b: ReadonlySet<number>) => a.every((x) => b.has(x));
const itemsOf = (r: Rule) => [...r.lhs, r.rhs];

/** The strongest rules that each say something the others do not, strongest lift first. */
export function digestRules<R extends Rule>(rules: readonly R[], opts: DigestOptions = {}): R[] {
  const limit = opts.limit ?? 8, minImprovement = opts.minImprovement ?? 0.05, minLiftGain = opts.minLiftGain ?? 1.5, perGroup = opts.perGroup ?? 2;
  const useful = rules.filter((r) => r.lift > 1 && r.lhs.length <= (opts.maxLhs ?? Infinity));
  const byRhs = new Map<number, R[]>();
  for (const r of useful) byRhs.set(r.rhs, [...(byRhs.get(r.rhs) ?? []), r]);
  const improving = useful.filter((r) => {
    const lhs = new Set(r.lhs);
    return !(byRhs.get(r.rhs) ?? []).some((s) => s.lhs.length < r.lhs.length && isSubset(s.lhs, lhs)
      && (s.confidence >= r.confidence - minImprovement || s.lift * minLiftGain >= r.lift));
  });
  // One rule per set of items: the more confident direction ("nappies ⇒ food" 76% over "food ⇒ nappies" 56%).
  const bySet = new Map<string, R>();
  for (const r of improving) {
    const key = [...itemsOf(r)].sort((a, b) => a - b).join(' ');
    const seen = bySet.get(key);
    if (!seen || r.confidence > seen.confidence || (r.confidence === seen.confidence && r.rhs < seen.rhs)) bySet.set(key, r);
  }
  const ranked = [...bySet.values()].sort((x, y) => y.lift - x.lift || y.confidence - x.confidence || y.count - x.count);
  const out: R[] = [];
  const shown: Set<number>[] = [];
  const perKey = new Map<string, number>();
  for (const r of ranked) {
    if (out.length >= limit) break;
    const items = new Set(itemsOf(r));
    // Every pair of its items already shown together: "litter ⇒ pasta" after "sauce + litter ⇒ pasta".
    if (pairsLinked(items, shown)) continue;
    if (opts.groupOf) {
      const key = [...new Set([...items].map(opts.groupOf))].sort().join('+');
      if ((perKey.get(key) ?? 0) >= perGroup) continue;
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    out.push(r);
    shown.push(items);
  }
  return out;
}

/** Whether every pair of `items` already appears together in one of the `shown` item sets. */
function pairsLinked(items: ReadonlySet<number>, shown: readonly ReadonlySet<number>[]): boolean {
  const list = [...items];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) if (!shown.some((s) => s.has(list[i]!) && s.has(list[j]!))) return false;
  }
  return true;
}
