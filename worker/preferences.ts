// Storage of shopper controls and shown-items memory: one record per member in the `prefs` store (schema v3; before it,
// two keys per member in `meta`). Pure rules live in core/preferences.ts and core/variety.ts.
import type { Day, ShoppingList } from '../core/types.ts';
import { applyControl, expireControls, hiddenProducts, isItemControls, noControls, type ItemControl, type ItemControls } from '../core/lists/preferences.ts';
import { discoveryIds, recordShown, type ShownMemory } from '../core/lists/variety.ts';
import { readKeyRange, settle, type LarderDB, type PrefsRecord } from './store.ts';
import { deleteMemberLists, putLists } from './lists.ts';

type PrefsStore = { get(key: string): Promise<PrefsRecord | undefined> };

/** A member's controls as stored (none when nothing was ever set). */
export async function loadControls(d: LarderDB, memberId: string): Promise<ItemControls> {
  const v = (await d.get('prefs', memberId))?.controls;
  return isItemControls(v) ? v : noControls();
}

/** Products hidden from a member on a day. */
export async function hiddenFor(d: LarderDB, memberId: string, day: Day): Promise<Set<string>> {
  return hiddenProducts(await loadControls(d, memberId), day);
}

/** Apply one control on `day` and store the result (expired mutes are dropped on the way). */
export async function saveControl(d: LarderDB, memberId: string, productId: string, control: ItemControl, day: Day): Promise<ItemControls> {
  const tx = d.transaction('prefs', 'readwrite');
  const stored = await tx.store.get(memberId);
  const next = applyControl(expireControls(isItemControls(stored?.controls) ? stored.controls : noControls(), day), productId, control, day);
  void tx.store.put({ ...stored, controls: next }, memberId);
  await settle(tx);
  return next;
}

/** What list building needs about a member: the products hidden on a day, the shown-items memory, and the record
 * they came from (a batch writes the memory back without reading it again). */
export interface Preferences {
  hidden: Set<string>;
  shown: ShownMemory;
  stored?: PrefsRecord;
}

const preferencesOf = (stored: PrefsRecord | undefined, day: Day): Preferences => ({
  hidden: hiddenProducts(isItemControls(stored?.controls) ? stored.controls : undefined, day),
  shown: stored?.shown && typeof stored.shown === 'object' ? stored.shown : {},
  ...(stored ? { stored } : {}),
});

/** A member's {@link Preferences} on a day. */
export async function loadPreferences(d: LarderDB, memberId: string, day: Day): Promise<Preferences> {
  return readPreferences(d.transaction('prefs', 'readonly').store, memberId, day);
}

/** {@link loadPreferences} inside the caller's transaction, so a list's reads are one round trip. */
export async function readPreferences(prefs: PrefsStore, memberId: string, day: Day): Promise<Preferences> {
  return preferencesOf(await prefs.get(memberId), day);
}

/** {@link readPreferences} for a batch of members (sorted ids), read as one key range. */
export async function readPreferencesMany(prefs: Parameters<typeof readKeyRange<PrefsRecord>>[0], ids: readonly string[], day: Day): Promise<Preferences[]> {
  const found = await readKeyRange(prefs, ids);
  return ids.map((id) => preferencesOf(found.get(id), day));
}

/** Store an issued list and, in the same transaction, remember its discovery items (personal lists only: the
 * store-wide list is the same for everyone). */
export async function storeIssuedList(d: LarderDB, list: ShoppingList): Promise<void> {
  const tx = d.transaction(['lists', 'prefs'], 'readwrite');
  void putLists(tx.objectStore('lists'), [list]);
  const ids = shownOn(list);
  if (ids.length) {
    const stored = await tx.objectStore('prefs').get(list.memberId);
    void tx.objectStore('prefs').put(withShown(stored, ids, list.issuedDay), list.memberId);
  }
  await settle(tx);
}

/** What issuing `list` adds to its member's shown-items memory: the discovery items of a personal list (the
 * store-wide list is the same for everyone). */
const shownOn = (list: ShoppingList): string[] => (list.personalised ? discoveryIds(list) : []);

/** A member's preferences record once `ids` shown on `day` are remembered. */
const withShown = (stored: PrefsRecord | undefined, ids: readonly string[], day: Day): PrefsRecord =>
  ({ ...stored, shown: recordShown(stored?.shown ?? {}, ids, day) });

/** {@link storeIssuedList} for many lists in one transaction (the engine's batch `listsFor`: one commit per chunk
 * instead of one per list), each with the preferences record its member's list was made with: the batch's members are
 * distinct and their record was read moments ago, so the write does not read it again. */
export async function storeIssuedLists(d: LarderDB, issued: readonly { list: ShoppingList; stored: PrefsRecord | undefined }[]): Promise<void> {
  const tx = d.transaction(['lists', 'prefs'], 'readwrite');
  void putLists(tx.objectStore('lists'), issued.map((i) => i.list));
  for (const { list, stored } of issued) {
    const ids = shownOn(list);
    if (ids.length) void tx.objectStore('prefs').put(withShown(stored, ids, list.issuedDay), list.memberId);
  }
  await settle(tx);
}

/** Erase what this device holds about a member's shopping: history, lists, controls and shown memory. The member
 * record (card, consent) stays; redemptions and the outbox stay (they are the store's ledger and go to headquarters). */
export async function eraseMemberHistory(d: LarderDB, memberId: string): Promise<{ lists: number }> {
  const tx = d.transaction(['histories', 'lists', 'prefs'], 'readwrite');
  void tx.objectStore('histories').delete(memberId);
  const lists = await deleteMemberLists(tx.objectStore('lists'), memberId);
  void tx.objectStore('prefs').delete(memberId);
  await settle(tx);
  return { lists };
}
