// A device scores a member from the wire exactly as headquarters would from its own copy of the model and pack.
import { describe, expect, it } from 'vitest';
import type { Member, Product } from '../../core/types.ts';
import type { PackedHistory } from '../../core/history.ts';
import { tripsOf } from '../../core/history.ts';
import { scoreMember, SCORER_DEFAULTS } from '../../core/lists/next-basket.ts';
import { seededRandom } from '../../core/random.ts';
import { memberPackToWire, packOnCatalogue, parseMemberPack, parseStoreModel, storeModelToWire } from '../../protocol/packs.ts';
import { buildAggregates } from './build.ts';

function aStore(members = 40, products = 60) {
  const rnd = seededRandom(3);
  const catalogue: Product[] = Array.from({ length: products }, (_, i) => ({
    id: `P${String(i).padStart(3, '0')}`, name: `Product ${i}`, category: `c${i % 6}`, brand: `b${i % 4}`, brandType: i % 3 ? 'national' : 'store', priceCents: 100 + i, tags: i % 10 ? [] : ['pet'],
  }));
  const ms: Member[] = [];
  const histories = new Map<string, PackedHistory>();
  for (let m = 0; m < members; m++) {
    const id = `M${m}`;
    ms.push({ id, cardCode: '0000000000000', consent: { personalise: true, contact: false } });
    const days: number[] = [];
    const lineStart = [0];
    const items: number[] = [];
    for (let b = 0; b < 20; b++) {
      days.push(100 + 7 * b + (m % 3));
      const basket = new Set<number>();
      for (let k = 0; k < 6; k++) basket.add(rnd() < 0.5 ? (m + k) % 15 : Math.floor(rnd() * rnd() * products));
      items.push(...basket);
      lineStart.push(items.length);
    }
    histories.set(id, {
      memberId: id, basketIds: days.map((_, b) => `${id}-${b}`), days: Int32Array.from(days), minutes: new Int16Array(days.length).fill(-1), lineStart: Int32Array.from(lineStart),
      products: Int32Array.from(items), qty: new Float32Array(items.length).fill(1), priceCents: Int32Array.from(items, (i) => 100 + i), discountCents: new Int32Array(items.length),
    });
  }
  return { storeId: 'S1', catalogue, cat: { index: new Map(catalogue.map((p, i) => [p.id, i])), products: catalogue }, members: ms, histories, deals: [], campaigns: [], content: [] };
}

describe('store model and member pack on the wire', () => {
  it('gives a device the same scored list as the model and pack headquarters built', () => {
    const s = aStore();
    const agg = buildAggregates(s, { ...SCORER_DEFAULTS, neighbours: 20 });
    const wire = JSON.parse(JSON.stringify(storeModelToWire({ ...s, version: 1, etag: '"m"', builtAt: '', k: 10, ...agg })));
    const model = parseStoreModel(wire);
    if (!model.ok) throw new Error(`${model.error} ${model.detail}`);
    expect(model.value.catalogue).toEqual(s.catalogue);
    const ids = s.catalogue.map((p) => p.id);
    for (const m of ['M0', 'M7', 'M31']) {
      const history = s.histories.get(m)!;
      const neighbour = agg.neighbours.get(m)!;
      expect(neighbour.neighbours).toBeGreaterThanOrEqual(10);
      const pack = parseMemberPack(JSON.parse(JSON.stringify(memberPackToWire({ etag: '"p"', builtAt: '', member: s.members.find((x) => x.id === m)!, productIds: ids, history, controls: [], shown: {}, neighbour }))));
      if (!pack.ok) throw new Error(pack.error);
      const onDevice = packOnCatalogue(pack.value, new Map(ids.map((id, i) => [id, i])));
      expect(Array.from(onDevice.history.products)).toEqual(Array.from(history.products));
      const day = 300;
      const there = scoreMember(tripsOf(history), agg.model, day, { neighbour });
      const here = scoreMember(tripsOf(onDevice.history), model.value.model, day, { neighbour: onDevice.neighbour });
      expect(here.map((x) => x.item)).toEqual(there.map((x) => x.item));
    }
  });

  it('refuses a store model whose candidates point outside its catalogue or whose columns disagree with it', () => {
    const s = aStore(20, 30);
    const agg = buildAggregates(s, { ...SCORER_DEFAULTS, neighbours: 0 });
    const wire = storeModelToWire({ ...s, version: 1, etag: '"m"', builtAt: '', k: 10, ...agg });
    expect(parseStoreModel(wire).ok).toBe(true);
    const bad = { ...wire, popular: [30] };
    expect(parseStoreModel(bad)).toMatchObject({ ok: false, error: 'bad-index' });
    const short = { ...wire, catalogue: { ...wire.catalogue, names: wire.catalogue.names.slice(1) } };
    expect(parseStoreModel(short)).toMatchObject({ ok: false, error: 'bad-length' });
  });
});
