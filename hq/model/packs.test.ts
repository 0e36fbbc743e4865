// The store model and member packs headquarters serves: k-anonymous aggregates, one member per pack, tokens, ETags.
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../test-support/dbs.ts';
import { testHq } from '../test-support/client.ts';
import { importTexts } from '../test-support/fixtures.ts';
import { MemberPackWireSchema, packInts, parseMemberPack, parseStoreModel, type MemberPackWire } from '../../protocol/packs.ts';

/** EAN-13 with its check digit, from a 12-digit stem. */
function ean(stem: number): string {
  const twelve = String(stem);
  let sum = 0;
  for (let k = 0; k < 12; k++) sum += Number(twelve[k]) * (k % 2 === 0 ? 1 : 3);
  return `${twelve}${(10 - (sum % 10)) % 10}`;
}

/** 25 members at S01 and 12 at S02, with first names, all but A09 consenting to personalise; everyone buys P1..P5
 * weekly plus one of P6..P10. */
const S01 = Array.from({ length: 25 }, (_, i) => `A${String(i).padStart(2, '0')}`);
const S02 = Array.from({ length: 12 }, (_, i) => `B${String(i).padStart(2, '0')}`);
const names = (id: string) => `Name${id}x`;
const card = (id: string) => ean(400000000000 + (id.startsWith('A') ? 0 : 100) + Number(id.slice(1)));

function feeds(): Record<string, string> {
  const products = ['product_id,name,category,brand,brand_type,price_cents'];
  for (let p = 1; p <= 30; p++) products.push(`P${p},Product ${p},${p <= 10 ? 'dairy/milk' : 'pantry/rice'},${p % 2 ? 'Acme' : 'Own'},${p % 2 ? 'national' : 'store'},${100 + p}`);
  products.push('P98,Never bought,pantry/rice,Acme,national,300', 'P99,Only one buys this,pantry/rice,Acme,national,301');
  const members = ['member_id,card_code,consent_personalise,first_name,home_store'];
  for (const id of [...S01, ...S02]) members.push(`${id},${card(id)},${id !== 'A09'},${names(id)},${id.startsWith('A') ? 'S01' : 'S02'}`);
  const baskets = ['basket_id,member_id,date,product_id,qty'];
  [...S01, ...S02].forEach((id, i) => {
    // A03 shops twelve times, always with P24 and P25 in the basket (each bought by ten others, never together).
    for (let w = 0; w < (id === 'A03' ? 12 : 6); w++) {
      const day = `2026-0${1 + Math.floor(w / 3)}-${String(1 + 7 * (w % 3) + (i % 5)).padStart(2, '0')}`;
      const items = ['P1', 'P2', 'P3', 'P4', 'P5', `P${6 + ((i + w) % 5)}`];
      // P20 and P21: twelve or more members each, bought together by seven (A01, A12..A17).
      if (i < 12 && w === 0) items.push(i % 2 ? 'P20' : 'P21');
      if (i === 1 || (i >= 12 && i < 18)) if (w === 0) items.push('P20', 'P21');
      if (id === 'A03') items.push('P24', 'P25');
      if (i >= 10 && i < 20 && w === 1) items.push('P24');
      if (i >= 14 && i < 24 && w === 2) items.push('P25');
      // The planted member: A00 alone buys P99, always with P1.
      if (id === 'A00' && w < 3) items.push('P99');
      for (const p of new Set(items)) baskets.push(`${id}-b${w},${id},${day},${p},1`);
    }
  });
  return { 'products.csv': products.join('\n') + '\n', 'members.csv': members.join('\n') + '\n', 'baskets.csv': baskets.join('\n') + '\n' };
}

