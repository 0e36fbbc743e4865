// `larder eval <dataset dir>… [--device] [--members N] [--fit-sample N] [--json]`: the next-basket protocol of DESIGN.md (core/eval/protocol.ts) over a dataset folder.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Trip } from '../core/types.ts';
import { parseDay } from '../core/dates.ts';
import { evenSample, fitStoreModel, MIN_FIT_MEMBERS } from '../core/lists/fit.ts';
import {
  deviceInputs, runGlobalTopFreq, runLarder, runLarderDevice, runPersonalTopFreq, runTifu, scoreRankings, splitMembers,
  timingErrors, type SplitMetrics,
} from '../core/eval/protocol.ts';
import { diagnose } from '../core/eval/diagnostics.ts';
import { marginOf, perMember, verdict, type Margin, type PairedDifference, type PerMember } from '../core/eval/paired.ts';
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
  const a = parseArgs(args, ['members', 'fit-sample']);
  const json = a.flags.has('json');
  const device = a.flags.has('device');
  const limit = a.values.has('members') ? Number(a.values.get('members')) : undefined;
  const fitSample = a.values.has('fit-sample') ? Number(a.values.get('fit-sample')) : undefined;
  if (!a.positionals.length || (limit !== undefined && !(limit >= 10)) || (fitSample !== undefined && !(fitSample >= 10))) {
    console.error('usage: larder eval <dataset dir>… [--device] [--members N] [--fit-sample N] [--json]');
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
    // --members N: an evenly spaced subsample of members, for quick search iterations (the reported runs use all).
    const members = limit !== undefined && limit < ds.members.length ? evenSample(ds.members.length, limit).map((m) => ds.members[m]!) : ds.members;
    const { test } = splitMembers(members);
    const note = (s: string) => (json ? console.error(s) : console.log(s));
    const d = diagnose(test, ds.itemCount);
    note(`\n${ds.name}: ${test.histories.length} members with ≥ 3 baskets${members !== ds.members ? ` (subsample of ${ds.members.length})` : ''}, ${ds.itemCount} products, time in ${ds.unit}`);
    note(`shape: median ${d.medianTrips} trips, ${d.meanBasket.toFixed(1)} items a basket, median ${d.medianDistinct} distinct products a member, own top 10 = ${(d.top10Coverage * 100).toFixed(0)} % of their buying, ${(d.repeatShare * 100).toFixed(0)} % of target items bought before, median CV of gaps between trips ${d.medianGapCv.toFixed(2)}`);
    // The product's fit (core/lists/fit.ts) on the training histories: each member's latest training basket (the
    // validation target) is held out; the test basket is never passed in.
    let t = performance.now();
    const fitted = fitStoreModel(test.histories, { itemCount: ds.itemCount, unit: ds.unit, ...(fitSample ? { sample: fitSample } : {}) });
    const fitS = (performance.now() - t) / 1000;
    if (!fitted.fit) throw new Error(`${ds.name}: fewer than ${MIN_FIT_MEMBERS} members to fit on`);
    const fit = fitted.fit;
    note(`fitted on validation (fitStoreModel, ${fitS.toFixed(1)} s: ${fit.vectorSettings} vector settings × the full k×α grid, then ${fit.runs} scoring runs over ${fit.scored} of ${fit.members} members): objective R@10+N@10 ${fit.value.toFixed(4)} (TIFU-KNN alone ${fit.tifuValue.toFixed(4)}, default weights ${fit.defaultsValue.toFixed(4)})`);
    for (const slots of [1, 3]) {
      const tried = fit.calibration.filter((c) => c.repeatSlots === slots);
      if (tried.length) note(`calibrated blend (cross-fitted), at least the blend's repeat items ${slots === 1 ? 'by each slot' : 'over the list, by chance'}; repeat bonus → objective / repeat R@10 / explore R@10 (* kept: holds the floor, keeps the searched repeat recall, gains beyond noise): ${tried.map((c) => `${c.repeatBonus} → ${c.value.toFixed(4)} / ${c.repeat.toFixed(4)} / ${c.explore.toFixed(4)}${c.kept ? '*' : ''}`).join(', ')}`);
    }
    note(`floor (TIFU-KNN on validation): R@10 ${fit.floor.recall.toFixed(4)}, NDCG@10 ${fit.floor.ndcg.toFixed(4)}, repeat R@10 ${fit.floor.repeat.toFixed(4)}, explore R@10 ≥ ${fit.floor.explore.toFixed(4)}`);
    note(`chosen weights: ${JSON.stringify(fit.params)}`);
    note(`tifu-knn (stage 1 of the fit, Larder's terms off): ${JSON.stringify(fit.tifu)}`);
    const timing = timingErrors(test, ds.itemCount, fit.params.recency);
    const methods: [string, () => ArrayLike<number>[]][] = [
      ['larder', () => runLarder(test, fitted.model)],
      ['p-topfreq', () => runPersonalTopFreq(test, ds.itemCount)],
      ['g-topfreq', () => runGlobalTopFreq(test, ds.itemCount)],
      ['tifu-knn', () => runTifu(test, ds.itemCount, fit.tifu)],
    ];
    if (device) {
      methods.push(['larder-device', () => {
        const h = performance.now();
        const inputs = deviceInputs(test, ds.itemCount, fit.params);
        note(`larder-device: headquarters' store model + ${inputs.vectors?.length ?? 0} neighbour vectors built in ${((performance.now() - h) / 1000).toFixed(1)} s`);
        return runLarderDevice(test, inputs);
      }]);
    }
    const scores = new Map<string, SplitMetrics>();
    const per = new Map<string, PerMember>();
    const bought = test.histories.map(boughtOf);
    const rows: Record<string, unknown>[] = [];
    for (const [method, rank] of methods) {
      t = performance.now();
      const rankings = rank();
      const seconds = (performance.now() - t) / 1000;
      const m = scoreRankings(test, rankings);
      scores.set(method, m);
      per.set(method, perMember(rankings, test.targets, bought));
      const naive = { predictor: 'last purchase + member mean interval', ...timing.naive, rounded: timing.naiveRounded };
      rows.push({
        dataset: ds.name,
        method,
        'recall@10': r4(m.all['recall@10']),
        'ndcg@10': r4(m.all['ndcg@10']),
        'phr@10': r4(m.all['phr@10']),
        'recall@20': r4(m.all['recall@20']),
        'ndcg@20': r4(m.all['ndcg@20']),
        repeat: group(m.repeat),
        explore: group(m.explore),
        timing: method.startsWith('larder') ? { unit: ds.unit, predictor: 'empirical-Bayes log-normal interval', ...timing.larder, naive } : { unit: ds.unit, ...naive },
        ...(method === 'larder' ? { params: fit.params, fitSeconds: r4(fitS) } : method === 'tifu-knn' ? { params: fit.tifu } : {}),
        members: m.all.members,
        seconds: Math.round(seconds * 1000) / 1000,
      });
    }
    // Larder's margin over each other method, paired per member (core/eval/paired.ts): beyond noise only when the 95 %
    // interval of the per-member difference excludes 0.
    const margins = Object.fromEntries([...per].filter(([method]) => method !== 'larder').map(([method, p]) => [method, marginOf(per.get('larder')!, p)]));
    for (const row of rows) {
      const method = row.method as string;
      const m = scores.get(method)!;
      if (json) console.log(JSON.stringify(method === 'larder' ? { ...row, margins: roundMargins(margins) } : row));
      else {
        const f = (x: number) => x.toFixed(4);
        console.log(`${method.padEnd(13)} R@10 ${f(m.all['recall@10'])} N@10 ${f(m.all['ndcg@10'])} PHR@10 ${f(m.all['phr@10'])} R@20 ${f(m.all['recall@20'])} N@20 ${f(m.all['ndcg@20'])} | repeat R@10 ${f(m.repeat['recall@10'])} explore R@10 ${f(m.explore['recall@10'])} | ${(row.seconds as number).toFixed(2)} s`);
      }
    }
    for (const [method, margin] of Object.entries(margins)) note(`larder − ${method} (paired over members, 95 % interval): ${marginText(margin)}`);
    const full = scores.get('larder')!;
    const dev = scores.get('larder-device');
    if (dev) note(`larder-device against larder: R@10 ${signed(dev.all['recall@10'] - full.all['recall@10'])}, NDCG@10 ${signed(dev.all['ndcg@10'] - full.all['ndcg@10'])}, repeat R@10 ${signed(dev.repeat['recall@10'] - full.repeat['recall@10'])}, explore R@10 ${signed(dev.explore['recall@10'] - full.explore['recall@10'])}`);
    if (!json) {
      const T = timing;
      console.log(`timing (${T.larder.n} repeat target items, ${ds.unit}): larder median |err| ${T.larder.medianAbs.toFixed(2)}, mean ${T.larder.meanAbs.toFixed(2)}, within ±3 ${(T.larder.within3 * 100).toFixed(1)}%; naive median |err| ${T.naive.medianAbs.toFixed(2)}, mean ${T.naive.meanAbs.toFixed(2)}, within ±3 ${(T.naive.within3 * 100).toFixed(1)}% (rounded: ${T.naiveRounded.medianAbs.toFixed(2)}, ${(T.naiveRounded.within3 * 100).toFixed(1)}%)`);
    }
  }
  return 0;
}

const signed = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;

function boughtOf(trips: readonly Trip[]): Set<number> {
  const s = new Set<number>();
  for (const t of trips) for (const i of t.items) s.add(i);
  return s;
}

const roundDiff = (d: PairedDifference) => ({ mean: r4(d.mean), se: r4(d.se), low: r4(d.low), high: r4(d.high), n: d.n, verdict: verdict(d) });

function roundMargins(margins: Record<string, Margin>) {
  return Object.fromEntries(Object.entries(margins).map(([method, m]) => [method, Object.fromEntries(Object.entries(m).map(([k, d]) => [k, roundDiff(d)]))]));
}

const marginText = (m: Margin): string =>
  (Object.entries(m) as [string, PairedDifference][]).map(([k, d]) => `${k} ${signed(d.mean)} ± ${d.se.toFixed(4)} [${signed(d.low)}, ${signed(d.high)}] ${verdict(d)}`).join('; ');
