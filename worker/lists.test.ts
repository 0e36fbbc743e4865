import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openStore } from './store.ts';
import { allLists, deleteMemberLists, listByCode, LIST_PACK, memberLists, putLists, recentLists, replaceList } from './lists.ts';
import type { ShoppingList } from '../core/types.ts';

const members = ['M01', 'M02', 'M10', 'M2'];
/** Lists with distinct ids and codes, for a few members on a few days (two lists of one member may share a day). */
const listsArb = fc.uniqueArray(fc.record({ member: fc.constantFrom(...members), day: fc.integer({ min: 20_000, max: 20_060 }), n: fc.nat(999_999) }), { selector: (r) => r.n, maxLength: 40 })
  .map((rows) => rows.map(({ member, day, n }) => ({ id: `L${n}`, code: `C${n}`, memberId: member, issuedDay: day, validUntilDay: day + 14, personalised: true, items: [], coupons: [], rewards: [] }) as ShoppingList));
const byDay = (a: ShoppingList, b: ShoppingList) => a.issuedDay - b.issuedDay || (a.id < b.id ? -1 : 1);

describe('lists in packs', () => {
  it('are found by code, by member and by member and days exactly as a plain array finds them, whatever the packing; deleting a member keeps the others', async () => {
    await fc.assert(fc.asyncProperty(listsArb, fc.array(fc.integer({ min: 1, max: 2 * LIST_PACK }), { minLength: 1, maxLength: 8 }), fc.constantFrom(...members), fc.integer({ min: 20_000, max: 20_070 }), async (lists, batches, member, day) => {
      const d = await openStore(`packs-${Math.random()}`);
      // Store the lists in batches of the drawn sizes, as listFor (one) and listsFor (a chunk) do.
      for (let at = 0, b = 0; at < lists.length; b++) {
        const size = batches[b % batches.length]!;
        const tx = d.transaction('lists', 'readwrite');
        void putLists(tx.store, lists.slice(at, at + size));
        await tx.done;
        at += size;
      }
      const store = () => d.transaction('lists').store;
      expect((await allLists(d)).sort(byDay)).toEqual([...lists].sort(byDay));
      for (const l of lists) expect(await listByCode(store(), l.code)).toEqual(l);
      expect(await listByCode(store(), 'C-none')).toBeUndefined();
      expect(await memberLists(store(), member)).toEqual(lists.filter((l) => l.memberId === member).sort(byDay));
      expect(await recentLists(store(), member, day, 14)).toEqual(lists.filter((l) => l.memberId === member && l.issuedDay > day - 14 && l.issuedDay <= day).sort(byDay));
      // A list rebuilt under its own id and code replaces the stored one, its pack mates untouched.
      if (lists.length) {
        const changed = { ...lists[0]!, personalised: false };
        const tx = d.transaction('lists', 'readwrite');
        await replaceList(tx.store, changed);
        await tx.done;
        expect(await listByCode(store(), changed.code)).toEqual(changed);
        lists[0] = changed;
      }
      const tx = d.transaction('lists', 'readwrite');
      const deleted = await deleteMemberLists(tx.store, member);
      await tx.done;
      expect(deleted).toBe(lists.filter((l) => l.memberId === member).length);
      expect(await memberLists(store(), member)).toEqual([]);
      expect((await allLists(d)).sort(byDay)).toEqual(lists.filter((l) => l.memberId !== member).sort(byDay));
      d.close();
    }), { numRuns: 40 });
  });

  it('refuse a second list with a code already stored', async () => {
    const d = await openStore(`packs-dup-${Math.random()}`);
    const list = { id: 'L1', code: 'C1', memberId: 'M1', issuedDay: 20_000, validUntilDay: 20_014, personalised: true, items: [], coupons: [], rewards: [] } as ShoppingList;
    await d.put('lists', { id: 'L1', lists: [list], codes: ['C1'], memberDays: [['M1', 20_000]] });
    const tx = d.transaction('lists', 'readwrite');
    void putLists(tx.store, [{ ...list, id: 'L2' }]).catch(() => {});
    await expect(tx.done).rejects.toThrow();
    d.close();
  });
});
