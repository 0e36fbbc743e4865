// The fortnightly batch at headquarters, on PGlite and on a real PostgreSQL server: one list per member, signed with
// the store's ring, the same lists on a re-run, a run stopped halfway finished by the next.
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import type { Member, ShoppingList } from '../../core/types.ts';
import { composeList } from '../../core/lists/compose.ts';
import { roundedList } from '../../core/lists/stored-list.ts';
import { parseDay } from '../../core/dates.ts';
import { demoFeedFiles } from '../../cli/generate.ts';
import { generateDemoStore } from '../../demo/demo-store.ts';
import { describeEachDb } from '../test-support/dbs.ts';
import { importTexts } from '../test-support/fixtures.ts';
import { codeVerifies } from '../keys.ts';
import type { Db } from '../db/db.ts';
import { ensureContext, readCatalogue } from './context.ts';
import { readHistories } from './histories.ts';
import { readPacked } from './packs.ts';
import { planBatch, runBatch, startRun } from './run.ts';
import { runShard, storeMac } from './shard.ts';

const store = generateDemoStore({ members: 90, days: 200, endDate: '2026-11-22' });
const files = demoFeedFiles(store);
const DAY = parseDay('2026-11-23')!;

async function stored(db: Db, day = DAY): Promise<Map<string, { store_id: string; code: string; list: ShoppingList }>> {
  const rows = await db.query<{ member_id: string; store_id: string; code: string; list: Uint8Array }>('SELECT member_id, store_id, code, list FROM batch_lists WHERE as_of_day = $1', [day]);
  return new Map(rows.map((r) => [r.member_id, { store_id: r.store_id, code: r.code, list: JSON.parse(gunzipSync(Buffer.from(r.list)).toString()) as ShoppingList }]));
}

