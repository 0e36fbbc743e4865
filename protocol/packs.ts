// What headquarters hands a device (DESIGN.md "Who holds what"): the store model (aggregates only, every statistic
// from ≥ k members, no member id) and one member's own pack (their history, consent, controls, shown-items memory
// and the neighbour term summed at headquarters). Numeric columns travel as base64 of little-endian typed arrays in
// the narrowest type that holds them (core/history-codec.ts), so a 30,000-product model and two years of baskets
// stay small once gzipped; the parsers refuse a body whose arrays disagree on lengths or point outside the catalogue.
import * as v from 'valibot';
import type { Campaign, Content, Deal, Member, Product } from '../core/types.ts';
import type { PackedHistory } from '../core/history.ts';
import type { StoreModel } from '../core/lists/store-model.ts';
import type { ScorerParams } from '../core/lists/scorer-params.ts';
import type { NeighbourVector } from '../core/lists/neighbours.ts';
import type { ShownMemory } from '../core/lists/variety.ts';
import { narrowInts } from '../core/history-codec.ts';
import type { Result } from '../core/result.ts';

/** Element types a packed array may have. */
export type ArrayType = 'u8' | 'u16' | 'i16' | 'i32' | 'f32' | 'f64';
type AnyArray = Uint8Array | Uint16Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A typed array on the wire: its element type and its bytes (little-endian) in base64. */
export interface PackedArray { t: ArrayType; b: string }

const CTORS = { u8: Uint8Array, u16: Uint16Array, i16: Int16Array, i32: Int32Array, f32: Float32Array, f64: Float64Array } as const;

function typeOf(a: AnyArray): ArrayType {
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Int16Array) return 'i16';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Float32Array) return 'f32';
  return 'f64';
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A typed array as it travels (as it is: narrow it first with {@link packInts} for whole numbers). */
export function packArray(a: AnyArray): PackedArray {
  return { t: typeOf(a), b: toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) };
}

/** Whole numbers in the narrowest type that holds them. */
export const packInts = (values: ArrayLike<number>): PackedArray => packArray(narrowInts(values));

