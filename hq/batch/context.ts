// What every list of one store in one batch shares: the catalogue, the scorer's store model and segment cuts (from an
// evenly spread sample of the store's histories, as the device builds its own: worker/list-context.ts), deals,
// campaigns, content, what is left of each deal budget, and the key id the lists are signed with. Made once per
// (batch day, store) and kept in `batch_contexts`, so every worker and every re-run composes with the same parts.
import { deserialize, serialize } from 'node:v8';
import type { Campaign, Content, Day, Deal, Member, Product } from '../../core/types.ts';
import { tripsOf, type PackedHistory } from '../../core/history.ts';
import { buildStoreModel, type StoreModel } from '../../core/lists/next-basket.ts';
import { segmentCutsPacked } from '../../core/lists/member-summary.ts';
import type { StoreParts } from '../../core/lists/compose.ts';
import { hashString } from '../../core/random.ts';
import type { Queryable } from '../db/db.ts';
import { keyRing } from '../keys.ts';
import type { CatalogueIndex } from './histories.ts';
import { readPacked } from './packs.ts';

/** Past this many members a store's model is built from a sample of this many histories and has no member-neighbour
 * index (the same rule as the device's, worker/list-context.ts). */
export const MODEL_SAMPLE = 5000;

/** The shared parts as stored (structured-clone data). */
export interface StoreContextData {
  asOfDay: Day;
  storeId: string;
  keyId: number;
  members: number;
  catalogue: Product[];
  model: StoreModel;
  /** Members of the model's member-neighbour index, in index order (empty past {@link MODEL_SAMPLE}). */
  modelMembers: string[];
  segmentCuts: [string, number, number][];
  deals: Deal[];
  campaigns: Campaign[];
  content: Content[];
  dealBudgetLeft: [string, number][];
}

/** The shared parts ready for core: {@link StoreParts} plus the catalogue and its index. */
export interface StoreContext {
  data: StoreContextData;
  parts: StoreParts;
  catalogue: CatalogueIndex;
}

/** The catalogue, by product id (dense index = position). */
export async function readCatalogue(q: Queryable): Promise<Product[]> {
  return (await q.query<{ data: Product }>('SELECT data FROM products ORDER BY product_id')).map((r) => r.data);
}

/** Build the shared parts of a store's lists for a batch day. */
export async function buildContext(q: Queryable, storeId: string, asOfDay: Day, now: Date): Promise<StoreContextData> {
  const catalogue = await readCatalogue(q);
  const index = new Map(catalogue.map((p, i) => [p.id, i]));
  const cat: CatalogueIndex = { index, products: catalogue };
  const ids = (await q.query<{ member_id: string }>('SELECT member_id FROM members WHERE home_store = $1 ORDER BY member_id', [storeId])).map((r) => r.member_id);
  const sampled = ids.length <= MODEL_SAMPLE ? ids : Array.from({ length: MODEL_SAMPLE }, (_, i) => ids[Math.floor((i * ids.length) / MODEL_SAMPLE)]!);
  const histories: PackedHistory[] = [];
  for (let at = 0; at < sampled.length; at += 1000) {
    const chunk = sampled.slice(at, at + 1000);
    const read = await readPacked(q, chunk, asOfDay, cat);
    for (const id of chunk) {
      const h = read.get(id);
      if (h) histories.push(h);
    }
  }
  const indexed = ids.length <= MODEL_SAMPLE;
  const itemCategory = Int32Array.from(catalogue, (p) => hashString(p.category) & 0x7fffffff);
  const model = buildStoreModel(histories.map(tripsOf), { itemCount: catalogue.length, itemCategory, ...(indexed ? {} : { params: { neighbours: 0 } }) });
  const segmentCuts = [...segmentCutsPacked(histories, catalogue, asOfDay)].map(([c, [lo, hi]]) => [c, lo, hi] as [string, number, number]);
  const [deals, campaigns, content, budgets] = await Promise.all([
    q.query<{ data: Deal }>('SELECT data FROM deals ORDER BY deal_id'),
    q.query<{ data: Campaign }>('SELECT data FROM campaigns ORDER BY campaign_id'),
    q.query<{ data: Content }>('SELECT data FROM content ORDER BY content_id'),
    q.query<{ deal_id: string; left: number }>('SELECT deal_id, (budget_cents - spent_cents)::int AS left FROM budgets ORDER BY deal_id'),
  ]);
  const ring = await keyRing(q, storeId, now);
  return {
    asOfDay, storeId, keyId: ring.current, members: ids.length, catalogue, model,
    modelMembers: indexed ? histories.map((h) => h.memberId) : [], segmentCuts,
    deals: deals.map((r) => r.data), campaigns: campaigns.map((r) => r.data), content: content.map((r) => r.data),
    dealBudgetLeft: budgets.map((r) => [r.deal_id, Number(r.left)]),
  };
}

/** The store's parts for the batch day: the stored ones, or built now and stored (when two processes build at once,
 * the first stored wins and both use it). */
export async function ensureContext(q: Queryable, storeId: string, asOfDay: Day, now: Date): Promise<StoreContext> {
  const read = async () => (await q.query<{ parts: Uint8Array }>('SELECT parts FROM batch_contexts WHERE as_of_day = $1 AND store_id = $2', [asOfDay, storeId]))[0];
  let row = await read();
  if (!row) {
    const data = await buildContext(q, storeId, asOfDay, now);
    await q.query(`INSERT INTO batch_contexts (as_of_day, store_id, key_id, members, parts, made_at) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT DO NOTHING`, [asOfDay, storeId, data.keyId, data.members, serialize(data), now.toISOString()]);
    row = await read();
  }
  return contextOf(deserialize(Buffer.from(row!.parts)) as StoreContextData);
}

/** The stored parts ready for core (the same derivation as the device's, worker/list-context.ts `fromParts`). */
export function contextOf(data: StoreContextData): StoreContext {
  const productIndex = new Map(data.catalogue.map((p, i) => [p.id, i]));
  const parts: StoreParts = {
    model: data.model,
    position: new Map(data.modelMembers.map((id, i) => [id, i])),
    popular: Array.from(data.model.popular).filter((i) => data.catalogue[i]).slice(0, 12),
    segmentCuts: new Map(data.segmentCuts.map(([c, lo, hi]) => [c, [lo, hi] as const])),
    productIndex,
    deals: data.deals,
    campaigns: data.campaigns,
    content: data.content,
    dealBudgetLeftCents: new Map(data.dealBudgetLeft),
  };
  return { data, parts, catalogue: { index: productIndex, products: data.catalogue } };
}

/** A member as the batch reads them. */
export type BatchMember = Member;
