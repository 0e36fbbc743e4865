// Issued lists as IndexedDB stores them (schema v4): in packs. A pack holds the lists made together (the overnight
// batch stores its lists LIST_PACK to a record; a list made at a scan is a pack of one), indexed by every list's code
// and by every (member, issued day) in it. IndexedDB costs per record as well as per byte: 10,000 lists stored one to
// a record with three indexes took 4.2–4.4 s, in records of 200 with these two indexes 1.2–1.9 s (bench/README.md).
// Every read and write of the `lists` store goes through this module.
import type { Day, ShoppingList } from '../core/types.ts';

/** Lists stored together, keyed by the first one's id. */
export interface ListPack {
  id: string;
  lists: ShoppingList[];
  /** Every list's code (multiEntry, unique index `by-code`). */
  codes: string[];
  /** Every list's [member, issued day] (multiEntry index `by-member-day`). */
  memberDays: [string, Day][];
}

/** Lists per record in a batch: larger packs write a little faster, but a scan after the batch reads its member's
 * whole pack (a list is about 4 kB), so it stays small. */
export const LIST_PACK = 10;

/** The pack record of `lists` (non-empty), under the first one's id unless given. */
export function packOf(lists: readonly ShoppingList[], id = lists[0]!.id): ListPack {
  return { id, lists: [...lists], codes: lists.map((l) => l.code), memberDays: lists.map((l) => [l.memberId, l.issuedDay]) };
}

/** The `lists` store, or its handle inside a caller's transaction (only what this module uses). */
export interface ListStore {
  put(pack: ListPack): Promise<unknown>;
  delete(id: string): Promise<unknown>;
  index(name: 'by-code'): { get(code: string): Promise<ListPack | undefined> };
  index(name: 'by-member-day'): { getAll(range: IDBKeyRange): Promise<ListPack[]> };
}

/** Store lists, {@link LIST_PACK} to a record; the requests' promise, for the caller's transaction to settle. */
export function putLists(store: Pick<ListStore, 'put'>, lists: readonly ShoppingList[]): Promise<unknown> {
  const writes: Promise<unknown>[] = [];
  for (let at = 0; at < lists.length; at += LIST_PACK) writes.push(store.put(packOf(lists.slice(at, at + LIST_PACK))));
  return Promise.all(writes);
}

/** The list a code was printed for. */
export async function listByCode(store: Pick<ListStore, 'index'>, code: string): Promise<ShoppingList | undefined> {
  return (await store.index('by-code').get(code))?.lists.find((l) => l.code === code);
}

const everyDay = (memberId: string) => IDBKeyRange.bound([memberId], [memberId, []]); // [m] < [m, any day] < [m, []]

async function listsIn(store: Pick<ListStore, 'index'>, memberId: string, range: IDBKeyRange, from = -Infinity, to = Infinity): Promise<{ packs: ListPack[]; lists: ShoppingList[] }> {
  const packs = [...new Map((await store.index('by-member-day').getAll(range)).map((p) => [p.id, p])).values()];
  const lists = packs.flatMap((p) => p.lists.filter((l) => l.memberId === memberId && l.issuedDay >= from && l.issuedDay <= to));
  return { packs, lists: lists.sort((a, b) => a.issuedDay - b.issuedDay || (a.id < b.id ? -1 : 1)) };
}

/** A member's lists issued in the `days` up to `day` (a key range on (member, issued day), not every list the member
 * ever had), oldest first. */
export async function recentLists(store: Pick<ListStore, 'index'>, memberId: string, day: Day, days: number): Promise<ShoppingList[]> {
  const from = day - days + 1;
  return (await listsIn(store, memberId, IDBKeyRange.bound([memberId, from], [memberId, day]), from, day)).lists;
}

/** Every list a member was ever issued, oldest first. */
export async function memberLists(store: Pick<ListStore, 'index'>, memberId: string): Promise<ShoppingList[]> {
  return (await listsIn(store, memberId, everyDay(memberId))).lists;
}

/** Every stored list. */
export async function allLists(d: { getAll(store: 'lists'): Promise<ListPack[]> }): Promise<ShoppingList[]> {
  return (await d.getAll('lists')).flatMap((p) => p.lists);
}

/** Put a list in place of the stored one with its code (a list rebuilt under its own id and code). */
export async function replaceList(store: Pick<ListStore, 'index' | 'put'>, list: ShoppingList): Promise<void> {
  const pack = await store.index('by-code').get(list.code);
  if (!pack) throw new Error(`no stored list with code ${list.code}`);
  await store.put(packOf(pack.lists.map((l) => (l.code === list.code ? list : l)), pack.id));
}

/** Delete every list of a member (the other members' lists in the same packs stay); how many were deleted. */
export async function deleteMemberLists(store: ListStore, memberId: string): Promise<number> {
  const { packs, lists } = await listsIn(store, memberId, everyDay(memberId));
  await Promise.all(packs.map((p) => {
    const rest = p.lists.filter((l) => l.memberId !== memberId);
    return rest.length ? store.put(packOf(rest, p.id)) : store.delete(p.id);
  }));
  return lists.length;
}
