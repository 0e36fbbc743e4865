import { demoParts } from '../../test/support/demo-parts.ts';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ListItem, ShoppingList } from '../types.ts';
import { composeList } from './compose.ts';
import { LIST_DECIMALS, roundedList } from './stored-list.ts';

const decimals = (x: number) => (String(x).split('.')[1] ?? '').length;
const withoutScores = (l: ShoppingList) => ({ ...l, items: l.items.map(({ score: _s, confidence: _c, ...rest }) => rest) });

describe('a list as stored', () => {
  const { store, day, catalogue, histories, parts } = demoParts(30, 7);
  const lists = store.members.flatMap((m) => {
    const member = { ...m, consent: { ...m.consent, personalise: true } };
    const made = composeList({ member, history: histories.get(m.id), hidden: new Set(), shown: {} }, parts, catalogue, day, { listId: `L-${m.id}`, code: `C-${m.id}` });
    return made.ok ? [made.value] : [];
  });

  it('holds the same items in the same order, with the same offers, prices and codes; only scores and confidences are rounded', () => {
    const personal = lists.filter((l) => l.personalised);
    expect(personal.length).toBeGreaterThan(5);
    expect(personal.some((l) => l.items.some((i) => decimals(i.score) > LIST_DECIMALS))).toBe(true); // there is something to round
    for (const l of lists) {
      const before = structuredClone(l);
      const r = roundedList(l);
      expect(l).toEqual(before); // the list given is not changed
      expect(withoutScores(r)).toEqual(withoutScores(l));
      expect(Object.keys(r)).toEqual(Object.keys(l));
      r.items.forEach((i, k) => {
        expect(Object.keys(i)).toEqual(Object.keys(l.items[k]!)); // the same JSON, key for key
        expect(Math.abs(i.score - l.items[k]!.score)).toBeLessThanOrEqual(0.5 / 10 ** LIST_DECIMALS);
        expect(Math.abs(i.confidence - l.items[k]!.confidence)).toBeLessThanOrEqual(0.5 / 10 ** LIST_DECIMALS);
        expect(decimals(i.score)).toBeLessThanOrEqual(LIST_DECIMALS);
        expect(decimals(i.confidence)).toBeLessThanOrEqual(LIST_DECIMALS);
      });
      expect(roundedList(r)).toBe(r); // rounding again changes nothing
      expect(JSON.stringify(r).length).toBeLessThanOrEqual(JSON.stringify(l).length);
    }
  });

  it('is the list itself when every score and confidence is already round (a store-wide list)', () => {
    const round = { ...lists[0]!, items: lists[0]!.items.map((i) => ({ ...i, score: 0, confidence: 0.3 })) };
    expect(roundedList(round)).toBe(round);
  });

  it('keeps any score within half the last decimal kept, and a confidence within 0..1', () => {
    const item = lists[0]!.items[0]!;
    fc.assert(fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (score, confidence) => {
      const l: ShoppingList = { ...lists[0]!, items: [{ ...item, score, confidence } as ListItem] };
      const [r] = roundedList(l).items;
      expect(Math.abs(r!.score - score)).toBeLessThanOrEqual(0.5 / 10 ** LIST_DECIMALS + 1e-12);
      expect(r!.confidence).toBeGreaterThanOrEqual(0);
      expect(r!.confidence).toBeLessThanOrEqual(1);
    }));
  });
});
