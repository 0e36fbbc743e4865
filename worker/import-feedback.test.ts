import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { importFeed, loadImportState, type ImportProgress } from './import.ts';
import { openStore } from './store.ts';
import { readAllHistories } from './packs.ts';
import { feedFromName } from '../core/feeds/schemas.ts';
import { cardCodeOf } from '../cli/transactions.ts';

const PRODUCTS = 'product_id,name,category,brand,brand_type,price_cents\nP1,Milk,dairy,Farm,national,350\nP2,Coffee,drinks,Roast,national,1200\n';
const MEMBERS = `member_id,card_code,consent_personalise\nM1,${cardCodeOf(1)},true\nM2,${cardCodeOf(2)},true\n`;
/** Twelve weekly baskets per member, no line carrying a price (as exports without amounts are). */
const BASKETS = ['basket_id,member_id,date,product_id,qty', ...['M1', 'M2'].flatMap((m) => Array.from({ length: 12 }, (_, w) => {
  const date = new Date(Date.UTC(2026, 0, 5 + 7 * w)).toISOString().slice(0, 10);
  return [`${m}-${w},${m},${date},P1,2`, `${m}-${w},${m},${date},P2,`];
}).flat()), ''].join('\n');

async function* pieces(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function load(name: string, text: string, db: Awaited<ReturnType<typeof openStore>>, onProgress?: (p: ImportProgress) => void, chunk = 1 << 16) {
  return importFeed(db, await loadImportState(db), { name, ...feedFromName(name)! }, pieces(text, chunk), onProgress);
}

describe('basket lines without unit_price_cents', () => {
  it('are stored at the catalogue\'s shelf price, counted in the summary, and the members spend what they bought', async () => {
    const db = await openStore(`shelf-${Math.random()}`);
    await load('products.csv', PRODUCTS, db);
    await load('members.csv', MEMBERS, db);
    const s = await load('baskets.csv', BASKETS, db);
    expect([s.accepted, s.rejected, s.shelfPriced]).toEqual([48, 0, 48]);
    const histories = await readAllHistories(db);
    expect(histories.map((h) => [h.memberId, [...new Set(h.priceCents)].sort((a, b) => a - b)])).toEqual([['M1', [350, 1200]], ['M2', [350, 1200]]]);
    db.close();
  });

  it('give a weekly shopper a personal list ($31 a week at shelf prices, over the $25 threshold; $0 before)', async () => {
    const { createEngine } = await import('./engine-api.ts');
    const engine = createEngine({ dbName: `shelf-engine-${Math.random()}` });
    for (const [name, text] of [['products.csv', PRODUCTS], ['members.csv', MEMBERS], ['baskets.csv', BASKETS.replaceAll(',P2,\n', ',P2,2\n')]] as const) {
      const r = await engine.importText(name, text);
      if (!r.ok) throw new Error(r.error);
      if (name === 'baskets.csv') expect(r.value.shelfPriced).toBe(48);
    }
    const list = await engine.listFor('M1', 20_536); // 2026-03-24, the day after the last basket
    expect(list.ok && [list.value.personalised, list.value.basis]).toEqual([true, undefined]);
  });
});

describe('import progress and rejections', () => {
  const bad = ['basket_id,member_id,date,product_id', ...Array.from({ length: 3000 }, (_, i) => `B${i},M1,${i % 3 ? i : '2026-02-30'},P1`), ''].join('\n');

  it('counts every row read in the progress, rejected ones too, chunk by chunk', async () => {
    const db = await openStore(`progress-${Math.random()}`);
    const seen: ImportProgress[] = [];
    const s = await load('baskets.csv', bad, db, (p) => seen.push(p), 4096);
    expect([s.accepted, s.rejected, s.rows]).toEqual([0, 3000, 3000]);
    expect(seen.length).toBeGreaterThan(10);
    const rows = seen.map((p) => p.rows);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect([rows[0]! > 0, rows[0]! < 3000, rows[rows.length - 1]]).toEqual([true, true, 3000]);
    db.close();
  });

  it('groups the rejections by file, field and reason, with a count and the first line numbers', async () => {
    const db = await openStore(`groups-${Math.random()}`);
    const s = await load('baskets.csv', bad, db);
    // Two texts, one reason: grouped as one (by code where rows carry one, else by the same sentence).
    expect(s.rejections.map((g) => [g.file, g.field, g.count, g.lines, g.value])).toEqual([['baskets.csv', 'date', 3000, [2, 3, 4, 5, 6], '2026-02-30']]);
    db.close();
  });
});