/** The typed array a packed array holds, or undefined when its bytes are not base64 or not whole elements. */
export function unpackArray(p: PackedArray): AnyArray | undefined {
  let bin: string;
  try {
    bin = atob(p.b);
  } catch {
    return undefined;
  }
  const ctor = CTORS[p.t];
  if (bin.length % ctor.BYTES_PER_ELEMENT) return undefined;
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new ctor(bytes.buffer);
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas

const text = (max = 500) => v.pipe(v.string(), v.maxLength(max));
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const int = (min: number, max: number) => v.pipe(v.number(), v.safeInteger(), v.minValue(min), v.maxValue(max));
const finite = v.pipe(v.number(), v.finite());
const PackedArraySchema = v.strictObject({ t: v.picklist(['u8', 'u16', 'i16', 'i32', 'f32', 'f64']), b: v.pipe(v.string(), v.maxLength(64 * 1024 * 1024)) });
const Strings = (max: number) => v.pipe(v.array(text()), v.maxLength(max));
const Keyed = v.looseObject({ id });

/** The catalogue by column: dense product index = position; categories, brands and tags by dictionary. */
const CatalogueSchema = v.strictObject({
  ids: v.pipe(v.array(id), v.maxLength(1_000_000)),
  names: Strings(1_000_000),
  categories: Strings(100_000),
  category: PackedArraySchema,
  brands: Strings(1_000_000),
  brand: PackedArraySchema,
  /** 1 for store-brand products, 0 for national. */
  storeBrand: PackedArraySchema,
  priceCents: PackedArraySchema,
  /** Size and unit by dictionary: index + 1 into `sizeNames` / `unitNames`, 0 for none. */
  sizeNames: Strings(1_000_000),
  size: PackedArraySchema,
  unitNames: Strings(10_000),
  unit: PackedArraySchema,
  tagNames: Strings(10_000),
  /** Sparse: [product index, tag indexes…]. */
  tags: v.pipe(v.array(v.pipe(v.array(int(0, 1_000_000)), v.minLength(1), v.maxLength(100))), v.maxLength(1_000_000)),
});

const ParamsSchema = v.looseObject({
  groupCount: int(1, 1000), withinDecay: finite, groupDecay: finite, alpha: finite, neighbours: int(0, 100_000),
  timingWeight: finite, horizon: finite, itemWeight: finite, popularityWeight: finite, recency: finite,
  freqWeight: finite, dueWeight: finite, repeatBias: finite, repeatSlots: int(0, 2),
  calibration: v.optional(v.strictObject({ bands: int(1, 100), ranks: int(1, 1000), repeat: v.array(finite), explore: v.array(finite) })),
});

const ScorerSchema = v.strictObject({
  params: ParamsSchema,
  /** Members who bought each item (0 below the floor k); popularity = buyers / members. */
  buyers: PackedArraySchema,
  priorMu: PackedArraySchema,
  priorTau2: PackedArraySchema,
  priorSigma2: PackedArraySchema,
  /** Item pairs kept per item (CSR offsets on the device), then the pairs' items. */
  itemNbrCounts: PackedArraySchema,
  itemNbrIds: PackedArraySchema,
  /** Similarities × 65535 / simMax, rounded. */
  itemNbrSims: PackedArraySchema,
  simMax: v.pipe(finite, v.minValue(0)),
  repeatRate: v.pipe(finite, v.minValue(0), v.maxValue(1)),
});

const RuleSchema = v.strictObject({
  lhs: v.pipe(v.array(int(0, 1_000_000)), v.minLength(1), v.maxLength(10)),
  rhs: int(0, 1_000_000),
  support: v.pipe(finite, v.minValue(0), v.maxValue(1)),
  confidence: v.pipe(finite, v.minValue(0), v.maxValue(1)),
  lift: v.pipe(finite, v.minValue(0)),
});

/** `GET /v1/stores/{store}/model`. */
export const StoreModelWireSchema = v.strictObject({
  format: v.literal('larder-store-model/1'),
  storeId: id,
  version: int(1, Number.MAX_SAFE_INTEGER),
  etag: id,
  builtAt: text(40),
  /** The floor every statistic below was held to. */
  k: int(2, 1_000_000),
  /** Members the statistics come from (0 when the store has fewer than k: then no item statistic at all). */
  members: int(0, 100_000_000),
  catalogue: CatalogueSchema,
  deals: v.pipe(v.array(Keyed), v.maxLength(100_000)),
  campaigns: v.pipe(v.array(Keyed), v.maxLength(10_000)),
  content: v.pipe(v.array(Keyed), v.maxLength(100_000)),
  scorer: ScorerSchema,
  /** Association rules over product indexes, each from ≥ k members. */
  rules: v.pipe(v.array(RuleSchema), v.maxLength(100_000)),
  /** [category, lower tertile cut, upper cut] of members' units, for categories with ≥ 3k members. */
  segmentCuts: v.pipe(v.array(v.tuple([text(), finite, finite])), v.maxLength(100_000)),
  /** Product indexes: store-wide bestsellers, and "for you" candidates (bestsellers of each category). */
  popular: v.pipe(v.array(int(0, 1_000_000)), v.maxLength(10_000)),
  forYou: v.pipe(v.array(int(0, 1_000_000)), v.maxLength(100_000)),
});

/** The store model as it travels. */
export type StoreModelWire = v.InferOutput<typeof StoreModelWireSchema>;

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
});

/** The answer of `GET /v1/stores/{store}/packs`. */
export type PackChangesWire = v.InferOutput<typeof PackChangesWireSchema>;

/** Why a body was refused. */
export type PackError = 'bad-shape' | 'bad-array' | 'bad-length' | 'bad-index';

