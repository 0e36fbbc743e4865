// A worker thread of the batch pool (piscina): each thread has its own PostgreSQL connections and runs whole tasks
// (a store's shared parts, or one shard: read the members' histories in key ranges, compose, sign, write).
import { workerData } from 'node:worker_threads';
import { openPostgres } from '../db/postgres.ts';
import type { Db } from '../db/db.ts';
import type { Mac } from '../../core/checkout/list-code.ts';
import { ensureContext, type StoreContext } from './context.ts';
import { runShard, storeMac, type ShardResult, type ShardSpec } from './shard.ts';

/** A task: build (or read) a store's parts for the day, or run a shard. */
export type PoolTask = { kind: 'context'; storeId: string; asOfDay: number } | { kind: 'shard'; shard: ShardSpec };

let db: Promise<Db> | undefined;
const contexts = new Map<string, Promise<StoreContext>>();
const macs = new Map<string, Promise<Mac>>();

/** The thread's context for a store and day, read once. */
export function cachedContext(d: Db, storeId: string, asOfDay: number): Promise<StoreContext> {
  const key = `${asOfDay}|${storeId}`;
  let c = contexts.get(key);
  if (!c) contexts.set(key, (c = ensureContext(d, storeId, asOfDay, new Date())));
  return c;
}

export function cachedMac(d: Db, storeId: string): Promise<Mac> {
  let m = macs.get(storeId);
  if (!m) macs.set(storeId, (m = storeMac(d, storeId, new Date())));
  return m;
}

export default async function task(t: PoolTask): Promise<ShardResult | { members: number }> {
  db ??= openPostgres((workerData as { url: string }).url, { max: 2 });
  const d = await db;
  if (t.kind === 'context') return { members: (await cachedContext(d, t.storeId, t.asOfDay)).data.members };
  const ctx = await cachedContext(d, t.shard.storeId, t.shard.asOfDay);
  return runShard(d, t.shard, ctx, await cachedMac(d, t.shard.storeId));
}
