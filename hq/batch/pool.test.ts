// The batch on a pool of worker threads (piscina) against a real PostgreSQL server: each thread reads, composes and
// writes on its own connections; the lists are the ones the single-thread run makes.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDay } from '../../core/dates.ts';
import { demoFeedFiles } from '../../cli/generate.ts';
import { generateDemoStore } from '../../demo/demo-store.ts';
import { startPostgres, type TestPostgres } from '../test-support/postgres.ts';
import { importTexts } from '../test-support/fixtures.ts';
import { openPostgres } from '../db/postgres.ts';
import { migrate } from '../db/migrate.ts';
import type { Db } from '../db/db.ts';
import { runBatch } from './run.ts';

const store = generateDemoStore({ members: 120, days: 200, endDate: '2026-11-22' });
const files = demoFeedFiles(store);
const DAY = parseDay('2026-11-23')!;
let pg: TestPostgres;
let db: Db;
let url: string;

beforeAll(async () => {
  pg = await startPostgres();
  url = await pg.database('pool');
  db = await openPostgres(url);
  await migrate(db);
  await importTexts(db, { 'products.csv': files['products.csv']!, 'members.csv': files['members.csv']!, 'deals.csv': files['deals.csv']!, 'content.json': files['content.json']!, 'baskets.csv': files['baskets.csv']! });
}, 120_000);

afterAll(async () => {
  await db?.close();
  await pg?.stop();
}, 60_000);

const lists = async (day: number) => new Map((await db.query<{ member_id: string; list: Uint8Array }>('SELECT member_id, list FROM batch_lists WHERE as_of_day = $1', [day]))
  .map((r) => [r.member_id, JSON.parse(gunzipSync(Buffer.from(r.list)).toString()) as { items: { productId: string }[]; personalised: boolean; code: string }]));

it('two worker threads make every member one list, the same lists as one thread in this process', async () => {
  const pooled = await runBatch(db, { asOfDay: DAY, workers: 2, url, shardMembers: 15 });
  expect(pooled.workers).toBe(2);
  expect(pooled.shards).toBeGreaterThan(4);
  expect(pooled.made).toBe(store.members.length);
  const fromPool = await lists(DAY);
  expect(fromPool.size).toBe(store.members.length);
  // The same day again in this thread, after the pool's lists are gone: the same lists, codes included.
  await db.query("DELETE FROM lists WHERE source = 'batch'");
  await db.query('DELETE FROM batch_lists');
  const single = await runBatch(db, { asOfDay: DAY });
  expect(single.workers).toBe(1);
  expect(single.made).toBe(store.members.length);
  expect(await lists(DAY)).toEqual(fromPool);
}, 180_000);
