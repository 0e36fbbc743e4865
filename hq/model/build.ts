// The store model and the member packs of one store, built at headquarters from the member database (DESIGN.md "Who
// holds what"): every statistic the model carries comes from ≥ k members (popularity, interval priors, item pairs by
// buildDeviceStoreModel; association rules, segment cuts and candidate lists here), and each pack holds one member's
// own baskets plus their neighbour term, the mean of ≥ k nearest members' vectors (never those members' baskets).
import type { Campaign, Content, Deal, Member, Product } from '../../core/types.ts';
import { tripsOf, type PackedHistory } from '../../core/history.ts';
import type { Trip } from '../../core/types.ts';
import { buildDeviceStoreModel, SCORER_DEFAULTS, type ScorerParams, type StoreModel } from '../../core/lists/next-basket.ts';
import { ENGINE_FIT, fitScorer, MIN_FIT_MEMBERS } from '../../core/lists/fit.ts';
import { K_ANONYMITY, neighbourVectors, type NeighbourVector } from '../../core/lists/neighbours.ts';
import { floorNeighbourVector } from '../../core/lists/neighbour-floor.ts';
import { segmentCutsPacked } from '../../core/lists/member-summary.ts';
import { mineRules, type Rule } from '../../core/insights/rules.ts';
import { hashString } from '../../core/random.ts';
import type { Queryable } from '../db/db.ts';
import { readCatalogue } from '../batch/context.ts';
import { readPacked } from '../batch/packs.ts';
import type { CatalogueIndex } from '../batch/histories.ts';

/** Most association rules a model carries (strongest lift first). */
export const MODEL_RULES = 500;
/** "For you" candidates per category. */
const FOR_YOU_PER_CATEGORY = 3;

/** One store's members as headquarters reads them for its model and packs. */
export interface StoreInputs {
  storeId: string;
  catalogue: Product[];
  cat: CatalogueIndex;
  members: Member[];
  /** Histories by member id (members without baskets are absent). */
  histories: Map<string, PackedHistory>;
  deals: Deal[];
  campaigns: Campaign[];
  content: Content[];
}

/** Read a store's members, their histories (kept packed in `batch_histories`), the catalogue, deals and content. */
export async function readStore(q: Queryable, storeId: string): Promise<StoreInputs> {
  const catalogue = await readCatalogue(q);
  const cat: CatalogueIndex = { index: new Map(catalogue.map((p, i) => [p.id, i])), products: catalogue };
  const members = (await q.query<{ data: Member }>('SELECT data FROM members WHERE home_store = $1 ORDER BY member_id', [storeId])).map((r) => r.data);
  const histories = new Map<string, PackedHistory>();
  for (let at = 0; at < members.length; at += 1000) {
    const read = await readPacked(q, members.slice(at, at + 1000).map((m) => m.id), Infinity, cat);
    for (const [id, h] of read) histories.set(id, h);
  }
  const [deals, campaigns, content] = await Promise.all([
    q.query<{ data: Deal }>('SELECT data FROM deals ORDER BY deal_id'),
    q.query<{ data: Campaign }>('SELECT data FROM campaigns ORDER BY campaign_id'),
    q.query<{ data: Content }>('SELECT data FROM content ORDER BY content_id'),
  ]);
  return { storeId, catalogue, cat, members, histories, deals: deals.map((r) => r.data), campaigns: campaigns.map((r) => r.data), content: content.map((r) => r.data) };
}

/** The aggregates of a store model, before it is versioned. */
export interface StoreAggregates {
  members: number;
  model: StoreModel;
  rules: Rule[];
  segmentCuts: Map<string, [number, number]>;
  popular: number[];
  forYou: number[];
  /** Neighbour terms by member id. */
  neighbours: Map<string, NeighbourVector>;
}

/** Fit the scorer's weights on the store's own histories (each member's latest basket held out; ENGINE_FIT's budget),
 * or SCORER_DEFAULTS for a store too small to fit. */
export function fitParams(trips: readonly (readonly Trip[])[], itemCount: number): ScorerParams {
  const fitting = trips.reduce((n, h) => n + (h.length >= 2 ? 1 : 0), 0);
  if (fitting < MIN_FIT_MEMBERS) return { ...SCORER_DEFAULTS };
  return { ...SCORER_DEFAULTS, ...fitScorer(trips, { itemCount, ...ENGINE_FIT }).params };
}

