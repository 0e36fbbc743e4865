// `--demo`'s load: once, whole, and finished on the next start when the first was interrupted.
import { describe, expect, it } from 'vitest';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { feedFromName } from '../core/feeds/index.ts';
import { openTestDb } from './test-support/dbs.ts';
import { importFeeds } from './import.ts';
import { DEMO_STORE, loadDemo } from './demo-data.ts';

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
});
