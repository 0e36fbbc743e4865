// Manufacturer report per category × segment with small-cell suppression (k members, default 10) and complementary
// suppression so no suppressed cell can be recovered from a total by subtraction (statistical disclosure control,
// e.g. Hundepool et al., "Statistical Disclosure Control", 2012, ch. 7).
import type { SegmentKey } from '../types.ts';
import { SEGMENT_KEYS } from '../lists/segments.ts';

/** One member's figures in one category (the input; ids never reach the output). */
export interface ReportFact {
  memberId: string;
  category: string;
  segment: SegmentKey;
  units: number;
  spendCents: number;
  offersIssued: number;
  offersRedeemed: number;
}

/** A published cell: all figures, or null everywhere when suppressed. */
export interface ReportCell {
  members: number | null;
  units: number | null;
  spendCents: number | null;
  offersIssued: number | null;
  offersRedeemed: number | null;
  suppressed: boolean;
}

/** The report: rows are categories, columns are the nine segments, with row, column and grand totals. */
export interface ManufacturerReport {
  k: number;
  segments: readonly SegmentKey[];
  rows: { category: string; cells: ReportCell[]; total: ReportCell }[];
  columnTotals: ReportCell[];
  total: ReportCell;
}

interface Acc {
  members: Set<string>;
  units: number;
  spendCents: number;
  offersIssued: number;
  offersRedeemed: number;
}

const newAcc = (): Acc => ({ members: new Set(), units: 0, spendCents: 0, offersIssued: 0, offersRedeemed: 0 });

function add(a: Acc, f: ReportFact) {
  a.members.add(f.memberId);
  a.units += f.units;
  a.spendCents += f.spendCents;
  a.offersIssued += f.offersIssued;
  a.offersRedeemed += f.offersRedeemed;
}

/**
 * Complementary suppression over a table with margins. `counts[r][c]` are member counts (r < R, c < C), row r's total
 * is at [r][C], column c's total at [R][c], the grand total at [R][C]. Primary: 0 < count < k. Then while some line
 * (a row or column with its total) has exactly one suppressed entry, suppress its smallest other non-zero entry.
 */
export function suppressionMask(counts: readonly (readonly number[])[], k: number): boolean[][] {
  const R = counts.length - 1;
  const C = counts[0]!.length - 1;
  const mask = counts.map((row) => row.map((v) => v > 0 && v < k));
  // Lines: each row r with its total (cells 0..C), each column c with its total (rows 0..R).
  const lines: [number, number][][] = [];
  for (let r = 0; r <= R; r++) lines.push(Array.from({ length: C + 1 }, (_, c) => [r, c] as [number, number]));
  for (let c = 0; c <= C; c++) lines.push(Array.from({ length: R + 1 }, (_, r) => [r, c] as [number, number]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      let hidden = 0;
      for (const [r, c] of line) if (mask[r]![c]) hidden++;
      if (hidden !== 1) continue;
      // The partner: the smallest other entry, preferring non-zero inner cells, then totals, then zeros.
      let best: [number, number] | undefined;
      let bestRank = Infinity;
      for (const [r, c] of line) {
        if (mask[r]![c]) continue;
        const v = counts[r]![c]!;
        const rank = (v === 0 ? 2e15 : 0) + (r === R || c === C ? 1e15 : 0) + v;
        if (rank < bestRank) [best, bestRank] = [[r, c], rank];
      }
      if (best) {
        mask[best[0]]![best[1]] = true;
        changed = true;
      }
    }
  }
  return mask;
}

/** Build the manufacturer report for some categories (all in the facts by default), hiding small cells. */
export function manufacturerReport(facts: readonly ReportFact[], opts: { k?: number; categories?: readonly string[] } = {}): ManufacturerReport {
  const k = opts.k ?? 10;
  const cats = opts.categories ? [...opts.categories] : [...new Set(facts.map((f) => f.category))].sort();
  const rowOf = new Map(cats.map((c, i) => [c, i]));
  const colOf = new Map(SEGMENT_KEYS.map((s, i) => [s, i]));
  const R = cats.length;
  const C = SEGMENT_KEYS.length;
  const acc: Acc[][] = Array.from({ length: R + 1 }, () => Array.from({ length: C + 1 }, newAcc));
  for (const f of facts) {
    const r = rowOf.get(f.category);
    const c = colOf.get(f.segment);
    if (r === undefined || c === undefined) continue;
    add(acc[r]![c]!, f);
    add(acc[r]![C]!, f);
    add(acc[R]![c]!, f);
    add(acc[R]![C]!, f);
  }
  const counts = acc.map((row) => row.map((a) => a.members.size));
  const mask = suppressionMask(counts, k);
  const cell = (r: number, c: number): ReportCell => {
    const a = acc[r]![c]!;
    return mask[r]![c]
      ? { members: null, units: null, spendCents: null, offersIssued: null, offersRedeemed: null, suppressed: true }
      : { members: a.members.size, units: a.units, spendCents: a.spendCents, offersIssued: a.offersIssued, offersRedeemed: a.offersRedeemed, suppressed: false };
  };
  return {
    k,
    segments: SEGMENT_KEYS,
    rows: cats.map((category, r) => ({ category, cells: SEGMENT_KEYS.map((_, c) => cell(r, c)), total: cell(r, C) })),
    columnTotals: SEGMENT_KEYS.map((_, c) => cell(R, c)),
    total: cell(R, C),
  };
}