/** Build the store's aggregates with floor `k` (never below K_ANONYMITY) and the scorer weights `params`. */
export function buildAggregates(s: StoreInputs, params: ScorerParams, k = K_ANONYMITY): StoreAggregates {
  const floor = Math.max(K_ANONYMITY, k);
  const itemCount = s.catalogue.length;
  const withHistory = s.members.filter((m) => s.histories.has(m.id));
  const packed = withHistory.map((m) => s.histories.get(m.id)!);
  const trips = packed.map(tripsOf);
  const itemCategory = Int32Array.from(s.catalogue, (p) => hashString(p.category) & 0x7fffffff);
  const model = buildDeviceStoreModel(trips, { itemCount, itemCategory, params, k: floor });
  // Items a device may hear of: those at least `floor` members bought (the model zeroes the popularity of the rest).
  const allowed = (i: number) => model.popularity[i]! > 0;
  const rules = kAnonymousRules(trips, itemCount, allowed, floor);
  const segmentCuts = kAnonymousCuts(packed, s.catalogue, floor);
  const popular = Array.from(model.popular).filter(allowed);
  const forYou = forYouCandidates(s.catalogue, model.popularity);
  const neighbours = new Map<string, NeighbourVector>();
  const vectors = params.neighbours > 0 ? neighbourVectors(trips, { itemCount, params: { ...params, neighbours: Math.max(floor, params.neighbours) } }) : [];
  withHistory.forEach((m, j) => {
    const vec = vectors[j];
    neighbours.set(m.id, vec && vec.neighbours >= floor ? floorNeighbourVector(vec, trips[j]!, allowed) : { items: new Int32Array(0), values: new Float32Array(0), neighbours: 0 });
  });
  return { members: trips.length >= floor ? trips.length : 0, model, rules, segmentCuts, popular, forYou, neighbours };
}

/** Association rules over the store's baskets, items ≥ k members only, each rule's items bought together (in one
 * basket) by ≥ k distinct members; at most {@link MODEL_RULES}. */
export function kAnonymousRules(trips: readonly (readonly Trip[])[], itemCount: number, allowed: (i: number) => boolean, k: number): Rule[] {
  const baskets: number[][] = [];
  const owner: number[] = [];
  trips.forEach((h, m) => {
    for (const t of h) {
      const items = t.items.filter(allowed);
      if (items.length > 1) {
        baskets.push(items);
        owner.push(m);
      }
    }
  });
  if (!baskets.length) return [];
  const minSupport = Math.max(k, Math.ceil(0.002 * baskets.length)) / baskets.length;
  const mined = mineRules(baskets, itemCount, { minSupport, minConfidence: 0.05, maxLength: 3 });
  // Baskets by item, to count each rule's members from the baskets holding its right-hand side.
  const byItem = new Map<number, number[]>();
  baskets.forEach((b, j) => {
    for (const i of b) {
      const list = byItem.get(i);
      if (list) list.push(j);
      else byItem.set(i, [j]);
    }
  });
  const sets = baskets.map((b) => new Set(b));
  const out: Rule[] = [];
  for (const r of mined) {
    const who = new Set<number>();
    for (const j of byItem.get(r.rhs) ?? []) if (r.lhs.every((i) => sets[j]!.has(i))) who.add(owner[j]!);
    if (who.size >= k) out.push(r);
    if (out.length >= MODEL_RULES) break;
  }
  return out;
}

/** Usage-tier cuts per category, only where ≥ 3k members bought the category (each tertile then holds ≥ k of them). */
export function kAnonymousCuts(histories: readonly PackedHistory[], catalogue: readonly Product[], k: number): Map<string, [number, number]> {
  const buyers = new Map<string, number>();
  const seen = new Set<string>();
  for (const h of histories) {
    seen.clear();
    for (let l = 0; l < h.products.length; l++) seen.add(catalogue[h.products[l]!]!.category);
    for (const c of seen) buyers.set(c, (buyers.get(c) ?? 0) + 1);
  }
  const cuts = segmentCutsPacked(histories, catalogue, Number.MAX_SAFE_INTEGER);
  for (const c of [...cuts.keys()]) if ((buyers.get(c) ?? 0) < 3 * k) cuts.delete(c);
  return cuts;
}

/** "For you" candidates: each category's bestsellers among items the model kept, most popular first. */
function forYouCandidates(catalogue: readonly Product[], popularity: Float32Array): number[] {
  const byCategory = new Map<string, number[]>();
  for (let i = 0; i < catalogue.length; i++) {
    if (!(popularity[i]! > 0)) continue;
    const c = catalogue[i]!.category;
    const list = byCategory.get(c);
    if (list) list.push(i);
    else byCategory.set(c, [i]);
  }
  const out: number[] = [];
  for (const list of byCategory.values()) out.push(...list.sort((a, b) => popularity[b]! - popularity[a]! || a - b).slice(0, FOR_YOU_PER_CATEGORY));
  return out.sort((a, b) => popularity[b]! - popularity[a]! || a - b);
}
