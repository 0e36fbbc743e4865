// `--demo`'s load: once, whole, and finished on the next start when the first was interrupted.
import { describe, expect, it } from 'vitest';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { feedFromName } from '../core/feeds/index.ts';
import { openTestDb } from './test-support/dbs.ts';
import { importFeeds } from './import.ts';
import { DEMO_STORE, demoToday, loadDemo } from './demo-data.ts';
import { testHq } from './test-support/client.ts';
import { formatDay } from '../core/dates.ts';

const small = () => generateDemoStore({ members: 40, days: 70 });
const count = async (db: Awaited<ReturnType<typeof openTestDb>>['db'], table: string) =>
  Number((await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

describe('the demo load', () => {
  it('loads the store and its PIN once; a second start changes nothing', async () => {
    const { db, close } = await openTestDb('pglite');
    try {
      expect(await loadDemo(db, small)).toBe(true);
      const before = [await count(db, 'products'), await count(db, 'basket_lines'), await count(db, 'campaigns')];
      expect(before.every((n) => n > 0)).toBe(true);
      expect(await count(db, 'store_pins')).toBe(1);
      expect((await db.query('SELECT store_id FROM store_pins'))[0]).toMatchObject({ store_id: DEMO_STORE });
      expect(await loadDemo(db, small)).toBe(false);
      expect([await count(db, 'products'), await count(db, 'basket_lines'), await count(db, 'campaigns')]).toEqual(before);
    } finally {
      await close();
    }
  });

  it('finishes a load that stopped after the products: campaigns and baskets come in, nothing is doubled', async () => {
    const { db, close } = await openTestDb('pglite');
    try {
      const files = demoFeedFiles(small());
      const products = Object.entries(files).filter(([name]) => feedFromName(name)?.kind === 'products');
      await importFeeds(db, products.map(([name, text]) => ({ file: name, ...feedFromName(name)!, chunks: async function* () { yield text; } })), { now: () => new Date() });
      const productsIn = await count(db, 'products');
      expect(productsIn).toBeGreaterThan(0);
      expect(await count(db, 'campaigns')).toBe(0);
      expect(await loadDemo(db, small)).toBe(true);
      expect(await count(db, 'products')).toBe(productsIn);
      expect(await count(db, 'campaigns')).toBeGreaterThan(0);
      expect(await count(db, 'basket_lines')).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });

  it("names the demo's day at enrolment: the day after the feeds' last basket, unmoved by a till's basket", async () => {
    const { db, close } = await openTestDb('pglite');
    try {
      const hq = await testHq(db, { demo: true });
      // Nothing loaded yet: no day to name, and the kiosk keeps the real date.
      const empty = await hq.json(hq.request('POST', '/v1/demo/enrollment'));
      expect(empty.status).toBe(201);
      expect(empty.body).not.toHaveProperty('today');
      const store = small();
      await loadDemo(db, () => store);
      // The demo store's last basket (another store's may end later).
      const last = Math.max(...store.baskets.filter((b) => b.storeId === DEMO_STORE).map((b) => b.day));
      expect(await demoToday(db)).toBe(last + 1);
      // A demo kiosk's checkout on that day reaches headquarters as a till basket: tomorrow does not come of it.
      const { token } = await hq.enrol(DEMO_STORE);
      const member = store.members.find((m) => m.homeStore === DEMO_STORE)!;
      const basket = { id: 'TILL-1', memberId: member.id, day: last + 1, lines: [{ productId: store.products[0]!.id, qty: 1, unitPriceCents: 100 }] };
      expect((await hq.request('POST', '/v1/baskets', { token, body: basket, headers: { 'idempotency-key': 'TILL-1' } })).status).toBeLessThan(300);
      const answer = await hq.json(hq.request('POST', '/v1/demo/enrollment'));
      expect(answer).toMatchObject({ status: 201, body: { storeId: DEMO_STORE, today: formatDay(last + 1) } });
    } finally {
      await close();
    }
  });

  it('has no enrolment route without --demo', async () => {
    const { db, close } = await openTestDb('pglite');
    try {
      expect((await (await testHq(db)).request('POST', '/v1/demo/enrollment')).status).toBe(404);
    } finally {
      await close();
    }
  });
});
