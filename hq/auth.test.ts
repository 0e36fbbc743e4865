// Every route but enrolment and the demo session: no credential 401, a forged, expired or revoked one 401, someone
// else's (another store's device, another funder, the wrong kind of caller) 403.
import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from './test-support/dbs.ts';
import { testHq } from './test-support/client.ts';
import { catalogueCsv, dealsCsv, importTexts, membersCsv, signedCode } from './test-support/fixtures.ts';
import type { KeyRingWire } from '../protocol/devices.ts';

type Kind = 'admin' | 'device' | 'member' | 'funder';
interface Case { name: string; method: string; path: string; kind: Kind; body?: unknown; headers?: Record<string, string>; other: 'S02-device' | 'device' | 'member' | 'other-funder' }

describeEachDb('credentials on every route', (getDb) => {
  let hq: Awaited<ReturnType<typeof testHq>>;
  const tokens: Record<string, string> = {};
  let redemptionId = '';
  beforeAll(async () => {
    const db = getDb();
    hq = await testHq(db);
    await importTexts(db, { 'products.csv': catalogueCsv(), 'members.csv': membersCsv(['M1', 'M2'], ['S01', 'S02']), 'deals.csv': dealsCsv() });
    const s1 = await hq.enrol('S01');
    const s2 = await hq.enrol('S02');
    const gone = await hq.enrol('S01');
    const old = await hq.enrol('S01');
    await hq.request('POST', `/v1/admin/devices/${gone.deviceId}/revoke`, { token: hq.adminKey });
    await db.query("UPDATE devices SET expires_at = now() - interval '1 day' WHERE device_id = $1", [old.deviceId]);
    Object.assign(tokens, {
      s1: s1.token, s2: s2.token, revoked: gone.token, expiredDevice: old.token,
      forgedDevice: `ldev.${s1.deviceId}.not-the-secret`,
      member: await hq.memberToken('M1'), expiredMember: await hq.memberToken('M1', -60), forgedMember: await hq.forgedMemberToken('M1'),
      acme: await hq.funderKey('acme'), otherFunder: await hq.funderKey('globex'), forgedFunder: 'lfun.made-up',
    });
    const ring = (await hq.json(hq.request('GET', '/v1/stores/S01/keys', { token: tokens.s1 }))).body as unknown as KeyRingWire;
    redemptionId = 'r-auth-1';
    const ok = await hq.json(hq.request('POST', '/v1/redemptions', {
      token: tokens.s1, headers: { 'idempotency-key': redemptionId },
      body: { id: redemptionId, listId: 'M1-20400-1', offerId: 'M1-20400-1:D1:P2', memberId: 'M1', basketId: 'B1', amountCents: 10, listCode: await signedCode(ring, 20400, 1) },
    }));
    expect(ok.status).toBe(200);
  }, 120_000);

  const redemption = (storeId: string) => ({ id: 'r-x', listId: 'L-x', offerId: 'L-x:D1:P2', memberId: 'M1', basketId: 'B9', amountCents: 10, storeId });
  const cases = (): Case[] => [
    { name: 'make an enrolment code', method: 'POST', path: '/v1/admin/enrollments', kind: 'admin', body: { storeId: 'S01' }, other: 'device' },
    { name: 'revoke a device', method: 'POST', path: '/v1/admin/devices/nope/revoke', kind: 'admin', other: 'device' },
    { name: 'set a PIN', method: 'PUT', path: '/v1/admin/stores/S01/pin', kind: 'admin', body: { pin: '2468' }, other: 'device' },
    { name: 'rotate a key', method: 'POST', path: '/v1/admin/stores/S01/keys/rotate', kind: 'admin', other: 'device' },
    { name: 'make a funder key', method: 'POST', path: '/v1/admin/funders', kind: 'admin', body: { funder: 'x' }, other: 'member' },
    { name: 'key ring', method: 'GET', path: '/v1/stores/S01/keys', kind: 'device', other: 'S02-device' },
    { name: 'PIN hash', method: 'GET', path: '/v1/stores/S01/pin', kind: 'device', other: 'S02-device' },
    { name: 'redeem', method: 'POST', path: '/v1/redemptions', kind: 'device', body: redemption('S01'), headers: { 'idempotency-key': 'r-x' }, other: 'S02-device' },
    { name: 'revert', method: 'POST', path: `/v1/redemptions/${redemptionId}/revert`, kind: 'device', other: 'S02-device' },
    { name: 'basket', method: 'POST', path: '/v1/baskets', kind: 'device', body: { id: 'B7', memberId: 'M1', day: 20400, storeId: 'S01', lines: [{ productId: 'P1', qty: 1, unitPriceCents: 100 }] }, other: 'S02-device' },
    { name: 'change list', method: 'GET', path: '/v1/changes?since=', kind: 'device', other: 'member' },
    { name: 'consent from a kiosk', method: 'POST', path: '/v1/consents', kind: 'device', body: { memberId: 'M1', personalise: false, atDay: 20400, at: 1 }, other: 'S02-device' },
    { name: 'controls from a kiosk', method: 'POST', path: '/v1/controls', kind: 'device', body: { memberId: 'M1', changes: [{ kind: 'control', productId: 'P1', control: 'mute', day: 20400, at: 1 }] }, other: 'S02-device' },
    { name: "a store's packs", method: 'GET', path: '/v1/stores/S01/packs?since=', kind: 'device', other: 'S02-device' },
    { name: "a store's patterns", method: 'GET', path: '/v1/reports/patterns?store=S01', kind: 'device', other: 'S02-device' },
    { name: 'feed file', method: 'GET', path: '/v1/files/products.ndjson', kind: 'device', other: 'member' },
    { name: 'manager erase', method: 'POST', path: '/v1/members/M1/erase', kind: 'device', other: 'S02-device' },
    { name: 'audit log', method: 'GET', path: '/v1/audit?since=0', kind: 'device', other: 'member' },
    { name: 'erase me', method: 'DELETE', path: '/v1/members/me', kind: 'member', other: 'device' },
    { name: 'manufacturer report', method: 'GET', path: '/v1/reports/manufacturer/acme', kind: 'funder', other: 'other-funder' },
  ];
  const badOnes: Record<Kind, string[]> = {
    admin: ['ladm.wrong'], device: ['forgedDevice', 'expiredDevice', 'revoked'], member: ['forgedMember', 'expiredMember'], funder: ['forgedFunder'],
  };
  const otherToken = { 'S02-device': 's2', device: 's1', member: 'member', 'other-funder': 'otherFunder' } as const;

  it('refuses each route without a credential (401), with a bad one (401), with someone else\'s (403)', async () => {
    for (const c of cases()) {
      const call = (token?: string) => hq.json(hq.request(c.method, c.path, { ...(token ? { token } : {}), ...(c.body !== undefined ? { body: c.body } : {}), ...(c.headers ? { headers: c.headers } : {}) }));
      const none = await call();
      expect([c.name, none.status, none.body.reason]).toEqual([c.name, 401, 'missing-credential']);
      for (const bad of badOnes[c.kind]) {
        const r = await call(tokens[bad] ?? bad);
        expect([c.name, bad, r.status]).toEqual([c.name, bad, 401]);
        expect(['bad-credential', 'expired-credential', 'revoked-device']).toContain(r.body.reason);
      }
      const other = await call(tokens[otherToken[c.other]]);
      expect([c.name, other.status, other.body.reason]).toEqual([c.name, 403, 'forbidden']);
    }
  });

  it('tells an expired token and a revoked device from a forged one', async () => {
    const reason = async (token: string) => (await hq.json(hq.request('GET', '/v1/changes', { token }))).body.reason;
    expect(await reason(tokens.expiredDevice!)).toBe('expired-credential');
    expect(await reason(tokens.revoked!)).toBe('revoked-device');
    expect(await reason(tokens.forgedDevice!)).toBe('bad-credential');
    const me = async (token: string) => (await hq.json(hq.request('DELETE', '/v1/members/me', { token }))).body.reason;
    expect(await me(tokens.expiredMember!)).toBe('expired-credential');
    expect(await me(tokens.forgedMember!)).toBe('bad-credential');
  });

  it('lets the right caller through on the same routes', async () => {
    expect((await hq.request('GET', '/v1/stores/S01/keys', { token: tokens.s1 })).status).toBe(200);
    expect((await hq.request('GET', '/v1/reports/manufacturer/acme', { token: tokens.acme })).status).toBe(200);
    expect((await hq.request('GET', '/v1/audit?since=0', { token: tokens.s1 })).status).toBe(200);
    expect((await hq.request('GET', '/v1/changes?since=', { token: tokens.s2 })).status).toBe(200);
  });
});
