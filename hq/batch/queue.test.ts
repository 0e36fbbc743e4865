// The batch past one machine: shards as jobs on pg-boss in a real PostgreSQL server, two `larder hq worker` processes
// sharing them, one killed (SIGKILL) while it holds a shard: its shard is taken over once its lock expires, and every
// member ends with exactly one list.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDay } from '../../core/dates.ts';
import { demoFeedFiles } from '../../cli/generate.ts';
import { generateDemoStore } from '../../demo/demo-store.ts';
import { startPostgres, type TestPostgres } from '../test-support/postgres.ts';
import { importTexts } from '../test-support/fixtures.ts';
import { openPostgres } from '../db/postgres.ts';
import { migrate } from '../db/migrate.ts';
import type { Db } from '../db/db.ts';
import { enqueueBatch, openQueue, QUEUE_SCHEMA, shardJobId, waitForBatch } from './queue.ts';

const BIN = fileURLToPath(new URL('../../bin/larder.mjs', import.meta.url));
const store = generateDemoStore({ members: 240, days: 200, endDate: '2026-11-22' });
const files = demoFeedFiles(store);
const DAY = parseDay('2026-11-23')!;
const LOCK = 3;
let pg: TestPostgres;
let db: Db;
let url: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  url = await pg.database('queue');
  db = await openPostgres(url);
  await migrate(db);
  await importTexts(db, { 'products.csv': files['products.csv']!, 'members.csv': files['members.csv']!, 'deals.csv': files['deals.csv']!, 'content.json': files['content.json']!, 'baskets.csv': files['baskets.csv']! });
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await db?.close();
  await pg?.stop();
}, 60_000);

/** A `larder hq worker` process and the JSON lines it prints. */
function worker(): { child: ChildProcess; lines: Record<string, unknown>[]; next(test: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> } {
  const child = spawn(process.execPath, [BIN, 'hq', 'worker', '--db', url, '--lock-seconds', String(LOCK), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiting: { test: (l: Record<string, unknown>) => boolean; go: (l: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const l = JSON.parse(text) as Record<string, unknown>;
    lines.push(l);
    for (const w of [...waiting]) if (w.test(l)) { waiting.splice(waiting.indexOf(w), 1); w.go(l); }
  });
  child.stderr!.on('data', () => undefined);
  return { child, lines, next: (test) => new Promise((go) => { const seen = lines.find(test); if (seen) go(seen); else waiting.push({ test, go }); }) };
}

it('two worker processes, one killed holding a shard: the shard is taken over and every member has exactly one list', async () => {
  const boss = await openQueue(url, LOCK);
  const plan = await enqueueBatch(db, boss, DAY, { lockSeconds: LOCK, shardMembers: 30 });
  // Enqueueing again adds nothing.
  await enqueueBatch(db, boss, DAY, { lockSeconds: LOCK, shardMembers: 30 });
  const [{ n: jobs }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${QUEUE_SCHEMA}.job WHERE name = 'larder-batch-shard'`) as [{ n: number }];
  expect(jobs).toBe(plan.shards.length);
  await boss.stop({ graceful: false, wait: true });
  expect(plan.shards.length).toBeGreaterThan(4);

  const a = worker();
  // A takes its second shard (its first is done): killed at once, holding it.
  await a.next((l) => 'made' in l);
  const held = await a.next((l) => 'taking' in l && a.lines.filter((x) => 'taking' in x).length >= 2);
  a.child.kill('SIGKILL');
  const b = worker();
  await waitForBatch(db, plan, undefined, 250);
  expect(a.lines.some((l) => 'made' in l && l.shard === held.shard && a.lines.indexOf(l) > a.lines.indexOf(held))).toBe(false);

  const [{ n, members }] = await db.query<{ n: number; members: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT member_id)::int AS members FROM batch_lists WHERE as_of_day = $1', [DAY]) as [{ n: number; members: number }];
  expect(members).toBe(store.members.length);
  expect(n).toBe(store.members.length);
  const [{ codes }] = await db.query<{ codes: number }>("SELECT count(DISTINCT (store_id, code))::int AS codes FROM lists WHERE source = 'batch'") as [{ codes: number }];
  expect(codes).toBe(store.members.length);
  // The held shard was retried after its lock expired, and finished by the other worker.
  const [job] = await db.query<{ retry_count: number; state: string }>(`SELECT retry_count, state FROM ${QUEUE_SCHEMA}.job WHERE id = $1`, [held.taking]);
  expect(job?.state).toBe('completed');
  expect(Number(job?.retry_count)).toBeGreaterThanOrEqual(1);
  expect(b.lines.some((l) => 'made' in l)).toBe(true);
  const [{ finished }] = await db.query<{ finished: string | null }>('SELECT finished_at AS finished FROM batch_runs WHERE as_of_day = $1', [DAY]) as [{ finished: string | null }];
  expect(finished).not.toBeNull();
  expect(plan.shards.map(shardJobId)).toContain(held.taking);
  b.child.kill('SIGTERM');
}, 240_000);
