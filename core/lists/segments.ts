// Segments per category: brand loyalty (≥ 80% national / store units, else switcher) × usage tier by tertiles of
// category volume (DESIGN.md "Segments"; the classic brand-loyalty × usage grid of category management).
import type { BrandLoyalty, SegmentKey, UsageTier } from '../types.ts';
import type { CategoryVolume, MemberStats } from './member-stats.ts';

/** The nine segment keys, loyalty-major. */
export const SEGMENT_KEYS: readonly SegmentKey[] = (['national', 'store', 'switcher'] as const).flatMap((l) =>
  (['low', 'mid', 'high'] as const).map((u) => `${l}-${u}` as SegmentKey),
);

/** Share of units at or above which a member counts as loyal to a brand type. */
export const LOYALTY_SHARE = 0.8;

/** Brand loyalty from unit counts; undefined when the member bought nothing in the category. */
export function brandLoyalty(nationalUnits: number, storeUnits: number): BrandLoyalty | undefined {
  const total = nationalUnits + storeUnits;
  if (!(total > 0)) return undefined;
  if (nationalUnits >= LOYALTY_SHARE * total) return 'national';
  if (storeUnits >= LOYALTY_SHARE * total) return 'store';
  return 'switcher';
}

/** Cut points [lower, upper] at the 1/3 and 2/3 quantiles (linear interpolation, R type 7) of volumes. */
export function tertileCuts(volumes: ArrayLike<number>): [number, number] {
  const n = volumes.length;
  if (n === 0) return [0, 0];
  const sorted = Float64Array.from(volumes).sort();
  const q = (p: number) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(n - 1, lo + 1);
    return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
  };
  return [q(1 / 3), q(2 / 3)];
}

/** Usage tier of a volume given tertile cuts: ≤ lower is low, ≤ upper is mid, else high. */
export function usageTier(volume: number, cuts: readonly [number, number]): UsageTier {
  return volume <= cuts[0] ? 'low' : volume <= cuts[1] ? 'mid' : 'high';
}

/** The segment of one category volume, given the category's cuts; undefined when nothing was bought. */
export function segmentOf(v: CategoryVolume | undefined, cuts: readonly [number, number]): SegmentKey | undefined {
  if (!v) return undefined;
  const loyalty = brandLoyalty(v.nationalUnits, v.storeUnits);
  return loyalty && `${loyalty}-${usageTier(v.units, cuts)}`;
}

/** Segments of one category across members. */
export interface CategorySegments {
  category: string;
  cuts: [number, number];
  /** Member id → segment, for members who bought in the category. */
  members: Map<string, SegmentKey>;
  /** Members per segment (all nine keys present). */
  sizes: Record<SegmentKey, number>;
}

/** Segment every category the members bought in: tertile cuts per category, then each member's segment. */
export function segmentCategories(stats: readonly { memberId: string; categories: ReadonlyMap<string, CategoryVolume> }[]): Map<string, CategorySegments> {
  const volumes = new Map<string, number[]>();
  for (const s of stats) {
    for (const [cat, v] of s.categories) {
      if (v.units <= 0) continue;
      let list = volumes.get(cat);
      if (!list) volumes.set(cat, (list = []));
      list.push(v.units);
    }
  }
  const out = new Map<string, CategorySegments>();
  for (const [category, vols] of volumes) {
    const sizes = Object.fromEntries(SEGMENT_KEYS.map((k) => [k, 0])) as Record<SegmentKey, number>;
    out.set(category, { category, cuts: tertileCuts(vols), members: new Map(), sizes });
  }
  for (const s of stats) {
    for (const [cat, v] of s.categories) {
      const seg = out.get(cat);
      if (!seg) continue;
      const key = segmentOf(v, seg.cuts);
      if (!key) continue;
      seg.members.set(s.memberId, key);
      seg.sizes[key]++;
    }
  }
  return out;
}

/** Cut points per category, the part of {@link segmentCategories} a single member's list needs. */
export function cutsOf(segments: ReadonlyMap<string, CategorySegments>): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  for (const [cat, s] of segments) m.set(cat, s.cuts);
  return m;
}

/** One member's segment per category, from population cuts (a category without cuts counts the member as mid usage). */
export function memberSegments(stats: MemberStats, cuts: ReadonlyMap<string, readonly [number, number]> = new Map()): Map<string, SegmentKey> {
  const out = new Map<string, SegmentKey>();
  for (const [cat, v] of stats.categories) {
    const c = cuts.get(cat) ?? [v.units - 1, v.units];
    const key = segmentOf(v, c);
    if (key) out.set(cat, key);
  }
  return out;
}

/** Split a segment key into its loyalty and usage tier. */
export function splitSegment(key: SegmentKey): { loyalty: BrandLoyalty; usage: UsageTier } {
  const i = key.indexOf('-');
  return { loyalty: key.slice(0, i) as BrandLoyalty, usage: key.slice(i + 1) as UsageTier };
}

/** The member's segment for a product category: exact path first, then the nearest parent path. */
export function segmentForCategory(segments: ReadonlyMap<string, SegmentKey>, category: string): SegmentKey | undefined {
  let c = category;
  for (;;) {
    const s = segments.get(c);
    if (s) return s;
    const i = c.lastIndexOf('/');
    if (i < 0) return undefined;
    c = c.slice(0, i);
  }
}
