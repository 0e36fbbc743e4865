// `larder hq batch` on one machine: plan the shards of a batch day, make each store's shared parts, run the shards on a
// pool of worker threads (piscina; each thread reads, composes and writes on its own PostgreSQL connections) or, on the
// embedded database (one process per data folder), in this thread. Progress on stderr; a summary at the end.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Day } from '../../core/types.ts';
import { formatDay } from '../../core/dates.ts';
import type { Db } from '../db/db.ts';
import { ensureContext } from './context.ts';
import { BUCKETS, runShard, storeMac, type ShardResult, type ShardSpec } from './shard.ts';
import type { PoolTask } from './pool-worker.ts';

/** Members per shard aimed at (a shard is one job on the queue, one task in the pool). */
export const SHARD_MEMBERS = 2000;

/** A batch's stores and shards. */
export interface BatchPlan {
  asOfDay: Day;
  stores: { storeId: string; members: number }[];
  shards: ShardSpec[];
  members: number;
}

/** What a run did. */
export interface BatchSummary {
  as_of: string;
  stores: number;
  shards: number;
  members: number;
  made: number;
  skipped: number;
  personalised: number;
  refused: number;
  /** Histories read from current packs, packs brought up to date, members packed from all their baskets. */
  packs: { current: number; merged: number; repacked: number };
  workers: number;
  seconds: number;
  per_s: number;
  peak_rss_mb: number;
}

/** The stores (all with members, or the ones named) and their shards: bucket ranges of about SHARD_MEMBERS members. */
export async function planBatch(db: Db, asOfDay: Day, stores?: readonly string[], shardMembers = SHARD_MEMBERS): Promise<BatchPlan> {
  const counts = await db.query<{ store_id: string; members: number }>(`SELECT home_store AS store_id, count(*)::int AS members FROM members
    WHERE home_store IS NOT NULL ${stores ? 'AND home_store = ANY($1::text[])' : ''} GROUP BY home_store ORDER BY home_store`, stores ? [stores] : []);
  if (stores) {
    const missing = stores.filter((s) => !counts.some((c) => c.store_id === s));
    if (missing.length) throw new Error(`no members with home store ${missing.join(', ')}`);
  }
  const shards: ShardSpec[] = [];
  for (const c of counts) {
    const n = Math.min(BUCKETS, Math.max(1, Math.round(Number(c.members) / shardMembers)));
    for (let i = 0; i < n; i++) shards.push({ asOfDay, storeId: c.store_id, from: Math.floor((i * BUCKETS) / n), to: Math.floor(((i + 1) * BUCKETS) / n) });
  }
  return { asOfDay, stores: counts.map((c) => ({ storeId: c.store_id, members: Number(c.members) })), shards, members: counts.reduce((n, c) => n + Number(c.members), 0) };
}

/** Record the batch day (its stores added to any run of the same day before). */
export async function startRun(db: Db, plan: BatchPlan, now: Date): Promise<void> {
  await db.query(`INSERT INTO batch_runs (as_of_day, stores, started_at) VALUES ($1, $2, $3)
    ON CONFLICT (as_of_day) DO UPDATE SET stores = ARRAY(SELECT DISTINCT s FROM unnest(batch_runs.stores || EXCLUDED.stores) AS s ORDER BY s), finished_at = NULL`,
  [plan.asOfDay, plan.stores.map((s) => s.storeId), now.toISOString()]);
}

/** Mark the batch day finished when every member of its stores has a list (or was refused one by the guard). */
export async function finishRun(db: Db, asOfDay: Day, now: Date): Promise<void> {
  await db.query('UPDATE batch_runs SET finished_at = $2 WHERE as_of_day = $1', [asOfDay, now.toISOString()]);
}

