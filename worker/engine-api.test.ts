import 'fake-indexeddb/auto';
import { describe, expect, it, beforeAll } from 'vitest';
import { expose, wrap, type Remote } from 'comlink';
import { createEngine, type Engine } from './engine-api.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { parseDay } from '../core/dates.ts';

/** The engine behind Comlink without a Worker: one end of a MessageChannel each. */
function connect(dbName: string): Remote<Engine> {
  const { port1, port2 } = new MessageChannel();
  expose(createEngine({ dbName, today: () => END_DAY + 1 }), port1);
  return wrap<Engine>(port2);
}

const store = generateDemoStore({ members: 120, seed: 7, endDate: '2026-06-30', days: 365 });
const END_DAY = parseDay('2026-06-30')!;
const files = demoFeedFiles(store);
const end = Math.max(...store.baskets.map((b) => b.day));
/** Consenting members by spend over the last 13 weeks, highest first: the ones above the list threshold. */
const bigSpenders = store.members
  .filter((m) => m.consent.personalise)
  .map((m) => ({ m, spend: store.baskets.filter((b) => b.memberId === m.id && b.day > end - 91).reduce((s, b) => s + b.lines.reduce((t, l) => t + l.qty * l.unitPriceCents, 0), 0) }))
  .sort((a, b) => b.spend - a.spend)
  .map((x) => x.m);

describe('engine through Comlink', () => {
  let engine: Remote<Engine>;
  beforeAll(async () => {
    engine = connect(`engine-test-${Math.random()}`);
    await importDemoFeeds(engine, files);
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
    const m = bigSpenders[0]!;
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
    const m = bigSpenders[1]!;
    const list = await engine.listFor(m.id);
    if (!list.ok) throw new Error(list.error);
    const req = { code: list.value.code, basketId: 'POS-1', lines: [{ productId: store.products[0]!.id, qty: 2 }] };
    const first = await engine.checkout(req);
    expect(first.ok && first.value.replay).toBe(false);
    const outbox = await engine.outboxStatus();
    for (let i = 0; i < 3; i++) await engine.checkout(req);
    expect(await engine.outboxStatus()).toEqual(outbox);
  });

  it('redeems a list offer once, even when a second basket with the same product is checked out', async () => {
    const found = await Promise.all(bigSpenders.slice(0, 12).map((m) => engine.listFor(m.id)));
    const list = found.find((l) => l.ok && l.value.items.some((i) => i.offer))!;
    if (!list?.ok) throw new Error('no list with an offer among the big spenders');
    const item = list.value.items.find((i) => i.offer)!;
    const lines = [{ productId: item.productId, qty: item.offer!.kind === 'multibuy' ? item.offer!.value : 1 }];
    const first = await engine.checkout({ code: list.value.code, basketId: 'POS-A', lines });
    expect(first.ok && first.value.receipt.map((r) => r.offerId)).toContain(item.offer!.id);
    const second = await engine.checkout({ code: list.value.code, basketId: 'POS-B', lines });
    expect(second.ok && second.value.receipt).toEqual([]);
    expect(second.ok && second.value.refusals).toContainEqual({ offerId: item.offer!.id, productId: item.productId, name: item.name, reason: 'already-redeemed' });
  });

  it('tells the cashier exactly what is wrong with a scanned list code', async () => {
    const m = bigSpenders[2]!;
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
    // Every imported basket, plus the three checked out above (POS-1, POS-A, POS-B).
    expect(visits).toBe(store.baskets.filter((b) => b.day <= report.asOfDay).length + 3);
    const milk = store.products.find((p) => p.category === 'dairy/milk')!;
    const together = await engine.boughtTogether(milk.id);
    expect(Array.isArray(together)).toBe(true);
  });

  it('publishes a manufacturer report without member ids, hiding cells of fewer than k members', async () => {
    const report = await engine.manufacturerReport({ k: 10 });
    const text = JSON.stringify(report);
    for (const m of store.members.slice(0, 50)) expect(text).not.toContain(m.id);
    const cells = report.rows.flatMap((r) => r.cells);
    expect(cells.some((c) => c.members === null)).toBe(true);
    // A cell describing nobody reveals nobody: zeros are published, anything from 1 to k-1 is not.
    for (const c of cells) if (c.members !== null && c.members !== 0) expect(c.members).toBeGreaterThanOrEqual(10);
  });

  it('erases a member\'s history and lists from the device when they withdraw consent', async () => {
    const m = bigSpenders[5]!;
    expect((await engine.listFor(m.id)).ok).toBe(true);
    const r = await engine.setConsent(m.id, false);
    expect(r).toEqual({ ok: true, value: { erased: true } });
    const list = await engine.listFor(m.id);
    expect(list.ok && list.value.personalised).toBe(false);
    expect(list.ok && list.value.items.every((i) => i.kind === 'cold-start' || i.reason.code !== 'due')).toBe(true);
    expect((await engine.findMember(m.cardCode)).ok && (await engine.findMember(m.cardCode))).toMatchObject({ value: { personalise: false } });
  });
});
