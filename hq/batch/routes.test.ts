// A device finds the member's batch list at headquarters: the member with their own token, a device of the member's
// store by card; nobody else.
import { expect, it } from 'vitest';
import { parseDay } from '../../core/dates.ts';
import { demoFeedFiles } from '../../cli/generate.ts';
import { generateDemoStore } from '../../demo/demo-store.ts';
import { describeEachDb } from '../test-support/dbs.ts';
import { importTexts } from '../test-support/fixtures.ts';
import { testHq } from '../test-support/client.ts';
import { runBatch } from './run.ts';

const store = generateDemoStore({ members: 40, days: 120, endDate: '2026-11-22' });
const files = demoFeedFiles(store);
const DAY = parseDay('2026-11-23')!;

describeEachDb('batch list routes', (db) => {
  it('the member and their store\'s devices get the list; no token, another store or another member get nothing', async () => {
    await importTexts(db(), { 'products.csv': files['products.csv']!, 'members.csv': files['members.csv']!, 'deals.csv': files['deals.csv']!, 'baskets.csv': files['baskets.csv']! });
    await runBatch(db(), { asOfDay: DAY });
    const hq = await testHq(db(), { now: () => new Date('2026-11-25T10:00:00Z') });
    const m = store.members.find((x) => x.homeStore === 'S02')!;
    const [{ code }] = await db().query<{ code: string }>('SELECT code FROM batch_lists WHERE member_id = $1', [m.id]) as [{ code: string }];
    const own = await hq.json(hq.request('GET', '/v1/members/me/list', { token: await hq.memberToken(m.id) }));
    expect(own.status).toBe(200);
    expect(own.body.memberId).toBe(m.id);
    expect(own.body.code).toBe(code);
    expect((await hq.json(hq.request('GET', '/v1/members/me/list'))).status).toBe(401);
    expect((await hq.json(hq.request('GET', '/v1/members/me/list', { token: await hq.forgedMemberToken(m.id) }))).status).toBe(401);
    // Before the batch day, and past its cadence, there is none.
    expect((await hq.json(hq.request('GET', '/v1/members/me/list?day=2026-11-22', { token: await hq.memberToken(m.id) }))).status).toBe(404);
    expect((await hq.json(hq.request('GET', '/v1/members/me/list?day=2026-12-20', { token: await hq.memberToken(m.id) }))).status).toBe(404);
    expect((await hq.json(hq.request('GET', '/v1/members/me/list?day=soon', { token: await hq.memberToken(m.id) }))).status).toBe(400);
    const s02 = await hq.enrol('S02');
    const s01 = await hq.enrol('S01');
    const byDevice = await hq.json(hq.request('GET', `/v1/stores/S02/members/${m.id}/list`, { token: s02.token }));
    expect(byDevice.status).toBe(200);
    expect(byDevice.body.code).toBe(code);
    // A device of another store: refused for S02's path, and its own store's path does not find S02's member.
    expect((await hq.json(hq.request('GET', `/v1/stores/S02/members/${m.id}/list`, { token: s01.token }))).status).toBe(403);
    expect((await hq.json(hq.request('GET', `/v1/stores/S01/members/${m.id}/list`, { token: s01.token }))).status).toBe(404);
    // A member token is not a device token.
    expect((await hq.json(hq.request('GET', `/v1/stores/S02/members/${m.id}/list`, { token: await hq.memberToken(m.id) }))).status).toBe(403);
  });
});
