// A store whose members carry little personal signal, for the eval (#22): the real items of the arules Groceries
// baskets (../shared/datasets/groceries-arules, 9,835 baskets over 169 products) cut into small baskets and dealt at
// random to 3,898 members on random days of two years, the shape of the public "Groceries dataset" of member-dated
// baskets (3,898 members, 14,963 member-days, 167 products) the team does not hold. `--taste T` gives each member
// four favourites (drawn by popularity) that fill a share T of their basket lines: 0 is a store of random draws from
// popularity, where G-TopFreq is hard to beat; larger T is a store of regular members.
//
//   npx tsx bench/grocery-proxy.ts --out /tmp/grocery-proxy [--taste 0.12] [--seed 12345]
//   node bin/larder.mjs eval /tmp/grocery-proxy
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseArgs } from '../cli/args.ts';

const MEMBERS = 3898;
const BASKETS = 14963;
const DAYS = 729;

const a = parseArgs(process.argv.slice(2), ['out', 'taste', 'seed']);
const out = a.values.get('out');
const taste = Number(a.values.get('taste') ?? 0);
const seed = Number(a.values.get('seed') ?? 12345);
if (!out || !(taste >= 0 && taste <= 1) || !Number.isInteger(seed)) {
  console.error('usage: npx tsx bench/grocery-proxy.ts --out DIR [--taste 0..1] [--seed N]');
  process.exit(2);
}
let s = seed >>> 0;
const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;

const source = new URL('../../shared/datasets/groceries-arules/transactions.csv.gz', import.meta.url);
const rows = gunzipSync(readFileSync(source)).toString().trim().split('\n').slice(1);
// Every basket line's product, in the file's order (a basket's items stay near each other).
const lines = rows.map((r) => r.split(',')[1]!);
// Baskets per member: 2 each, the rest dealt at random (mean 3.84, as the public set).
const per = new Array<number>(MEMBERS).fill(2);
for (let k = 2 * MEMBERS; k < BASKETS; k++) per[Math.floor(rnd() * MEMBERS)]!++;
const csv = ['member_id,basket_id,date,product_id'];
let next = 0;
let basketId = 0;
const day0 = Date.UTC(2014, 0, 1);
for (let m = 0; m < MEMBERS; m++) {
  const days = new Set<number>();
  while (days.size < per[m]!) days.add(Math.floor(rnd() * DAYS));
  const favourites = Array.from({ length: 4 }, () => lines[Math.floor(rnd() * lines.length)]!);
  for (const d of [...days].sort((x, y) => x - y)) {
    const size = 1 + Math.floor(rnd() * 4);
    const items = new Set<string>();
    for (let k = 0; k < size; k++) items.add(rnd() < taste ? favourites[Math.floor(rnd() * 4)]! : lines[next++ % lines.length]!);
    const date = new Date(day0 + d * 86_400_000).toISOString().slice(0, 10);
    basketId++;
    for (const p of items) csv.push(`${1000 + m},K${basketId},${date},"${p}"`);
  }
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'baskets.csv.gz'), gzipSync(`${csv.join('\n')}\n`));
writeFileSync(join(out, 'README.md'), `# grocery proxy (taste ${taste}, seed ${seed})\n\nbench/grocery-proxy.ts: ${MEMBERS} members, ${basketId} baskets, ${csv.length - 1} lines dealt from the arules Groceries baskets.\n`);
console.log(`wrote ${out}: ${MEMBERS} members, ${basketId} baskets, ${csv.length - 1} lines (taste ${taste})`);
