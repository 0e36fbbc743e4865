// The member packs of the engine's database (worker/store.ts, schema v5): one record per member holding their record,
// history, controls and (on a kiosk synced from headquarters) the neighbour term; the shown-items memory, which every
// list rewrites, is beside it in `shown` (worker/preferences.ts). Every read or write of a member's pack goes through
// here, so a list, a checkout or an erasure reads one pack.
import type { Member } from '../core/types.ts';
import { remapHistory, type PackedHistory } from '../core/history.ts';
import { decodeHistory, encodeHistory } from '../core/history-codec.ts';
import { remapNeighbour } from '../core/lists/neighbours.ts';
import type { LarderDB, PackRecord } from './store.ts';
import { deleteMemberLists, type ListStore } from './lists.ts';

/** A pack's history, decoded. */
export const historyOf = (pack: PackRecord | undefined): PackedHistory | undefined => (pack?.history ? decodeHistory(pack.history) : undefined);

/** The pack with `history` in its stored form (an empty history is kept as none). */
export function withHistory(pack: PackRecord, history: PackedHistory | undefined): PackRecord {
  const { history: _old, ...rest } = pack;
  return history && history.basketIds.length ? { ...rest, history: encodeHistory(history) } : rest;
}

/** A member's history, read from their pack. */
export async function readHistory(store: { get(key: string): Promise<PackRecord | undefined> }, memberId: string): Promise<PackedHistory | undefined> {
  return historyOf(await store.get(memberId));
}

/** Delete all this device holds of a member, in the caller's transaction: their pack, shown-items memory and lists
 * (an erasure from headquarters, a card that moved to another member). Whether they had a pack here. */
export async function dropMember(stores: { packs: { getKey(k: string): Promise<unknown>; delete(k: string): Promise<unknown> }; shown: { delete(k: string): Promise<unknown> }; lists: ListStore }, memberId: string): Promise<boolean> {
  const had = (await stores.packs.getKey(memberId)) !== undefined;
  void stores.packs.delete(memberId);
  void stores.shown.delete(memberId);
  await deleteMemberLists(stores.lists, memberId);
  return had;
}

/** Every member and every history on the device (the manager's analyses, small stores' model builds). */
export async function readAllPacks(d: LarderDB): Promise<{ members: Member[]; histories: PackedHistory[] }> {
  const packs = await d.getAll('packs');
  return { members: packs.map((p) => p.member), histories: packs.flatMap((p) => (p.history ? [decodeHistory(p.history)] : [])) };
}

/** Every history on the device. */
export async function readAllHistories(d: LarderDB): Promise<PackedHistory[]> {
  return (await readAllPacks(d)).histories;
}

/** A pack with its product indexes moved by `map` (old index → new, -1: the product is gone, and so are its lines),
 * for a catalogue whose positions changed (a kiosk's new store model). */
export function reindexPack(pack: PackRecord, map: Int32Array): PackRecord {
  const h = historyOf(pack);
  const moved = h ? withHistory(pack, remapHistory(h, map)) : pack;
  return pack.neighbour ? { ...moved, neighbour: remapNeighbour(pack.neighbour, map) } : moved;
}