// ---------------------------------------------------------------------------------------------------------------
// Store model

/** What a device uses of a store model. */
export interface DeviceStoreModel {
  storeId: string;
  version: number;
  etag: string;
  members: number;
  catalogue: Product[];
  deals: Deal[];
  campaigns: Campaign[];
  content: Content[];
  model: StoreModel;
  rules: { lhs: number[]; rhs: number; support: number; confidence: number; lift: number }[];
  segmentCuts: Map<string, [number, number]>;
  popular: number[];
  forYou: number[];
}

/** Encode a store model (built by headquarters with the k floor and no member index). */
export function storeModelToWire(m: Omit<DeviceStoreModel, 'model'> & { model: StoreModel; k: number; builtAt: string }): StoreModelWire {
  const cats = dictionary(m.catalogue.map((p) => p.category));
  const brands = dictionary(m.catalogue.map((p) => p.brand));
  const tagNames = dictionary(m.catalogue.flatMap((p) => p.tags));
  const sizes = dictionary(m.catalogue.flatMap((p) => (p.size ? [p.size] : [])));
  const units = dictionary(m.catalogue.flatMap((p) => (p.unit ? [p.unit] : [])));
  // Item pair similarities as 16-bit fractions of the largest (relative error < 1e-5: the ranking they feed is unchanged).
  let simMax = 0;
  for (const x of m.model.itemNbrSims) if (x > simMax) simMax = x;
  const s = m.model;
  return {
    format: 'larder-store-model/1', storeId: m.storeId, version: m.version, etag: m.etag, builtAt: m.builtAt, k: m.k, members: m.members,
    catalogue: {
      ids: m.catalogue.map((p) => p.id), names: m.catalogue.map((p) => p.name),
      categories: cats.names, category: packInts(m.catalogue.map((p) => cats.index.get(p.category)!)),
      brands: brands.names, brand: packInts(m.catalogue.map((p) => brands.index.get(p.brand)!)),
      storeBrand: packInts(m.catalogue.map((p) => (p.brandType === 'store' ? 1 : 0))),
      priceCents: packInts(m.catalogue.map((p) => p.priceCents)),
      sizeNames: sizes.names, size: packInts(m.catalogue.map((p) => (p.size ? sizes.index.get(p.size)! + 1 : 0))),
      unitNames: units.names, unit: packInts(m.catalogue.map((p) => (p.unit ? units.index.get(p.unit)! + 1 : 0))),
      tagNames: tagNames.names,
      tags: m.catalogue.flatMap((p, i) => (p.tags.length ? [[i, ...p.tags.map((t) => tagNames.index.get(t)!)]] : [])),
    },
    deals: m.deals as unknown as StoreModelWire['deals'],
    campaigns: m.campaigns as unknown as StoreModelWire['campaigns'],
    content: m.content as unknown as StoreModelWire['content'],
    scorer: {
      params: s.params as unknown as StoreModelWire['scorer']['params'],
      buyers: packInts(Array.from(s.popularity, (x) => Math.round(x * m.members))),
      // Priors in single precision: a log-normal mean and variances need no more than 7 digits, and halve the bytes.
      priorMu: packArray(Float32Array.from(s.priorMu)), priorTau2: packArray(Float32Array.from(s.priorTau2)), priorSigma2: packArray(Float32Array.from(s.priorSigma2)),
      itemNbrCounts: packInts(Array.from({ length: s.itemCount }, (_, i) => s.itemNbrOffsets[i + 1]! - s.itemNbrOffsets[i]!)), itemNbrIds: packInts(s.itemNbrIds), itemNbrSims: packInts(Array.from(s.itemNbrSims, (x) => (simMax > 0 ? Math.round((x / simMax) * 65535) : 0))), simMax,
      repeatRate: s.repeatRate,
    },
    rules: m.rules.map((r) => ({ lhs: [...r.lhs], rhs: r.rhs, support: r.support, confidence: r.confidence, lift: r.lift })),
    segmentCuts: [...m.segmentCuts].map(([c, [lo, hi]]) => [c, lo, hi] as [string, number, number]),
    popular: [...m.popular],
    forYou: [...m.forYou],
  };
}