describeEachDb('store model and member packs', (db) => {
  let hq: Awaited<ReturnType<typeof testHq>>;
  beforeAll(async () => {
    await importTexts(db(), feeds());
    hq = await testHq(db(), { serveStalePacks: false });
  }, 120_000);

  const model = async () => {
    const res = await hq.request('GET', '/v1/stores/S01/model');
    expect(res.status).toBe(200);
    const text = await res.text();
    const parsed = parseStoreModel(JSON.parse(text));
    if (!parsed.ok) throw new Error(`${parsed.error}: ${parsed.detail}`);
    return { res, text, m: parsed.value };
  };

  it('serves the store model to anyone, with an ETag, and 304 when the caller has it', async () => {
    const { res, m } = await model();
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"m-S01-/);
    expect(m.members).toBe(25);
    expect(m.catalogue.map((p) => p.id)).toContain('P99');
    const again = await hq.request('GET', '/v1/stores/S01/model', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await hq.request('GET', '/v1/stores/S01/model', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    expect((await hq.request('GET', '/v1/stores/NOPE/model')).status).toBe(404);
  });

  it('sends the model gzipped to a caller that accepts gzip', async () => {
    const res = await hq.request('GET', '/v1/stores/S01/model', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
  });

  it('holds no statistic of a product only one member bought, and no member id, card code or name', async () => {
    const { text, m } = await model();
    const i = m.catalogue.findIndex((p) => p.id === 'P99');
    const never = m.catalogue.findIndex((p) => p.id === 'P98');
    const common = m.catalogue.findIndex((p) => p.id === 'P1');
    expect(m.model.popularity[common]).toBeGreaterThan(0);
    expect(m.model.popularity[i]).toBe(0);
    // Its interval prior is the store's fallback, the same as a product nobody bought.
    expect([m.model.priorMu[i], m.model.priorTau2[i], m.model.priorSigma2[i]]).toEqual([m.model.priorMu[never], m.model.priorTau2[never], m.model.priorSigma2[never]]);
    expect(m.popular).not.toContain(i);
    expect(m.forYou).not.toContain(i);
    expect(m.rules.length).toBeGreaterThan(0);
    expect(m.rules.some((r) => r.rhs === i || r.lhs.includes(i))).toBe(false);
    expect(m.model.itemNbrOffsets[i + 1]! - m.model.itemNbrOffsets[i]!).toBe(0);
    expect(Array.from(m.model.itemNbrIds)).not.toContain(i);
    expect(m.model.memberNbr.items.length).toBe(0);
    for (const id of [...S01, ...S02]) {
      expect(text).not.toContain(`"${id}"`);
      expect(text).not.toContain(card(id));
      expect(text).not.toContain(names(id));
    }
  });

  it('drops an item pair only one member bought together, though each item has enough buyers', async () => {
    const { m } = await model();
    const p20 = m.catalogue.findIndex((p) => p.id === 'P20');
    const p21 = m.catalogue.findIndex((p) => p.id === 'P21');
    expect(m.model.popularity[p20]).toBeGreaterThan(0);
    expect(m.model.popularity[p21]).toBeGreaterThan(0);
    const nbrs = (x: number) => Array.from(m.model.itemNbrIds.subarray(m.model.itemNbrOffsets[x]!, m.model.itemNbrOffsets[x + 1]!));
    // Seven members bought both: fewer than k = 10.
    expect(nbrs(p20)).not.toContain(p21);
    expect(nbrs(p21)).not.toContain(p20);
  });

  it('holds no rule whose items only one member bought together, however often', async () => {
    const { m } = await model();
    const p24 = m.catalogue.findIndex((p) => p.id === 'P24');
    const p25 = m.catalogue.findIndex((p) => p.id === 'P25');
    expect(m.model.popularity[p24]).toBeGreaterThan(0);
    expect(m.model.popularity[p25]).toBeGreaterThan(0);
    const items = (r: { lhs: number[]; rhs: number }) => [...r.lhs, r.rhs];
    expect(m.rules.some((r) => items(r).includes(p24) && items(r).includes(p25))).toBe(false);
    const nbrs = Array.from(m.model.itemNbrIds.subarray(m.model.itemNbrOffsets[p24]!, m.model.itemNbrOffsets[p24 + 1]!));
    expect(nbrs).not.toContain(p25);
  });

  it("gives a signed-in member their own pack, with nothing of anyone else's", async () => {
    const token = await hq.memberToken('A05');
    const res = await hq.request('GET', '/v1/members/me/pack', { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('private');
    const text = await res.text();
    const parsed = parseMemberPack(JSON.parse(text));
    if (!parsed.ok) throw new Error(parsed.error);
    const p = parsed.value;
    expect(p.member).toMatchObject({ id: 'A05', cardCode: card('A05'), firstName: names('A05'), homeStore: 'S01' });
    expect(p.history.basketIds).toHaveLength(6);
    expect(p.history.basketIds.every((b) => b.startsWith('A05-'))).toBe(true);
    expect(p.neighbour.neighbours).toBeGreaterThanOrEqual(10);
    expect(p.neighbour.items.length).toBeGreaterThan(0);
    // The neighbour term names no product fewer than k members bought (P99 is A00's alone).
    expect(p.neighbour.items.some((i) => p.products[i] === 'P99')).toBe(false);
    for (const id of [...S01, ...S02].filter((x) => x !== 'A05')) {
      expect(text).not.toContain(id);
      expect(text).not.toContain(card(id));
      expect(text).not.toContain(names(id));
    }
    const again = await hq.request('GET', '/v1/members/me/pack', { token, headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('refuses a pack without a token, with an expired or forged one, and for another member', async () => {
    expect((await hq.request('GET', '/v1/members/me/pack')).status).toBe(401);
    expect((await hq.request('GET', '/v1/members/me/pack', { token: await hq.memberToken('A05', -60) })).status).toBe(401);
    expect((await hq.request('GET', '/v1/members/me/pack', { token: await hq.forgedMemberToken('A05') })).status).toBe(401);
    const a05 = await hq.memberToken('A05');
    expect((await hq.request('GET', '/v1/members/A06/pack', { token: a05 })).status).toBe(403);
    expect((await hq.request('GET', '/v1/members/A05/pack', { token: a05 })).status).toBe(200);
    const device = await hq.enrol('S01');
    expect((await hq.request('GET', '/v1/members/me/pack', { token: device.token })).status).toBe(403);
  });

  it("gives a kiosk its own store's packs since a cursor, and refuses another store's device", async () => {
    expect((await hq.request('GET', '/v1/stores/S01/packs')).status).toBe(401);
    const s2 = await hq.enrol('S02');
    expect((await hq.request('GET', '/v1/stores/S01/packs', { token: s2.token })).status).toBe(403);
    expect((await hq.request('GET', '/v1/stores/S01/packs', { token: await hq.memberToken('A05') })).status).toBe(403);
    const s1 = await hq.enrol('S01');
    expect((await hq.request('GET', '/v1/stores/S01/packs?since=garbage', { token: s1.token })).status).toBe(400);
    const first = await hq.json(hq.request('GET', '/v1/stores/S01/packs', { token: s1.token }));
    expect(first.status).toBe(200);
    const packs = first.body.packs as MemberPackWire[];
    expect(packs.map((p) => p.member.id).sort()).toEqual(S01);
    const text = JSON.stringify(first.body);
    for (const id of S02) expect(text).not.toContain(card(id));
    const none = await hq.json(hq.request('GET', `/v1/stores/S01/packs?since=${first.body.cursor}`, { token: s1.token }));
    expect(none.body.packs).toEqual([]);
  });

  it("changes the model's ETag and the member's pack after a till basket, and the kiosk's cursor brings that pack", async () => {
    const s1 = await hq.enrol('S01');
    const before = (await model()).res.headers.get('etag');
    const token = await hq.memberToken('A05');
    const packBefore = (await hq.request('GET', '/v1/members/me/pack', { token })).headers.get('etag');
    const cursor = (await hq.json(hq.request('GET', '/v1/stores/S01/packs', { token: s1.token }))).body.cursor;
    const sent = await hq.json(hq.request('POST', '/v1/baskets', { token: s1.token, body: { id: 'till-1', memberId: 'A05', day: 20600, lines: [{ productId: 'P12', qty: 2, unitPriceCents: 112 }] } }));
    expect(sent.status).toBe(200);
    const after = (await model()).res.headers.get('etag');
    expect(after).not.toBe(before);
    const packAfter = await hq.request('GET', '/v1/members/me/pack', { token, headers: { 'if-none-match': packBefore! } });
    expect(packAfter.status).toBe(200);
    const p = parseMemberPack(await packAfter.json());
    expect(p.ok && p.value.history.basketIds).toContain('till-1');
    const changed = await hq.json(hq.request('GET', `/v1/stores/S01/packs?since=${cursor}`, { token: s1.token }));
    expect((changed.body.packs as MemberPackWire[]).map((x) => x.member.id)).toContain('A05');
  });

  it("tells the kiosk of an erased member and sends their pack to nobody", async () => {
    const s1 = await hq.enrol('S01');
    const token = await hq.memberToken('A07');
    expect((await hq.request('GET', '/v1/members/me/pack', { token })).status).toBe(200);
    const cursor = (await hq.json(hq.request('GET', '/v1/stores/S01/packs', { token: s1.token }))).body.cursor;
    expect((await hq.request('POST', '/v1/members/A07/erase', { token: s1.token })).status).toBe(200);
    expect((await hq.request('GET', '/v1/members/me/pack', { token })).status).toBe(404);
    const after = await hq.json(hq.request('GET', `/v1/stores/S01/packs?since=${cursor}`, { token: s1.token }));
    expect(after.body.removed).toEqual(['A07']);
    expect((after.body.packs as MemberPackWire[]).map((p) => p.member.id)).not.toContain('A07');
    const all = await hq.json(hq.request('GET', '/v1/stores/S01/packs', { token: s1.token }));
    expect((all.body.packs as MemberPackWire[]).map((p) => p.member.id)).not.toContain('A07');
  });

  it('by default answers with the stored model while the store is rebuilt, then with the new one', async () => {
    const live = await testHq(db());
    const s1 = await live.enrol('S01');
    const etagOf = async () => (await live.request('GET', '/v1/stores/S01/model')).headers.get('etag');
    const before = await etagOf();
    expect((await live.request('POST', '/v1/baskets', { token: s1.token, body: { id: 'till-stale', memberId: 'A08', day: 20601, lines: [{ productId: 'P13', qty: 1, unitPriceCents: 113 }] } })).status).toBe(200);
    // The first request after the basket starts the rebuild and gets the stored model.
    expect(await etagOf()).toBe(before);
    let after = before;
    for (let i = 0; i < 600 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await etagOf();
    }
    expect(after).not.toBe(before);
  });

  it('sends a member who did not consent to personalise their record and consent only, no baskets', async () => {
    const res = await hq.request('GET', '/v1/members/me/pack', { token: await hq.memberToken('A09') });
    expect(res.status).toBe(200);
    const p = parseMemberPack(await res.json());
    if (!p.ok) throw new Error(p.error);
    expect(p.value.member).toMatchObject({ id: 'A09', consent: { personalise: false } });
    expect(p.value.history.basketIds).toEqual([]);
    expect(p.value.products).toEqual([]);
    expect(p.value.neighbour.neighbours).toBe(0);
  });
});

describe('member pack parser', () => {
  const good = (): MemberPackWire => ({
    format: 'larder-member-pack/1', etag: '"p-1"', builtAt: '2026-12-03T00:00:00.000Z',
    member: { id: 'M1', cardCode: ean(400000000001), consent: { personalise: true, contact: false } },
    products: ['P1', 'P2'],
    history: { basketIds: ['b1', 'b2'], days: packInts([10, 17]), minutes: packInts([-1, -1]), lineStart: packInts([0, 2, 3]), products: packInts([0, 1, 0]), qty: packInts([1, 1, 2]), priceCents: packInts([100, 200, 100]) },
    controls: [], shown: {},
    neighbour: { items: packInts([1]), values: { t: 'f32', b: btoa(String.fromCharCode(...new Uint8Array(Float32Array.of(0.5).buffer))) }, neighbours: 10 },
  });

  it('reads a well-formed pack', () => {
    const r = parseMemberPack(good());
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Array.from(r.value.history.products)).toEqual([0, 1, 0]);
      expect(r.value.neighbour.values[0]).toBeCloseTo(0.5);
    }
    expect(MemberPackWireSchema).toBeDefined();
  });

  it('refuses unknown fields, bad base64, lengths that disagree and indexes outside the products', () => {
    expect(parseMemberPack({ ...good(), otherMembers: [] })).toMatchObject({ ok: false, error: 'bad-shape' });
    expect(parseMemberPack({ ...good(), history: { ...good().history, days: { t: 'i32', b: '%%%' } } })).toMatchObject({ ok: false, error: 'bad-array' });
    expect(parseMemberPack({ ...good(), history: { ...good().history, days: { t: 'i32', b: 'AAA=' } } })).toMatchObject({ ok: false, error: 'bad-array' });
    expect(parseMemberPack({ ...good(), history: { ...good().history, lineStart: packInts([0, 2, 4]) } })).toMatchObject({ ok: false, error: 'bad-length' });
    expect(parseMemberPack({ ...good(), history: { ...good().history, products: packInts([0, 1, 2]) } })).toMatchObject({ ok: false, error: 'bad-index' });
    expect(parseMemberPack({ ...good(), member: { ...good().member, cardCode: '12' } })).toMatchObject({ ok: false, error: 'bad-shape' });
    expect(parseMemberPack('nope')).toMatchObject({ ok: false, error: 'bad-shape' });
  });

  it('refuses a store model whose arrays disagree with its catalogue', () => {
    expect(parseStoreModel({})).toMatchObject({ ok: false, error: 'bad-shape' });
  });
});
