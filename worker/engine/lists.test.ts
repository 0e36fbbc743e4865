import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { expose, wrap, type Remote } from 'comlink';
import type { Result } from '../../core/result.ts';
import { parseDay } from '../../core/dates.ts';
import { createEngine, type Engine } from '../engine-api.ts';
import type { FindMemberError, ListError, ScanResult } from './lists.ts';
import { generateDemoStore } from '../../demo/demo-store.ts';
import { demoFeedFiles } from '../../cli/generate.ts';
import { importDemoFeeds } from '../../test/support/demo-feeds.ts';

const store = generateDemoStore({ members: 50, seed: 13, endDate: '2026-06-30', days: 240 });
const files = demoFeedFiles(store);
const TODAY = parseDay('2026-07-01')!;
const realPut = IDBObjectStore.prototype.put;
afterEach(() => { IDBObjectStore.prototype.put = realPut; });

/** The engine behind Comlink without a Worker, as the page sees it. */
function connect(): Remote<Engine> {
  const { port1, port2 } = new MessageChannel();
  expose(createEngine({ dbName: `scan-${Math.random()}`, today: () => TODAY }), port1);
  return wrap<Engine>(port2);
}

describe('a card scan in one call', () => {
  let engine: Remote<Engine>;
  beforeAll(async () => {
    engine = connect();
    await importDemoFeeds(engine, files);
  }, 60_000);

  it('answers through Comlink with the member, their list, the day and whether the list is stored', () => {
    expectTypeOf<Awaited<ReturnType<Remote<Engine>['scanCard']>>>().toEqualTypeOf<Result<ScanResult, FindMemberError | ListError>>();
    expectTypeOf<ScanResult>().toEqualTypeOf<{ member: { id: string; firstName?: string; personalise: boolean }; list: import('../../core/types.ts').ShoppingList; today: number; stored: boolean }>();
  });

  it('gives what finding the member, their list and the day gave in three calls, and the same list at the next scan', async () => {
    const m = store.members.find((x) => x.consent.personalise && store.baskets.some((b) => b.memberId === x.id))!;
    const scan = await engine.scanCard(m.cardCode);
    if (!scan.ok) throw new Error(scan.error);
    expect(scan.value.member).toEqual({ id: m.id, firstName: m.firstName, personalise: true });
    expect(scan.value.today).toBe(TODAY);
    expect(scan.value.stored).toBe(true);
    expect(scan.value.list.memberId).toBe(m.id);
    const [found, list, today] = await Promise.all([engine.findMember(m.cardCode), engine.listFor(m.id), engine.today()]);
    expect(found).toEqual({ ok: true, value: scan.value.member });
    expect(list).toEqual({ ok: true, value: scan.value.list });
    expect(today).toBe(scan.value.today);
    const again = await engine.scanCard(` ${m.cardCode} `);
    expect(again.ok && again.value).toEqual(scan.value);
  });

  it('says what is wrong with a card that is not a member\'s', async () => {
    const card = store.members[0]!.cardCode;
    expect(await engine.scanCard(card.slice(1))).toEqual({ ok: false, error: 'wrong-length' });
    expect(await engine.scanCard(card.slice(0, 12) + ((Number(card[12]) + 1) % 10))).toEqual({ ok: false, error: 'bad-check-digit' });
    expect(await engine.scanCard('4006381333931')).toEqual({ ok: false, error: 'unknown-card' });
  });

  it('says stored: false when the list could not be written (storage full), and that list is counted unsaved', async () => {
    const m = store.members.filter((x) => x.consent.personalise)[3]!;
    const before = (await engine.status()).unsavedLists;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'lists') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    } as IDBObjectStore['put'];
    const scan = await engine.scanCard(m.cardCode);
    IDBObjectStore.prototype.put = realPut;
    if (!scan.ok) throw new Error(scan.error);
    expect(scan.value.stored).toBe(false);
    expect((await engine.settled()).unsaved).toContain(scan.value.list.id);
    expect((await engine.status()).unsavedLists).toBe(before + 1);
    // With room again, the next scan makes and stores a list.
    const next = await engine.scanCard(m.cardCode);
    expect(next.ok && next.value.stored).toBe(true);
  });
});
