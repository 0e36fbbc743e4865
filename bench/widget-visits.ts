// The shopper's first and return visit to the built demo store page, signed in, against a real `larder hq --demo`
// (PGlite in a data folder kept between runs: the first start loads the demo store) with the store model prebuilt, in
// headless Chromium through `vite preview` (which proxies `/hq/` to headquarters). A visit ends when the signed-in
// member's list shows its first item. First visit: a fresh browser profile (nothing cached, no IndexedDB); return
// visit: the same profile opening the page again (the model and pack kept, confirmed by ETag). DESIGN.md: < 1 s and
// < 300 ms. Run alone: `npx tsx bench/widget-visits.ts [--json]` (after `npm run build`).
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { figure, quantiles, printer, type Figure } from './figures.ts';
import { spawnHq } from '../hq/spawn.mjs';

const HQ_PORT = Number(process.env.LARDER_BENCH_HQ_PORT ?? 8797);
const PREVIEW_PORT = Number(process.env.LARDER_BENCH_PREVIEW_PORT ?? 4181);
const DATA = process.env.LARDER_BENCH_HQ_DATA ?? '.larder-hq-bench';

/** Start headquarters; resolves with its URL once it listens. */
async function startHq(log: (s: string) => void): Promise<{ url: string; child: ChildProcess }> {
  const { child, ready } = spawnHq(['--demo', '--port', String(HQ_PORT), '--data', DATA]);
  log(`headquarters: starting with the demo store in ${DATA} (the first start loads it: a few minutes)…`);
  return { url: (await ready).listening, child };
}

const stopChild = (child: ChildProcess | undefined, group = false) => new Promise<void>((resolve) => {
  if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
  child.once('exit', () => resolve());
  try {
    if (group) process.kill(-child.pid!, 'SIGTERM');
    else child.kill('SIGTERM');
  } catch {
    resolve();
  }
});

/** Milliseconds from navigation start until the list shows an item, signed in as the page's member (or not signed
 * in, `member=` empty). */
async function visit(context: BrowserContext, url: string, signedIn: boolean): Promise<number> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const shown = await page.waitForFunction((want) => {
      const el = document.querySelector('larder-shopping-list') as (HTMLElement & { session?: { state: string } }) | null;
      const ready = !!el?.shadowRoot?.querySelector('li') && el.session?.state === (want ? 'signed-in' : 'signed-out');
      return ready ? performance.now() : false;
    }, signedIn, { timeout: 120_000, polling: 'raf' });
    return (await shown.jsonValue()) as number;
  } finally {
    await page.close();
  }
}

/** The figures: `samples` first visits (each in a fresh profile, followed by its return visit), and as baselines the
 * first visit not signed in (the store model alone) and, for the return visit, the signed-in first visit. */
export async function widgetVisitFigures(options: { samples?: number; log?: (s: string) => void } = {}): Promise<Figure[]> {
  const log = options.log ?? ((s: string) => console.error(s));
  const samples = options.samples ?? 5;
  let hq: { url: string; child: ChildProcess } | undefined;
  let preview: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    hq = await startHq(log);
    // The model and packs prebuilt: the first ask builds them (and waits), the next finds them current.
    for (;;) {
      const res = await fetch(`${hq.url}/v1/stores/S01/model`);
      await res.arrayBuffer();
      if (res.ok) break;
      throw new Error(`the demo model: HTTP ${res.status}`);
    }
    preview = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(PREVIEW_PORT), '--strictPort'], {
      detached: true, stdio: 'ignore', env: { ...process.env, LARDER_HQ_URL: hq.url },
    });
    const base = `http://127.0.0.1:${PREVIEW_PORT}/`;
    for (let i = 0; ; i++) {
      try { if ((await fetch(base)).ok) break; } catch { /* not yet */ }
      if (i > 150) throw new Error('vite preview did not answer');
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    // One visit of each kind first, not counted: the demo headquarters and the preview server warm up.
    const warm = await browser.newContext();
    await visit(warm, base, true);
    await warm.close();
    const first: number[] = [];
    const again: number[] = [];
    const signedOut: number[] = [];
    for (let s = 0; s < samples; s++) {
      const context = await browser.newContext();
      first.push(await visit(context, base, true));
      again.push(await visit(context, base, true));
      await context.close();
      const anonymous = await browser.newContext();
      signedOut.push(await visit(anonymous, `${base}?member=`, false));
      await anonymous.close();
    }
    const [f, r, o] = [quantiles(first), quantiles(again), quantiles(signedOut)];
    return [
      figure('widget.first_visit.ms', f.median, 'ms', {
        baseline: o.median, baselineName: 'not signed in', target: '< 1000',
        note: `built demo, signed in, fresh profile: median of ${samples}, max ${Math.max(...first).toFixed(0)} ms (store model + member pack from headquarters, list composed in the worker)`,
      }),
      figure('widget.return_visit.ms', r.median, 'ms', {
        baseline: f.median, baselineName: 'first visit', target: '< 300',
        note: `the same profile again (model and pack kept, confirmed by ETag): median of ${samples}, max ${Math.max(...again).toFixed(0)} ms`,
      }),
    ];
  } finally {
    await browser?.close();
    await stopChild(preview, true);
    await stopChild(hq?.child);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const print = printer(process.argv.includes('--json'));
  for (const f of await widgetVisitFigures()) print(f);
}
