// Storage of shopper controls (part of each member's pack, worker/packs.ts) and the shown-items memory (a small record
// per member in `shown`, written with every personal list). Pure rules live in core/preferences.ts and core/variety.ts.
import type { Day, ShoppingList } from '../core/types.ts';
import { applyControl, expireControls, hiddenProducts, isItemControls, noControls, type ItemControl, type ItemControls } from '../core/lists/preferences.ts';
import { discoveryIds, recordShown, type ShownMemory } from '../core/lists/variety.ts';
import { settle, type LarderDB, type PackRecord } from './store.ts';
import { deleteMemberLists, putLists } from './lists.ts';
import { outboxRecord } from './sync.ts';
import type { PrefChangeInput } from '../core/lists/pref-merge.ts';

/** A control as the outbox sends it (protocol/member-prefs.ts `PrefChangeSchema`, merged at headquarters by
 * core/lists/pref-merge.ts). */
export type ControlChange = Extract<PrefChangeInput, { kind: 'control' }>;

/** The pack without the member's history, controls and neighbour term. */
const withoutShopping = ({ history: _h, controls: _c, neighbour: _n, ...pack }: PackRecord): PackRecord => pack;

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
 * this device has nothing stored. The control is queued for headquarters in the same transaction (`POST
 * /v1/controls`, the member's pack on every device), ordered against the member's other devices by `at`. */
export async function saveControl(d: LarderDB, memberId: string, productId: string, control: ItemControl, day: Day): Promise<ItemControls> {
  const at = Date.now();
  const tx = d.transaction(['packs', 'outbox'], 'readwrite');
  const stored = await tx.objectStore('packs').get(memberId);
  const next = applyControl(expireControls(isItemControls(stored?.controls) ? stored.controls : noControls(), day), productId, control, day);
  if (stored) {
    void tx.objectStore('packs').put({ ...stored, controls: next });
    const change: ControlChange = { kind: 'control', productId, control, day, at };
    void tx.objectStore('outbox').put(outboxRecord('control', `control-${memberId}-${productId}-${at}`, { memberId, changes: [change] }, at));
  }
  await settle(tx);
  return next;
}

/** What list building needs about a member: the products hidden on a day and the shown-items memory (as read: a
 * batch writes it back without reading it again). */
export interface Preferences {
  hidden: Set<string>;
  shown: ShownMemory;
}

/** A member's {@link Preferences} on a day, from their pack and shown-items memory. */
export const preferencesOf = (pack: PackRecord | undefined, shown: ShownMemory | undefined, day: Day): Preferences => ({
  hidden: hiddenProducts(isItemControls(pack?.controls) ? pack.controls : undefined, day),
  shown: shown && typeof shown === 'object' ? shown : {},
});

type Getter<V> = { get(key: string): Promise<V | undefined> };

/** A member's {@link Preferences} on a day. */
export async function loadPreferences(d: LarderDB, memberId: string, day: Day): Promise<Preferences> {
  const tx = d.transaction(['packs', 'shown'], 'readonly');
  return readPreferences(tx.objectStore('packs'), tx.objectStore('shown'), memberId, day);
}

/** {@link loadPreferences} inside the caller's transaction. */
export async function readPreferences(packs: Getter<PackRecord>, shown: Getter<ShownMemory>, memberId: string, day: Day): Promise<Preferences> {
  const [pack, memory] = await Promise.all([packs.get(memberId), shown.get(memberId)]);
  return preferencesOf(pack, memory, day);
}

/** Store an issued list and, in the same transaction, remember its discovery items (personal lists only: the
 * store-wide list is the same for everyone). */
export async function storeIssuedList(d: LarderDB, list: ShoppingList): Promise<void> {
  const tx = d.transaction(['lists', 'shown'], 'readwrite');
  void putLists(tx.objectStore('lists'), [list]);
  const ids = shownOn(list);
  if (ids.length) {
    const stored = await tx.objectStore('shown').get(list.memberId);
    void tx.objectStore('shown').put(recordShown(stored ?? {}, ids, list.issuedDay), list.memberId);
  }
  await settle(tx);
}

/** What issuing `list` adds to its member's shown-items memory: the discovery items of a personal list (the
 * store-wide list is the same for everyone). */
const shownOn = (list: ShoppingList): string[] => (list.personalised ? discoveryIds(list) : []);

/** {@link storeIssuedList} for many lists in one transaction (the engine's batch `listsFor`: one commit per chunk
 * instead of one per list), each with the shown-items memory its member's list was made with: the batch's members are
 * distinct and their memory was read moments ago, so the write does not read it again. */
export async function storeIssuedLists(d: LarderDB, issued: readonly { list: ShoppingList; shown: ShownMemory }[]): Promise<void> {
  const tx = d.transaction(['lists', 'shown'], 'readwrite');
  void putLists(tx.objectStore('lists'), issued.map((i) => i.list));
  for (const { list, shown } of issued) {
    const ids = shownOn(list);
    if (ids.length) void tx.objectStore('shown').put(recordShown(shown, ids, list.issuedDay), list.memberId);
  }
  await settle(tx);
}

/** Erase what this device holds about a member's shopping: history, lists, controls and shown memory. The member
 * record (card, consent) stays; redemptions and the outbox stay (they are the store's ledger and go to headquarters). */
export async function eraseMemberHistory(d: LarderDB, memberId: string): Promise<{ lists: number }> {
  const tx = d.transaction(['packs', 'lists', 'shown'], 'readwrite');
  const pack = await tx.objectStore('packs').get(memberId);
  if (pack) void tx.objectStore('packs').put(withoutShopping(pack));
  void tx.objectStore('shown').delete(memberId);
  const lists = await deleteMemberLists(tx.objectStore('lists'), memberId);
  await settle(tx);
  return { lists };
}
