// The redemption ledger over HTTP, on both databases: the answers kiosks understand (worker/sync.ts), budgets, the
// revert path, lists issued offline, and today's outbox (drainOutbox) against the real headquarters.
import 'fake-indexeddb/auto';
import { beforeAll, expect, it } from 'vitest';
import { openStore } from '../worker/store.ts';
import { drainOutbox, outboxRecord, unsyncedCount } from '../worker/sync.ts';
import type { KeyRingWire } from '../protocol/devices.ts';
import { describeEachDb } from './test-support/dbs.ts';
import { testHq } from './test-support/client.ts';
import { catalogueCsv, dealsCsv, importTexts, membersCsv, signedCode } from './test-support/fixtures.ts';

describeEachDb('redemption ledger', (getDb) => {
  let hq: Awaited<ReturnType<typeof testHq>>;
  let till: string;
  let otherStore: string;
  let ring: KeyRingWire;
  let serial = 0;
  beforeAll(async () => {
    hq = await testHq(getDb());
    await importTexts(getDb(), { 'products.csv': catalogueCsv(), 'members.csv': membersCsv(['M1', 'M2', 'M3'], ['S01']), 'deals.csv': dealsCsv(1000) });
    till = (await hq.enrol('S01')).token;
    otherStore = (await hq.enrol('S02')).token;
    ring = (await hq.json(hq.request('GET', '/v1/stores/S01/keys', { token: till }))).body as unknown as KeyRingWire;
  }, 120_000);

  /** A redemption of a fresh offline list (its code signed with the store's ring). */
  const fresh = async (over: Record<string, unknown> = {}) => {
    const s = ++serial;
    const listId = `M1-20400-${s}`;
    return { id: `r-${s}`, key: `${listId}|${listId}:D2:P1|B${s}`, listId, offerId: `${listId}:D2:P1`, dealId: 'D2', memberId: 'M1', basketId: `B${s}`, units: 1, amountCents: 20, day: 20400, synced: 0, listCode: await signedCode(ring, 20400, s), ...over };
  };
  const post = (body: unknown, key: string | undefined, token = till) =>
    hq.json(hq.request('POST', '/v1/redemptions', { token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) }));

  it('stores once, answers a retry as a replay, refuses a reused key and a second till', async () => {
    const r = await fresh();
    expect(await post(r, r.id)).toEqual({ status: 200, body: { ok: true, replay: false } });
    expect(await post(r, r.id)).toEqual({ status: 200, body: { ok: true, replay: true } });
    expect(await post({ ...r, amountCents: 21 }, r.id)).toMatchObject({ status: 409, body: { reason: 'key-reused' } });
    const other = await post({ ...r, id: 'r-other-till', basketId: 'B-other' }, 'r-other-till');
    expect(other).toMatchObject({ status: 409, body: { reason: 'offer-redeemed-elsewhere' } });
    const rows = await getDb().query<{ n: number }>('SELECT count(*)::int AS n FROM redemptions WHERE list_id = $1', [r.listId]);
    expect(rows[0]!.n).toBe(1);
  });

  it('answers a missing key 400, a body that is not JSON 400, a bad field 422 with its name', async () => {
    const r = await fresh();
    expect(await post(r, undefined)).toMatchObject({ status: 400, body: { reason: 'missing-key' } });
    expect(await hq.json(hq.request('POST', '/v1/redemptions', { token: till, raw: '{"listId": ', headers: { 'idempotency-key': 'k' } }))).toMatchObject({ status: 400, body: { reason: 'bad-json' } });
    expect(await post({ ...r, amountCents: -5 }, r.id)).toMatchObject({ status: 422, body: { reason: 'bad-body', field: 'amountCents' } });
    expect(await post({ ...r, listId: undefined }, r.id)).toMatchObject({ status: 422, body: { reason: 'bad-body', field: 'listId' } });
    expect((await getDb().query('SELECT 1 FROM redemptions WHERE redemption_id = $1', [r.id])).length).toBe(0);
  });

  it('accepts a list issued offline only when its code verifies against the store ring', async () => {
    const r = await fresh();
    expect(await post({ ...r, listCode: undefined }, r.id)).toMatchObject({ status: 422, body: { reason: 'unknown-list', field: 'listCode' } });
    const forged = `${r.listCode.slice(0, 13)}${r.listCode[13] === '0' ? '1' : '0'}${r.listCode.slice(14)}`;
    expect(await post({ ...r, listCode: forged }, r.id)).toMatchObject({ status: 422 });
    // The same code is not genuine at another store (its ring is another).
    const elsewhere = await post({ ...r, storeId: undefined }, r.id, otherStore);
    expect(elsewhere).toMatchObject({ status: 422, body: { reason: 'forged-code' } });
    expect(await post(r, r.id)).toMatchObject({ status: 200, body: { replay: false } });
    // Once seen, the list is known: a second offer of it needs no code.
    expect(await post({ ...r, id: 'r-second-offer', offerId: `${r.listId}:D2:P3`, listCode: undefined }, 'r-second-offer')).toMatchObject({ status: 200 });
  });

  it('keeps verifying lists signed before a key rotation', async () => {
    const before = await fresh();
    await hq.request('POST', '/v1/admin/stores/S01/keys/rotate', { token: hq.adminKey });
    const rotated = (await hq.json(hq.request('GET', '/v1/stores/S01/keys', { token: till }))).body as unknown as KeyRingWire;
    expect(rotated.current).not.toBe(ring.current);
    expect(Object.keys(rotated.keys)).toContain(String(ring.current));
    expect(await post(before, before.id)).toMatchObject({ status: 200 });
    ring = rotated;
    expect(await post(await fresh(), `r-${serial}`)).toMatchObject({ status: 200 });
  });

  it('never overspends a budget, and a revert gives the cents back under the same locks', async () => {
    const at = async (cents: number) => {
      const r = await fresh({ offerId: undefined, dealId: 'D1', amountCents: cents });
      return { r: { ...r, offerId: `${r.listId}:D1:P2` }, key: r.id };
    };
    const a = await at(600);
    expect(await post(a.r, a.key)).toMatchObject({ status: 200 });
    const b = await at(500);
    expect(await post(b.r, b.key)).toMatchObject({ status: 409, body: { reason: 'budget-exhausted' } });
    const spent = async () => (await getDb().query<{ s: number }>("SELECT spent_cents::int AS s FROM budgets WHERE deal_id = 'D1'"))[0]!.s;
    expect(await spent()).toBe(600);
    expect(await hq.json(hq.request('POST', `/v1/redemptions/${a.key}/revert`, { token: till }))).toEqual({ status: 200, body: { ok: true, replay: false } });
    expect(await hq.json(hq.request('POST', `/v1/redemptions/${a.key}/revert`, { token: till }))).toEqual({ status: 200, body: { ok: true, replay: true } });
    expect(await spent()).toBe(0);
    expect(await post(b.r, b.key)).toMatchObject({ status: 200 });
    expect(await spent()).toBe(500);
    const log = (await hq.json(hq.request('GET', '/v1/audit?since=0', { token: till }))).body.entries as { action: string; subject: string }[];
    expect(log.filter((e) => e.subject === a.key).map((e) => e.action)).toEqual(['redemption', 'redemption-reverted']);
    expect(log.filter((e) => e.subject === b.key).map((e) => e.action)).toEqual(['redemption-refused', 'redemption']);
  });

  it("takes DESIGN.md's field names too (redemptionId, cents, storeId, tillId, at)", async () => {
    const r = await fresh();
    const body = { redemptionId: r.id, listId: r.listId, offerId: r.offerId, memberId: 'M1', basketId: r.basketId, storeId: 'S01', tillId: 'till-3', cents: 20, at: '2026-11-30T10:00:00Z', listCode: r.listCode };
    expect(await post(body, r.id)).toMatchObject({ status: 200, body: { replay: false } });
    expect(await post(body, r.id)).toMatchObject({ status: 200, body: { replay: true } });
    expect(await post({ ...body, storeId: 'S02' }, r.id)).toMatchObject({ status: 403 });
  });

  it('the audit log cannot be changed, only appended to', async () => {
    await expect(getDb().query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
    await expect(getDb().query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });

  it("drains today's kiosk outbox into the ledger exactly once (with the device token)", async () => {
    const device = await openStore(`hq-ledger-${Math.random()}`);
    const known = await fresh();
    await getDb().query("INSERT INTO lists (list_id, store_id, member_id, code, source, seen_at) VALUES ($1, 'S01', 'M1', $2, 'issued', now())", [known.listId, known.listCode]);
    const tx = device.transaction('outbox', 'readwrite');
    for (let i = 0; i < 3; i++) {
      const { listCode: _code, ...payload } = { ...known, id: `r-outbox-${i}`, offerId: `${known.listId}:D2:P${i + 1}`, basketId: 'B-outbox' };
      void tx.store.put(outboxRecord('redemption', payload.id, payload, i));
    }
    void tx.store.put(outboxRecord('basket', 'basket-B-outbox', { id: 'B-outbox', memberId: 'M1', day: 20400, lines: [{ productId: 'P1', qty: 2, unitPriceCents: 100, discountCents: 20 }] }, 3));
    await tx.done;
    const doFetch = ((url: string, init: RequestInit) => hq.app.request(url.replace('http://hq.test', ''), { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${till}` } })) as typeof fetch;
    const first = await drainOutbox(device, { endpoint: 'http://hq.test/v1', fetch: doFetch, sleep: async () => {} });
    expect(first).toMatchObject({ sent: 4, conflicts: 0, pending: 0 });
    expect(await unsyncedCount(device)).toBe(0);
    const rows = await getDb().query<{ n: number }>("SELECT count(*)::int AS n FROM redemptions WHERE basket_id = 'B-outbox'");
    expect(rows[0]!.n).toBe(3);
    const lines = await getDb().query<{ qty: number }>("SELECT qty FROM basket_lines WHERE basket_id = 'B-outbox'");
    expect(lines).toEqual([{ qty: 2 }]);
  });
});
