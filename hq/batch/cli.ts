// `larder hq batch` and `larder hq worker`: the fortnightly batch on one machine (worker threads), or as shard jobs on
// the PostgreSQL job queue for worker processes on any number of machines.
import { parseDay } from '../../core/dates.ts';
import type { parseArgs } from '../../cli/args.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../server.ts';
import { enqueueBatch, LOCK_SECONDS, openQueue, startWorker, waitForBatch } from './queue.ts';
import { progressPrinter, runBatch } from './run.ts';

type Args = ReturnType<typeof parseArgs>;

const BATCH_USAGE = 'usage: larder hq batch --as-of yyyy-mm-dd [--stores S01,S02] [--workers N] [--queue] [--db URL | --data DIR] [--json]';
const WORKER_USAGE = 'usage: larder hq worker --db postgres://… [--concurrency N] [--lock-seconds S]';

const positive = (text: string | undefined): number | undefined | false => {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : false;
};

/** Progress lines: rewritten in place on a terminal, one per line otherwise. */
const progressWriter = () => (text: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r${text}\x1b[K`);
  else process.stderr.write(`${text}\n`);
};

/** `larder hq batch`. */
export async function batchCommand(a: Args, data: string, dbUrl: string | undefined): Promise<number> {
  const asOf = parseDay(a.values.get('as-of') ?? '');
  const workers = positive(a.values.get('workers'));
  const lockSeconds = positive(a.values.get('lock-seconds'));
  const stores = a.values.get('stores')?.split(',').map((s) => s.trim()).filter(Boolean);
  if (asOf === undefined || workers === false || lockSeconds === false || (stores && !stores.length)) {
    console.error(BATCH_USAGE);
    return 2;
  }
  if (a.flags.has('queue') && !dbUrl) {
    console.error('larder hq batch --queue: the job queue needs a PostgreSQL server (--db postgres://…)');
    return 2;
  }
  const db = await openDb({ ...(dbUrl ? { db: dbUrl } : {}), data });
  const write = progressWriter();
  try {
    await migrate(db);
    if (db.kind === 'pglite' && workers && workers > 1) console.error('larder hq batch: the embedded database is one process\'s: the shards run in this thread (use --db for worker threads)');
    if (a.flags.has('queue')) {
      const boss = await openQueue(dbUrl!, lockSeconds || LOCK_SECONDS);
      try {
        const t0 = performance.now();
        const plan = await enqueueBatch(db, boss, asOf, { ...(stores ? { stores } : {}), lockSeconds: lockSeconds || LOCK_SECONDS });
        console.error(`batch ${a.values.get('as-of')}: ${plan.shards.length} shards of ${plan.members.toLocaleString('en')} members on the job queue; waiting for larder hq worker processes`);
        let last = 0;
        const progress = progressPrinter(plan.members, write);
        await waitForBatch(db, plan, (stored) => { progress.add(stored - last); last = stored; });
        if (process.stderr.isTTY) process.stderr.write('\n');
        const seconds = (performance.now() - t0) / 1000;
        const summary = { as_of: a.values.get('as-of'), stores: plan.stores.length, shards: plan.shards.length, members: plan.members, stored: last, queue: true, seconds: Math.round(seconds * 100) / 100 };
        if (a.flags.has('json')) console.log(JSON.stringify(summary));
        else console.log(`batch ${summary.as_of}: ${summary.stored.toLocaleString('en')} lists stored for ${summary.members.toLocaleString('en')} members of ${summary.stores} stores in ${summary.seconds} s`);
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
      return 0;
    }
    const summary = await runBatch(db, { asOfDay: asOf, ...(stores ? { stores } : {}), ...(workers ? { workers } : {}), ...(dbUrl ? { url: dbUrl } : {}), progress: write });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (a.flags.has('json')) console.log(JSON.stringify(summary));
    else {
      console.log(`batch ${summary.as_of}: ${summary.made.toLocaleString('en')} lists made (${summary.personalised.toLocaleString('en')} personal), ${summary.skipped.toLocaleString('en')} already stored, `
        + `${summary.refused} refused, ${summary.members.toLocaleString('en')} members of ${summary.stores} stores in ${summary.seconds} s (${summary.per_s.toLocaleString('en')}/s, ${summary.workers} thread${summary.workers === 1 ? '' : 's'}, peak ${summary.peak_rss_mb} MB)`);
    }
    return summary.refused ? 1 : 0;
  } finally {
    await db.close();
  }
}

/** `larder hq worker`: take batch shards from the job queue until SIGINT or SIGTERM. */
export async function workerCommand(a: Args, dbUrl: string | undefined): Promise<number> {
  const concurrency = positive(a.values.get('concurrency'));
  const lockSeconds = positive(a.values.get('lock-seconds'));
  if (!dbUrl || concurrency === false || lockSeconds === false) {
    console.error(WORKER_USAGE);
    return 2;
  }
  const db = await openDb({ db: dbUrl, data: '' });
  await migrate(db);
  const boss = await openQueue(dbUrl, lockSeconds || LOCK_SECONDS);
  const json = a.flags.has('json');
  const worker = await startWorker(db, boss, {
    concurrency: concurrency || 1,
    onStart: (id, s) => { if (json) console.log(JSON.stringify({ taking: id, shard: `${s.storeId}:${s.from}-${s.to}` })); },
    onShard: (s, r) => {
      if (json) console.log(JSON.stringify({ shard: `${s.storeId}:${s.from}-${s.to}`, as_of_day: s.asOfDay, ...r }));
      else console.error(`shard ${s.storeId} buckets ${s.from}-${s.to}: ${r.made} lists made, ${r.skipped} already stored`);
    },
  });
  if (json) console.log(JSON.stringify({ worker: process.pid, queue: 'larder-batch-shard' }));
  else console.error(`batch worker ${process.pid} taking shards from the job queue`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await worker.stop();
  await boss.stop({ graceful: true, wait: true });
  await db.close();
  return 0;
}
