import { describe, expect, it } from 'vitest';
import { affinities, hasAffinity, productTags } from './affinity.ts';
import type { Basket, Product } from '../types.ts';

const p = (id: string, category: string, tags: string[] = []): Product => ({ id, name: id, category, brand: 'x', brandType: 'national', priceCents: 100, tags });
const catalogue = new Map([p('dog', 'pet/dog-food'), p('carrot', 'produce/vegetables', ['vegetable']), p('bread', 'bakery/bread'), p('nappy', 'baby/nappies')].map((x) => [x.id, x]));
const trip = (day: number, ids: string[]): Basket => ({ id: `t${day}`, memberId: 'm', day, lines: ids.map((productId) => ({ productId, qty: 1, unitPriceCents: 100, discountCents: 0 })) });

describe('affinities', () => {
  it('derives tags from category paths as well as product tags', () => {
    expect(productTags(catalogue.get('dog')!)).toContain('pet');
    expect(productTags(catalogue.get('nappy')!)).toContain('baby');
    expect(productTags(catalogue.get('carrot')!)).toEqual(['vegetable']);
  });

  it('finds a dog owner from repeated dog food trips but not from one gift purchase', () => {
    const owner = affinities([trip(1, ['dog', 'bread']), trip(8, ['dog', 'bread']), trip(15, ['bread'])], catalogue);
    expect(hasAffinity(owner, 'pet')).toBe(true);
    const once = affinities([trip(1, ['nappy', 'bread']), trip(8, ['bread']), trip(15, ['bread'])], catalogue);
    expect(hasAffinity(once, 'baby')).toBe(false);
  });

  it('ignores baskets after the as-of day', () => {
    expect(affinities([trip(1, ['dog']), trip(20, ['dog'])], catalogue, { asOfDay: 10 })).toEqual([]);
  });
});
