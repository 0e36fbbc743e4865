// One member's own pack, as headquarters hands it to the member's devices (DESIGN.md "Who holds what"): their history,
// consent, controls, shown-items memory and the neighbour term summed at headquarters — never another member's data.
import * as v from 'valibot';
import type { Member } from '../core/types.ts';
import { remapHistory, type PackedHistory } from '../core/history.ts';
import { remapNeighbour, type NeighbourVector } from '../core/lists/neighbours.ts';
import type { ShownMemory } from '../core/lists/variety.ts';
import type { Result } from '../core/result.ts';
import { PackedArraySchema, fail, id, inRange, int, issuePath, text, packArray, packInts, unpackArray, type AnyArray, type PackError } from './packed-arrays.ts';

const HistorySchema = v.strictObject({
  basketIds: v.pipe(v.array(id), v.maxLength(100_000)),
  days: PackedArraySchema,
  minutes: PackedArraySchema,
  lineStart: PackedArraySchema,
  /** Indexes into the pack's `products`. */
  products: PackedArraySchema,
  qty: PackedArraySchema,
  priceCents: PackedArraySchema,
  discountCents: v.optional(PackedArraySchema),
});

/** `GET /v1/members/me/pack` and each pack of `GET /v1/stores/{store}/packs`. */
export const MemberPackWireSchema = v.strictObject({
  format: v.literal('larder-member-pack/1'),
  etag: id,
  builtAt: text(40),
  member: v.strictObject({
    id,
    cardCode: v.pipe(v.string(), v.regex(/^\d{13}$/)),
    consent: v.strictObject({ personalise: v.boolean(), contact: v.boolean(), atDay: v.optional(int(-200_000, 200_000)) }),
    firstName: v.optional(text(100)),
    homeStore: v.optional(id),
    joinedDay: v.optional(int(-200_000, 200_000)),
  }),
  /** Product ids the history and the neighbour term point into (a pack stays valid when the catalogue changes). */
  products: v.pipe(v.array(id), v.maxLength(1_000_000)),
  history: HistorySchema,
  controls: v.pipe(v.array(v.strictObject({ productId: id, kind: v.picklist(['not-for-me', 'mute']), untilDay: v.optional(int(-200_000, 200_000)) })), v.maxLength(100_000)),
  shown: v.record(id, v.strictObject({ lastShownDay: int(-200_000, 200_000), times: int(0, 1_000_000) })),
  /** The scorer's neighbour term: the mean of the member's nearest members' vectors (`neighbours` ≥ k of them, or 0
   * when the store had too few), items as indexes into `products`. */
  neighbour: v.strictObject({ items: PackedArraySchema, values: PackedArraySchema, neighbours: int(0, 100_000) }),
});

/** A member pack as it travels. */
export type MemberPackWire = v.InferOutput<typeof MemberPackWireSchema>;

/** `GET /v1/stores/{store}/packs?since=`: the packs changed since the cursor, members gone since it, the next cursor. */
export const PackChangesWireSchema = v.strictObject({
  storeId: id,
  cursor: id,
  packs: v.array(MemberPackWireSchema),
  removed: v.array(id),
  /** More packs changed since the cursor than one answer holds: ask again with the new cursor. */
  more: v.optional(v.boolean()),
});

/** The answer of `GET /v1/stores/{store}/packs`. */
export type PackChangesWire = v.InferOutput<typeof PackChangesWireSchema>;

/** What a device uses of a member pack. */
export interface DeviceMemberPack {
  etag: string;
  member: Member;
  /** Products of the history and the neighbour term, by id. */
  products: string[];
  /** The member's baskets; `products` are indexes into {@link DeviceMemberPack.products}. */
  history: PackedHistory;
  controls: { productId: string; kind: 'not-for-me' | 'mute'; untilDay?: number }[];
  shown: ShownMemory;
  /** Items as indexes into {@link DeviceMemberPack.products}. */
  neighbour: NeighbourVector;
}

