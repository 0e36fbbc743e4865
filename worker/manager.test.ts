import 'fake-indexeddb/auto';
import { describe, expect, it, beforeAll } from 'vitest';
import Papa from 'papaparse';
import { createEngine } from './engine-api.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { parseDay } from '../core/dates.ts';
import { inHoldout } from '../core/lists/campaigns.ts';

// A demo store with its simulated campaign response (demo/demo-store.ts), served to the engine as feed files.
const END = '2026-06-30';
const END_DAY = parseDay(END)!;
const store = generateDemoStore({ members: 600, seed: 11, endDate: END, days: 365 });
const files: Record<string, string> = {
  ...demoFeedFiles(store),
  'manifest.json': JSON.stringify({ endDate: END, files: ['products.csv', 'members.csv', 'baskets.csv', 'campaigns.json'] }),
};
const serve = async (url: RequestInfo | URL) => {
  const body = files[String(url).split('/').pop()!];
  return body === undefined ? new Response('missing', { status: 404 }) : new Response(body);
};

describe('manager reads: campaign results and rejected rows', () => {
  const engine = createEngine({ dbName: `manager-test-${Math.random()}`, fetch: serve as typeof fetch });
  beforeAll(async () => {
    expect((await engine.loadDemo('http://store.test/feeds/')).ok).toBe(true);
  }, 120_000);

  it('measures every campaign from the start day to today with treated and control groups and an interval', async () => {
    const { source, results } = await engine.campaignResults();
    expect(source).toBe('device'); // not enrolled: measured on the device's own data
    expect(results.map((r) => r.campaignId).sort()).toEqual(store.campaigns.map((c) => c.id).sort());
    for (const r of results) {
      const c = store.campaigns.find((x) => x.id === r.campaignId)!;
      expect(r.window).toEqual({ fromDay: c.startDay, untilDay: END_DAY + 1 }); // today = the day after the data
      const { treated, control } = r.uplift;
      expect(treated.members! + control.members!).toBeGreaterThan(100);
      // The control group is the campaign's holdout share of the eligible members, give or take sampling.
      expect(control.members! / (treated.members! + control.members!)).toBeGreaterThan(0.04);
      expect(control.members! / (treated.members! + control.members!)).toBeLessThan(0.18);
      expect(r.uplift.interval!.low).toBeLessThan(r.uplift.uplift!);
      expect(r.uplift.interval!.high).toBeGreaterThan(r.uplift.uplift!);
      expect(r.offersIssued).toBe(0); // no list issued yet
    }
  });

  it('counts a campaign\'s offers issued on lists, and no control member ever gets one', async () => {
    const ids = (await engine.memberIds()).slice(0, 60);
    for (const id of ids) await engine.listFor(id);
    const { results } = await engine.campaignResults();
    const issued = results.reduce((n, r) => n + r.offersIssued, 0);
    expect(issued).toBeGreaterThan(0);
    for (const c of store.campaigns) {
      for (const id of ids) {
        const list = await engine.listFor(id);
        if (!list.ok || !inHoldout(id, c.id, c.holdoutShare)) continue;
        expect(list.value.items.some((i) => i.offer?.dealId === c.id)).toBe(false);
      }
    }
  });

  it('keeps the rows an import rejected, by import, and exports them as CSV', async () => {
    const text = `product_id,name,category,brand,brand_type,price_cents,tags\nP-NEW,New Tea,pantry/tea,Acme,national,299,\nP-BAD,Bad,pantry/tea,Acme,national,-1,\nP-BAD2,,pantry/tea,Acme,national,100,\n`;
    const imported = await engine.importText('products-fix.csv', text);
    expect(imported.ok && imported.value.rejected).toBe(2);
    const importId = imported.ok ? imported.value.importId : '';
    const rows = await engine.rejectedRows({ importId });
    expect(rows.map((r) => [r.file, r.line, r.field])).toEqual([['products-fix.csv', 3, 'price_cents'], ['products-fix.csv', 4, 'name']]);
    expect(await engine.rejectedRows({ importId, limit: 1 })).toHaveLength(1);
    const csv = Papa.parse<string[]>((await engine.rejectedRowsCsv(importId)).trim()).data;
    expect(csv[0]).toEqual(['file', 'line', 'field', 'message', 'expected', 'value']);
    expect(csv.slice(1).map((r) => r.slice(0, 3))).toEqual([['products-fix.csv', '3', 'price_cents'], ['products-fix.csv', '4', 'name']]);
    expect(csv[1]![5]).toBe('-1');
    // Another import's rejects stay apart.
    await engine.importText('members-fix.csv', `member_id,card_code,consent_personalise\nM-X,123,true\n`);
    expect((await engine.rejectedRows({ importId })).length).toBe(2);
    expect((await engine.rejectedRows()).length).toBeGreaterThanOrEqual(3);
  });
});
