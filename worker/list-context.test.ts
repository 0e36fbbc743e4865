import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from './engine-api.ts';
import { openStore } from './store.ts';
import { memberLists } from './lists.ts';
import { loadListContext, loadPersistedModel } from './list-context.ts';
import { loadPreferences } from './preferences.ts';
import { discoveryIds } from '../core/lists/variety.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { parseDay } from '../core/dates.ts';
import type { ShoppingList } from '../core/types.ts';

const store = generateDemoStore({ members: 80, seed: 3, endDate: '2026-06-30', days: 300 });
const files = demoFeedFiles(store);
const TODAY = parseDay('2026-07-01')!;
const items = (l: ShoppingList) => l.items.map((i) => [i.productId, i.offer?.dealId ?? '', i.reason.code]);

async function loaded(dbName: string) {
  const engine = createEngine({ dbName, today: () => TODAY });
  await importDemoFeeds(engine, files);
  return engine;
}

describe('store model persisted in meta', () => {
  const dbName = `list-context-${Math.random()}`;
  let ids: string[];
  beforeAll(async () => {
    ids = (await (await loaded(dbName)).memberIds());
  }, 60_000);

  it('is written by the first list and read back by a restarted engine, whose lists equal a fresh build\'s', async () => {
    const first = createEngine({ dbName, today: () => TODAY });
    expect((await first.listFor(ids[0]!, TODAY)).ok).toBe(true);
    const d = await openStore(dbName);
    const persisted = (await d.get('meta', 'storeModel')) as { fingerprint: { members: number; histories: number }; model: { itemCount: number } } | undefined;
    expect(persisted?.fingerprint.members).toBe(ids.length);
    expect(persisted?.model.itemCount).toBe(store.products.length);
    const catalogue = (await d.getAll('products')).sort((p, q) => p.idx - q.idx);
    expect(await loadPersistedModel(d, catalogue, TODAY)).toBeDefined(); // what a restarted engine reads first
    expect(await loadPersistedModel(d, catalogue, TODAY + 30)).toBeUndefined(); // too old by then: rebuilt
    d.close();
    // A restart (a new engine on the same database) against an engine that builds from the same data elsewhere.
    const restarted = createEngine({ dbName, today: () => TODAY });
    const fresh = await loaded(`list-context-fresh-${Math.random()}`);
    let personal = 0;
    for (const id of ids.slice(1, 25)) {
      const x = await restarted.listFor(id, TODAY);
      const y = await fresh.listFor(id, TODAY);
      expect(x.ok && y.ok).toBe(true);
      if (!x.ok || !y.ok) continue;
      expect(items(x.value)).toEqual(items(y.value));
      if (x.value.personalised) personal++;
    }
    expect(personal).toBeGreaterThan(3);
  }, 60_000);

  it('is rebuilt when the store changed outside the engine (other member count)', async () => {
    const d = await openStore(dbName);
    const m = store.members[0]!;
    await d.put('packs', { id: 'EXTRA', member: { ...m, id: 'EXTRA', cardCode: '2999999999996' } });
    const engine = createEngine({ dbName, today: () => TODAY });
    const members = async () => ((await d.get('meta', 'storeModel')) as { fingerprint: { members: number } }).fingerprint.members;
    // The first list still uses the persisted model while the records are counted; a later one rebuilds it.
    let day = TODAY + 60;
    for (let i = 1; i < 30 && (await members()) === ids.length; i++) expect((await engine.listFor(ids[i]!, day++)).ok).toBe(true);
    expect(await members()).toBe(ids.length + 1);
    d.close();
  }, 60_000);

  it('is dropped by an import, so the next list builds from the new data', async () => {
    const engine = createEngine({ dbName, today: () => TODAY });
    expect((await engine.listFor(ids[2]!, TODAY + 80)).ok).toBe(true);
    const d = await openStore(dbName);
    expect(await d.get('meta', 'storeModel')).toBeDefined();
    expect((await engine.importText('deals.csv', files['deals.csv']!)).ok).toBe(true);
    await engine.status(); // any later transaction runs after the drop
    expect(await d.get('meta', 'storeModel')).toBeUndefined();
    d.close();
  }, 60_000);
});

