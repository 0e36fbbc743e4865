// The member packs of the engine's database (worker/store.ts, schema v5): one record per member holding their record,
// history, controls and (on a kiosk synced from headquarters) the neighbour term; the shown-items memory, which every
// list rewrites, is beside it in `shown` (worker/preferences.ts). Every read or write of a member's pack goes through
// here, so a list, a checkout or an erasure reads one pack.
import type { Member } from '../core/types.ts';
import type { PackedHistory } from '../core/history.ts';
import { decodeHistory, encodeHistory } from '../core/history-codec.ts';
import type { NeighbourVector } from '../core/lists/neighbours.ts';
import type { LarderDB, PackRecord } from './store.ts';

/** The `packs` store as a transaction (or the database) hands it out. */
export interface PackStore {
  get(key: string): Promise<PackRecord | undefined>;
  put(value: PackRecord): Promise<unknown>;
}

/** A pack's history, decoded. */
export const historyOf = (pack: PackRecord | undefined): PackedHistory | undefined => (pack?.history ? decodeHistory(pack.history) : undefined);

/** A pack's neighbour term as the scorer reads it, when headquarters sent one summed over enough members. */
export const neighbourOf = (pack: PackRecord | undefined): NeighbourVector | undefined =>
  (pack?.neighbour && pack.neighbour.neighbours > 0 ? pack.neighbour : undefined);

/** The pack with `history` in its stored form (an empty history is kept as none). */
export function withHistory(pack: PackRecord, history: PackedHistory | undefined): PackRecord {
  const { history: _old, ...rest } = pack;
  return history && history.basketIds.length ? { ...rest, history: encodeHistory(history) } : rest;
}

/** A member's history, read from their pack. */
export async function readHistory(store: Pick<PackStore, 'get'>, memberId: string): Promise<PackedHistory | undefined> {
  return historyOf(await store.get(memberId));
}

/** A member's record, read from their pack. */
export async function readMember(store: Pick<PackStore, 'get'>, memberId: string): Promise<Member | undefined> {
  return (await store.get(memberId))?.member;
}

/** Write a member's history into their pack (read in the caller's transaction); nothing for a member with no pack:
 * the importers check every basket's member first. */
export async function writeHistory(store: PackStore, history: PackedHistory): Promise<void> {
  const pack = await store.get(history.memberId);
  if (pack) void store.put(withHistory(pack, history));
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
  const to = (i: number) => (i < map.length ? map[i]! : -1);
  let out: PackRecord = pack;
  const h = historyOf(pack);
  if (h) {
    const keep: number[] = [];
    const lineStart = new Int32Array(h.basketIds.length + 1);
    for (let b = 0; b < h.basketIds.length; b++) {
      lineStart[b] = keep.length;
      for (let l = h.lineStart[b]!; l < h.lineStart[b + 1]!; l++) if (to(h.products[l]!) >= 0) keep.push(l);
    }
    lineStart[h.basketIds.length] = keep.length;
    out = withHistory(out, {
      ...h, lineStart, products: Int32Array.from(keep, (l) => to(h.products[l]!)), qty: Float32Array.from(keep, (l) => h.qty[l]!),
      priceCents: Int32Array.from(keep, (l) => h.priceCents[l]!), discountCents: Int32Array.from(keep, (l) => h.discountCents[l]!),
    });
  }
  if (pack.neighbour) {
    const n = pack.neighbour;
    const kept = Array.from(n.items.keys()).filter((e) => to(n.items[e]!) >= 0);
    out = { ...out, neighbour: { items: Int32Array.from(kept, (e) => to(n.items[e]!)), values: Float32Array.from(kept, (e) => n.values[e]!), neighbours: n.neighbours } };
  }
  return out;
}
