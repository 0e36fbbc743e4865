// What every list of a store shares, read and built once: the scorer's store model and segment cuts — headquarters'
// on a kiosk synced from it (worker/hq-store-sync.ts), else built here and persisted in `meta`, so a restart reads them
// instead of every history — and the deals, campaigns, content and budgets.
import type { Campaign, Content, Day, Deal } from '../core/types.ts';
import { tripsOf, type PackedHistory } from '../core/history.ts';
import type { StoreModel } from '../core/lists/next-basket.ts';
import { segmentCutsPacked } from '../core/lists/member-summary.ts';
import { hashString } from '../core/random.ts';
import type { LarderDB, ProductRecord } from './store.ts';
import { readAllHistories, readHistory } from './packs.ts';
import { getMeta, keptStoreModel, putMeta, type MetaKey, type MetaValues } from './meta.ts';

/** The store-wide part of every list. */
export interface EngineModel {
  model: StoreModel;
  /** Member id → index in the model's member-neighbour index (empty when the model has none). */
  position: Map<string, number>;
  popular: number[];
  segmentCuts: Map<string, readonly [number, number]>;
  productIndex: Map<string, number>;
  /** Where the scorer's weights come from: headquarters' store model, or a fit on this device. */
  weights: WeightsSource;
}

/** `headquarters`: the store model headquarters built and fitted on every member of the store, as an enrolled kiosk
 * syncs it (no build or fit here). `device`: built and fitted here, in the engine's worker, on the first list after an
 * import (ENGINE_FIT's budget), or SCORER_DEFAULTS for a store too small to fit. */
export type WeightsSource = 'headquarters' | 'device';

/** Deals, campaigns, content and what is left of each deal budget. */
export interface ListContext {
  deals: Deal[];
  campaigns: Campaign[];
  content: Content[];
  dealBudgetLeftCents: Map<string, number>;
}

/** Past this many members the model has no member-neighbour index (it is pairwise) and its store-wide statistics are
 * estimated from an evenly spread sample of this many histories instead of reading every one. */
export const MODEL_SAMPLE = 5000;
const MODEL_VERSION = 2;
/** A persisted model older than this many days is rebuilt (new members, new habits). */
const MODEL_MAX_AGE_DAYS = 14;
/** The prefix of the budget ledger's `meta` keys (worker/meta.ts). */
const BUDGET_PREFIX = 'budget:';

interface Fingerprint { members: number; histories: number; products: number }

/** The store model as persisted in `meta`. */
export interface PersistedModel {
  version: number;
  fingerprint: Fingerprint;
  day: Day;
  model: StoreModel;
  memberIds: string[];
  segmentCuts: [string, number, number][];
  /** Absent in models persisted before the source was kept: fitted on the device. */
  weights?: WeightsSource;
}

/** Deals, campaigns, content and budget ledger, in one read transaction. */
export async function loadListContext(d: LarderDB): Promise<ListContext> {
  const tx = d.transaction(['deals', 'campaigns', 'content', 'meta'], 'readonly');
  const range = IDBKeyRange.bound(BUDGET_PREFIX, `${BUDGET_PREFIX}\uffff`);
  const meta = tx.objectStore('meta');
  const [deals, campaigns, content, keys, values] = await Promise.all([
    tx.objectStore('deals').getAll(), tx.objectStore('campaigns').getAll(), tx.objectStore('content').getAll(),
    meta.getAllKeys(range), meta.getAll(range),
  ]);
  await tx.done;
  const spent = new Map(keys.map((k, i) => [k.slice(BUDGET_PREFIX.length), (values[i] as MetaValues[`budget:${string}`] | undefined) ?? 0]));
  const dealBudgetLeftCents = new Map<string, number>();
  for (const deal of deals) if (deal.budgetCents !== undefined) dealBudgetLeftCents.set(deal.id, deal.budgetCents - (spent.get(deal.id) ?? 0));
  return { deals, campaigns, content, dealBudgetLeftCents };
}

async function fingerprint(d: LarderDB): Promise<Fingerprint> {
  const tx = d.transaction(['packs', 'products'], 'readonly');
  const packs = tx.objectStore('packs');
  const [members, histories, products] = await Promise.all([packs.count(), packs.index('by-history').count(), tx.objectStore('products').count()]);
  return { members, histories, products };
}

const sameFingerprint = (a: Fingerprint, b: Fingerprint) => a.members === b.members && a.histories === b.histories && a.products === b.products;

function fromParts(model: StoreModel, memberIds: readonly string[], cuts: Iterable<[string, number, number]>, catalogue: readonly (ProductRecord | undefined)[], weights: WeightsSource): EngineModel {
  return {
    model,
    weights,
    position: new Map(memberIds.map((id, i) => [id, i])),
    popular: Array.from(model.popular).filter((i) => catalogue[i]).slice(0, 12),
    segmentCuts: new Map([...cuts].map(([c, lo, hi]) => [c, [lo, hi] as const])),
    productIndex: new Map(catalogue.map((p, i) => [p?.id ?? '', i])),
  };
}

