import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { createCodes, createSerials } from './codes.ts';
import { openStore } from './store.ts';
import { createEngine } from './engine-api.ts';
import { allLists } from './lists.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { parseDay } from '../core/dates.ts';

describe('list serials', () => {
  it('never repeat for a day across engines of one database, block after block, and start afresh per day', async () => {
    const name = `serials-${Math.random()}`;
    const d = await openStore(name);
    const a = createSerials(async () => d, 3), b = createSerials(async () => d, 3);
    const taken = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).take(20_000)));
    expect(new Set(taken).size).toBe(40);
    expect(taken.every((s) => Number.isInteger(s) && s >= 0 && s < 1_000_000)).toBe(true);
    // A restarted engine (a reloaded tab) goes on after what was reserved, not from a clock.
    const again = createSerials(async () => d, 3);
    const later = await Promise.all(Array.from({ length: 7 }, () => again.take(20_000)));
    expect(later.filter((s) => taken.includes(s))).toEqual([]);
    expect((await createSerials(async () => d, 3).take(20_001))).toBeGreaterThanOrEqual(0);
    d.close();
  });

  it('give two engines issuing a batch at once distinct list codes, so every list is stored', async () => {
    const store = generateDemoStore({ members: 60, seed: 5, endDate: '2026-06-30', days: 120 });
    const files = demoFeedFiles(store);
    const dbName = `serials-engines-${Math.random()}`;
    const today = () => parseDay('2026-07-01')!;
    // Both engines start in the same millisecond (two tabs opened together; a clock is no source of distinct serials).
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_790_000_000_000);
    const first = createEngine({ dbName, today });
    const second = createEngine({ dbName, today });
    now.mockRestore();
    await importDemoFeeds(first, files);
    const ids = await first.memberIds();
    expect((await first.listFor(ids[0]!)).ok).toBe(true); // the store's signing key is stored: both sign with it
    await first.settled();
    const half = ids.length / 2;
    const [x, y] = await Promise.all([first.listsFor(ids.slice(1, half)), second.listsFor(ids.slice(half))]);
    expect(x.issued + y.issued).toBe(ids.length - 1);
    const d = await openStore(dbName);
    const lists = await allLists(d);
    expect(lists).toHaveLength(ids.length);
    expect(new Set(lists.map((l) => l.code)).size).toBe(ids.length);
    d.close();
  });

  it('are signed with one key even when two engines start on a new store at once: every list verifies at checkout', async () => {
    const store = generateDemoStore({ members: 20, seed: 6, endDate: '2026-06-30', days: 120 });
    const files = demoFeedFiles(store);
    const dbName = `serials-keys-${Math.random()}`;
    const today = () => parseDay('2026-07-01')!;
    const loader = createEngine({ dbName, today });
    await importDemoFeeds(loader, files);
    const [a, b] = [createEngine({ dbName, today }), createEngine({ dbName, today })];
    const ids = await a.memberIds();
    const lists = await Promise.all([a.listFor(ids[0]!), b.listFor(ids[1]!)]);
    await Promise.all([a.settled(), b.settled()]);
    for (const list of lists) {
      if (!list.ok) throw new Error(list.error);
      const item = list.value.items[0]!;
      const preview = await a.previewCheckout({ code: list.value.code, basketId: `K-${list.value.id}`, lines: [{ productId: item.productId, qty: 1 }] });
      expect(preview.ok ? preview.value.listId : preview.error).toBe(list.value.id);
    }
  });
});

describe('list keys when storage is full', () => {
  /** A database whose `meta` writes fail as Chrome fails them when the quota is used up, until `room` is set. */
  function fullDatabase() {
    const meta = new Map<string, unknown>();
    const state = { room: false };
    const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const db = {
      get: async (_store: string, key: string) => meta.get(key),
      transaction: () => {
        const writes: [string, unknown][] = [];
        const done = (async () => {
          await new Promise((r) => setTimeout(r, 0)); // commits once the caller's requests are in, as IndexedDB does
          if (writes.length && !state.room) throw quota();
          for (const [k, v] of writes) meta.set(k, v);
        })();
        done.catch(() => undefined);
        return {
          store: { get: async (key: string) => meta.get(key), put: (v: unknown, key: string) => { writes.push([key, v]); return Promise.resolve(); } },
          done,
          get error() { return writes.length && !state.room ? quota() : null; },
        };
      },
    };
    return { db: db as unknown as Parameters<typeof createCodes>[0] extends () => Promise<infer D> ? D : never, state, meta };
  }

  it('signs with a key kept in memory, marked so its lists are neither stored nor printed, then with a stored key once there is room', async () => {
    const { db, state, meta } = fullDatabase();
    const codes = createCodes(async () => db);
    const first = await codes.issue(20_000, 1);
    expect(codes.isTransient(first)).toBe(true);
    expect(meta.has('listKeys')).toBe(false);
    // Verified within the session (the kiosk shows it); a later start, with another key, would not.
    expect((await codes.verify(first)).ok).toBe(true);
    state.room = true;
    const second = await codes.issue(20_000, 2);
    expect(codes.isTransient(second)).toBe(false);
    expect(meta.has('listKeys')).toBe(true);
    expect((await codes.verify(second)).ok).toBe(true);
    // A restarted engine reads the stored key: the stored list's code verifies, the transient one's does not.
    const restarted = createCodes(async () => db);
    expect((await restarted.verify(second)).ok).toBe(true);
    expect((await restarted.verify(first)).ok).toBe(false);
  });
});
