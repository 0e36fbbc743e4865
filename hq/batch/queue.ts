// The batch past one machine: its shards as jobs on a PostgreSQL job queue (pg-boss 10.4.2, the last line that runs
// on Node 20: pg-boss 11 and 12 need Node 22; graphile-worker 0.16, the last for Node 20, takes a dead worker's job
// back only after a fixed 4-hour lock, where pg-boss expires each job after its own `expireInSeconds` and retries it).
// Any number of `larder hq worker` processes, on any number of machines, take shards from it; a shard is idempotent
// (hq/batch/shard.ts), so a shard taken over from a worker that died stores each list once.
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Day } from '../../core/types.ts';
import type { Db } from '../db/db.ts';
import { ensureContext, type StoreContext } from './context.ts';
import { finishRun, planBatch, startRun, type BatchPlan } from './run.ts';
import { runShard, storeMac, type ShardResult, type ShardSpec } from './shard.ts';
import type { Mac } from '../../core/checkout/list-code.ts';

/** The queue's name and its schema in the database. */
export const SHARD_QUEUE = 'larder-batch-shard';
export const QUEUE_SCHEMA = 'larder_jobs';
/** Seconds a shard may stay taken before another worker may take it over (default). */
export const LOCK_SECONDS = 120;

/** A shard's job id: the same for the same shard, so enqueueing a batch twice adds nothing. */
export function shardJobId(s: ShardSpec): string {
  const h = createHash('sha256').update(`${s.asOfDay}|${s.storeId}|${s.from}|${s.to}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Start pg-boss on the database (it makes its own schema at first start). A dead worker's shard is handed out again
 * once its lock expires: the expiry check runs at every maintenance, a few times per lock period. */
export async function openQueue(url: string, lockSeconds = LOCK_SECONDS): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url, schema: QUEUE_SCHEMA, max: 4,
    maintenanceIntervalSeconds: Math.max(1, Math.floor(lockSeconds / 4)), monitorStateIntervalSeconds: Math.max(1, Math.floor(lockSeconds / 4)),
  });
  boss.on('error', (e: Error) => console.error(`job queue: ${e.message}`));
  await boss.start();
  await boss.createQueue(SHARD_QUEUE, { name: SHARD_QUEUE, retryLimit: 20, retryDelay: 1, expireInSeconds: lockSeconds });
  return boss;
}

/** Put a batch day's shards on the queue (a re-run adds none it already has). */
export async function enqueueBatch(db: Db, boss: PgBoss, asOfDay: Day, options: { stores?: readonly string[]; lockSeconds?: number; shardMembers?: number; now?: Date } = {}): Promise<BatchPlan> {
  const plan = await planBatch(db, asOfDay, options.stores, options.shardMembers);
  await startRun(db, plan, options.now ?? new Date());
  await boss.insert(plan.shards.map((shard) => ({
    id: shardJobId(shard), name: SHARD_QUEUE, data: shard, retryLimit: 20, retryDelay: 1, expireInSeconds: options.lockSeconds ?? LOCK_SECONDS,
  })));
  return plan;
}

/** Jobs of these shards not finished yet (waiting, to be retried, or taken). */
export async function unfinishedShards(db: Db, plan: BatchPlan): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND id = ANY($2::uuid[]) AND state IN ('created', 'retry', 'active')`,
    [SHARD_QUEUE, plan.shards.map(shardJobId)]);
  return Number(row?.n ?? 0);
}

/** Wait until every shard of the plan is done, then mark the batch day finished; `onTick` hears of lists stored. */
export async function waitForBatch(db: Db, plan: BatchPlan, onTick?: (stored: number) => void, everyMs = 1000): Promise<void> {
  for (;;) {
    const left = await unfinishedShards(db, plan);
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM batch_lists WHERE as_of_day = $1', [plan.asOfDay]);
    onTick?.(Number(row?.n ?? 0));
    if (left === 0) break;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  await finishRun(db, plan.asOfDay, new Date());
}

/** Take shards from the queue until `stop()`; `concurrency` shards at a time in this process. */
export async function startWorker(db: Db, boss: PgBoss, options: { concurrency?: number; onStart?: (jobId: string, s: ShardSpec) => void; onShard?: (s: ShardSpec, r: ShardResult) => void } = {}): Promise<{ stop(): Promise<void> }> {
  const contexts = new Map<string, Promise<StoreContext>>();
  const macs = new Map<string, Promise<Mac>>();
  const handler = async ([job]: PgBoss.Job<ShardSpec>[]) => {
    const shard = job!.data;
    options.onStart?.(job!.id, shard);
    const key = `${shard.asOfDay}|${shard.storeId}`;
    let ctx = contexts.get(key);
    if (!ctx) contexts.set(key, (ctx = ensureContext(db, shard.storeId, shard.asOfDay, new Date())));
    let mac = macs.get(shard.storeId);
    if (!mac) macs.set(shard.storeId, (mac = storeMac(db, shard.storeId, new Date())));
    // A failure forgets the cached parts: the retry reads them again.
    const r = await runShard(db, shard, await ctx, await mac).catch((e: unknown) => {
      contexts.delete(key);
      macs.delete(shard.storeId);
      throw e;
    });
    options.onShard?.(shard, r);
    return r;
  };
  const ids: string[] = [];
  for (let i = 0; i < Math.max(1, options.concurrency ?? 1); i++) ids.push(await boss.work<ShardSpec>(SHARD_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, handler));
  return {
    async stop() {
      for (const id of ids) await boss.offWork({ id } as PgBoss.OffWorkOptions);
    },
  };
}
