// A member's consent as a store's device recorded it: kept at headquarters (the last change wins), the member's pack
// then carries no history; only a device of the member's own store may send it.
import { beforeAll, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { describeEachDb } from './test-support/dbs.ts';
import { testHq } from './test-support/client.ts';
import { catalogueCsv, importTexts, membersCsv } from './test-support/fixtures.ts';
import { createPackService } from './model/service.ts';

const BASKETS = ['basket_id,member_id,date,product_id,qty', 'B1,C1,2026-11-01,P1,1', 'B2,C1,2026-11-08,P2,1', ''].join('\n');

describeEachDb('consent from a kiosk', (getDb) => {
  let hq: Awaited<ReturnType<typeof testHq>>;
  beforeAll(async () => {
    await importTexts(getDb(), { 'products.csv': catalogueCsv(), 'members.csv': membersCsv(['C1', 'C2'], ['S01', 'S02']), 'baskets.csv': BASKETS });
    hq = await testHq(getDb(), { now: () => new Date('2026-11-20T09:00:00Z') });
  }, 120_000);

  const pack = async () => {
    const stored = await createPackService({ db: getDb(), k: 10, now: () => new Date('2026-11-20T09:00:00Z'), serveStale: false }).pack('C1');
    return JSON.parse(gunzipSync(stored!.gzip).toString('utf8')) as { member: { consent: { personalise: boolean } }; history: { basketIds: string[] } };
  };

  it('keeps the latest change, and the pack follows it', async () => {
    const { token } = await hq.enrol('S01');
    expect((await pack()).history.basketIds).toEqual(['B1', 'B2']);
    const withdraw = await hq.json(hq.request('POST', '/v1/consents', { token, body: { memberId: 'C1', personalise: false, atDay: 20_777, at: 2_000 } }));
    expect(withdraw).toMatchObject({ status: 200, body: { ok: true, replay: false } });
    const p = await pack();
    expect(p.member.consent.personalise).toBe(false);
    expect(p.history.basketIds).toEqual([]);
    // The same change again, or an older one sent late: nothing moves.
    expect((await hq.json(hq.request('POST', '/v1/consents', { token, body: { memberId: 'C1', personalise: false, atDay: 20_777, at: 2_000 } }))).body).toMatchObject({ replay: true });
    expect((await hq.json(hq.request('POST', '/v1/consents', { token, body: { memberId: 'C1', personalise: true, atDay: 20_770, at: 1_000 } }))).body).toMatchObject({ replay: true });
    expect((await pack()).member.consent.personalise).toBe(false);
    // Given again later: the history is back in the pack (headquarters kept the baskets).
    expect((await hq.json(hq.request('POST', '/v1/consents', { token, body: { memberId: 'C1', personalise: true, atDay: 20_778, at: 3_000 } }))).body).toMatchObject({ replay: false });
    expect((await pack()).history.basketIds).toEqual(['B1', 'B2']);
    const audit = await getDb().query<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'consent-%' ORDER BY seq");
    expect(audit.map((r) => r.action)).toEqual(['consent-withdrawn', 'consent-given']);
  });

  it('refuses no token, a member token, another store\'s device, an unknown member and a bad body', async () => {
    const body = { memberId: 'C1', personalise: false, atDay: 20_779, at: 9_000 };
    expect((await hq.request('POST', '/v1/consents', { body })).status).toBe(401);
    expect((await hq.request('POST', '/v1/consents', { token: await hq.memberToken('C1'), body })).status).toBe(403);
    const { token: other } = await hq.enrol('S02');
    expect((await hq.request('POST', '/v1/consents', { token: other, body })).status).toBe(403);
    const { token } = await hq.enrol('S01');
    expect((await hq.request('POST', '/v1/consents', { token, body: { ...body, memberId: 'NOBODY' } })).status).toBe(404);
    expect([400, 422]).toContain((await hq.request('POST', '/v1/consents', { token, body: { memberId: 'C1', personalise: 'no' } })).status);
    expect((await pack()).member.consent.personalise).toBe(true); // none of these changed it
  });
});