/** Progress on a stream: members done, rate, time left; a line at most every `everyMs`. */
export function progressPrinter(total: number, write: (text: string) => void, everyMs = 1000) {
  const t0 = performance.now();
  let last = 0;
  let done = 0;
  let printed = -1;
  const line = () => {
    const s = (performance.now() - t0) / 1000;
    const rate = s > 0 ? done / s : 0;
    const left = rate > 0 ? Math.max(0, (total - done) / rate) : NaN;
    return `batch: ${done.toLocaleString('en')}/${total.toLocaleString('en')} members (${total ? Math.floor((100 * done) / total) : 100}%), ${Math.round(rate).toLocaleString('en')}/s, ${Number.isNaN(left) ? '?' : Math.ceil(left)} s left`;
  };
  return {
    add(members: number) {
      done += members;
      const t = performance.now();
      if (t - last >= everyMs) {
        last = t;
        printed = done;
        write(line());
      }
    },
    end() {
      if (printed !== done) write(line());
    },
  };
}

const add = (into: ShardResult, r: ShardResult) => {
  into.members += r.members;
  into.made += r.made;
  into.skipped += r.skipped;
  into.personalised += r.personalised;
  into.refused += r.refused;
  into.packs.current += r.packs.current;
  into.packs.merged += r.packs.merged;
  into.packs.repacked += r.packs.repacked;
};

/** Run the batch for a day. `url` (a PostgreSQL server) lets `workers` threads share it; on the embedded database the
 * shards run in this thread. */
export async function runBatch(db: Db, options: { asOfDay: Day; stores?: readonly string[]; workers?: number; url?: string; now?: () => Date; progress?: (text: string) => void; shardMembers?: number }): Promise<BatchSummary> {
  const now = options.now ?? (() => new Date());
  const t0 = performance.now();
  const plan = await planBatch(db, options.asOfDay, options.stores, options.shardMembers);
  await startRun(db, plan, now());
  const progress = progressPrinter(plan.members, options.progress ?? (() => undefined));
  const total: ShardResult = { members: 0, made: 0, skipped: 0, personalised: 0, refused: 0, packs: { current: 0, merged: 0, repacked: 0 } };
  const threads = db.kind === 'postgres' && options.url ? Math.max(1, options.workers ?? Math.min(2, availableParallelism())) : 1;
  if (threads > 1 || (db.kind === 'postgres' && options.url && options.workers !== undefined)) {
    const pool = new Piscina<PoolTask, ShardResult | { members: number }>({
      filename: fileURLToPath(new URL('./pool-entry.mjs', import.meta.url)),
      minThreads: threads, maxThreads: threads, idleTimeout: 5_000, workerData: { url: options.url },
    });
    try {
      // Each store's shared parts first (made once, stored), then the shards: the pool keeps every thread busy.
      await Promise.all(plan.stores.map((s) => pool.run({ kind: 'context', storeId: s.storeId, asOfDay: plan.asOfDay })));
      await Promise.all(plan.shards.map(async (shard) => {
        const r = (await pool.run({ kind: 'shard', shard })) as ShardResult;
        add(total, r);
        progress.add(r.members);
      }));
    } finally {
      await pool.destroy();
    }
  } else {
    for (const s of plan.stores) {
      const ctx = await ensureContext(db, s.storeId, plan.asOfDay, now());
      const mac = await storeMac(db, s.storeId, now());
      for (const shard of plan.shards.filter((x) => x.storeId === s.storeId)) {
        let seen = 0;
        const r = await runShard(db, shard, ctx, mac, { now, onPage: (p) => { seen += p.members; progress.add(p.members); } });
        progress.add(r.members - seen); // members already stored are counted at the end of their shard
        add(total, r);
      }
    }
  }
  progress.end();
  await finishRun(db, plan.asOfDay, now());
  const seconds = (performance.now() - t0) / 1000;
  return {
    as_of: formatDay(plan.asOfDay), stores: plan.stores.length, shards: plan.shards.length, members: plan.members,
    made: total.made, skipped: total.skipped, personalised: total.personalised, refused: total.refused, packs: total.packs, workers: threads,
    seconds: Math.round(seconds * 100) / 100, per_s: Math.round(plan.members / seconds),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
