import 'fake-indexeddb/auto';
import { describe, expect, it, beforeAll } from 'vitest';
import { expose, wrap, type Remote } from 'comlink';
import { createEngine, type Engine } from './engine-api.ts';
import { generateDemoStore } from '../core/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';

/** The engine behind Comlink without a Worker: one end of a MessageChannel each. */
function connect(dbName: string): Remote<Engine> {
  const { port1, port2 } = new MessageChannel();
  expose(createEngine({ dbName }), port1);
  return wrap<Engine>(port2);
}

const store = generateDemoStore({ members: 120, seed: 7, endDate: '2026-06-30', days: 365 });
const files = demoFeedFiles(store);

describe('engine through Comlink', () => {
  let engine: Remote<Engine>;
  beforeAll(async () => {
    engine = connect(`engine-test-${Math.random()}`);
    for (const name of ['products.csv', 'members.csv', 'deals.csv', 'content.json', 'baskets.csv']) {
      const r = await engine.importText(name, files[name]!);
      expect(r.ok).toBe(true);
    }
  });

  it('stores every basket once, and re-importing the same baskets is a no-op', async () => {
    const before = await engine.status();
    expect(before.histories).toBeGreaterThan(100);
    const again = await engine.importText('baskets.csv', files['baskets.csv']!);
    expect(again.ok && again.value).toMatchObject({ accepted: 0, rejected: 0, duplicates: store.baskets.reduce((n, b) => n + b.lines.length, 0) });
    expect(await engine.status()).toEqual(before);
  });

  it('finds a member by card and refuses a card with a wrong check digit', async () => {
    const m = store.members[0]!;
    const found = await engine.findMember(m.cardCode);
    expect(found).toEqual({ ok: true, value: { id: m.id, firstName: m.firstName, personalise: m.consent.personalise } });
    const bad = m.cardCode.slice(0, 12) + ((Number(m.cardCode[12]) + 1) % 10);
    expect(await engine.findMember(bad)).toEqual({ ok: false, error: 'bad-check-digit' });
  });

  it('gives a consenting member a list of things they bought before, and keeps it for the cadence', async () => {
    const m = store.members.find((x) => x.consent.personalise && store.baskets.filter((b) => b.memberId === x.id).length > 20)!;
    const day = (await engine.today());
    const list = await engine.listFor(m.id, day);
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    const bought = new Set(store.baskets.filter((b) => b.memberId === m.id).flatMap((b) => b.lines.map((l) => l.productId)));
    expect(list.value.items.length).toBeGreaterThan(3);
    for (const item of list.value.items.filter((i) => i.kind === 'repeat')) expect(bought.has(item.productId)).toBe(true);
    const again = await engine.listFor(m.id, day + 3);
    expect(again.ok && again.value.id).toBe(list.value.id);
  });

  it('adds a checked-out basket to the history exactly once, however often it is retried', async () => {
    const m = store.members.find((x) => x.consent.personalise)!;
    const list = await engine.listFor(m.id);
    if (!list.ok) throw new Error(list.error);
    const req = { code: list.value.code, basketId: 'POS-1', lines: [{ productId: store.products[0]!.id, qty: 2 }] };
    const first = await engine.checkout(req);
    expect(first.ok && first.value.replay).toBe(false);
    const outbox = await engine.outboxStatus();
    for (let i = 0; i < 3; i++) await engine.checkout(req);
    expect(await engine.outboxStatus()).toEqual(outbox);
  });

  it('tells the cashier exactly what is wrong with a scanned list code', async () => {
    const m = store.members.find((x) => x.consent.personalise)!;
    const list = await engine.listFor(m.id);
    if (!list.ok) throw new Error(list.error);
    const code = list.value.code;
    const lines = [{ productId: store.products[0]!.id, qty: 1 }];
    const flip = (i: number) => code.slice(0, i) + ((Number(code[i]) + 1) % 10) + code.slice(i + 1);
    expect(await engine.previewCheckout({ code: flip(code.length - 1), basketId: 'x', lines })).toMatchObject({ ok: false, error: 'bad-check-digit' });
    expect(await engine.previewCheckout({ code: code.slice(1), basketId: 'x', lines })).toMatchObject({ ok: false });
    const other = store.members.find((x) => x.id !== m.id)!;
    expect(await engine.previewCheckout({ code, card: other.cardCode, basketId: 'x', lines })).toMatchObject({ ok: false, error: 'other-member' });
    expect(await engine.previewCheckout({ code, basketId: 'x', lines: [] })).toMatchObject({ ok: false, error: 'empty-basket' });
  });

  it('serves the insight report: category rules, fair churn warnings, shopping patterns', async () => {
    const report = await engine.insights();
    expect(report.categoryRules.length).toBeGreaterThan(0);
    expect(report.activity!.params.r).toBeGreaterThan(0);
    expect(Number.isFinite(report.activity!.loglik)).toBe(true);
    for (const w of report.churn) expect(['reminder', 'non-price-reward']).toContain(w.action);
    const visits = report.patterns.byWeekday.visits.reduce((a, b) => a + b, 0);
    // Every imported basket, plus the one checked out above.
    expect(visits).toBe(store.baskets.filter((b) => b.day <= report.asOfDay).length + 1);
    const milk = store.products.find((p) => p.category === 'dairy/milk')!;
    const together = await engine.boughtTogether(milk.id);
    expect(Array.isArray(together)).toBe(true);
  });
});
