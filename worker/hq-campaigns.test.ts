// An enrolled kiosk's manager screen reads its store's campaign results from headquarters (measured over every till
// of the store) and adds its own lists' offers and unsent redemptions; offline or refused, it measures on its own data.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateDemoStore } from '../demo/demo-store.ts';
import { parseDay } from '../core/dates.ts';
import { loadDemo } from '../hq/demo-data.ts';
import { campaignReport } from '../hq/campaign-report.ts';
import { inProcessHq, type InProcessHq } from '../test/support/hq-in-process.ts';
import { useMockServer } from '../test/mocks/node.ts';
import { createEngine } from './engine-api.ts';
import { campaignReport as managerReport, campaignsFromHeadquarters } from './hq-campaigns.ts';
import { openStore } from './store.ts';
import { putMeta } from './meta.ts';
import { parseCampaignReport } from '../protocol/campaign-report.ts';

const END = '2026-06-30';
const TODAY = parseDay(END)! + 1;
const store = generateDemoStore({ members: 700, seed: 23, endDate: END, days: 365 });
const BASE = 'http://hq.test/hq';

describe('campaign results on an enrolled kiosk', () => {
  const server = useMockServer();
  let hq: InProcessHq;
  let online = true;
  const engine = createEngine({
    dbName: `hq-campaigns-${Math.random()}`, today: () => TODAY,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!online) throw new TypeError('Failed to fetch');
      return fetch(input, init);
    }) as typeof fetch,
  });
  beforeAll(async () => {
    hq = await inProcessHq(BASE, { now: () => new Date('2026-07-01T09:00:00Z') });
    await loadDemo(hq.db, () => store);
    server.use(hq.handler);
    expect((await engine.enrolDevice(BASE, await hq.enrolmentCode('S01'))).ok).toBe(true);
    expect((await engine.syncFromHeadquarters()).ok).toBe(true);
  }, 240_000);
  beforeEach(() => server.use(hq.handler)); // the mock server drops handlers after each test
  afterAll(async () => { await hq?.close(); });

  it('come from headquarters for the kiosk\'s own store, as headquarters measures them', async () => {
    const report = await engine.campaignResults();
    expect(report.source).toBe('headquarters');
    // The kiosk holds the campaigns too (in the store model of its sync): its lists carry their offers, offline as well.
    expect(hq.seen.some((r) => r.path === '/v1/stores/S01/model' && r.status === 200)).toBe(true);
    expect(hq.seen.some((r) => r.path === '/v1/reports/campaigns' && r.status === 200)).toBe(true);
    const atHq = await campaignReport(hq.db, { storeId: 'S01', lastDataDay: TODAY });
    expect(report.results).toEqual(atHq);
    expect(report.results.length).toBe(store.campaigns.length);
    // Measured groups, not empty results.
    expect(report.results.filter((r) => r.uplift.uplift !== null).length).toBeGreaterThan(0);
  });

  it('add the offers on the kiosk\'s own lists, which headquarters never sees', async () => {
    const ids = (await engine.memberIds()).slice(0, 60);
    for (const id of ids) expect((await engine.listFor(id)).ok).toBe(true);
    const atHq = await campaignReport(hq.db, { storeId: 'S01', lastDataDay: TODAY });
    const { results } = await engine.campaignResults();
    const own = (await engine.campaignResults()).results; // the same answer twice: nothing is counted twice
    expect(own).toEqual(results);
    const added = results.reduce((n, r, i) => n + r.offersIssued - atHq[i]!.offersIssued, 0);
    expect(added).toBeGreaterThan(0);
    expect(results.map((r) => r.uplift)).toEqual(atHq.map((r) => r.uplift));
  });

  it('are measured on the kiosk\'s own data when headquarters is unreachable, and say so', async () => {
    online = false;
    try {
      const report = await engine.campaignResults();
      expect(report).toMatchObject({ source: 'device', fallback: 'unreachable' });
      expect(report.results.map((r) => r.campaignId).sort()).toEqual(store.campaigns.map((c) => c.id).sort());
      // The kiosk holds its store's packs: every member, but baskets only of those who consent to personalisation (a
      // pack without consent carries none), so its own measure is not headquarters' to the digit; it still measures.
      expect(report.results.filter((r) => r.uplift.uplift !== null).length).toBeGreaterThan(0);
    } finally {
      online = true;
    }
  });
});

