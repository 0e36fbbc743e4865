// Seeded generator of a synthetic chain for the headquarters batch and its bench: the demo store's catalogue, deals
// and content, and any number of members spread over stores, each with a year of weekly baskets. Members are made one
// at a time from their own seed (the chain's seed and their number), so a chain of any size streams in constant memory
// and any member can be made alone: member i is the same whatever the chain's size.
import type { Basket, BasketLine, Member, Product } from '../core/types.ts';
import { hashString, normal, pick, randInt, seededRandom, type Random } from '../core/random.ts';
import { parseDay } from '../core/dates.ts';
import { toEan13 } from '../core/ean.ts';
import { generateDemoStore, type DemoStore } from './demo-store.ts';

/** What to generate. */
export interface ChainOptions {
  members: number;
  stores: number;
  seed: number;
  /** Last day of trading, yyyy-mm-dd. */
  endDate: string;
  /** Weeks of baskets before it. */
  weeks: number;
}

export const DEFAULT_CHAIN: ChainOptions = { members: 10_000, stores: 10, seed: 42, endDate: '2026-11-22', weeks: 52 };

/** The parts every store shares. */
export type ChainCatalogue = Pick<DemoStore, 'products' | 'deals' | 'campaigns' | 'content'>;

/** One member and their baskets. */
export interface ChainMember {
  member: Member;
  baskets: Basket[];
}

/** Typical repurchase interval of a category (days), by its top level. */
const INTERVAL_DAYS: Record<string, number> = {
  dairy: 8, bakery: 6, produce: 7, meat: 10, pantry: 18, beverages: 10, snacks: 12, frozen: 14, household: 30, personal: 35, health: 45, baby: 9, pet: 14,
};
const FIRST_NAMES = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Mateo', 'Sofia', 'Lucas', 'Mia', 'Ethan', 'Wei', 'Mei', 'Jun', 'Aisha', 'Omar', 'Chloe'];

/** The chain's catalogue, deals, campaigns and content (the demo store's, from the same seed). */
export function chainCatalogue(options: Pick<ChainOptions, 'seed' | 'endDate'>): ChainCatalogue {
  const demo = generateDemoStore({ members: 0, seed: options.seed, endDate: options.endDate, days: 7 });
  return { products: demo.products, deals: demo.deals, campaigns: demo.campaigns, content: demo.content };
}

/** A store's id: S01, S02, … */
export const storeId = (n: number): string => `S${String(n + 1).padStart(2, '0')}`;

/** Product groups: the same noun in one category (a national brand and the store brand of Whole Milk, say). */
function groups(products: readonly Product[]): Product[][] {
  const by = new Map<string, Product[]>();
  for (const p of products) {
    const key = `${p.category}|${p.name.split(' ').slice(-2).join(' ')}`;
    by.set(key, [...(by.get(key) ?? []), p]);
  }
  return [...by.values()];
}

/** A generator of the chain's members over one catalogue. */
export function chainMembers(options: ChainOptions, catalogue: ChainCatalogue) {
  const endDay = parseDay(options.endDate);
  if (endDay === undefined) throw new Error(`chain: bad end date ${options.endDate}`);
  const firstDay = endDay - options.weeks * 7 + 1;
  const productGroups = groups(catalogue.products);
  /** Member `i` (0-based). */
  const make = (i: number): ChainMember => {
    const rnd: Random = seededRandom(hashString(`${options.seed}|chain|${i}`));
    const id = `C${String(i + 1).padStart(7, '0')}`;
    const household = pick(rnd, [1, 1, 2, 2, 2, 3, 3, 4, 4, 5]);
    const age = randInt(rnd, 19, 82);
    const needs = new Set<string>();
    if (household >= 3 && age < 45 && rnd() < 0.45) needs.add('baby');
    if (rnd() < 0.22) needs.add('dog');
    if (rnd() < 0.18) needs.add('cat');
    const loyalty = rnd() < 0.45 ? 'national' : rnd() < 0.55 ? 'store' : 'switcher';
    const joinedDay = firstDay - randInt(rnd, 0, 700);
    const member: Member = {
      id,
      cardCode: toEan13(`29${String(i + 1).padStart(10, '0')}`),
      consent: { personalise: rnd() < 0.85, contact: rnd() < 0.6, atDay: joinedDay },
      firstName: pick(rnd, FIRST_NAMES),
      birthYear: 2026 - age,
      gender: pick(rnd, ['f', 'm', 'f', 'm', 'x']),
      householdSize: household,
      homeStore: storeId(i % options.stores),
      joinedDay,
    };
    // Staples: a product group each, bought every so often (babies' and pets' groups only with the need).
    const staples: { products: Product[]; interval: number; next: number; qty: number }[] = [];
    for (const g of productGroups) {
      const tags = g[0]!.tags;
      const top = g[0]!.category.split('/')[0]!;
      const need = top === 'baby' ? 'baby' : g[0]!.category.includes('dog') ? 'dog' : g[0]!.category.includes('cat') ? 'cat' : undefined;
      if (need && !needs.has(need)) continue;
      if (!need && rnd() > (tags.includes('vegetable') ? 0.18 : 0.22)) continue;
      const national = g.filter((p) => p.brandType === 'national');
      const own = g.filter((p) => p.brandType === 'store');
      const products = loyalty === 'national' && national.length ? [pick(rnd, national)] : loyalty === 'store' && own.length ? [pick(rnd, own)] : g;
      const interval = Math.max(4, Math.round((INTERVAL_DAYS[top] ?? 14) * Math.max(0.6, 2.4 / (household + 0.4)) * Math.exp(normal(rnd) * 0.25)));
      staples.push({ products, interval, next: firstDay + randInt(rnd, 0, interval), qty: household >= 4 && rnd() < 0.4 ? 2 : 1 });
    }
    const weekday = randInt(rnd, 0, 6);
    const hour = pick(rnd, [9, 10, 11, 12, 16, 17, 17, 18, 18, 19, 20]);
    const baskets: Basket[] = [];
    for (let w = 0; w < options.weeks; w++) {
      const day = firstDay + w * 7 + weekday;
      if (day > endDay || rnd() < 0.08) continue; // a week away now and then
      const lines: BasketLine[] = [];
      for (const s of staples) {
        if (day < s.next) continue;
        const p = s.products.length === 1 ? s.products[0]! : pick(rnd, s.products);
        if (!lines.some((l) => l.productId === p.id)) lines.push({ productId: p.id, qty: s.qty, unitPriceCents: p.priceCents, discountCents: 0 });
        s.next = day + Math.max(3, Math.round(s.interval * Math.exp(normal(rnd) * 0.2)));
      }
      if (rnd() < 0.5) {
        const p = pick(rnd, catalogue.products);
        if (!lines.some((l) => l.productId === p.id) && !p.tags.includes('baby') && !p.tags.includes('pet')) lines.push({ productId: p.id, qty: 1, unitPriceCents: p.priceCents, discountCents: 0 });
      }
      if (!lines.length) continue;
      baskets.push({ id: `${id}-${String(w).padStart(2, '0')}`, memberId: id, storeId: member.homeStore!, day, minute: Math.min(1380, Math.max(420, hour * 60 + randInt(rnd, -50, 50))), lines });
    }
    return { member, baskets };
  };
  return {
    firstDay,
    endDay,
    make,
    /** Members `from` ≤ i < `to`, one at a time. */
    *range(from = 0, to = options.members): Generator<ChainMember> {
      for (let i = from; i < to; i++) yield make(i);
    },
  };
}
