import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine } from './engine-api.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { parseDay } from '../core/dates.ts';
import { openStore } from './store.ts';

const store = generateDemoStore({ members: 60, seed: 3, endDate: '2026-06-30', days: 200 });
const files = demoFeedFiles(store);
const END = parseDay('2026-06-30')!;

describe('checkout under random scan sequences', () => {
  it('never redeems an offer twice and never loses or duplicates a basket, whatever is scanned, retried or replayed', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ basket: fc.integer({ min: 0, max: 4 }), byCard: fc.boolean(), preview: fc.boolean(), items: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 12 }),
      async (scans) => {
        const dbName = `checkout-prop-${++run}-${Math.random()}`;
        const engine = createEngine({ dbName, today: () => END + 1 });
        await importDemoFeeds(engine, files);
        const member = store.members.find((m) => m.consent.personalise)!;
        const list = await engine.listFor(member.id);
        if (!list.ok) throw new Error(list.error);
        const offered = list.value.items.filter((i) => i.offer).map((i) => i.productId);
        const pool = offered.length ? offered : list.value.items.map((i) => i.productId);
        // The same basket id always carries the same lines, as a POS retry does.
        const linesOf = new Map<number, { productId: string; qty: number }[]>();
        const before = (await engine.status()).histories;
        for (const scan of scans) {
          if (!linesOf.has(scan.basket)) linesOf.set(scan.basket, [...new Set(scan.items.map((i) => pool[i % pool.length]!))].map((productId) => ({ productId, qty: 3 })));
          const req = { code: scan.byCard ? member.cardCode : list.value.code, basketId: `P-${scan.basket}`, lines: linesOf.get(scan.basket)! };
          const r = scan.preview ? await engine.previewCheckout(req) : await engine.checkout(req);
          expect(r.ok).toBe(true);
        }
        const db = await openStore(dbName);
        const redemptions = await db.getAll('redemptions');
        const history = (await db.get('packs', member.id))?.history;
        db.close();
        // Each offer of the list at most once, whatever the baskets.
        const perOffer = new Map<string, number>();
        for (const r of redemptions.filter((x) => x.listId === list.value.id)) perOffer.set(r.offerId, (perOffer.get(r.offerId) ?? 0) + 1);
        for (const n of perOffer.values()) expect(n).toBe(1);
        // Each confirmed basket exactly once in the history; previews add nothing.
        const confirmed = new Set(scans.filter((s) => !s.preview).map((s) => `P-${s.basket}`));
        const stored = history!.basketIds.filter((id) => id.startsWith('P-'));
        expect(new Set(stored)).toEqual(confirmed);
        expect(stored.length).toBe(confirmed.size);
        expect((await engine.status()).histories).toBe(before);
      },
    ), { numRuns: 25 });
  });
});
