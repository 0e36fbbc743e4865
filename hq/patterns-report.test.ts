// A store's shopping patterns for its kiosks: over every member homed at the store, nothing per member, every age or
// household band under k members withheld; only the admin and the store's own devices may read them.
import { beforeAll, expect, it } from 'vitest';
import { generateDemoStore } from '../demo/demo-store.ts';
import { parseDay } from '../core/dates.ts';
import { shoppingPatterns } from '../core/insights/patterns.ts';
import { loadDemo } from './demo-data.ts';
import { describeEachDb } from './test-support/dbs.ts';
import { testHq } from './test-support/client.ts';
import { parsePatternsReport } from '../protocol/patterns-report.ts';

const END = '2026-06-30';
const store = generateDemoStore({ members: 120, seed: 31, endDate: END, days: 120 });
const AS_OF = parseDay(END)! + 1;

describeEachDb('the patterns report', (getDb) => {
  let hq: Awaited<ReturnType<typeof testHq>>;
  beforeAll(async () => {
    await loadDemo(getDb(), () => store);
    hq = await testHq(getDb(), { now: () => new Date('2026-07-01T09:00:00Z') });
  }, 240_000);

  it("gives a store's device the store's patterns over all its members, bands under k withheld and no member in it", async () => {
    const { token } = await hq.enrol('S01');
    const answer = await hq.json(hq.request('GET', `/v1/reports/patterns?store=S01&as_of=2026-07-01`, { token }));
    expect(answer.status).toBe(200);
    const parsed = parsePatternsReport(answer.body);
    if (!parsed.ok) throw new Error(parsed.detail);
    const r = parsed.value;
    const ours = store.members.filter((m) => m.homeStore === 'S01');
    const ids = new Set(ours.map((m) => m.id));
    // The same figures as the patterns over the store's members and their baskets, measured here directly.
    const direct = shoppingPatterns(store.baskets.filter((b) => ids.has(b.memberId)), ours, store.products, { asOfDay: AS_OF });
    expect(r).toMatchObject({ k: 10, storeId: 'S01', members: ours.length, asOf: '2026-07-01' });
    expect(r.patterns.baskets).toBe(direct.baskets);
    expect(r.patterns.byWeekdayHour.visits).toEqual(direct.byWeekdayHour.visits);
    expect(r.patterns.categories).toEqual(direct.categories);
    // Each band: as measured when it has ≥ 10 members, withheld (zeros) when it has fewer.
    const bands = [...direct.byAgeBand, ...direct.byHouseholdSize];
    const sent = [...r.patterns.byAgeBand, ...r.patterns.byHouseholdSize];
    expect(bands.some((b) => b.members > 0 && b.members < 10)).toBe(true); // else this proves nothing
    sent.forEach((b, i) => {
      const d = bands[i]!;
      expect(b.label).toBe(d.label);
      if (d.members > 0 && d.members < 10) expect(b).toEqual({ label: d.label, members: 0, visits: 0, spendCents: 0, suppressed: true });
      else expect(b).toEqual(d);
    });
    // Nothing per member: no RFM rows, no member id anywhere in the body.
    const text = JSON.stringify(answer.body);
    expect('rfm' in r.patterns).toBe(false);
    for (const m of store.members) expect(text.includes(`"${m.id}"`)).toBe(false);
  });

  it('refuses no token, a member, another store\'s device, and the admin without a store', async () => {
    expect((await hq.request('GET', '/v1/reports/patterns?store=S01')).status).toBe(401);
    const { token: other } = await hq.enrol('S02');
    expect((await hq.request('GET', '/v1/reports/patterns?store=S01', { token: other })).status).toBe(403);
    const member = await hq.memberToken(store.members.find((m) => m.homeStore === 'S01')!.id);
    expect((await hq.request('GET', '/v1/reports/patterns?store=S01', { token: member })).status).toBe(403);
    expect((await hq.request('GET', '/v1/reports/patterns', { token: hq.adminKey })).status).toBe(400);
    expect((await hq.request('GET', '/v1/reports/patterns?store=S01', { token: hq.adminKey })).status).toBe(200);
    expect((await hq.request('GET', '/v1/reports/patterns?store=S01&as_of=yesterday', { token: hq.adminKey })).status).toBe(400);
  });
});
