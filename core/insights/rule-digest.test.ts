import { describe, expect, it } from 'vitest';
import { digestRules } from './rule-digest.ts';
import type { Rule } from './rules.ts';

const rule = (lhs: number[], rhs: number, confidence: number, lift: number, count = 100): Rule => ({ lhs, rhs, confidence, lift, support: 0.01, count });
// Items: 0 baby food, 1 wipes, 2 nappies, 3 sauce, 4 cat litter, 5 cat food, 6 pasta.
const aisle = (i: number) => (i <= 2 ? 'baby' : i === 3 || i === 6 ? 'pantry' : 'pet');

describe('the rules a manager reads', () => {
  it('drops a longer rule that barely improves on its sub-rule, and keeps one that does', () => {
    const rules = [rule([0], 1, 0.37, 9.05), rule([0, 3], 1, 0.51, 12.49), rule([3], 6, 0.2, 1.2), rule([3, 4], 6, 0.6, 4.0)];
    const kept = digestRules(rules);
    expect(kept).toContainEqual(rules[0]);
    expect(kept).not.toContainEqual(rules[1]); // lift 12.49 < 1.5 × 9.05: a restatement
    expect(kept).toContainEqual(rules[3]); // confidence +0.4 and lift ×3.3 over "sauce ⇒ pasta"
  });

  it('shows the more confident direction of a pair', () => {
    const rules = [
      rule([1], 2, 0.57, 9.86), rule([2], 1, 0.4, 9.86), rule([2], 0, 0.76, 9.57), rule([0], 2, 0.56, 9.57),
      rule([1], 0, 0.72, 9.05), rule([0], 1, 0.37, 9.05), rule([4], 5, 0.56, 6.25),
    ];
    expect(digestRules(rules)).toEqual([rules[0], rules[2], rules[4], rules[6]]);
  });

  it('drops a rule whose items were all shown together in one longer rule', () => {
    const rules = [rule([3, 4], 6, 0.9, 8), rule([4], 6, 0.3, 2), rule([4], 5, 0.5, 1.5)];
    expect(digestRules(rules, { minLiftGain: 1 })).toEqual([rules[0], rules[2]]);
  });

  it('keeps at most two rules from one aisle, so other aisles are seen', () => {
    const rules = [rule([1], 2, 0.57, 9.86), rule([2], 0, 0.76, 9.57), rule([0], 1, 0.5, 9.1), rule([4], 5, 0.56, 6.25), rule([1], 3, 0.32, 1.61)];
    const kept = digestRules(rules, { groupOf: aisle });
    expect(kept).toEqual([rules[0], rules[1], rules[3], rules[4]]);
    expect(digestRules(rules, { groupOf: aisle, perGroup: 3 })).toEqual(rules);
  });

  it('keeps only rules with lift above 1, at most `limit`, and pairs only when asked', () => {
    const rules = [rule([0], 1, 0.5, 0.9), rule([3], 6, 0.3, 1.1), rule([4], 5, 0.5, 2), rule([3, 4], 1, 0.9, 8)];
    expect(digestRules(rules)).toEqual([rules[3], rules[2], rules[1]]);
    expect(digestRules(rules, { limit: 1 })).toEqual([rules[3]]);
    expect(digestRules(rules, { maxLhs: 1 })).toEqual([rules[2], rules[1]]);
  });
});
