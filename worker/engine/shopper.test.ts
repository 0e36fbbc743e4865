import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDay } from '../../core/dates.ts';
import { createEngine } from '../engine-api.ts';
import { generateDemoStore } from '../../demo/demo-store.ts';
import { demoFeedFiles } from '../../cli/generate.ts';
import { importDemoFeeds } from '../../test/support/demo-feeds.ts';

const store = generateDemoStore({ members: 60, seed: 21, endDate: '2026-06-30', days: 300 });
const files = demoFeedFiles(store);
const TODAY = parseDay('2026-07-01')!;

describe('a shopper control answers with the list it changed', () => {
  const engine = createEngine({ dbName: `shopper-${Math.random()}`, today: () => TODAY });
  beforeAll(async () => importDemoFeeds(engine, files), 60_000);

  it('"not for me" answers with the current list without the product, as the next ask for the list gives it', async () => {
    const m = store.members.find((x) => x.consent.personalise && store.baskets.filter((b) => b.memberId === x.id).length > 10)!;
    const before = await engine.listFor(m.id);
    if (!before.ok) throw new Error(before.error);
    const victim = before.value.items[0]!.productId;
    const r = await engine.setItemControl(m.id, victim, 'not-for-me');
    if (!r.ok) throw new Error(r.error);
    expect(r.value.controls.notForMe).toHaveProperty(victim);
    expect(r.value.list?.code).toBe(before.value.code);
    expect(r.value.list?.items.map((i) => i.productId)).not.toContain(victim);
    expect(await engine.listFor(m.id)).toEqual({ ok: true, value: r.value.list });
  });

  it('answers with the list current on the day asked for (a page showing another day)', async () => {
    const m = store.members.filter((x) => x.consent.personalise && store.baskets.filter((b) => b.memberId === x.id).length > 10)[1]!;
    const day = TODAY - 20;
    const before = await engine.listFor(m.id, day);
    if (!before.ok) throw new Error(before.error);
    const victim = before.value.items[1]!.productId;
    const r = await engine.setItemControl(m.id, victim, 'mute', day);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.list?.id).toBe(before.value.id);
    expect(r.value.list?.items.map((i) => i.productId)).not.toContain(victim);
    expect(await engine.listFor(m.id, day)).toEqual({ ok: true, value: r.value.list });
  });

  it('makes no list when the member has none current: the answer has none, and the next ask makes it', async () => {
    const m = store.members.filter((x) => x.consent.personalise)[5]!;
    const product = store.products[0]!.id;
    const r = await engine.setItemControl(m.id, product, 'mute');
    expect(r.ok && r.value.list).toBeUndefined();
    const made = await engine.listFor(m.id);
    expect(made.ok && made.value.items.map((i) => i.productId)).not.toContain(product);
    const status = await engine.listsFor([m.id], TODAY);
    expect(status).toMatchObject({ issued: 0, current: 1 });
  });
});
