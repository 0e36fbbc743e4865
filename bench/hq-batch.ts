// The fortnightly batch at headquarters on a real PostgreSQL server (a throwaway one, hq/test-support/postgres.ts): a
// synthetic chain (demo/chain.ts, a year of weekly baskets per member) loaded straight into the member database, then
// `larder hq batch` run as its own process, so its peak memory is the batch's alone: with 2 worker threads (the
// figure), with 1 (the baseline), for a quarter of the chain and the whole of it (memory must not grow with members),
// and through the job queue with two `larder hq worker` processes. `LARDER_BENCH_PG=postgres://…` runs on a server of
// your own and keeps the chain there for the next run.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatDay, parseDay } from '../core/dates.ts';
import { DEFAULT_CHAIN, storeId } from '../demo/chain.ts';
import { loadChain } from '../cli/generate-chain.ts';
import { openPostgres } from '../hq/db/postgres.ts';
import { startPostgres, type TestPostgres } from '../hq/test-support/postgres.ts';
import { figure, type Figure } from './figures.ts';

const BIN = fileURLToPath(new URL('../bin/larder.mjs', import.meta.url));
const STORES = 20;

/** Run `larder …` to its end; its last stdout line as JSON. */
function larder(args: string[], log: (t: string) => void): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let lastErr = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { lastErr = d.toString().trim().split('\n').pop() ?? lastErr; log(`  ${lastErr}`); });
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 && code !== 1) reject(new Error(`larder ${args.join(' ')} exited ${code}: ${lastErr}`));
      else {
        log(`  larder ${args.filter((x) => !x.startsWith('postgres')).join(' ')}: ${line}`);
        resolve(JSON.parse(line) as Record<string, number>);
      }
    });
  });
}

/** The batch through the job queue: `hq batch --queue` and two worker processes; seconds until every shard is done. */
async function queued(url: string, asOf: string, log: (t: string) => void): Promise<Record<string, number>> {
  const workers = [0, 1].map(() => spawn(process.execPath, [BIN, 'hq', 'worker', '--db', url, '--json'], { stdio: ['ignore', 'ignore', 'ignore'] }));
  try {
    return await larder(['hq', 'batch', '--db', url, '--as-of', asOf, '--queue', '--json'], log);
  } finally {
    for (const w of workers) w.kill('SIGTERM');
  }
}

/** A database `chain_N` on the bench's server: a throwaway one, or the server of `LARDER_BENCH_PG` (a connection URL
 * to any database of it), where a chain loaded by an earlier run is used again. */
async function chainDatabase(pg: TestPostgres | undefined, members: number): Promise<string> {
  const name = `chain_${members}`;
  if (pg) return pg.database(name);
  const base = new URL(process.env.LARDER_BENCH_PG!);
  const admin = await openPostgres(base.toString());
  try {
    if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).length) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  base.pathname = `/${name}`;
  return base.toString();
}

/** The hq batch figures on a chain of `members` (default 200,000; quick 40,000) in 20 stores of equal size: the batch
 * of a quarter of the stores (50,000 members; quick 10,000) beside the whole chain's, for peak memory. */
export async function* hqBatchFigures(options: { quick?: boolean; members?: number; log?: (t: string) => void } = {}): AsyncGenerator<Figure> {
  const log = options.log ?? ((t: string) => console.error(t));
  const members = options.members ?? (options.quick ? 40_000 : 200_000);
  const pg = process.env.LARDER_BENCH_PG ? undefined : await startPostgres();
  try {
    const url = await chainDatabase(pg, members);
    const db = await openPostgres(url);
    const t0 = performance.now();
    const [had] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'members'");
    const loadedBefore = had?.n ? Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM members'))[0]!.n) : 0;
    if (loadedBefore !== members) {
      log(`hq batch bench: loading a chain of ${members.toLocaleString('en')} members in ${STORES} stores…`);
      await loadChain(db, { ...DEFAULT_CHAIN, members, stores: STORES }, (done) => { if (done % 20_000 === 0) log(`  loaded ${done.toLocaleString('en')} members`); });
      await db.query('VACUUM ANALYZE');
    }
    const load = (performance.now() - t0) / 1000;
    const [{ lines }] = await db.query<{ lines: number }>('SELECT count(*)::int AS lines FROM basket_lines') as [{ lines: number }];
    const end = parseDay(DEFAULT_CHAIN.endDate)!;
    // Each run on a day of its own just after the data's last, as a real fortnight's would be (members' recent spend
    // makes their lists personal; a day far past the data would make every list store-wide, and fast). What an earlier
    // bench run left for those days on this database is cleared first: its lists, runs and queued shards.
    await db.query('DELETE FROM batch_runs WHERE as_of_day > $1', [end]);
    await db.query("DELETE FROM lists WHERE source = 'batch'");
    if ((await db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'larder_jobs' AND table_name = 'job'")).length) {
      await db.query("DELETE FROM larder_jobs.job WHERE name = 'larder-batch-shard'");
    }
    await db.close();
    const day = (k: number) => formatDay(end + 1 + k);
    const quarter = Array.from({ length: STORES / 4 }, (_, i) => storeId(i)).join(',');
    // The first run packs every history it reads (`packs.repacked`); the next runs read packs, as every fortnight
    // does once its new baskets are merged in.
    const cold = await larder(['hq', 'batch', '--db', url, '--as-of', day(0), '--workers', '2', '--json'], log);
    const two = await larder(['hq', 'batch', '--db', url, '--as-of', day(1), '--workers', '2', '--json'], log);
    const small = await larder(['hq', 'batch', '--db', url, '--as-of', day(2), '--stores', quarter, '--workers', '2', '--json'], log);
    const one = await larder(['hq', 'batch', '--db', url, '--as-of', day(3), '--workers', '1', '--json'], log);
    const queue = await queued(url, day(4), log);
    if (!two.personalised) log('hq batch bench: warning: no personal list was made, so the figure is of store-wide lists only');
    const big = { members, cold, two, one, queue, load, lines: Number(lines) };
    const name = `hq.lists.${Math.round(big.members / 1000)}k_members.s`;
    yield figure(name, big.two.seconds!, 's', {
      baseline: big.one.seconds, baselineName: '1 worker thread', target: big.members === 200_000 ? '< 60' : undefined,
      note: `${big.members.toLocaleString('en')} members of ${STORES} stores, ${big.lines.toLocaleString('en')} basket lines, 2 worker threads, PostgreSQL 15 on this machine, histories packed; ${big.two.personalised} personal lists; the first run, packing every history: ${big.cold.seconds} s; chain loaded in ${big.load.toFixed(0)} s`,
    });
    yield figure('hq.lists.peak_rss_mb', big.two.peak_rss_mb!, 'MB', {
      baseline: small.peak_rss_mb, baselineName: `${small.members.toLocaleString('en')} members`, target: 'not growing with members',
      note: `the batch process (main thread and both workers); ${small.members.toLocaleString('en')} members (${STORES / 4} of the stores): ${small.peak_rss_mb} MB, ${big.members.toLocaleString('en')}: ${big.two.peak_rss_mb} MB`,
    });
    yield figure('hq.lists.per_s.2_workers', big.two.per_s!, 'lists/s', { baseline: big.one.per_s, baselineName: '1 worker thread' });
    yield figure('hq.lists.per_s.queue_2_processes', Math.round(big.members / big.queue.seconds!), 'lists/s', {
      baseline: big.two.per_s, baselineName: '2 worker threads', note: 'two larder hq worker processes sharing the pg-boss queue; the time includes queue polling and the coordinator\'s wait',
    });
  } finally {
    await pg?.stop();
  }
}
