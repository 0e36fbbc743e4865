// The rest of the service on both databases: one-time enrolment codes, the PIN hash a kiosk checks offline, the
// manufacturer report's suppression, the demo session, size limits, unknown routes, a database that is down.
import { beforeAll, expect, it } from 'vitest';
import type { ManufacturerReport } from '../core/insights/report.ts';
import type { PinWire } from '../protocol/devices.ts';
import { migrate } from './db/migrate.ts';
import { openTestDb, describeEachDb } from './test-support/dbs.ts';
import { testHq } from './test-support/client.ts';
import { catalogueCsv, dealsCsv, importTexts, membersCsv } from './test-support/fixtures.ts';

describeEachDb('service', (getDb) => {
  let clock = new Date('2026-12-01T10:00:00Z');
  let hq: Awaited<ReturnType<typeof testHq>>;
  beforeAll(async () => {
    hq = await testHq(getDb(), { now: () => clock, bodyLimitBytes: 4096 });
  }, 120_000);

  it('migrates once: a second run applies nothing', async () => {
    expect(await migrate(getDb())).toEqual([]);
  });

  it('enrols with a code once, never after it expired', async () => {
    const code = async () => String((await hq.json(hq.request('POST', '/v1/admin/enrollments', { token: hq.adminKey, body: { storeId: 'S07' } }))).body.code);
    const c1 = await code();
    const first = await hq.json(hq.request('POST', '/v1/devices/enroll', { body: { code: c1.toLowerCase() } }));
    expect(first).toMatchObject({ status: 201, body: { storeId: 'S07' } });
    expect(await hq.json(hq.request('POST', '/v1/devices/enroll', { body: { code: c1 } }))).toMatchObject({ status: 401, body: { reason: 'bad-code' } });
    const c2 = await code();
    clock = new Date(clock.getTime() + 25 * 3_600_000);
    expect(await hq.json(hq.request('POST', '/v1/devices/enroll', { body: { code: c2 } }))).toMatchObject({ status: 401, body: { reason: 'expired-credential' } });
    expect(await hq.json(hq.request('POST', '/v1/devices/enroll', { body: { code: 'NOPE-NOPE-NOPE' } }))).toMatchObject({ status: 401, body: { reason: 'bad-code' } });
    expect(await hq.json(hq.request('POST', '/v1/devices/enroll', { body: {} }))).toMatchObject({ status: 422, body: { field: 'code' } });
    // The device token it gave works, until revoked.
    const token = String(first.body.deviceToken);
    expect((await hq.request('GET', '/v1/stores/S07/keys', { token })).status).toBe(200);
    await hq.request('POST', `/v1/admin/devices/${String(first.body.deviceId)}/revoke`, { token: hq.adminKey });
    expect(await hq.json(hq.request('GET', '/v1/stores/S07/keys', { token }))).toMatchObject({ status: 401, body: { reason: 'revoked-device' } });
  });

  it("ships the PIN as a salted PBKDF2 hash a kiosk verifies with Web Crypto, never the PIN", async () => {
    const { token } = await hq.enrol('S08');
    expect(await hq.json(hq.request('GET', '/v1/stores/S08/pin', { token }))).toMatchObject({ status: 404 });
    expect(await hq.json(hq.request('PUT', '/v1/admin/stores/S08/pin', { token: hq.adminKey, body: { pin: '12ab' } }))).toMatchObject({ status: 422, body: { field: 'pin' } });
    expect((await hq.request('PUT', '/v1/admin/stores/S08/pin', { token: hq.adminKey, body: { pin: '246813' } })).status).toBe(200);
    const wire = (await hq.json(hq.request('GET', '/v1/stores/S08/pin', { token }))).body as unknown as PinWire;
    expect(JSON.stringify(wire)).not.toContain('246813');
    const check = async (pin: string) => {
      const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
      const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: Buffer.from(wire.salt, 'base64'), iterations: wire.iterations }, key, 256);
      return Buffer.from(bits).toString('base64') === wire.hash;
    };
    expect([await check('246813'), await check('246814')]).toEqual([true, false]);
  });

  it('reports to a funder across stores with every cell of at least k members', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `R${i}`);
    const lines = ids.flatMap((m, i) => {
      // 30 members buy Acme's national analgesics, 10 the store brand, in three usage tiers.
      const product = i < 30 ? 'P2' : 'P1';
      return Array.from({ length: 1 + (i % 3) }, (_, t) => `{"basket_id":"RB${i}-${t}","member_id":"${m}","date":"2026-10-0${t + 1}","product_id":"${product === 'P1' ? 'P4' : product}","qty":${1 + (i % 5)}}`);
    });
    await importTexts(getDb(), { 'products.csv': catalogueCsv(), 'members.csv': membersCsv(ids, ['S01', 'S02', 'S03']), 'deals.csv': dealsCsv(), 'baskets-r.ndjson': `${lines.join('\n')}\n` });
    const key = await hq.funderKey('acme');
    const report = (await hq.json(hq.request('GET', '/v1/reports/manufacturer/acme', { token: key }))).body as unknown as ManufacturerReport;
    expect(report.k).toBe(10);
    expect(report.rows.map((r) => r.category)).toEqual(['health/analgesics']);
    const cells = [...report.rows.flatMap((r) => [...r.cells, r.total]), ...report.columnTotals, report.total];
    for (const c of cells) expect(c.suppressed ? c.members === null : c.members === 0 || c.members! >= 10).toBe(true);
    expect(cells.some((c) => c.suppressed)).toBe(true);
    expect(report.total.members).toBe(40);
    expect(JSON.stringify(report)).not.toMatch(/"R\d+"/);
  });

  it('answers a body over the limit 413 and an unknown route 404, as JSON', async () => {
    const { token } = await hq.enrol('S01');
    const big = { id: 'BIG', memberId: 'M1', day: 20400, lines: Array.from({ length: 200 }, (_, i) => ({ productId: `P${i}`, qty: 1, unitPriceCents: 100 })) };
    expect(await hq.json(hq.request('POST', '/v1/baskets', { token, body: big }))).toMatchObject({ status: 413, body: { reason: 'too-large' } });
    expect((await getDb().query("SELECT 1 FROM baskets WHERE basket_id = 'BIG'")).length).toBe(0);
    expect(await hq.json(hq.request('GET', '/v1/nothing-here', { token }))).toMatchObject({ status: 404, body: { reason: 'not-found' } });
    expect(await hq.json(hq.request('POST', '/v1/demo/session', { body: { memberId: 'M1' } }))).toMatchObject({ status: 404 });
  });
});

describeEachDb('demo and a database that is down', (getDb) => {
  it('signs demo member tokens with --demo only, and they work on member routes', async () => {
    const hq = await testHq(getDb(), { demo: true });
    const { body } = await hq.json(hq.request('POST', '/v1/demo/session', { body: { memberId: 'M1' } }));
    expect(await hq.json(hq.request('DELETE', '/v1/members/me', { token: String(body.token) }))).toEqual({ status: 200, body: { ok: true, erased: false } });
  });

  it('answers 503 when the database is gone, so a kiosk keeps its queue', async () => {
    const own = await openTestDb(getDb().kind);
    const hq = await testHq(own.db);
    const { token } = await hq.enrol('S01');
    expect((await hq.request('GET', '/v1/health')).status).toBe(200);
    await own.db.close();
    expect(await hq.json(hq.request('GET', '/v1/health'))).toMatchObject({ status: 503, body: { reason: 'db-unavailable' } });
    expect(await hq.json(hq.request('POST', '/v1/redemptions', { token, headers: { 'idempotency-key': 'k' }, body: {} }))).toMatchObject({ status: 503 });
    await own.close().catch(() => undefined);
  });
});
