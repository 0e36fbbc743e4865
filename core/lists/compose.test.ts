import { demoParts } from '../../test/support/demo-parts.ts';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ShoppingList } from '../types.ts';
import { CADENCE_DAYS, composeList, currentList, currentOf, listEvidence } from './compose.ts';

const list = (id: string, issuedDay: number, validUntilDay = issuedDay + 20, productIds: string[] = []): ShoppingList => ({
  id, code: `C-${id}`, memberId: 'M1', issuedDay, validUntilDay, personalised: true, coupons: [], rewards: [],
  items: productIds.map((productId) => ({ productId, name: productId }) as ShoppingList['items'][number]),
});

describe('the current list', () => {
  it('is the latest list issued within the cadence and not expired on the day, whatever the order given', () => {
    fc.assert(fc.property(fc.array(fc.record({ issued: fc.integer({ min: 0, max: 40 }), valid: fc.integer({ min: 0, max: 30 }) }), { maxLength: 8 }), fc.integer({ min: 0, max: 60 }), (rows, day) => {
      const lists = rows.map((r, i) => list(`L${i}`, r.issued, r.issued + r.valid));
      const found = currentOf(lists, day);
      const fresh = lists.filter((l) => l.issuedDay <= day && day - l.issuedDay < CADENCE_DAYS && day <= l.validUntilDay);
      if (!fresh.length) expect(found).toBeUndefined();
      else {
        expect(fresh).toContain(found);
        expect(found!.issuedDay).toBe(Math.max(...fresh.map((l) => l.issuedDay)));
      }
    }));
  });

  it('is none on the day its cadence ends, on the day after it expires, and before it is issued', () => {
    expect(currentOf([list('a', 10, 40)], 10 + CADENCE_DAYS - 1)?.id).toBe('a');
    expect(currentOf([list('a', 10, 40)], 10 + CADENCE_DAYS)).toBeUndefined();
    expect(currentOf([list('a', 10, 12)], 13)).toBeUndefined();
    expect(currentOf([list('a', 10, 40)], 9)).toBeUndefined();
  });

  it('leaves out the products the member hid since it was issued, and is the stored list itself when nothing is hidden', () => {
    const stored = list('a', 10, 40, ['milk', 'bread', 'tea']);
    expect(currentList([stored], new Set(['bread']), 11)?.items.map((i) => i.productId)).toEqual(['milk', 'tea']);
    expect(currentList([stored], new Set(), 11)).toBe(stored);
    expect(currentList([stored], new Set(['bread']), 40)).toBeUndefined();
  });
});

describe('a new list', () => {
  const { store, day, catalogue, histories, parts } = demoParts(40, 4);
  const who = (id: string, personalise = true) => {
    const member = store.members.find((m) => m.id === id)!;
    return { member: { ...member, consent: { ...member.consent, personalise } }, history: histories.get(id), hidden: new Set<string>(), shown: {} };
  };
  const ids = { listId: 'L1', code: 'CODE1' };
  const busiest = [...histories.values()].sort((a, b) => b.basketIds.length - a.basketIds.length)[0]!.memberId;

  it('is personal for a consenting member who shops here, under the id and code given', () => {
    const made = composeList(who(busiest), parts, catalogue, day, ids);
    if (!made.ok) throw new Error(made.error);
    expect(made.value).toMatchObject({ id: 'L1', code: 'CODE1', memberId: busiest, personalised: true });
    expect(made.value.basis).toBeUndefined();
    expect(made.value.items.some((i) => i.kind === 'repeat')).toBe(true);
  });

  it('is the store-wide list, marked no-consent, for the same member without consent', () => {
    const made = composeList(who(busiest, false), parts, catalogue, day, ids);
    if (!made.ok) throw new Error(made.error);
    expect(made.value).toMatchObject({ personalised: false, basis: 'no-consent' });
    expect(made.value.items.every((i) => i.kind !== 'repeat')).toBe(true);
  });

  it('falls back to the store-wide list below the threshold: a newcomer gets it, marked below-threshold', () => {
    const newcomer = { ...who(busiest), member: { ...who(busiest).member, id: 'NEW' }, history: undefined };
    expect(listEvidence(newcomer, parts, catalogue, day)).toEqual({ scored: [] });
    const made = composeList(newcomer, parts, catalogue, day, ids);
    if (!made.ok) throw new Error(made.error);
    expect(made.value).toMatchObject({ personalised: false, basis: 'below-threshold' });
    expect(made.value.items.length).toBeGreaterThan(0);
  });

  it('never shows a product the member hid', () => {
    const first = composeList(who(busiest), parts, catalogue, day, ids);
    if (!first.ok) throw new Error(first.error);
    const hidden = new Set(first.value.items.slice(0, 3).map((i) => i.productId));
    const again = composeList({ ...who(busiest), hidden }, parts, catalogue, day, ids);
    if (!again.ok) throw new Error(again.error);
    expect(again.value.items.some((i) => hidden.has(i.productId))).toBe(false);
  });

  it('gives the same list with the evidence computed beforehand as without it', () => {
    const w = who(busiest);
    expect(composeList(w, parts, catalogue, day, ids, listEvidence(w, parts, catalogue, day))).toEqual(composeList(w, parts, catalogue, day, ids));
  });
});
