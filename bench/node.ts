// Benchmarks of the core in Node: association rules and the BG/NBD fit on the shared datasets, list generation at scale.
import { readText } from '../cli/files.ts';
import { frequentItemsets, minCount, mineRules } from '../core/insights/rules.ts';
import { fitBgNbd, summarisePurchases } from '../core/insights/activity.ts';
import { parseDay } from '../core/dates.ts';
import { figure, type Figure } from './figures.ts';
import { naiveFrequentItemsets, Unfinished } from './naive-apriori.ts';
import { naiveFitBgNbd } from './naive-bgnbd.ts';
import { generateDemoStore, type DemoStore } from '../demo/demo-store.ts';
import { emptyHistory, mergeBaskets, tripsOf, tripsUntil } from '../core/history.ts';
import { buildStoreModel, scoreMember } from '../core/lists/next-basket.ts';
import { summarisePacked } from '../core/lists/member-summary.ts';
import { buildList } from '../core/lists/list.ts';
import { nearestRows, tifuRecommend, tifuRows } from '../core/lists/tifu.ts';
import { TIFU_TAFENG } from '../core/eval/baselines.ts';
import type { Basket } from '../core/types.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { createEngine } from '../worker/engine-api.ts';
import 'fake-indexeddb/auto';

const DATASETS = new URL('../../shared/datasets/', import.meta.url).pathname;

/** Baskets (as dense item arrays) of a dataset's baskets.csv.gz. */
async function readBaskets(path: string): Promise<{ baskets: number[][]; items: number }> {
  const lines = (await readText(path)).split(/\r?\n/);
  const head = lines[0]!.split(',');
  const bi = head.indexOf('basket_id'), pi = head.indexOf('product_id');
  const itemIdx = new Map<string, number>(), basketIdx = new Map<string, number[]>();
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const f = lines[i]!.split(',');
    let item = itemIdx.get(f[pi]!);
    if (item === undefined) itemIdx.set(f[pi]!, (item = itemIdx.size));
    const b = basketIdx.get(f[bi]!);
    if (b) { if (!b.includes(item)) b.push(item); } else basketIdx.set(f[bi]!, [item]);
  }
  return { baskets: [...basketIdx.values()], items: itemIdx.size };
}

const time = <T>(fn: () => T): [T, number] => {
  const t0 = performance.now();
  const v = fn();
  return [v, (performance.now() - t0) / 1000];
};