/** Check and decode a store model body (JSON already parsed). */
export function parseStoreModel(body: unknown): Result<DeviceStoreModel, PackError> {
  const r = v.safeParse(StoreModelWireSchema, body);
  if (!r.success) return fail('bad-shape', issuePath(r.issues));
  const w = r.output;
  const n = w.catalogue.ids.length;
  const c = w.catalogue;
  const arrays = {
    category: unpackArray(c.category), brand: unpackArray(c.brand), storeBrand: unpackArray(c.storeBrand), priceCents: unpackArray(c.priceCents),
    size: unpackArray(c.size), unit: unpackArray(c.unit), buyers: unpackArray(w.scorer.buyers), priorMu: unpackArray(w.scorer.priorMu), priorTau2: unpackArray(w.scorer.priorTau2),
    priorSigma2: unpackArray(w.scorer.priorSigma2), itemNbrCounts: unpackArray(w.scorer.itemNbrCounts), itemNbrIds: unpackArray(w.scorer.itemNbrIds),
    itemNbrSims: unpackArray(w.scorer.itemNbrSims),
  };
  for (const [name, a] of Object.entries(arrays)) if (!a) return fail('bad-array', name);
  const a = arrays as { [K in keyof typeof arrays]: AnyArray };
  if (c.names.length !== n) return fail('bad-length', 'catalogue.names');
  for (const name of ['category', 'brand', 'storeBrand', 'priceCents', 'size', 'unit', 'buyers', 'priorMu', 'priorTau2', 'priorSigma2'] as const) {
    if (a[name].length !== n) return fail('bad-length', name);
  }
  const itemNbrOffsets = new Int32Array(n + 1);
  if (a.itemNbrCounts.length !== n) return fail('bad-length', 'itemNbrCounts');
  for (let i = 0; i < n; i++) {
    if (!(a.itemNbrCounts[i]! >= 0)) return fail('bad-index', 'itemNbrCounts');
    itemNbrOffsets[i + 1] = itemNbrOffsets[i]! + a.itemNbrCounts[i]!;
  }
  if (itemNbrOffsets[n] !== a.itemNbrIds.length || a.itemNbrSims.length !== a.itemNbrIds.length) return fail('bad-length', 'itemNbr');
  if (!inRange(a.itemNbrIds, n)) return fail('bad-index', 'itemNbrIds');
  if (!inRange(a.category, c.categories.length)) return fail('bad-index', 'catalogue.category');
  if (!inRange(a.brand, c.brands.length)) return fail('bad-index', 'catalogue.brand');
  if (!inRange(a.size, c.sizeNames.length + 1) || !inRange(a.unit, c.unitNames.length + 1)) return fail('bad-index', 'catalogue.size/unit');
  if (c.tags.some(([i, ...t]) => i! >= n || t.some((x) => x >= c.tagNames.length))) return fail('bad-index', 'catalogue.tags');
  for (let i = 0; i < n; i++) if (a.buyers[i]! > w.members) return fail('bad-index', 'scorer.buyers');
  if (w.popular.some((i) => i >= n) || w.forYou.some((i) => i >= n)) return fail('bad-index', 'popular');
  if (w.rules.some((r) => r.rhs >= n || r.lhs.some((i) => i >= n))) return fail('bad-index', 'rules');
  const tags = new Map(c.tags.map(([i, ...t]) => [i!, t.map((x) => c.tagNames[x]!)]));
  const catalogue: Product[] = c.ids.map((pid, i) => {
    const size = a.size[i] ? c.sizeNames[a.size[i]! - 1] : undefined;
    const unit = a.unit[i] ? c.unitNames[a.unit[i]! - 1] : undefined;
    return {
      id: pid, name: c.names[i]!, category: c.categories[a.category[i]!]!, brand: c.brands[a.brand[i]!]!,
      brandType: a.storeBrand[i] ? 'store' : 'national', priceCents: a.priceCents[i]!,
      ...(size ? { size } : {}), ...(unit ? { unit } : {}), tags: tags.get(i) ?? [],
    };
  });
  const model: StoreModel = {
    itemCount: n,
    params: w.scorer.params as unknown as ScorerParams,
    popularity: Float32Array.from(a.buyers, (b) => (w.members ? b / w.members : 0)),
    popular: Int32Array.from(w.popular),
    priorMu: Float64Array.from(a.priorMu), priorTau2: Float64Array.from(a.priorTau2), priorSigma2: Float64Array.from(a.priorSigma2),
    itemNbrOffsets, itemNbrIds: Int32Array.from(a.itemNbrIds), itemNbrSims: Float32Array.from(a.itemNbrSims, (q) => (q / 65535) * w.scorer.simMax),
    memberNbr: { offsets: new Int32Array(1), items: new Int32Array(0), values: new Float32Array(0), norms2: new Float64Array(0) },
    repeatRate: w.scorer.repeatRate,
  };
  return {
    ok: true,
    value: {
      storeId: w.storeId, version: w.version, etag: w.etag, members: w.members, catalogue,
      deals: w.deals as unknown as Deal[], campaigns: w.campaigns as unknown as Campaign[], content: w.content as unknown as Content[],
      model, rules: w.rules, segmentCuts: new Map(w.segmentCuts.map(([cat, lo, hi]) => [cat, [lo, hi]])), popular: w.popular, forYou: w.forYou,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Member pack

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
  const h = p.history;
  const nb = h.basketIds.length;
  const keep: number[] = [];
  const lineStart = new Int32Array(nb + 1);
  for (let b = 0; b < nb; b++) {
    lineStart[b] = keep.length;
    for (let l = h.lineStart[b]!; l < h.lineStart[b + 1]!; l++) if (map[h.products[l]!]! >= 0) keep.push(l);
  }
  lineStart[nb] = keep.length;
  const items: number[] = [];
  const values: number[] = [];
  p.neighbour.items.forEach((i, e) => {
    if (map[i]! >= 0) {
      items.push(map[i]!);
      values.push(p.neighbour.values[e]!);
    }
  });
  return {
    history: {
      memberId: h.memberId, basketIds: h.basketIds, days: h.days, minutes: h.minutes, lineStart,
      products: Int32Array.from(keep, (l) => map[h.products[l]!]!), qty: Float32Array.from(keep, (l) => h.qty[l]!),
      priceCents: Int32Array.from(keep, (l) => h.priceCents[l]!), discountCents: Int32Array.from(keep, (l) => h.discountCents[l]!),
    },
    neighbour: { items: Int32Array.from(items), values: Float32Array.from(values), neighbours: p.neighbour.neighbours },
  };
}

function dictionary(values: readonly string[]): { names: string[]; index: Map<string, number> } {
  const index = new Map<string, number>();
  const names: string[] = [];
  for (const s of values) if (!index.has(s)) index.set(s, names.push(s) - 1);
  return { names, index };
}

function inRange(a: ArrayLike<number>, n: number): boolean {
  for (let i = 0; i < a.length; i++) if (!(a[i]! >= 0 && a[i]! < n)) return false;
  return true;
}

const fail = (error: PackError, detail?: string): Result<never, PackError> => ({ ok: false, error, ...(detail ? { detail } : {}) });

const issuePath = (issues: readonly v.BaseIssue<unknown>[]): string => {
  const i = issues[0]!;
  const path = i.path?.map((p) => String(p.key)).join('.');
  return path ? `${path}: ${i.message}` : i.message;
};
