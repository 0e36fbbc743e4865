// `larder eval <dataset dir>… [--json]`: the next-basket protocol of DESIGN.md (core/eval/protocol.ts) over a dataset folder.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Trip } from '../core/types.ts';
import { parseDay } from '../core/dates.ts';
import { TIFU_TAFENG } from '../core/eval/baselines.ts';
import { buildStoreModel } from '../core/lists/next-basket.ts';
import {
  COARSE_TIFU_GRID, larderStart, runGlobalTopFreq, runLarder, runPersonalTopFreq, runTifu, scoreRankings, splitMembers,
  timingErrors, tuneLarder, tuneTifu, type SplitMetrics,
} from '../core/eval/protocol.ts';
import { parseArgs } from './args.ts';
import { readColumns } from './rules.ts';

/** A dataset read for evaluation: every member's trips (ascending), dense item ids and the time unit. */
export interface EvalDataset {
  name: string;
  members: Trip[][];
  itemCount: number;
  unit: 'days' | 'trips';
}

/** Read `baskets.csv(.gz)` (member_id, basket_id, date, product_id) or dunnhumby's `transactions_sample.csv.gz`. */
export async function readDataset(dir: string): Promise<EvalDataset> {
  const name = basename(dir.replace(/\/+$/, ''));
  const file = ['baskets.csv.gz', 'baskets.csv', 'transactions_sample.csv.gz'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`${dir}: no baskets.csv(.gz) or transactions_sample.csv.gz`);
  const readme = existsSync(join(dir, 'README.md')) ? await readFile(join(dir, 'README.md'), 'utf8') : '';
  // A README that says dates are basket positions (tafeng): time is counted in trips.
  const positions = /basket'?s position/i.test(readme);
  const cols = file.endsWith('transactions_sample.csv.gz')
    ? ['household_id', 'basket_id', 'transaction_timestamp', 'product_id']
    : ['member_id', 'basket_id', 'date', 'product_id'];
  const items = new Map<string, number>();
  const baskets = new Map<string, { member: string; time: number; items: Set<number> }>();
  let bad = 0;
  const res = await readColumns(file, cols, (row) => {
    const [member, basket, date, product] = row as [string, string, string, string];
    const time = /^-?\d+$/.test(date) ? Number(date) : parseDay(date);
    if (time === undefined) {
      bad++;
      return;
    }
    let item = items.get(product);
    if (item === undefined) items.set(product, (item = items.size));
    const key = `${member}\u0000${basket}`;
    const b = baskets.get(key);
    if (b) b.items.add(item);
    else baskets.set(key, { member, time, items: new Set([item]) });
  });
  if ('error' in res) throw new Error(res.error);
  if (bad) console.error(`${name}: ${bad} rows with an unreadable date skipped`);
  const byMember = new Map<string, Trip[]>();
  for (const b of baskets.values()) {
    const trip = { day: b.time, items: [...b.items] };
    const list = byMember.get(b.member);
    if (list) list.push(trip);
    else byMember.set(b.member, [trip]);
  }
  const members = [...byMember.values()].map((t) => t.sort((a, b) => a.day - b.day)).filter((t) => t.length >= 3);
  return { name, members, itemCount: items.size, unit: positions ? 'trips' : 'days' };
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

function group(m: SplitMetrics['all']) {
  return { members: m.members, 'recall@10': r4(m['recall@10']), 'ndcg@10': r4(m['ndcg@10']), 'phr@10': r4(m['phr@10']), 'recall@20': r4(m['recall@20']), 'ndcg@20': r4(m['ndcg@20']) };
}

/** Run `larder eval`; exit 0, or 2 on bad arguments or unreadable input. */
export async function run(args: string[]): Promise<number> {
  const a = parseArgs(args);
  const json = a.flags.has('json');
  if (!a.positionals.length) {
    console.error('usage: larder eval <dataset dir>… [--json]');
    return 2;
  }
  for (const dir of a.positionals) {
    let ds: EvalDataset;
    try {
      ds = await readDataset(dir);
    } catch (e) {
      console.error(`larder eval: ${(e as Error).message}`);
      return 2;
    }
    const { validation, test } = splitMembers(ds.members);
    const horizon = ds.unit === 'trips' ? 1 : 7;
    const note = (s: string) => (json ? console.error(s) : console.log(s));
    note(`\n${ds.name}: ${test.histories.length} members with ≥ 3 baskets, ${ds.itemCount} products, time in ${ds.unit}`);
    // Tuning sees validation targets only (histories end before them); the test basket is never read here.
    let t = performance.now();
    const tifuTuned = tuneTifu(validation, ds.itemCount);
    const tifuTuneS = (performance.now() - t) / 1000;
    t = performance.now();
    const larderTuned = tuneLarder(validation, ds.itemCount, larderStart(tifuTuned.best, horizon));
    const larderTuneS = (performance.now() - t) / 1000;
    note(`tuned on validation: tifu-knn ${JSON.stringify(tifuTuned.best)} (${tifuTuned.trials.length} vector settings × the full k×α grid, ${tifuTuneS.toFixed(1)} s; start: the authors' Ta-Feng setting ${JSON.stringify(TIFU_TAFENG)}, grid ${JSON.stringify({ ...COARSE_TIFU_GRID })})`);
    note(`tuned on validation: larder ${JSON.stringify(larderTuned.best)} (${larderTuned.trials.length} runs, ${larderTuneS.toFixed(1)} s)`);
    const timing = timingErrors(test, ds.itemCount, larderTuned.best.recency);
    const methods: [string, () => ArrayLike<number>[]][] = [
      ['larder', () => runLarder(test, buildStoreModel(test.histories, { itemCount: ds.itemCount, params: larderTuned.best }))],
      ['p-topfreq', () => runPersonalTopFreq(test, ds.itemCount)],
      ['g-topfreq', () => runGlobalTopFreq(test, ds.itemCount)],
      ['tifu-knn', () => runTifu(test, ds.itemCount, tifuTuned.best)],
    ];
    for (const [method, rank] of methods) {
      t = performance.now();
      const rankings = rank();
      const seconds = (performance.now() - t) / 1000;
      const m = scoreRankings(test, rankings);
      const naive = { predictor: 'last purchase + member mean interval', ...timing.naive, rounded: timing.naiveRounded };
      const row = {
        dataset: ds.name,
        method,
        'recall@10': r4(m.all['recall@10']),
        'ndcg@10': r4(m.all['ndcg@10']),
        'phr@10': r4(m.all['phr@10']),
        'recall@20': r4(m.all['recall@20']),
        'ndcg@20': r4(m.all['ndcg@20']),
        repeat: group(m.repeat),
        explore: group(m.explore),
        timing: method === 'larder' ? { unit: ds.unit, predictor: 'empirical-Bayes log-normal interval', ...timing.larder, naive } : { unit: ds.unit, ...naive },
        members: m.all.members,
        seconds: Math.round(seconds * 1000) / 1000,
      };
      if (json) console.log(JSON.stringify(row));
      else {
        const f = (x: number) => x.toFixed(4);
        console.log(`${method.padEnd(10)} R@10 ${f(row['recall@10'])} N@10 ${f(row['ndcg@10'])} PHR@10 ${f(row['phr@10'])} R@20 ${f(row['recall@20'])} N@20 ${f(row['ndcg@20'])} | repeat R@10 ${f(m.repeat['recall@10'])} explore R@10 ${f(m.explore['recall@10'])} | ${row.seconds.toFixed(2)} s`);
      }
    }
    if (!json) {
      const T = timing;
      console.log(`timing (${T.larder.n} repeat target items, ${ds.unit}): larder median |err| ${T.larder.medianAbs.toFixed(2)}, mean ${T.larder.meanAbs.toFixed(2)}, within ±3 ${(T.larder.within3 * 100).toFixed(1)}%; naive median |err| ${T.naive.medianAbs.toFixed(2)}, mean ${T.naive.meanAbs.toFixed(2)}, within ±3 ${(T.naive.within3 * 100).toFixed(1)}% (rounded: ${T.naiveRounded.medianAbs.toFixed(2)}, ${(T.naiveRounded.within3 * 100).toFixed(1)}%)`);
    }
  }
  return 0;
}
