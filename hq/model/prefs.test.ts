// `POST /v1/members/me/prefs`: a member's own controls and shown-items memory saved at headquarters, carried by the
// member's pack built afterwards (with a new ETag), refused to anyone else, on both databases.
import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../test-support/dbs.ts';
import { testHq } from '../test-support/client.ts';
import { catalogueCsv, importTexts, membersCsv } from '../test-support/fixtures.ts';
import type { MemberPackWire } from '../../protocol/packs.ts';

const day = 20_790;
const at = Date.now();

describeEachDb('member prefs', (db) => {
  let hq: Awaited<ReturnType<typeof testHq>>;
  beforeAll(async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `M${i}`);
    const members = membersCsv(ids, ['S01']).replace(/^(M11,\d+),true,/m, '$1,false,');
    const baskets = ['basket_id,member_id,date,product_id,qty', ...ids.flatMap((m) => [1, 2, 3].map((w) => `${m}-${w},${m},2026-10-0${w},P${1 + (w % 4)},1`))].join('\n') + '\n';
    await importTexts(db(), { 'products.csv': catalogueCsv(6), 'members.csv': members, 'baskets.csv': baskets });
    hq = await testHq(db(), { serveStalePacks: false });
  }, 120_000);

  const pack = async (token: string, etag?: string) => {
    const res = await hq.request('GET', '/v1/members/me/pack', { token, ...(etag ? { headers: { 'if-none-match': etag } } : {}) });
    return { status: res.status, etag: res.headers.get('etag'), body: res.status === 200 ? ((await res.json()) as MemberPackWire) : undefined };
  };
  const post = async (token: string | undefined, body: unknown) => hq.json(hq.request('POST', '/v1/members/me/prefs', { ...(token ? { token } : {}), body }));
  const hide = (productId: string, control = 'not-for-me', when = at) => ({ kind: 'control', productId, control, day, at: when });

  it('refuses without a token, with a forged or expired one, and to a device', async () => {
    const body = { changes: [hide('P2')] };
    expect(await post(undefined, body)).toMatchObject({ status: 401, body: { reason: 'missing-credential' } });
    expect(await post(await hq.forgedMemberToken('M1'), body)).toMatchObject({ status: 401, body: { reason: 'bad-credential' } });
    expect(await post(await hq.memberToken('M1', -60), body)).toMatchObject({ status: 401, body: { reason: 'expired-credential' } });
    const { token } = await hq.enrol('S01');
    expect(await post(token, body)).toMatchObject({ status: 403, body: { reason: 'forbidden' } });
    // None of them saved anything.
    expect((await pack(await hq.memberToken('M1'))).body!.controls).toEqual([]);
  });

  it('refuses a body that is not JSON or does not validate, naming the field', async () => {
    const token = await hq.memberToken('M1');
    expect(await hq.json(hq.request('POST', '/v1/members/me/prefs', { token, raw: '{nope' }))).toMatchObject({ status: 400, body: { reason: 'bad-json' } });
    expect(await post(token, { changes: [] })).toMatchObject({ status: 422, body: { reason: 'bad-body', field: 'changes' } });
    expect(await post(token, { changes: [{ ...hide('P2'), control: 'hide' }] })).toMatchObject({ status: 422, body: { reason: 'bad-body', field: 'changes.0.control' } });
    expect(await post(token, { changes: [{ ...hide('P2'), at: -1 }] })).toMatchObject({ status: 422, body: { field: 'changes.0.at' } });
    expect(await post(token, { changes: [hide('P2')], memberId: 'M2' })).toMatchObject({ status: 422, body: { reason: 'bad-body' } });
    expect(await post(token, { changes: [{ kind: 'shown', productIds: [], day }] })).toMatchObject({ status: 422, body: { field: 'changes.0.productIds' } });
    expect(await post(await hq.memberToken('M-NOBODY'), { changes: [hide('P2')] })).toMatchObject({ status: 404, body: { reason: 'not-found' } });
  });

  it('saves controls and shown memory: the pack built afterwards carries them under a new ETag, others\' packs unchanged', async () => {
    const me = await hq.memberToken('M2');
    const other = await hq.memberToken('M3');
    const before = await pack(me);
    const otherBefore = await pack(other);
    expect(before.body!.controls).toEqual([]);
    const saved = await post(me, { changes: [hide('P2'), hide('P3', 'mute'), { kind: 'shown', productIds: ['P5', 'P4'], day }] });
    expect(saved).toMatchObject({ status: 200, body: { ok: true, controls: 2, shown: 2 } });
    const after = await pack(me, before.etag!);
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(before.etag);
    expect(after.etag).toBe(saved.body.etag);
    expect(after.body!.controls).toEqual([{ productId: 'P2', kind: 'not-for-me' }, { productId: 'P3', kind: 'mute', untilDay: day + 30 }]);
    expect(after.body!.shown).toEqual({ P4: { lastShownDay: day, times: 1 }, P5: { lastShownDay: day, times: 1 } });
    expect((await pack(me, after.etag!)).status).toBe(304);
    expect((await pack(other, otherBefore.etag!)).status).toBe(304);
  });

  it('is idempotent, and an older change arriving late does not undo a newer one', async () => {
    const me = await hq.memberToken('M4');
    const batch = { changes: [hide('P2', 'not-for-me', at)] };
    const first = await post(me, batch);
    const again = await post(me, batch);
    expect(again.body.etag).toBe(first.body.etag);
    // Cleared on another device later; the first device's hide, sent again from its outbox, stays undone.
    const cleared = await post(me, { changes: [hide('P2', 'clear', at + 1000)] });
    expect((await pack(me)).body!.controls).toEqual([]);
    expect((await post(me, batch)).body.etag).toBe(cleared.body.etag);
    expect((await pack(me)).body!.controls).toEqual([]);
    await post(me, { changes: [hide('P2', 'mute', at + 2000)] });
    expect((await pack(me)).body!.controls).toEqual([{ productId: 'P2', kind: 'mute', untilDay: day + 30 }]);
  });

  it('keeps the prefs when the store is rebuilt after an import', async () => {
    const me = await hq.memberToken('M5');
    await post(me, { changes: [hide('P1')] });
    const saved = await pack(me);
    await importTexts(db(), { 'baskets.csv': 'basket_id,member_id,date,product_id,qty\nM5-9,M5,2026-10-20,P6,2\n' });
    const rebuilt = await pack(me);
    expect(rebuilt.etag).not.toBe(saved.etag); // the new basket
    expect(rebuilt.body!.controls).toEqual([{ productId: 'P1', kind: 'not-for-me' }]);
  });

  it('a member who did not consent to personalise: kept, but the pack carries no controls (as it carries no history)', async () => {
    const me = await hq.memberToken('M11');
    expect(await post(me, { changes: [hide('P2')] })).toMatchObject({ status: 200, body: { controls: 1 } });
    expect((await pack(me)).body!.controls).toEqual([]);
  });
});
