import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { manufacturerReport, suppressionMask, type ReportFact } from './report.ts';
import { SEGMENT_KEYS } from '../lists/segments.ts';
import type { SegmentKey } from '../types.ts';

const facts = (category: string, segment: SegmentKey, n: number, from = 0): ReportFact[] =>
  Array.from({ length: n }, (_, i) => ({ memberId: `m${from + i}`, category, segment, units: 2, spendCents: 500, offersIssued: 1, offersRedeemed: i % 2 }));

describe('manufacturer report', () => {
  it('publishes cells of at least k members with their figures and no ids', () => {
    const r = manufacturerReport([...facts('analgesics', 'national-high', 12), ...facts('analgesics', 'store-low', 15, 100)]);
    const row = r.rows[0]!;
    expect(row.cells[SEGMENT_KEYS.indexOf('national-high')]).toEqual({ members: 12, units: 24, spendCents: 6000, offersIssued: 12, offersRedeemed: 6, suppressed: false });
    expect(row.total.members).toBe(27);
    expect(JSON.stringify(r)).not.toMatch(/"m\d+"/);
  });

  it('hides a small cell and the cell or total that would reveal it by subtraction', () => {
    const r = manufacturerReport([...facts('analgesics', 'national-high', 12), ...facts('analgesics', 'store-low', 3, 100), ...facts('coffee', 'store-low', 20, 200)]);
    const row = r.rows.find((x) => x.category === 'analgesics')!;
    expect(row.cells[SEGMENT_KEYS.indexOf('store-low')]!.suppressed).toBe(true);
    // The row total minus national-high would give store-low: one of them is hidden too.
    expect(row.total.suppressed || row.cells[SEGMENT_KEYS.indexOf('national-high')]!.suppressed).toBe(true);
  });

  it('never leaves a line with exactly one hidden entry, and hides every small non-zero cell', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.nat({ max: 30 }), { minLength: 9, maxLength: 9 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 2, max: 15 }), (inner, k) => {
      const rows = inner.map((r) => [...r, r.reduce((a, b) => a + b, 0)]);
      const totals = rows[0]!.map((_, c) => rows.reduce((s, r) => s + r[c]!, 0));
      const counts = [...rows, totals];
      const mask = suppressionMask(counts, k);
      for (let r = 0; r < counts.length; r++) for (let c = 0; c < counts[0]!.length; c++) if (counts[r]![c]! > 0 && counts[r]![c]! < k && !mask[r]![c]) return false;
      for (const row of mask) if (row.filter(Boolean).length === 1) return false;
      for (let c = 0; c < mask[0]!.length; c++) if (mask.filter((row) => row[c]).length === 1) return false;
      return true;
    }), { numRuns: 2000 });
  });
});
