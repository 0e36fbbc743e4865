// Campaign uplift and the manufacturer report at headquarters: on one store, exactly the figures the kiosk of that store
// computes from its own histories (worker/manager.ts, worker/engine/manager.ts); over the chain, more members; and only
// the admin, the store's devices and the campaign's funder may read the uplift.
import 'fake-indexeddb/auto';
import { beforeAll, expect, it } from 'vitest';
import { generateDemoStore, type DemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { parseDay } from '../core/dates.ts';
import type { CampaignResult } from '../core/insights/uplift.ts';
import { createEngine } from '../worker/engine-api.ts';
import { loadDemo } from './demo-data.ts';
import { campaignReport } from './campaign-report.ts';
import { funderReport } from './reports.ts';
import { describeEachDb } from './test-support/dbs.ts';
import { testHq } from './test-support/client.ts';
import { runBatch } from './batch/run.ts';
import { gunzipSync } from 'node:zlib';
import type { ShoppingList } from '../core/types.ts';

const END = '2026-06-30';
const TODAY = parseDay(END)! + 1; // the kiosk's day: the day after its data
const store = generateDemoStore({ members: 700, seed: 23, endDate: END, days: 365 });

/** What the kiosk of S01 holds: its members and their baskets, the catalogue, deals, content and campaigns. */
function storeOnly(s: DemoStore, storeId: string): DemoStore {
  const members = s.members.filter((m) => m.homeStore === storeId);
  const ids = new Set(members.map((m) => m.id));
  return { ...s, members, baskets: s.baskets.filter((b) => ids.has(b.memberId)) };
}

/** The kiosk's engine over the S01 data (it imports the feed folder as a kiosk does). */
async function kioskEngine() {
  const files: Record<string, string> = {
    ...demoFeedFiles(storeOnly(store, 'S01')),
    'manifest.json': JSON.stringify({ endDate: END, files: ['products.csv', 'members.csv', 'deals.csv', 'content.json', 'baskets.csv', 'campaigns.json'] }),
  };
  const serve = async (url: RequestInfo | URL) => {
    const body = files[String(url).split('/').pop()!];
    return body === undefined ? new Response('missing', { status: 404 }) : new Response(body);
  };
  const engine = createEngine({ dbName: `campaign-report-${Math.random()}`, fetch: serve as typeof fetch, today: () => TODAY });
  const loaded = await engine.loadDemo('http://store.test/feeds/');
  if (!loaded.ok) throw new Error(`kiosk load: ${JSON.stringify(loaded)}`);
  return engine;
}

describeEachDb('campaign uplift at headquarters', (getDb) => {
  let kiosk: CampaignResult[];
  let engine: Awaited<ReturnType<typeof kioskEngine>>;
  let hq: Awaited<ReturnType<typeof testHq>>;
  beforeAll(async () => {
    await loadDemo(getDb(), () => store);
    hq = await testHq(getDb(), { now: () => new Date('2026-07-01T09:00:00Z') });
    engine = await kioskEngine();
    kiosk = (await engine.campaignResults()).results;
  }, 240_000);

  it("gives one store's campaigns exactly the kiosk's figures, groups, intervals and suppression", async () => {
    const atHq = await campaignReport(getDb(), { storeId: 'S01', lastDataDay: TODAY });
    expect(kiosk.length).toBe(store.campaigns.length);
    // Not a comparison of empty results: the campaigns have measured groups on both sides.
    expect(kiosk.filter((r) => r.uplift.uplift !== null).length).toBeGreaterThan(0);
    expect(atHq).toEqual(kiosk);
  });

  it("gives a funder's manufacturer report of one store exactly the kiosk's cells", async () => {
    const funders = [...new Set(store.deals.map((d) => d.funder).filter((f) => f !== 'store'))];
    let compared = 0;
    for (const funder of funders) {
      const atHq = await funderReport(getDb(), funder, { storeId: 'S01', asOfDay: TODAY });
      if (!atHq.rows.length) continue;
      const atKiosk = await engine.manufacturerReport({ k: 10, categories: atHq.rows.map((r) => r.category) });
      expect(atHq).toEqual(atKiosk);
      compared += atHq.rows.filter((r) => !r.total.suppressed).length;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('over the chain, counts every store\'s members', async () => {
    const chain = await campaignReport(getDb(), { lastDataDay: TODAY });
    const s01 = await campaignReport(getDb(), { storeId: 'S01', lastDataDay: TODAY });
    const eligible = (r: CampaignResult) => (r.uplift.treated.members ?? 0) + (r.uplift.control.members ?? 0);
    expect(chain.map((r) => r.campaignId)).toEqual(s01.map((r) => r.campaignId));
    expect(chain.some((r, i) => eligible(r) > eligible(s01[i]!))).toBe(true);
    expect(JSON.stringify(chain)).not.toMatch(/"M\d+"/); // aggregates only: no member id
  });

  it('answers the admin, the store\'s devices and the funder; refuses everyone else', async () => {
    const path = '/v1/reports/campaigns?as_of=2026-07-01';
    expect((await hq.json(hq.request('GET', path))).status).toBe(401);
    expect((await hq.json(hq.request('GET', path, { token: 'ldev.forged.token' }))).status).toBe(401);
    const admin = await hq.json(hq.request('GET', path, { token: hq.adminKey }));
    expect(admin.status).toBe(200);
    expect((admin.body.campaigns as CampaignResult[]).length).toBe(store.campaigns.length);
    const { token: s01 } = await hq.enrol('S01');
    const own = await hq.json(hq.request('GET', path, { token: s01 }));
    expect(own).toMatchObject({ status: 200, body: { storeId: 'S01' } });
    expect(own.body.campaigns).toEqual(await campaignReport(getDb(), { storeId: 'S01', lastDataDay: TODAY }));
    expect((await hq.json(hq.request('GET', `${path}&store=S02`, { token: s01 }))).status).toBe(403);
    const member = await hq.memberToken(store.members[0]!.id);
    expect((await hq.json(hq.request('GET', path, { token: member }))).status).toBe(403);
    const funder = store.campaigns[0]!.funder;
    const theirs = await hq.json(hq.request('GET', path, { token: await hq.funderKey(funder) }));
    expect(theirs.status).toBe(200);
    expect((theirs.body.campaigns as CampaignResult[]).map((r) => r.campaignId).sort())
      .toEqual(store.campaigns.filter((c) => c.funder === funder).map((c) => c.id).sort());
    expect(await hq.json(hq.request('GET', '/v1/reports/campaigns?as_of=July', { token: hq.adminKey }))).toMatchObject({ status: 400, body: { field: 'as_of' } });
  });

  it("counts each campaign's offers on the batch's lists of its own days, in one pass over the lists", async () => {
    // The fortnightly batch on a day of the first campaign and on the day after the data (after every campaign).
    const c0 = [...store.campaigns].sort((a, b) => a.startDay - b.startDay)[0]!;
    await runBatch(getDb(), { asOfDay: c0.startDay + 1 });
    await runBatch(getDb(), { asOfDay: TODAY });
    // What the report must say, counted here list by list from the stored lists.
    const rows = await getDb().query<{ as_of_day: number; store_id: string; list: Uint8Array }>('SELECT as_of_day, store_id, list FROM batch_lists');
    const expected = (storeId?: string) => new Map(store.campaigns.map((c) => [c.id, rows
      .filter((r) => (storeId === undefined || r.store_id === storeId) && Number(r.as_of_day) >= c.startDay && Number(r.as_of_day) <= c.endDay)
      .reduce((n, r) => n + (JSON.parse(gunzipSync(r.list).toString('utf8')) as ShoppingList).items.filter((i) => i.offer?.dealId === c.id).length, 0)]));
    const chain = await campaignReport(getDb(), { lastDataDay: TODAY });
    const s01 = await campaignReport(getDb(), { storeId: 'S01', lastDataDay: TODAY });
    expect(new Map(chain.map((r) => [r.campaignId, r.offersIssued]))).toEqual(expected());
    expect(new Map(s01.map((r) => [r.campaignId, r.offersIssued]))).toEqual(expected('S01'));
    // Not a comparison of zeros: the first campaign's offers are on lists of its days, and lists after it hold offers
    // of their own that no campaign counts.
    expect(chain.find((r) => r.campaignId === c0.id)!.offersIssued).toBeGreaterThan(0);
    const later = rows.filter((r) => Number(r.as_of_day) === TODAY).reduce((n, r) => n + (JSON.parse(gunzipSync(r.list).toString('utf8')) as ShoppingList).items.filter((i) => i.offer).length, 0);
    expect(later).toBeGreaterThan(0);
  });
});