describe('lists for many members at once', () => {
  it('issues one list per member, which listFor then returns as current, and counts current lists on a rerun', async () => {
    const dbName = `list-batch-${Math.random()}`;
    const engine = await loaded(dbName);
    const ids = await engine.memberIds();
    const handed: string[] = [];
    const done = await engine.listsFor(ids, TODAY, (l) => handed.push(l.id));
    expect(done).toMatchObject({ issued: ids.length, current: 0, failed: {} });
    const again: string[] = [];
    const rerun = await engine.listsFor([...ids, 'NOBODY'], TODAY + 1, (l) => again.push(l.id));
    expect(again).toEqual(handed); // the current lists, handed out again in the same member order
    expect(rerun).toEqual({ issued: 0, personalised: 0, current: ids.length, failed: { 'unknown-member': 1 } });
    const one = await engine.listFor(ids[5]!, TODAY + 2);
    expect(one.ok && one.value.issuedDay).toBe(TODAY);
    // The discovery items of the personal lists are remembered, as listFor does, so the next lists rotate them.
    const d = await openStore(dbName);
    let remembered = 0;
    let personal = 0;
    for (const id of ids) {
      const lists = await memberLists(d.transaction('lists').store, id);
      expect(lists).toHaveLength(1);
      const list = lists[0]!;
      if (list.personalised) personal++;
      const shown = (await loadPreferences(d, id, TODAY)).shown;
      const discovery = discoveryIds(list);
      if (list.personalised && discovery.length) {
        expect(Object.keys(shown)).toEqual(expect.arrayContaining(discovery));
        remembered++;
      } else expect(shown).toEqual({});
    }
    expect(remembered).toBeGreaterThan(3);
    expect(done.personalised).toBe(personal);
    d.close();
  }, 60_000);
});

describe('batch lists over every member and over a selection', () => {
  it('gives the same items, hidden products left out, whichever members share a chunk', async () => {
    const dense = await loaded(`batch-dense-${Math.random()}`);
    const sparse = await loaded(`batch-sparse-${Math.random()}`);
    const ids = await dense.memberIds();
    const chosen = ids.filter((_, i) => i % 3 === 0); // a third of the members
    // The same shopper control on both devices, for a product the member's list would show.
    const member = chosen.find(Boolean)!;
    const probe = await (await loaded(`batch-probe-${Math.random()}`)).listFor(member, TODAY);
    const hiddenProduct = probe.ok ? probe.value.items[0]?.productId : undefined;
    expect(hiddenProduct).toBeDefined();
    for (const e of [dense, sparse]) expect((await e.setItemControl(member, hiddenProduct!, 'not-for-me')).ok).toBe(true);
    expect(await dense.listsFor(ids, TODAY)).toMatchObject({ issued: ids.length, current: 0, failed: {} });
    expect(await sparse.listsFor(chosen, TODAY)).toMatchObject({ issued: chosen.length, current: 0, failed: {} });
    for (const id of chosen) {
      const [a, b] = [await dense.listFor(id, TODAY), await sparse.listFor(id, TODAY)];
      if (!a.ok || !b.ok) throw new Error('no list');
      expect(b.value.items.map((i) => i.productId)).toEqual(a.value.items.map((i) => i.productId));
      if (id === member) expect(a.value.items.map((i) => i.productId)).not.toContain(hiddenProduct);
    }
  }, 60_000);
});

describe('list context', () => {
  it('reads deals and only the budget keys of meta, and subtracts what was spent', async () => {
    const dbName = `list-ctx-${Math.random()}`;
    const d = await openStore(dbName);
    const deal = { id: 'D1', scopeType: 'product' as const, scope: 'P1', kind: 'percent' as const, value: 10, startDay: 0, endDay: 99999, funder: 'store', budgetCents: 10_000 };
    await d.put('deals', deal);
    await d.put('deals', { ...deal, id: 'D2', budgetCents: undefined });
    await d.put('meta', 2_500, 'budget:D1');
    await d.put('meta', 9, 'budgeted'); // not a budget key, though it sorts next to them
    const ctx = await loadListContext(d);
    expect(ctx.deals.map((x) => x.id)).toEqual(['D1', 'D2']);
    expect([...ctx.dealBudgetLeftCents]).toEqual([['D1', 7_500]]);
    d.close();
  });
});