describe('campaignsFromHeadquarters', () => {
  const LINK = { baseUrl: 'http://hq.test/hq', deviceToken: 'tok', deviceId: 'D1', storeId: 'S01', enrolledAt: 0 };
  const answer = (status: number, json?: unknown): typeof fetch => async () => new Response(json === undefined ? null : JSON.stringify(json), { status });
  async function enrolled() {
    const d = await openStore(`hq-campaigns-unit-${Math.random()}`);
    await putMeta(d, 'hq:link', LINK);
    await putMeta(d, 'hq:cursor', 'c1');
    return d;
  }

  it('asks for its own store as of its day with its device token', async () => {
    const d = await enrolled();
    let asked: { url: string; auth: string | null } | undefined;
    const r = await campaignsFromHeadquarters(d, async (url, init) => {
      asked = { url: String(url), auth: new Headers(init?.headers).get('authorization') };
      return new Response(JSON.stringify({ k: 10, asOf: '2026-07-01', storeId: 'S01', campaigns: [] }));
    }, TODAY);
    expect(r).toEqual({ ok: true, value: [] });
    expect(asked).toEqual({ url: 'http://hq.test/hq/v1/reports/campaigns?store=S01&as_of=2026-07-01', auth: 'Bearer tok' });
    d.close();
  });

  it('refuses a report of another store, a body that is not a report, and tells a refusal from an outage', async () => {
    const d = await enrolled();
    expect(await campaignsFromHeadquarters(d, answer(200, { k: 10, asOf: '2026-07-01', storeId: 'S02', campaigns: [] }), TODAY)).toMatchObject({ ok: false, error: 'bad-report' });
    expect(await campaignsFromHeadquarters(d, answer(200, { k: 10, asOf: '2026-07-01', campaigns: [] }), TODAY)).toMatchObject({ ok: false, error: 'bad-report' });
    expect(await campaignsFromHeadquarters(d, answer(200, { hello: 1 }), TODAY)).toMatchObject({ ok: false, error: 'bad-report' });
    expect(await campaignsFromHeadquarters(d, answer(403, { error: 'forbidden' }), TODAY)).toMatchObject({ ok: false, error: 'refused' });
    expect(await campaignsFromHeadquarters(d, answer(503), TODAY)).toMatchObject({ ok: false, error: 'unreachable' });
    const none = await openStore(`hq-campaigns-none-${Math.random()}`);
    expect(await campaignsFromHeadquarters(none, answer(200, {}), TODAY)).toMatchObject({ ok: false, error: 'not-enrolled' });
    d.close();
    none.close();
  });

  it('leaves a device fed from files (enrolled, never synced) to measure its own data, without asking', async () => {
    const d = await openStore(`hq-campaigns-files-${Math.random()}`);
    await putMeta(d, 'hq:link', LINK);
    let asked = 0;
    const r = await managerReport(d, async () => { asked++; return new Response('{}'); }, TODAY, async () => []);
    expect(r).toEqual({ source: 'device', results: [] });
    expect(asked).toBe(0);
    d.close();
  });

  it('names the field of a campaign that is wrong', () => {
    const r = parseCampaignReport({ k: 10, asOf: '2026-07-01', storeId: 'S01', campaigns: [{ campaignId: 'C1' }] });
    expect(r).toMatchObject({ ok: false, error: 'bad-shape', detail: expect.stringContaining('campaigns.0') });
  });
});