describeEachDb('hq batch', (db) => {
  it('imports the demo store', async () => {
    const summaries = await importTexts(db(), { 'products.csv': files['products.csv']!, 'members.csv': files['members.csv']!, 'deals.csv': files['deals.csv']!, 'content.json': files['content.json']!, 'baskets.csv': files['baskets.csv']! });
    expect(summaries.every((s) => s.rejected === 0)).toBe(true);
  });

  it('stops a run halfway, then the next run finishes the rest: one list per member, each code verifying with its store ring', async () => {
    const plan = await planBatch(db(), DAY, undefined, 10);
    expect(plan.shards.length).toBeGreaterThan(2);
    await startRun(db(), plan, new Date());
    // A worker that wrote its first page of one shard and died.
    const first = plan.shards[0]!;
    const ctx = await ensureContext(db(), first.storeId, DAY, new Date());
    const partial = await runShard(db(), first, ctx, await storeMac(db(), first.storeId, new Date()), { stopAfterPages: 0 });
    expect(partial.made).toBe(0);
    const some = await runShard(db(), { ...first }, ctx, await storeMac(db(), first.storeId, new Date()));
    expect(some.made).toBeGreaterThan(0);
    const summary = await runBatch(db(), { asOfDay: DAY, shardMembers: 10 });
    expect(summary.members).toBe(store.members.length);
    expect(summary.skipped).toBe(some.made);
    expect(summary.made + summary.skipped + summary.refused).toBe(store.members.length);
    expect(summary.refused).toBe(0);
    const lists = await stored(db());
    expect(lists.size).toBe(store.members.length);
    const [{ n }] = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM lists WHERE source = 'batch'") as [{ n: number }];
    expect(n).toBe(store.members.length);
    for (const m of store.members) {
      const l = lists.get(m.id)!;
      expect(l.store_id).toBe(m.homeStore);
      expect(l.list.code).toBe(l.code);
      expect(l.list.issuedDay).toBe(DAY);
      if (!m.consent.personalise) expect(l.list.personalised).toBe(false);
      expect(await codeVerifies(db(), l.store_id, l.code, new Date())).toBe(true);
      // Another store's ring does not verify it.
      expect(await codeVerifies(db(), l.store_id === 'S01' ? 'S02' : 'S01', l.code, new Date())).toBe(false);
    }
    expect([...lists.values()].filter((l) => l.list.personalised).length).toBeGreaterThan(store.members.length / 3);
    expect(new Set([...lists.values()].map((l) => `${l.store_id}|${l.code}`)).size).toBe(store.members.length);
  });

  it('stores the list core composes for the member, its scores and confidences rounded (roundedList) and nothing else changed', async () => {
    const lists = await stored(db());
    const members = await db().query<{ member_id: string; data: Member }>('SELECT member_id, data FROM members ORDER BY member_id LIMIT 30');
    let rounded = 0;
    for (const r of members) {
      const l = lists.get(r.member_id)!;
      const ctx = await ensureContext(db(), l.store_id, DAY, new Date());
      const history = (await readPacked(db(), [r.member_id], DAY, ctx.catalogue)).get(r.member_id);
      const who = { member: { ...r.data, homeStore: r.data.homeStore ?? l.store_id }, history, hidden: new Set<string>(), shown: {} };
      const made = composeList(who, ctx.parts, ctx.data.catalogue, DAY, { listId: l.list.id, code: l.list.code });
      if (!made.ok) throw new Error(made.error);
      expect(l.list).toEqual(roundedList(made.value));
      if (JSON.stringify(made.value) !== JSON.stringify(l.list)) rounded++;
    }
    expect(rounded).toBeGreaterThan(0); // personal lists' scores were rounded
  });

  it('a re-run with the same day writes nothing; lists deleted are made again exactly as they were', async () => {
    const before = await stored(db());
    const again = await runBatch(db(), { asOfDay: DAY });
    expect(again.made).toBe(0);
    expect(again.skipped).toBe(store.members.length);
    const gone = [...before.keys()].filter((_, i) => i % 3 === 0);
    await db().query('DELETE FROM lists WHERE member_id = ANY($1::text[])', [gone]);
    await db().query('DELETE FROM batch_lists WHERE member_id = ANY($1::text[])', [gone]);
    const redo = await runBatch(db(), { asOfDay: DAY });
    expect(redo.made).toBe(gone.length);
    const after = await stored(db());
    for (const id of gone) expect(after.get(id)).toEqual(before.get(id));
  });

  it('--stores limits the batch; an unknown store is refused', async () => {
    const day = DAY + 14;
    const r = await runBatch(db(), { asOfDay: day, stores: ['S02'] });
    expect(r.members).toBe(store.members.filter((m) => m.homeStore === 'S02').length);
    const lists = await stored(db(), day);
    expect([...lists.values()].every((l) => l.store_id === 'S02')).toBe(true);
    await expect(runBatch(db(), { asOfDay: day, stores: ['S99'] })).rejects.toThrow(/S99/);
  });

  it('packs follow the baskets: a new basket is merged in, a late older one repacks the member, each as a fresh read gives', async () => {
    const [m1, m2] = [store.members[2]!.id, store.members[3]!.id];
    const [p1] = store.products;
    const addBasket = async (id: string, member: string, day: number) => {
      await db().query("INSERT INTO baskets (basket_id, member_id, store_id, day, minute, source, changed_seq) VALUES ($1, $2, 'S01', $3, 600, 'till', 0)", [id, member, day]);
      await db().query('INSERT INTO basket_lines (basket_id, product_id, qty, unit_price_cents, discount_cents) VALUES ($1, $2, 2, 199, 0)', [id, p1!.id]);
    };
    await addBasket('LATE-NEW', m1, DAY + 20);
    await addBasket('LATE-OLD', m2, DAY - 150);
    const day = DAY + 28;
    const catalogue = await readCatalogue(db());
    const cat = { index: new Map(catalogue.map((p, i) => [p.id, i])), products: catalogue };
    const stats = { current: 0, merged: 0, repacked: 0 };
    const fromPacks = await readPacked(db(), [m1, m2, store.members[4]!.id], day, cat, stats);
    expect(stats).toEqual({ current: 1, merged: 1, repacked: 1 });
    const again = { current: 0, merged: 0, repacked: 0 };
    await readPacked(db(), [m1, m2], day, cat, again);
    expect(again).toEqual({ current: 2, merged: 0, repacked: 0 });
    await runBatch(db(), { asOfDay: day });
    const fresh = await readHistories(db(), [m1, m2], day, cat);
    expect(fromPacks.get(m1)!.basketIds).toContain('LATE-NEW');
    expect(fromPacks.get(m2)!.basketIds).toContain('LATE-OLD');
    for (const id of [m1, m2]) {
      const a = fromPacks.get(id)!, b = fresh.get(id)!;
      expect(a.basketIds).toEqual(b.basketIds);
      expect([...a.days]).toEqual([...b.days]);
      expect([...a.products]).toEqual([...b.products]);
      expect([...a.qty]).toEqual([...b.qty]);
      expect([...a.priceCents]).toEqual([...b.priceCents]);
    }
    // As of a day before the new basket, the pack's history stops before it.
    expect((await readPacked(db(), [m1], DAY, cat)).get(m1)!.basketIds).not.toContain('LATE-NEW');
    const lists = await stored(db(), day);
    expect(lists.size).toBe(store.members.length);
  });

  it('an erased member loses their batch lists', async () => {
    const victim = store.members[1]!.id;
    await db().query('DELETE FROM baskets WHERE member_id = $1', [victim]);
    await db().query('DELETE FROM lists WHERE member_id = $1', [victim]);
    await db().query('DELETE FROM members WHERE member_id = $1', [victim]);
    const [{ n }] = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM batch_lists WHERE member_id = $1', [victim]) as [{ n: number }];
    expect(n).toBe(0);
    const [{ packs }] = await db().query<{ packs: number }>('SELECT count(*)::int AS packs FROM batch_histories WHERE member_id = $1', [victim]) as [{ packs: number }];
    expect(packs).toBe(0);
  });
});

