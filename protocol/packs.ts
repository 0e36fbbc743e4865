// What headquarters hands a device (DESIGN.md "Who holds what"): the store model (aggregates only, every statistic
// from ≥ k members, no member id) and one member's own pack (their history, consent, controls, shown-items memory
// and the neighbour term summed at headquarters). Numeric columns travel as base64 of little-endian typed arrays in
// the narrowest type that holds them (core/history-codec.ts), so a 30,000-product model and two years of baskets
// stay small once gzipped; the parsers refuse a body whose arrays disagree on lengths or point outside the catalogue.
// This file is the store model; the member pack is protocol/member-pack.ts (re-exported here), the typed arrays
// protocol/packed-arrays.ts.
import * as v from 'valibot';
import type { Campaign, Content, Deal, Product } from '../core/types.ts';
import type { StoreModel } from '../core/lists/store-model.ts';
import type { ScorerParams } from '../core/lists/scorer-params.ts';
import type { Result } from '../core/result.ts';
import { FEATURE_COUNT } from '../core/lists/calibrated.ts';

import { PackedArraySchema, dictionary, fail, finite, id, inRange, int, issuePath, text, packArray, packInts, unpackArray, type AnyArray, type PackError } from './packed-arrays.ts';
export { packArray, packInts, unpackArray, type ArrayType, type PackedArray, type PackError } from './packed-arrays.ts';
export * from './member-pack.ts';

// ---------------------------------------------------------------------------------------------------------------
// Schemas

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
  freqWeight: finite, dueWeight: finite, repeatBias: finite, repeatSlots: int(0, 3),
  /** The calibrated blend's weights, one per feature (core/lists/calibrated.ts), when the store's fit chose it. */
  calibration: v.optional(v.pipe(v.array(finite), v.length(FEATURE_COUNT))),
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
