// Storage of shopper controls and shown-items memory, per member, in the `meta` store (keys `controls:<member>` and
// `shown:<member>`): no schema change. Pure rules live in core/preferences.ts and core/variety.ts.
import type { Day, ShoppingList } from '../core/types.ts';
import { applyControl, expireControls, hiddenProducts, isItemControls, noControls, type ItemControl, type ItemControls } from '../core/preferences.ts';
import { discoveryIds, recordShown, type ShownMemory } from '../core/variety.ts';
import { readKeyRange, settle, type LarderDB } from './store.ts';

const controlsKey = (memberId: string) => `controls:${memberId}`;
const shownKey = (memberId: string) => `shown:${memberId}`;

/** A member's controls as stored (none when nothing was ever set). */
export async function loadControls(d: LarderDB, memberId: string): Promise<ItemControls> {
  const v = await d.get('meta', controlsKey(memberId));
  return isItemControls(v) ? v : noControls();
}

/** Products hidden from a member on a day. */
export async function hiddenFor(d: LarderDB, memberId: string, day: Day): Promise<Set<string>> {
  return hiddenProducts(await loadControls(d, memberId), day);
}

/** Apply one control on `day` and store the result (expired mutes are dropped on the way). */
export async function saveControl(d: LarderDB, memberId: string, productId: string, control: ItemControl, day: Day): Promise<ItemControls> {
  const tx = d.transaction('meta', 'readwrite');
  const stored = await tx.store.get(controlsKey(memberId));
  const next = applyControl(expireControls(isItemControls(stored) ? stored : noControls(), day), productId, control, day);
  void tx.store.put(next, controlsKey(memberId));
  await settle(tx);
  return next;
}

/** What list building needs about a member: the products hidden on a day, and the shown-items memory. */
export interface Preferences {
  hidden: Set<string>;
  shown: ShownMemory;
}

/** A member's {@link Preferences} on a day, read in one transaction. */
export async function loadPreferences(d: LarderDB, memberId: string, day: Day): Promise<Preferences> {
  return readPreferences(d.transaction('meta', 'readonly').store, memberId, day);
}

/** {@link loadPreferences} inside the caller's transaction, so a list's reads are one round trip. */
export async function readPreferences(meta: { get(key: string): Promise<unknown> }, memberId: string, day: Day): Promise<Preferences> {
  const [controls, shown] = await Promise.all([meta.get(controlsKey(memberId)), meta.get(shownKey(memberId))]);
  return { hidden: hiddenProducts(isItemControls(controls) ? controls : undefined, day), shown: shown && typeof shown === 'object' ? (shown as ShownMemory) : {} };
}

/** {@link readPreferences} for a batch of members (sorted ids), each kind of record read as one key range. */
export async function readPreferencesMany(meta: Parameters<typeof readKeyRange<unknown>>[0], ids: readonly string[], day: Day): Promise<Preferences[]> {
  const [controls, shown] = await Promise.all([readKeyRange(meta, ids, controlsKey('')), readKeyRange(meta, ids, shownKey(''))]);
  return ids.map((id) => {
    const c = controls.get(id);
    const s = shown.get(id);
    return { hidden: hiddenProducts(isItemControls(c) ? c : undefined, day), shown: s && typeof s === 'object' ? (s as ShownMemory) : {} };
  });
}

/** Store an issued list and, in the same transaction, remember its discovery items (personal lists only: the
 * store-wide list is the same for everyone). */
export async function storeIssuedList(d: LarderDB, list: ShoppingList): Promise<void> {
  const ids = list.personalised ? discoveryIds(list) : [];
  const tx = d.transaction(['lists', 'meta'], 'readwrite');
  void tx.objectStore('lists').put(list);
  if (ids.length) {
    const stored = await tx.objectStore('meta').get(shownKey(list.memberId));
    void tx.objectStore('meta').put(recordShown(stored && typeof stored === 'object' ? (stored as ShownMemory) : {}, ids, list.issuedDay), shownKey(list.memberId));
  }
  await settle(tx);
}

/** {@link storeIssuedList} for many lists in one transaction (the engine's batch `listsFor`: one commit per chunk
 * instead of one per list), each with the shown-items memory its member's preferences were read with: the batch's
 * members are distinct and their memory was read moments ago, so the write does not read it again. */
export async function storeIssuedLists(d: LarderDB, issued: readonly { list: ShoppingList; shown: ShownMemory }[]): Promise<void> {
  const tx = d.transaction(['lists', 'meta'], 'readwrite');
  for (const { list, shown } of issued) {
    void tx.objectStore('lists').put(list);
    const ids = list.personalised ? discoveryIds(list) : [];
    if (ids.length) void tx.objectStore('meta').put(recordShown(shown, ids, list.issuedDay), shownKey(list.memberId));
  }
  await settle(tx);
}

/** Erase what this device holds about a member's shopping: history, lists, controls and shown memory. The member
 * record (card, consent) stays; redemptions and the outbox stay (they are the store's ledger and go to headquarters). */
export async function eraseMemberHistory(d: LarderDB, memberId: string): Promise<{ lists: number }> {
  const tx = d.transaction(['histories', 'lists', 'meta'], 'readwrite');
  void tx.objectStore('histories').delete(memberId);
  const keys = await tx.objectStore('lists').index('by-member').getAllKeys(memberId);
  for (const key of keys) void tx.objectStore('lists').delete(key);
  void tx.objectStore('meta').delete(controlsKey(memberId));
  void tx.objectStore('meta').delete(shownKey(memberId));
  await settle(tx);
  return { lists: keys.length };
}