/** Encode a member pack: `history.products` and `neighbour.items` are indexes into `productIds` (a catalogue's ids). */
export function memberPackToWire(p: {
  etag: string; builtAt: string; member: Member; productIds: readonly string[]; history: PackedHistory;
  controls: DeviceMemberPack['controls']; shown: ShownMemory; neighbour: NeighbourVector;
}): MemberPackWire {
  // The pack's own dictionary: only the products this member's history and neighbour term name.
  const dict = new Map<number, number>();
  const products: string[] = [];
  const local = (i: number) => {
    let d = dict.get(i);
    if (d === undefined) {
      dict.set(i, (d = products.length));
      products.push(p.productIds[i]!);
    }
    return d;
  };
  const h = p.history;
  const lineProducts = Array.from(h.products, local);
  const nbrItems = Array.from(p.neighbour.items, local);
  const whole = h.qty.every((q) => Number.isInteger(q));
  const m = p.member;
  return {
    format: 'larder-member-pack/1', etag: p.etag, builtAt: p.builtAt,
    member: {
      id: m.id, cardCode: m.cardCode,
      consent: { personalise: m.consent.personalise, contact: m.consent.contact, ...(m.consent.atDay !== undefined ? { atDay: m.consent.atDay } : {}) },
      ...(m.firstName ? { firstName: m.firstName } : {}), ...(m.homeStore ? { homeStore: m.homeStore } : {}),
      ...(m.joinedDay !== undefined ? { joinedDay: m.joinedDay } : {}),
    },
    products,
    history: {
      basketIds: [...h.basketIds], days: packInts(h.days), minutes: packInts(h.minutes), lineStart: packInts(h.lineStart),
      products: packInts(lineProducts), qty: whole ? packInts(h.qty) : packArray(Float32Array.from(h.qty)), priceCents: packInts(h.priceCents),
      ...(h.discountCents.some((d) => d !== 0) ? { discountCents: packInts(h.discountCents) } : {}),
    },
    controls: p.controls.map((c) => ({ ...c })),
    shown: { ...p.shown },
    neighbour: { items: packInts(nbrItems), values: packArray(Float32Array.from(p.neighbour.values)), neighbours: p.neighbour.neighbours },
  };
}

/** Check and decode a member pack body (JSON already parsed). */
export function parseMemberPack(body: unknown): Result<DeviceMemberPack, PackError> {
  const r = v.safeParse(MemberPackWireSchema, body);
  if (!r.success) return fail('bad-shape', issuePath(r.issues));
  return memberPackFromWire(r.output);
}

/** Decode a member pack already checked against {@link MemberPackWireSchema}. */
export function memberPackFromWire(w: MemberPackWire): Result<DeviceMemberPack, PackError> {
  const h = w.history;
  const arrays = {
    days: unpackArray(h.days), minutes: unpackArray(h.minutes), lineStart: unpackArray(h.lineStart), products: unpackArray(h.products),
    qty: unpackArray(h.qty), priceCents: unpackArray(h.priceCents), discountCents: h.discountCents ? unpackArray(h.discountCents) : new Int32Array(0),
    items: unpackArray(w.neighbour.items), values: unpackArray(w.neighbour.values),
  };
  for (const [name, a] of Object.entries(arrays)) if (!a) return fail('bad-array', name);
  const a = arrays as { [K in keyof typeof arrays]: AnyArray };
  const nb = h.basketIds.length;
  const lines = a.products.length;
  if (a.days.length !== nb || a.minutes.length !== nb || a.lineStart.length !== nb + 1) return fail('bad-length', 'history baskets');
  if (a.lineStart[0] !== 0 || a.lineStart[nb] !== lines) return fail('bad-length', 'history.lineStart');
  for (let b = 0; b < nb; b++) if (a.lineStart[b + 1]! < a.lineStart[b]! || (b > 0 && a.days[b]! < a.days[b - 1]!)) return fail('bad-index', 'history order');
  if (a.qty.length !== lines || a.priceCents.length !== lines || (h.discountCents && a.discountCents.length !== lines)) return fail('bad-length', 'history lines');
  if (!inRange(a.products, w.products.length) || !inRange(a.items, w.products.length)) return fail('bad-index', 'products');
  if (a.values.length !== a.items.length) return fail('bad-length', 'neighbour');
  const m = w.member;
  const member: Member = {
    id: m.id, cardCode: m.cardCode, consent: { personalise: m.consent.personalise, contact: m.consent.contact, ...(m.consent.atDay !== undefined ? { atDay: m.consent.atDay } : {}) },
    ...(m.firstName ? { firstName: m.firstName } : {}), ...(m.homeStore ? { homeStore: m.homeStore } : {}), ...(m.joinedDay !== undefined ? { joinedDay: m.joinedDay } : {}),
  };
  return {
    ok: true,
    value: {
      etag: w.etag, member, products: w.products,
      history: {
        memberId: m.id, basketIds: h.basketIds, days: Int32Array.from(a.days), minutes: Int16Array.from(a.minutes), lineStart: Int32Array.from(a.lineStart),
        products: Int32Array.from(a.products), qty: Float32Array.from(a.qty), priceCents: Int32Array.from(a.priceCents),
        discountCents: h.discountCents ? Int32Array.from(a.discountCents) : new Int32Array(lines),
      },
      controls: w.controls.map((c) => ({ productId: c.productId, kind: c.kind, ...(c.untilDay !== undefined ? { untilDay: c.untilDay } : {}) })),
      shown: w.shown,
      neighbour: { items: Int32Array.from(a.items), values: Float32Array.from(a.values), neighbours: w.neighbour.neighbours },
    },
  };
}

/** A pack's history and neighbour term re-indexed to a store model's catalogue (products it lacks are dropped). */
export function packOnCatalogue(p: DeviceMemberPack, productIndex: ReadonlyMap<string, number>): { history: PackedHistory; neighbour: NeighbourVector } {
  const map = Int32Array.from(p.products, (pid) => productIndex.get(pid) ?? -1);
  return { history: remapHistory(p.history, map), neighbour: remapNeighbour(p.neighbour, map) };
}
