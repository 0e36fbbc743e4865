// Storage of shopper controls and shown-items memory: part of each member's pack (worker/packs.ts; schema v5, before it a
// `prefs` store of their own). Pure rules live in core/preferences.ts and core/variety.ts.
import type { Day, ShoppingList } from '../core/types.ts';
import { applyControl, expireControls, hiddenProducts, isItemControls, noControls, type ItemControl, type ItemControls } from '../core/lists/preferences.ts';
import { discoveryIds, recordShown, type ShownMemory } from '../core/lists/variety.ts';
import { settle, type LarderDB, type PackRecord } from './store.ts';
import { deleteMemberLists, putLists } from './lists.ts';

/** The pack without the member's history, controls and shown-items memory. */
const withoutShopping = ({ history: _h, controls: _c, shown: _s, neighbour: _n, ...pack }: PackRecord): PackRecord => pack;

/** A member's controls as stored (none when nothing was ever set). */
export async function loadControls(d: LarderDB, memberId: string): Promise<ItemControls> {
  const v = (await d.get('packs', memberId))?.controls;
  return isItemControls(v) ? v : noControls();
}

/** Products hidden from a member on a day. */
export async function hiddenFor(d: LarderDB, memberId: string, day: Day): Promise<Set<string>> {
  return hiddenProducts(await loadControls(d, memberId), day);
}

/** Apply one control on `day` and store the result (expired mutes are dropped on the way); a member with no pack on
 * this device has nothing stored. */
export async function saveControl(d: LarderDB, memberId: string, productId: string, control: ItemControl, day: Day): Promise<ItemControls> {
  const tx = d.transaction('packs', 'readwrite');
  const stored = await tx.store.get(memberId);
  const next = applyControl(expireControls(isItemControls(stored?.controls) ? stored.controls : noControls(), day), productId, control, day);
  if (stored) void tx.store.put({ ...stored, controls: next });
  await settle(tx);
  return next;
}

/** What list building needs about a member: the products hidden on a day, the shown-items memory, and the pack they
 * came from (a batch writes the memory back without reading it again). */
export interface Preferences {
  hidden: Set<string>;
  shown: ShownMemory;
  stored?: PackRecord;
}

/** A member's {@link Preferences} on a day, from their pack. */
export const preferencesOf = (stored: PackRecord | undefined, day: Day): Preferences => ({
  hidden: hiddenProducts(isItemControls(stored?.controls) ? stored.controls : undefined, day),
  shown: stored?.shown && typeof stored.shown === 'object' ? stored.shown : {},
  ...(stored ? { stored } : {}),
});

/** A member's {@link Preferences} on a day. */
export async function loadPreferences(d: LarderDB, memberId: string, day: Day): Promise<Preferences> {
  return readPreferences(d.transaction('packs', 'readonly').store, memberId, day);
}

/** {@link loadPreferences} inside the caller's transaction. */
export async function readPreferences(packs: { get(key: string): Promise<PackRecord | undefined> }, memberId: string, day: Day): Promise<Preferences> {
  return preferencesOf(await packs.get(memberId), day);
}

/** Store an issued list and, in the same transaction, remember its discovery items (personal lists only: the
 * store-wide list is the same for everyone). */
export async function storeIssuedList(d: LarderDB, list: ShoppingList): Promise<void> {
  const tx = d.transaction(['lists', 'packs'], 'readwrite');
  void putLists(tx.objectStore('lists'), [list]);
  const ids = shownOn(list);
  if (ids.length) {
    const stored = await tx.objectStore('packs').get(list.memberId);
    if (stored) void tx.objectStore('packs').put(withShown(stored, ids, list.issuedDay));
  }
  await settle(tx);
}

/** What issuing `list` adds to its member's shown-items memory: the discovery items of a personal list (the
 * store-wide list is the same for everyone). */
const shownOn = (list: ShoppingList): string[] => (list.personalised ? discoveryIds(list) : []);

/** A member's pack once `ids` shown on `day` are remembered. */
const withShown = (stored: PackRecord, ids: readonly string[], day: Day): PackRecord =>
  ({ ...stored, shown: recordShown(stored.shown ?? {}, ids, day) });

/** {@link storeIssuedList} for many lists in one transaction (the engine's batch `listsFor`: one commit per chunk
 * instead of one per list), each with the preferences record its member's list was made with: the batch's members are
 * distinct and their record was read moments ago, so the write does not read it again. */
export async function storeIssuedLists(d: LarderDB, issued: readonly { list: ShoppingList; stored: PackRecord | undefined }[]): Promise<void> {
  const tx = d.transaction(['lists', 'packs'], 'readwrite');
  void putLists(tx.objectStore('lists'), issued.map((i) => i.list));
  for (const { list, stored } of issued) {
    const ids = shownOn(list);
    if (ids.length && stored) void tx.objectStore('packs').put(withShown(stored, ids, list.issuedDay));
  }
  await settle(tx);
}

/** Erase what this device holds about a member's shopping: history, lists, controls and shown memory. The member
 * record (card, consent) stays; redemptions and the outbox stay (they are the store's ledger and go to headquarters). */
export async function eraseMemberHistory(d: LarderDB, memberId: string): Promise<{ lists: number }> {
  const tx = d.transaction(['packs', 'lists'], 'readwrite');
  const pack = await tx.objectStore('packs').get(memberId);
  if (pack) void tx.objectStore('packs').put(withoutShopping(pack));
  const lists = await deleteMemberLists(tx.objectStore('lists'), memberId);
  await settle(tx);
  return { lists };
}
