// Affinities (pet, baby, vegetable, …): share of a member's units carrying a tag, from product tags and category paths.
import type { Basket, Day, Product } from '../types.ts';
import type { ProductLookup } from './member-stats.ts';

/** One affinity of a member. */
export interface Affinity {
  tag: string;
  /** Units bought with this tag. */
  units: number;
  /** Share of all the member's units, 0..1. */
  share: number;
  /** Trips in which the member bought something with this tag. */
  trips: number;
}

/** Thresholds of {@link affinities}. */
export interface AffinityOptions {
  /** Minimum share of units (default 0.02). */
  minShare?: number;
  /** Minimum trips with the tag, so one gift purchase does not make a pet owner (default 2). */
  minTrips?: number;
  /** Only baskets up to this day count. */
  asOfDay?: Day;
}

// Category words that imply a tag when the catalogue did not tag the product.
const CATEGORY_TAGS: Record<string, string> = {
  pet: 'pet', pets: 'pet', 'pet-food': 'pet', 'dog-food': 'pet', 'cat-food': 'pet',
  baby: 'baby', nappies: 'baby', diapers: 'baby', 'baby-food': 'baby',
  vegetables: 'vegetable', vegetable: 'vegetable', fruit: 'fruit', produce: 'vegetable',
  organic: 'organic', 'gluten-free': 'gluten-free', vegan: 'vegan', wine: 'alcohol', beer: 'alcohol',
};

/** Tags of a product: its own tags plus tags implied by the segments of its category path. */
export function productTags(p: Product): string[] {
  const tags = new Set(p.tags);
  for (const part of p.category.split('/')) {
    const t = CATEGORY_TAGS[part.toLowerCase()];
    if (t) tags.add(t);
  }
  return [...tags];
}

/** A member's affinities from their baskets, strongest first. */
export function affinities(baskets: readonly Basket[], products: ProductLookup, opts: AffinityOptions = {}): Affinity[] {
  const minShare = opts.minShare ?? 0.02;
  const minTrips = opts.minTrips ?? 2;
  const units = new Map<string, number>();
  const trips = new Map<string, number>();
  const tagCache = new Map<string, string[]>();
  let total = 0;
  const seen = new Set<string>();
  for (const b of baskets) {
    if (opts.asOfDay !== undefined && b.day > opts.asOfDay) continue;
    seen.clear();
    for (const l of b.lines) {
      total += l.qty;
      let tags = tagCache.get(l.productId);
      if (!tags) {
        const p = products.get(l.productId);
        tagCache.set(l.productId, (tags = p ? productTags(p) : []));
      }
      for (const t of tags) {
        units.set(t, (units.get(t) ?? 0) + l.qty);
        seen.add(t);
      }
    }
    for (const t of seen) trips.set(t, (trips.get(t) ?? 0) + 1);
  }
  const out: Affinity[] = [];
  for (const [tag, u] of units) {
    const share = total > 0 ? u / total : 0;
    const t = trips.get(tag) ?? 0;
    if (share >= minShare && t >= minTrips) out.push({ tag, units: u, share, trips: t });
  }
  return out.sort((a, b) => b.share - a.share || (a.tag < b.tag ? -1 : 1));
}

/** True when the member has the affinity. */
export const hasAffinity = (list: readonly Affinity[], tag: string): boolean => list.some((a) => a.tag === tag);
