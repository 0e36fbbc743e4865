// In-browser benchmarks, run by bench/run.mjs in headless Chromium: the real worker, the real IndexedDB.
// Figures are collected in window.__figures; the runner prints them beside the Node figures.
import { openDB } from 'idb';
import { getEngine } from '../worker/bridge.ts';
import { openStore } from '../worker/store.ts';
import { toEan13 } from '../core/ean.ts';
import { figure, quantiles, type Figure } from './figures.ts';

declare global {
  interface Window { __figures: Figure[]; __done: boolean; __error?: string }
}
window.__figures = [];
const log = (text: string) => (document.getElementById('log')!.textContent += `\n${text}`);
const push = (f: Figure) => { window.__figures.push(f); log(JSON.stringify(f)); };
const params = new URLSearchParams(location.search);
const TARGET_MEMBERS = Number(params.get('members') ?? 50_000);
const SAMPLES = Number(params.get('samples') ?? 200);

/** Baseline: the straightforward storage, one IndexedDB record per basket line (DESIGN.md measured ~13,000/s). */
async function naiveLinesPerSecond(lines: number): Promise<number> {
  const db = await openDB(`bench-naive-${Date.now()}`, 1, { upgrade: (d) => d.createObjectStore('lines', { autoIncrement: true }) });
  const t0 = performance.now();
  const tx = db.transaction('lines', 'readwrite');
  for (let i = 0; i < lines; i++) void tx.store.add({ basketId: `B${i >> 3}`, memberId: `M${i % 1500}`, day: 20000 + (i % 700), productId: `P${i % 89}`, qty: 1, priceCents: 199 });
  await tx.done;
  const rate = lines / ((performance.now() - t0) / 1000);
  db.close();
  return rate;
}

async function scanToList(cards: { id: string; card: string }[], day: number, offset: number): Promise<number[]> {
  const engine = getEngine();
  const times: number[] = [];
  for (const [i, m] of cards.entries()) {
    const t0 = performance.now();
    const found = await engine.findMember(m.card);
    if (!found.ok) throw new Error(`scan ${m.card}: ${found.error}`);
    const list = await engine.listFor(found.value.id, day + offset + i); // a day no earlier phase used: computed, not cached
    if (!list.ok) throw new Error(`list ${m.id}: ${list.error}`);
    times.push(performance.now() - t0);
  }
  return times;
}

async function run() {
  const engine = getEngine();
  const name = `bench-${Date.now()}`;
  await engine.useDatabase(name);
  const manifest = await (await fetch('/demo/manifest.json')).json();
  const lines: number = manifest.counts.lines;

  // 1. Import of the demo's basket lines (fetch, inflate, parse, validate, store), all feeds included.
  let t0 = performance.now();
  const loaded = await engine.loadDemo(new URL('/demo/', location.href).href);
  if (!loaded.ok) throw new Error(`import: ${loaded.error}`);
  const importS = (performance.now() - t0) / 1000;
  const naiveRate = await naiveLinesPerSecond(100_000);
  push(figure('import.1m_lines.s', (importS * 1_000_000) / lines, 's', {
    baseline: 1_000_000 / naiveRate, baselineName: 'one record per line', target: '< 10',
    note: `${lines.toLocaleString('en')} demo lines in ${importS.toFixed(1)} s, scaled to 1,000,000`,
  }));

  // 2. One member's list in the worker, for the members with the longest histories (two years of trips).
  const db = await openStore(name);
  const members = await db.getAll('members');
  const histories = await db.getAll('histories');
  const today = await engine.today();
  const longest = [...histories].sort((a, b) => b.basketIds.length - a.basketIds.length).slice(0, SAMPLES);
  const listTimes: number[] = [];
  for (const [i, h] of longest.entries()) {
    t0 = performance.now();
    const r = await engine.listFor(h.memberId, today + 2000 + i);
    if (!r.ok) throw new Error(r.error);
    listTimes.push(performance.now() - t0);
  }
  const lt = quantiles(listTimes.slice(5)); // the first calls warm the caches
  const trips = Math.round(longest.reduce((s, h) => s + h.basketIds.length, 0) / longest.length);
  push(figure('list.member.median_ms', lt.median, 'ms', { target: '< 2', note: `members with ${trips} trips on average, Comlink round trip included` }));
  push(figure('list.member.p95_ms', lt.p95, 'ms'));

  // 3. Scan-to-list with the demo's members stored, then with TARGET_MEMBERS stored.
  const pickCards = (all: typeof members) => Array.from({ length: SAMPLES }, (_, i) => all[(i * 7919) % all.length]!).map((m) => ({ id: m.id, card: m.cardCode }));
  const small = quantiles((await scanToList(pickCards(members), today, 1000)).slice(5));
  // Grow the store: copies of the demo members' histories under new ids and cards, written packed.
  const copies = Math.ceil(TARGET_MEMBERS / members.length) - 1;
  t0 = performance.now();
  let serial = 0;
  for (let c = 1; c <= copies; c++) {
    const tx = db.transaction(['members', 'histories'], 'readwrite');
    for (let i = 0; i < members.length && members.length * c + i < TARGET_MEMBERS; i++) {
      const m = members[i]!;
      const id = `${m.id}-${c}`;
      void tx.objectStore('members').put({ ...m, id, cardCode: toEan13(`3${String(++serial).padStart(11, '0')}`) });
      const h = histories.find((x) => x.memberId === m.id);
      if (h) void tx.objectStore('histories').put({ ...h, memberId: id });
    }
    await tx.done;
  }
  const growS = (performance.now() - t0) / 1000;
  const all = await db.getAll('members');
  db.close();
  await engine.useDatabase(`${name}-switch`);
  await engine.useDatabase(name); // drop the engine's caches: it sees the grown store as a kiosk would after a restart
  t0 = performance.now();
  await scanToList(pickCards(all).slice(0, 1), today, 5000); // first scan after start-up builds the store model
  const warmS = (performance.now() - t0) / 1000;
  const big = quantiles((await scanToList(pickCards(all), today, 3000)).slice(5));
  push(figure('kiosk.scan_to_list.ms', big.median, 'ms', {
    baseline: small.median, baselineName: `${members.length.toLocaleString('en')} members stored`, target: '< 100',
    note: `${all.length.toLocaleString('en')} members stored (written in ${growS.toFixed(1)} s); p95 ${big.p95.toFixed(1)} ms; first scan after start-up ${warmS.toFixed(1)} s`,
  }));
}

run().then(() => { window.__done = true; log('done'); }, (e) => { window.__error = String(e?.stack ?? e); window.__done = true; log(`error: ${e}`); });