/** The histories the model is built from: all of them up to {@link MODEL_SAMPLE}, else an evenly spread sample. */
async function modelHistories(d: LarderDB, total: number): Promise<PackedHistory[]> {
  if (total <= MODEL_SAMPLE) return readAllHistories(d);
  const keys = await d.getAllKeysFromIndex('packs', 'by-history');
  const tx = d.transaction('packs', 'readonly');
  const picked = Array.from({ length: MODEL_SAMPLE }, (_, i) => keys[Math.floor((i * keys.length) / MODEL_SAMPLE)]!);
  const found = await Promise.all(picked.map((k) => readHistory(tx.store, k)));
  await tx.done;
  return found.filter((h): h is PackedHistory => h !== undefined);
}

/** Build the model from the stored histories as of `day`. */
export async function buildEngineModel(d: LarderDB, catalogue: readonly (ProductRecord | undefined)[], day: Day): Promise<{ built: EngineModel; persisted: PersistedModel }> {
  const print = await fingerprint(d);
  const histories = await modelHistories(d, print.histories);
  const memberIds = await d.getAllKeys('packs');
  const known = new Set(memberIds);
  const itemCategory = Int32Array.from(catalogue, (p) => (p ? hashString(p.category) & 0x7fffffff : 0));
  const indexed = print.histories <= MODEL_SAMPLE;
  // Member neighbours are precomputed pairwise: fine for a store of a few thousand members; past that the model keeps
  // item neighbours only (see bench/README.md for the batch path).
  // The weights: fitted here, on this store's own histories (each member's latest basket held out), by the same
  // function `larder eval` measures, with the engine's smaller budget. They travel in the model's params.
  const fixed = indexed ? {} : { neighbours: 0 };
  const trips = histories.map(tripsOf);
  const model = await import('../core/lists/fit.ts').then(({ ENGINE_FIT, fitStoreModel }) => // the fit loads only where it runs
    fitStoreModel(trips, { itemCount: catalogue.length, itemCategory, unit: 'days', ...ENGINE_FIT, fixed }).model);
  const weights: WeightsSource = 'device';
  // Usage tiers are tertiles of members' category volumes: computed once here, for every list.
  const cuts = [...segmentCutsPacked(histories.filter((h) => known.has(h.memberId)), catalogue, day)].map(([c, [lo, hi]]) => [c, lo, hi] as [string, number, number]);
  const ids = indexed ? histories.map((h) => h.memberId) : [];
  return {
    built: fromParts(model, ids, cuts, catalogue, weights),
    persisted: { version: MODEL_VERSION, fingerprint: print, day, model, memberIds: ids, segmentCuts: cuts, weights },
  };
}

/** The persisted model, when it has the current format, is not too old and fits the catalogue; `fits` then tells
 * (later: counting 50,000 records takes longer than a scan may wait) whether it was built from a store of the same
 * size, i.e. whether nothing was written past the engine since. */
export async function loadPersistedModel(d: LarderDB, catalogue: readonly (ProductRecord | undefined)[], day: Day): Promise<{ kept: EngineModel; fits: Promise<boolean> } | undefined> {
  const stored = await getMeta(d, 'storeModel');
  if (!stored || stored.version !== MODEL_VERSION) return undefined;
  if (Math.abs(day - stored.day) > MODEL_MAX_AGE_DAYS || stored.model.itemCount !== catalogue.length) return undefined;
  const fits = fingerprint(d).then((print) => sameFingerprint(stored.fingerprint, print), () => false);
  return { kept: fromParts(stored.model, stored.memberIds, stored.segmentCuts, catalogue, stored.weights ?? 'device'), fits };
}

/** The model headquarters sent (worker/hq-store-sync.ts), when this device is enrolled at its store and the model
 * fits the catalogue it holds (the sync stores both together). Its neighbour term comes with each member's pack. */
export async function loadHqModel(d: LarderDB, catalogue: readonly (ProductRecord | undefined)[]): Promise<EngineModel | undefined> {
  const kept = await keptStoreModel(d);
  if (!kept || kept.model.itemCount !== catalogue.length) return undefined;
  return {
    model: kept.model, weights: 'headquarters', position: new Map(),
    popular: kept.popular.filter((i) => catalogue[i]).slice(0, 12),
    segmentCuts: new Map(kept.segmentCuts.map(([c, lo, hi]) => [c, [lo, hi] as const])),
    productIndex: new Map(catalogue.map((p, i) => [p?.id ?? '', i])),
  };
}

/** Keep a built model for the next start-up. */
export async function persistModel(d: LarderDB, persisted: PersistedModel): Promise<void> {
  await putMeta(d, 'storeModel', persisted);
}

/** Forget the persisted model (the data it was built from changed). */
export async function dropPersistedModel(d: LarderDB): Promise<void> {
  await d.delete('meta', 'storeModel' satisfies MetaKey);
}