/** Every Node figure, as it is measured. */
export async function* nodeFigures(opts: { quick?: boolean } = {}): AsyncGenerator<Figure> {
  // Association rules: Larder's miner against the textbook Apriori on Groceries (the baseline is far too slow for
  // Ta-Feng's 12,000 items), then alone on the largest basket dataset, Ta-Feng (91,227 baskets).
  const groceries = await readBaskets(`${DATASETS}groceries-arules/transactions.csv.gz`);
  const [gRules, gS] = time(() => mineRules(groceries.baskets, groceries.items, { minSupport: 0.001, minConfidence: 0.5 }));
  const [naive, naiveS] = time(() => naiveFrequentItemsets(groceries.baskets, minCount(0.001, groceries.baskets.length)));
  const ours = frequentItemsets(groceries.baskets, groceries.items, 0.001);
  yield figure('rules.groceries.s', gS, 's', { baseline: naiveS, baselineName: 'textbook Apriori', note: `${gRules.length} rules; ${ours.count.length - 1} frequent itemsets, baseline ${naive.size}` });
  const tafeng = await readBaskets(`${DATASETS}tafeng/baskets.csv.gz`);
  const [rules, rulesS] = time(() => mineRules(tafeng.baskets, tafeng.items, { minSupport: 0.001, minConfidence: 0.3 }));
  // The textbook Apriori does not finish on Ta-Feng's 12,000 items: it is stopped after a fixed time, which is then a
  // lower bound of its time (and the ratio an upper bound of Larder's).
  const capS = opts.quick ? 5 : 30;
  const t0 = performance.now();
  let stopped = '';
  try {
    naiveFrequentItemsets(tafeng.baskets, minCount(0.001, tafeng.baskets.length), 10, t0 + capS * 1000);
  } catch (e) {
    if (!(e instanceof Unfinished)) throw e;
    stopped = e.message;
  }
  const naiveTafengS = (performance.now() - t0) / 1000;
  yield figure('rules.tafeng.s', rulesS, 's', {
    baseline: naiveTafengS, baselineName: stopped ? `textbook Apriori, stopped unfinished at` : 'textbook Apriori', ...(stopped ? { baselineAtLeast: true } : {}),
    note: `${rules.length} rules at support 0.001, confidence 0.3 (largest shared basket dataset)${stopped ? `; the baseline ${stopped}` : ''}`,
  });

  // BG/NBD on the two activity datasets with published fits.
  for (const [name, end] of [['cdnow-full', '1997-09-30'], ['grocery-elog', '2006-12-31']] as const) {
    const lines = (await readText(`${DATASETS}${name}/baskets.csv.gz`)).split(/\r?\n/);
    const head = lines[0]!.split(',');
    const mi = head.indexOf('member_id'), di = head.indexOf('date');
    const ids = new Map<string, number>();
    const member: number[] = [], day: number[] = [];
    for (const line of lines.slice(1)) {
      if (!line) continue;
      const f = line.split(',');
      let m = ids.get(f[mi]!);
      if (m === undefined) ids.set(f[mi]!, (m = ids.size));
      member.push(m);
      day.push(parseDay(f[di]!)!);
    }
    const [fit, fitS] = time(() => fitBgNbd(summarisePurchases(member, day, ids.size, parseDay(end)!, 7)));
    const [naive, naiveS] = time(() => naiveFitBgNbd(summarisePurchases(member, day, ids.size, parseDay(end)!, 7)));
    const p = (q: typeof naive) => `r ${q.r.toFixed(4)} α ${q.alpha.toFixed(4)} a ${q.a.toFixed(4)} b ${q.b.toFixed(4)}`;
    yield figure(`activity.bgnbd.${name}.s`, fitS, 's', {
      baseline: naiveS, baselineName: 'textbook likelihood, member by member',
      note: `${p(fit.params)}, ${ids.size} members (summary included); the baseline found ${p(naive)}`,
    });
  }
  // Every member's list, as the overnight batch would make them: the real engine (engine.listsFor) over an in-memory
  // IndexedDB (fake-indexeddb, whose transactions cost more CPU than a browser's); the core work alone is timed too.
  const sizes = opts.quick ? [1_500, 3_000] : [1_500, 10_000];
  const perMember: number[] = [];
  for (const members of sizes) {
    const store = generateDemoStore({ members, seed: 11, endDate: '2026-11-22', days: 365 });
    const files = demoFeedFiles(store);
    const engine = createEngine({ dbName: `bench-lists-${members}-${Date.now()}`, today: () => parseDay('2026-11-23')! });
    await importDemoFeeds(engine, files);
    const ids = await engine.memberIds();
    const day = (await engine.today());
    const t0 = performance.now();
    const done = await engine.listsFor(ids, day); // the first list builds the store model (every history, segments): part of the batch
    const s = (performance.now() - t0) / 1000;
    perMember.push(s / members);
    if (members === sizes[sizes.length - 1]) {
      yield figure('list.all_members.s', s, 's', {
        baseline: perMember[0]! * members, baselineName: `${sizes[0]!.toLocaleString('en')} members, scaled`,
        note: `${members.toLocaleString('en')} members, one year of baskets, model build included, one core, ${done.issued.toLocaleString('en')} lists issued; 50,000 would take ≈ ${(s * 50_000 / members).toFixed(0)} s at this rate (target < 30 s)`,
      });
      const core = coreListMs(store);
      yield figure('list.core_only.ms', core.larder, 'ms', {
        baseline: core.tifu, baselineName: 'TIFU-KNN top 20 (vectors, neighbours, scores)',
        note: 'per list, the same members: scorer + summary + buildList (items, prices, offers, reasons), no IndexedDB, no code signing; the baseline only ranks products',
      });
    }
  }
}

/** Mean time of the pure list work per member (what a list costs without any storage), over the store's members; and
 * of TIFU-KNN's top 20 for the same members as of the same day, with the parameters the evaluation uses on Ta-Feng. */
function coreListMs(store: DemoStore): { larder: number; tifu: number } {
  const products = store.products;
  const index = new Map(products.map((p, i) => [p.id, i]));
  const byMember = new Map<string, Basket[]>();
  for (const b of store.baskets) (byMember.get(b.memberId) ?? byMember.set(b.memberId, []).get(b.memberId)!).push(b);
  const histories = store.members.map((m) => mergeBaskets(emptyHistory(m.id), byMember.get(m.id) ?? [], (id) => index.get(id)!).history);
  const model = buildStoreModel(histories.map(tripsOf), { itemCount: products.length, params: { neighbours: 0 } });
  const day = parseDay('2026-11-23')!;
  const t0 = performance.now();
  for (const [i, member] of store.members.entries()) {
    const h = histories[i]!;
    const scored = scoreMember(tripsUntil(h, day), model, day, { limit: 22, exploreLimit: 9 });
    buildList({
      member, baskets: [], memberSummary: summarisePacked(member, h, products, day), scored, products, deals: store.deals, campaigns: store.campaigns,
      content: store.content, asOfDay: day, listId: `L${i}`, code: '0', productIndex: index, storeBudgetLeftCents: 500_000,
    });
  }
  const larder = (performance.now() - t0) / store.members.length;
  const t1 = performance.now();
  const rows = tifuRows(histories.map((h) => tripsUntil(h, day)), products.length, TIFU_TAFENG);
  tifuRecommend(rows, nearestRows(rows, products.length, TIFU_TAFENG.neighbours), TIFU_TAFENG.neighbours, products.length, TIFU_TAFENG, 20);
  return { larder, tifu: (performance.now() - t1) / store.members.length };
}
