// `larder eval <dataset dir> [--json] [--quick]`: the next-basket protocol of DESIGN.md over a normalised dataset.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Trip } from '../core/types.ts';
import { parseDay } from '../core/dates.ts';
import { TIFU_TAFENG, type TifuParams } from '../core/nbr-baselines.ts';
import { DEFAULT_SCORER, type ScorerParams } from '../core/list-scorer.ts';
import { coordinateSearch, evaluate, type MethodName, type NbrDataset } from '../core/nbr-eval.ts';
import { parseArgs } from './args.ts';
import { readColumns } from './rules.ts';

/** Read a dataset folder into trips per member (≥ 3 baskets each). */
export async function readDataset(dir: string): Promise<NbrDataset> {
  const name = basename(dir.replace(/\/+$/, ''));
  const file = ['baskets.csv.gz', 'baskets.csv', 'transactions_sample.csv.gz'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`${dir}: no baskets.csv(.gz) or transactions_sample.csv.gz`);
  const readme = existsSync(join(dir, 'README.md')) ? await readFile(join(dir, 'README.md'), 'utf8') : '';
  const positions = /basket'?s? position/i.test(readme);
  const dunnhumby = file.endsWith('transactions_sample.csv.gz');
  const cols = dunnhumby ? ['household_id', 'basket_id', 'transaction_timestamp', 'product_id'] : ['member_id', 'basket_id', 'date', 'product_id'];
  const items = new Map<string, number>();
  const baskets = new Map<string, { member: string; time: number; items: Set<number> }>();
  await readColumns(file, cols, (row: string[]) => {
    const [member, basket, date, product] = row as [string, string, string, string];
    const time = /^-?\d+(\.\d+)?$/.test(date) ? Number(date) : parseDay(date);
    if (time === undefined) return;
    let item = items.get(product);
    if (item === undefined) items.set(product, (item = items.size));
    const key = `${member}|${basket}`;
    const b = baskets.get(key);
    if (b) b.items.add(item);
    else baskets.set(key, { member, time, items: new Set([item]) });
  });
  const byMember = new Map<string, Trip[]>();
  for (const b of baskets.values()) {
    const trip = { day: b.time, items: [...b.items] };
    const list = byMember.get(b.member);
    if (list) list.push(trip);
    else byMember.set(b.member, [trip]);
  }
  const members = [...byMember.values()].filter((t) => t.length >= 3).map((t) => t.sort((a, b) => a.day - b.day));
  return { name, members, itemCount: items.size, timeUnit: positions ? 'trips' : 'days' };
}

/** A deterministic sample of member positions for tuning. */
const sampleOf = (n: number, size: number) => Array.from({ length: Math.min(n, size) }, (_, i) => Math.floor((i * n) / Math.min(n, size)));

/** Run the command. */
export async function run(args: string[]): Promise<number> {
  const a = parseArgs(args);
  const json = a.flags.has('json');
  const quick = a.flags.has('quick');
  if (!a.positionals.length) {
    console.error('usage: larder eval <dataset dir>… [--json] [--quick]');
    return 2;
  }
  for (const dir of a.positionals) {
    let ds: NbrDataset;
    try {
      ds = await readDataset(dir);
    } catch (e) {
      console.error(`larder eval: ${(e as Error).message}`);
      return 2;
    }
    const t0 = performance.now();
    // Tuning on validation targets only, over a sample of members (every member is still a neighbour).
    const sample = sampleOf(ds.members.length, quick ? 1500 : 4000);
    const r10 = (m: MethodName, p: { tifu: TifuParams; scorer: ScorerParams }) => {
      const r = evaluate(ds, 'validation', m, p, sample).overall;
      return r['recall@10']! + r['ndcg@10']!;
    };
    // TIFU-KNN: the published search ranges (groups 1..20, r_b and r_g 0.1..1, α 0..1, k 100..1000), coarsely.
    const tifu = coordinateSearch<TifuParams>(TIFU_TAFENG, {
      groups: [3, 5, 7, 10, 15], withinDecay: [0.5, 0.7, 0.9, 1], groupDecay: [0.5, 0.7, 0.9, 1], alpha: [0.3, 0.5, 0.7, 0.9], neighbours: [100, 300, 500, 800],
    }, (p) => r10('tifu-knn', { tifu: p, scorer: DEFAULT_SCORER }));
    const tuneTifuS = (performance.now() - t0) / 1000;
    // Larder starts from the tuned TIFU-KNN frequencies and tunes its own timing parameters.
    const t1 = performance.now();
    const larder = coordinateSearch<ScorerParams>({ ...tifu.best, timingWeight: 0, priorWeight: DEFAULT_SCORER.priorWeight }, {
      timingWeight: [0.2, 0.4, 0.6, 0.8], priorWeight: [1, 4],
    }, (p) => r10('larder', { tifu: tifu.best, scorer: p }));
    const tuneLarderS = (performance.now() - t1) / 1000;
    const params = { tifu: tifu.best, scorer: larder.best };
    if (!json) console.log(`\n${ds.name}: ${ds.members.length} members with ≥ 3 baskets, ${ds.itemCount} products, time in ${ds.timeUnit}`);
    if (!json) console.log(`tuned on validation (${sample.length} members): tifu-knn ${JSON.stringify(tifu.best)} (${tifu.tried} runs, ${tuneTifuS.toFixed(1)} s); larder timingWeight ${larder.best.timingWeight}, priorWeight ${larder.best.priorWeight} (${larder.tried} runs, ${tuneLarderS.toFixed(1)} s)`);
    for (const method of ['larder', 'tifu-knn', 'p-topfreq', 'g-topfreq'] as const) {
      const t = performance.now();
      const r = evaluate(ds, 'test', method, params);
      const seconds = (performance.now() - t) / 1000;
      const row = {
        dataset: ds.name, method,
        'recall@10': r.overall['recall@10'], 'ndcg@10': r.overall['ndcg@10'], 'phr@10': r.overall['phr@10'],
        'recall@20': r.overall['recall@20'], 'ndcg@20': r.overall['ndcg@20'],
        repeat: r.repeat, explore: r.explore,
        timing: method === 'larder' ? { unit: ds.timeUnit, ...r.timing } : { unit: ds.timeUnit, note: 'no timing model' },
        users: r.overall.users, seconds: Number(seconds.toFixed(3)),
        ...(method === 'tifu-knn' ? { params: tifu.best } : method === 'larder' ? { params: larder.best } : {}),
      };
      if (json) console.log(JSON.stringify(row));
      else {
        const f = (x: number | undefined) => (x ?? NaN).toFixed(4);
        const timing = method === 'larder' ? `  timing: median |err| ${r.timing.median_abs} ${ds.timeUnit} (naive ${r.timing.naive_median_abs}), within ±3 ${(r.timing.within_3 * 100).toFixed(1)}% (naive ${(r.timing.naive_within_3 * 100).toFixed(1)}%), n=${r.timing.n}` : '';
        console.log(`${method.padEnd(10)} R@10 ${f(row['recall@10'])} N@10 ${f(row['ndcg@10'])} PHR@10 ${f(row['phr@10'])} R@20 ${f(row['recall@20'])} N@20 ${f(row['ndcg@20'])}  repeat R@10 ${f(r.repeat['recall@10'])} explore R@10 ${f(r.explore['recall@10'])}  ${seconds.toFixed(2)} s${timing}`);
      }
    }
  }
  return 0;
}
