// What a device downloads, gzipped as headquarters sends it: the demo store's model and its members' packs (through the
// real routes of a demo headquarters on PGlite in memory), and a synthetic store of 30,000 products (DESIGN.md:
// model < 300 kB gzip for 30,000 products; pack < 20 kB gzip for two years of weekly baskets).
// Run alone: `npx tsx bench/pack-sizes.ts [--json]`.
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { figure, quantiles, type Figure } from './figures.ts';
import { openPglite } from '../hq/db/pglite.ts';
import { migrate } from '../hq/db/migrate.ts';
import { loadDemo, DEMO_STORE } from '../hq/demo-data.ts';
import { createHq } from '../hq/app.ts';
import { buildAggregates } from '../hq/model/build.ts';
import { storeModelToWire } from '../protocol/packs.ts';
import { SCORER_DEFAULTS } from '../core/lists/scorer-params.ts';
import { seededRandom } from '../core/random.ts';
import type { Member, Product } from '../core/types.ts';
import type { PackedHistory } from '../core/history.ts';

const kb = (bytes: number) => bytes / 1024;

/** Model and pack sizes of the demo store, through the routes. */
export async function demoPackFigures(): Promise<Figure[]> {
  const db = await openPglite();
  await migrate(db);
  await loadDemo(db);
  const app = await createHq({ db, adminKey: 'ladm.bench', demo: true });
  const t = performance.now();
  const model = await app.request(`/v1/stores/${DEMO_STORE}/model`, { headers: { 'accept-encoding': 'gzip' } });
  const modelBytes = (await model.arrayBuffer()).byteLength;
  const buildS = (performance.now() - t) / 1000;
  const products = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM products'))[0]!.n;
  const { code } = (await (await app.request('/v1/demo/enrollment', { method: 'POST' })).json()) as { code: string };
  const { deviceToken } = (await (await app.request('/v1/devices/enroll', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json()) as { deviceToken: string };
  const all = (await (await app.request(`/v1/stores/${DEMO_STORE}/packs`, { headers: { authorization: `Bearer ${deviceToken}` } })).json()) as { packs: { history: { basketIds: string[] } }[] };
  const sizes = all.packs.map((p) => gzipSync(JSON.stringify(p)).length);
  const baskets = all.packs.map((p) => p.history.basketIds.length);
  const q = quantiles(sizes.map(kb));
  await db.close();
  return [
    figure('model.gzip_kb', kb(modelBytes), 'kB', { target: '< 300 (30,000 products)', note: `demo store ${DEMO_STORE}: ${products} products; first build ${buildS.toFixed(1)} s` }),
    figure('pack.gzip_kb', q.median, 'kB', { target: '< 20 (two years of weekly baskets)', note: `demo store: median of ${sizes.length} packs (median ${quantiles(baskets).median} baskets), p95 ${q.p95.toFixed(1)} kB, max ${kb(Math.max(...sizes)).toFixed(1)} kB (${Math.max(...baskets)} baskets)` }),
  ];
}

/** The model of a synthetic store: 30,000 products, 5,000 members with two years of weekly baskets of ~12 items. */
export function syntheticModelFigure(products = 30_000, members = 5_000, parts?: (wire: ReturnType<typeof storeModelToWire>) => void): Figure {
  const rnd = seededRandom(7);
  const zipf = (n: number) => Math.min(n - 1, Math.floor(Math.exp(rnd() * Math.log(n + 1))) - 1);
  const catalogue: Product[] = Array.from({ length: products }, (_, i) => ({
    id: String(4_000_000_000_000 + i * 7), name: `Brand ${i % 2000} product ${i} ${['mild', 'extra', 'light', 'classic'][i % 4]}`,
    category: `dept${i % 30}/cat${i % 300}`, brand: `Brand ${i % 2000}`, brandType: i % 5 ? 'national' : 'store', priceCents: 99 + ((i * 37) % 2000),
    ...(i % 3 ? { size: `${100 * (1 + (i % 10))}`, unit: 'g' } : {}), tags: i % 50 === 0 ? ['pet'] : [],
  }));
  // A product's rank in popularity is a fixed shuffle, so popular products are spread over the catalogue.
  const rank = Int32Array.from({ length: products }, (_, i) => i);
  for (let i = products - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [rank[i], rank[j]] = [rank[j]!, rank[i]!];
  }
  const ms: Member[] = [];
  const histories = new Map<string, PackedHistory>();
  for (let m = 0; m < members; m++) {
    const id = `M${m}`;
    ms.push({ id, cardCode: '0000000000000', consent: { personalise: true, contact: false } });
    const repertoire = Array.from({ length: 40 }, () => rank[zipf(products)]!);
    const days: number[] = [];
    const lineStart: number[] = [0];
    const items: number[] = [];
    for (let w = 0; w < 104; w++) {
      days.push(20000 + 7 * w + (m % 7));
      const basket = new Set<number>();
      for (let k = 0; k < 12; k++) basket.add(rnd() < 0.6 ? repertoire[Math.floor(rnd() * 40)]! : rank[zipf(products)]!);
      items.push(...basket);
      lineStart.push(items.length);
    }
    histories.set(id, {
      memberId: id, basketIds: days.map((_, b) => `${id}-${b}`), days: Int32Array.from(days), minutes: new Int16Array(days.length).fill(-1),
      lineStart: Int32Array.from(lineStart), products: Int32Array.from(items), qty: new Float32Array(items.length).fill(1),
      priceCents: Int32Array.from(items, (i) => catalogue[i]!.priceCents), discountCents: new Int32Array(items.length),
    });
  }
  const t = performance.now();
  const agg = buildAggregates({ storeId: 'SX', catalogue, cat: { index: new Map(catalogue.map((p, i) => [p.id, i])), products: catalogue }, members: ms, histories, deals: [], campaigns: [], content: [] }, { ...SCORER_DEFAULTS, neighbours: 0 });
  const wire = storeModelToWire({ storeId: 'SX', version: 1, etag: '"x"', builtAt: new Date().toISOString(), k: 10, members: agg.members, catalogue, deals: [], campaigns: [], content: [], model: agg.model, rules: agg.rules, segmentCuts: agg.segmentCuts, popular: agg.popular, forYou: agg.forYou });
  parts?.(wire);
  const bytes = gzipSync(JSON.stringify(wire)).length;
  const kept = agg.model.popularity.filter((x) => x > 0).length;
  return figure('model.gzip_kb.30k_products', kb(bytes), 'kB', { target: '< 300', note: `synthetic: ${products} products (${kept} bought by ≥ 10 members), ${members} members × 104 weekly baskets, ${agg.rules.length} rules; built in ${((performance.now() - t) / 1000).toFixed(1)} s` });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const json = process.argv.includes('--json');
  const figures = [...(await demoPackFigures()), syntheticModelFigure()];
  for (const f of figures) console.log(json ? JSON.stringify(f) : `${f.name.padEnd(28)} ${String(f.value).padStart(8)} ${f.unit}  ${f.target ?? ''}  ${f.note ?? ''}`);
}
