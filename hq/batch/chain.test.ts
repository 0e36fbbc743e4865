// The synthetic chain generator: seeded, each member independent of the chain's size, its feed files valid, and
// loading headquarters directly stores what `hq import` stores from those files.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { chainCatalogue, chainMembers, DEFAULT_CHAIN } from '../../demo/chain.ts';
import { loadChain, writeChainFeeds } from '../../cli/generate-chain.ts';
import { readChunks } from '../../cli/files.ts';
import { feedFromName } from '../../core/feeds/index.ts';
import { openPglite } from '../db/pglite.ts';
import { migrate } from '../db/migrate.ts';
import { importFeeds } from '../import.ts';
import type { Db } from '../db/db.ts';

const options = { ...DEFAULT_CHAIN, members: 40, stores: 3, weeks: 8 };
const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

it('is seeded, and member i is the same in a chain of any size', () => {
  const cat = chainCatalogue(options);
  const small = chainMembers(options, cat).make(7);
  const big = chainMembers({ ...options, members: 5000 }, cat).make(7);
  expect(big).toEqual(small);
  expect(chainMembers({ ...options, seed: 43 }, chainCatalogue({ ...options, seed: 43 })).make(7)).not.toEqual(small);
  const all = [...chainMembers(options, cat).range()];
  expect(new Set(all.map((m) => m.member.homeStore))).toEqual(new Set(['S01', 'S02', 'S03']));
  const baskets = all.flatMap((m) => m.baskets);
  expect(baskets.length / all.length).toBeGreaterThan(options.weeks * 0.7); // weekly, a week away now and then
  for (const b of baskets) expect(b.lines.length).toBeGreaterThan(0);
});

const table = async (db: Db, sql: string) => db.query(sql);

it('writes valid feed files, and a direct load stores the rows hq import stores from them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'larder-chain-'));
  dirs.push(dir);
  const counts = await writeChainFeeds(dir, options);
  expect(counts.members).toBe(40);
  const imported = await openPglite();
  const loaded = await openPglite();
  try {
    await migrate(imported);
    const names = (await readdir(dir)).filter((n) => feedFromName(n));
    const summaries = await importFeeds(imported, names.map((n) => ({ file: n, ...feedFromName(n)!, chunks: () => readChunks(join(dir, n)) })), { now: () => new Date() });
    expect(summaries.every((s) => s.rejected === 0)).toBe(true);
    const direct = await loadChain(loaded, options);
    expect(direct.lines).toBe(counts.lines);
    // Loading again adds nothing.
    await loadChain(loaded, options);
    for (const sql of [
      'SELECT member_id, card_code, home_store, data, row_hash FROM members ORDER BY member_id',
      'SELECT basket_id, member_id, store_id, day, minute FROM baskets ORDER BY basket_id',
      'SELECT basket_id, product_id, qty, unit_price_cents, discount_cents FROM basket_lines ORDER BY basket_id, product_id',
      'SELECT product_id, data FROM products ORDER BY product_id',
      'SELECT deal_id, data FROM deals ORDER BY deal_id',
    ]) expect(await table(loaded, sql)).toEqual(await table(imported, sql));
  } finally {
    await imported.close();
    await loaded.close();
  }
}, 120_000);
