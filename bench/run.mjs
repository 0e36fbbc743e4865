#!/usr/bin/env node
// `npm run bench [-- --json] [-- --quick] [-- --only hq,node]`: speed, scale and size, each figure beside a baseline measured in the same run.
// Node figures come from bench/node.ts (core code), browser figures from bench/browser.ts in headless Chromium
// (real worker, real IndexedDB), sizes from the built files.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { register } from 'tsx/esm/api';

register();
const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
// `--only a,b`: just those sections (sizes, node, variety, browser, widget, hq, packs, chain). `chain` (the fortnightly batch
// of a 200,000-member synthetic chain, ~25 min to load here) runs only when named: the default run stays under 600 s.
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set((process.argv[onlyAt + 1] ?? '').split(',').filter(Boolean)) : undefined;
const SECTIONS = ['sizes', 'node', 'variety', 'browser', 'widget', 'hq', 'packs', 'chain'];
if (only && (!only.size || [...only].some((s) => !SECTIONS.includes(s)))) {
  console.error(`--only takes sections separated by commas: ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const wanted = (section) => (only ? only.has(section) : section !== 'chain');
const { printer, figure } = await import('./figures.ts');
const print = printer(json);
const info = (text) => { if (!json) console.log(text); else console.error(text); };

const started = Date.now();
if ((wanted('sizes') || wanted('browser') || wanted('widget')) && (!existsSync('dist/widget/larder-widget.js') || !existsSync('dist/index.html') || process.argv.includes('--build'))) {
  info('building (npm run build)…');
  const r = spawnSync('npm', ['run', 'build'], { stdio: json ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (wanted('sizes')) {
  info('\n# bundle sizes (gzip -9 of the built files)');
  const { bundleSizes } = await import('./sizes.ts');
  for (const f of await bundleSizes()) print(f);
}

if (wanted('node')) {
  info('\n# core in Node');
  const { nodeFigures } = await import('./node.ts');
  for await (const f of nodeFigures({ quick })) print(f);
}

if (wanted('variety')) {
  info('\n# variety: discovery items shown to 1,000 members over 10 fortnightly visits, without and with memory');
  const { varietyFigures } = await import('./variety.ts');
  for (const f of varietyFigures({ members: 1000, visits: 10 })) print(f);
}

if (wanted('browser')) await browserFigures();

/** Browser figures from bench/browser.ts in headless Chromium over the vite dev server. */
async function browserFigures() {
  info('\n# browser: headless Chromium, real worker and IndexedDB (vite dev server)');
  const port = 4180;
  // bench/browser.ts imports the demo's feed folder, kept out of public/ (and so out of the built site).
  if (!existsSync('.larder-demo/manifest.json')) spawnSync('npm', ['run', 'demo-data'], { stdio: 'inherit' });
  const server = spawn('npx', ['vite', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { detached: true, stdio: 'ignore' });
  const stop = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', stop);
  try {
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(`http://127.0.0.1:${port}/bench/browser.html`)).ok) break; } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 200));
    }
    const browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    const page = await browser.newPage();
    page.on('pageerror', (e) => info(`page error: ${e.message}`));
    const members = quick ? 10_000 : 50_000;
    await page.goto(`http://127.0.0.1:${port}/bench/browser.html?members=${members}&samples=${quick ? 60 : 200}`);
    await page.waitForFunction(() => window.__done === true, null, { timeout: 540_000, polling: 500 });
    const error = await page.evaluate(() => window.__error);
    for (const f of await page.evaluate(() => window.__figures)) print(f);
    await browser.close();
    if (error) { console.error(error); process.exitCode = 1; }
  } finally {
    stop();
  }
}

if (wanted('widget')) {
  info('\n# the store page: first and return visit, signed in, built demo against larder hq --demo (headless Chromium)');
  const { widgetVisitFigures } = await import('./widget-visits.ts');
  for (const f of await widgetVisitFigures({ samples: quick ? 3 : 7, log: info })) print(f);
}

if (wanted('hq')) {
  info('\n# headquarters: 50 tills over loopback HTTP to larder hq (PostgreSQL server, PGlite), import of basket lines');
  const { hqFigures } = await import('./hq.ts');
  for await (const f of hqFigures({ quick, log: info })) print(f);
}

if (wanted('chain')) {
  info('\n# headquarters: the fortnightly batch for a synthetic chain on PostgreSQL (worker threads, job queue)');
  const { hqBatchFigures } = await import('./hq-batch.ts');
  for await (const f of hqBatchFigures({ quick, log: info })) print(f);
}

if (wanted('packs')) {
  info('\n# what a device downloads: the store model and member packs (gzip, as headquarters sends them)');
  const { demoPackFigures, syntheticModelFigure } = await import('./pack-sizes.ts');
  for (const f of await demoPackFigures()) print(f);
  if (!quick) print(syntheticModelFigure());
}

print(figure('bench.wall.s', (Date.now() - started) / 1000, 's', { target: '< 600' }));
