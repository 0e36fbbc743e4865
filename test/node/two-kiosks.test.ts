// Two kiosks of one store in two browser profiles (playwright-core contexts: separate IndexedDB, separate workers),
// each with the real engine in its worker, against a started `larder hq` on 127.0.0.1 reached through the Vite
// dev server's `/hq/` proxy (vite.config.ts), as the demo runs. A list printed on kiosk A is genuine at till B and
// redeemed there exactly once: B's second scan is refused, A's later try is flagged by headquarters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { freePort, spawnHq, type HqProcess } from '../../hq/test-support/tills.ts';
import { generateDemoStore } from '../../demo/demo-store.ts';
import { demoFeedFiles } from '../../cli/generate.ts';
import { DEMO_FEED_ORDER } from '../support/demo-feeds.ts';
import type { Engine } from '../../worker/engine-api.ts';

const ADMIN = 'ladm.two-kiosks-test';
const args = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'];
let dir: string;
let hq: HqProcess;
let vite: ViteDevServer;
let browser: Browser;
let origin: string;

const admin = async (path: string, body: unknown) => {
  const res = await fetch(`${hq.url}${path}`, { method: path.endsWith('/pin') ? 'PUT' : 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json() as Promise<Record<string, unknown>>;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'larder-two-kiosks-'));
  hq = await spawnHq(['--data', join(dir, 'hq'), '--port', String(await freePort())], { LARDER_ADMIN_KEY: ADMIN });
  process.env.LARDER_HQ_URL = hq.url;
  const { createServer } = await import('vite');
  vite = await createServer({ server: { host: '127.0.0.1', port: await freePort(), strictPort: true, hmr: false }, logLevel: 'warn', optimizeDeps: { entries: ['worker/engine.ts', 'worker/api.ts'] } });
  await vite.listen();
  origin = `http://127.0.0.1:${vite.config.server.port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true, args });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
  hq?.child.kill('SIGTERM');
  await hq?.exited;
  await rm(dir, { recursive: true, force: true });
}, 60_000);

/** Run an engine call in a kiosk's page (the page's module put the engine on `window`). */
const call = <R = unknown>(page: Page, fn: string, ...params: unknown[]): Promise<R> =>
  page.evaluate(({ fn, params }) => (window as unknown as { larderEngine: Record<string, (...a: unknown[]) => Promise<unknown>> }).larderEngine[fn]!(...params), { fn, params }) as Promise<R>;

/** A kiosk: a new browser profile with the store's feeds loaded into its engine and enrolled at S01. */
async function kiosk(files: Record<string, string>): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${origin}/test/browser/two-kiosks.html`);
  await page.waitForFunction(() => 'larderEngine' in window);
  for (const name of DEMO_FEED_ORDER) expect(await call(page, 'importText', name, files[name])).toMatchObject({ ok: true });
  const code = String((await admin('/v1/admin/enrollments', { storeId: 'S01' })).code);
  const enrolled = await page.evaluate((code) => (window as unknown as { larderEngine: Engine }).larderEngine.enrolDevice(`${location.origin}/hq`, code), code);
  expect(enrolled).toMatchObject({ ok: true, value: { link: { storeId: 'S01', keyRing: true, pin: true } } });
  return page;
}


describe('two kiosks of one store, two browser profiles', () => {
  it('redeems at till B a list printed on kiosk A, exactly once', async () => {
    await admin('/v1/admin/stores/S01/pin', { pin: '5791' });
    // The store's history ends yesterday: the browsers' engines run on the real date (no demo clock is loaded).
    const store = generateDemoStore({ members: 60, seed: 11, endDate: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), days: 200 });
    const files = demoFeedFiles(store);
    const [a, b] = [await kiosk(files), await kiosk(files)];
    // The PIN headquarters set opens both; there is no other.
    expect(await call(b, 'checkManagerPin', '5791')).toEqual({ ok: true, value: { opened: true } });
    expect(await call(b, 'checkManagerPin', '2468')).toMatchObject({ ok: false, error: 'wrong-pin' });

    const member = store.members.find((m) => m.consent.personalise && store.baskets.filter((x) => x.memberId === m.id).length > 20)!;
    const scan = await call<{ ok: boolean; value: { list: { code: string; id: string; items: { productId: string; offer?: { id: string } }[] } } }>(a, 'scanCard', member.cardCode);
    expect(scan.ok).toBe(true);
    const list = scan.value.list;
    const offer = list.items.find((i) => i.offer)!;
    expect(offer).toBeDefined();
    const lines = [{ productId: offer.productId, qty: 1 }];
    // At till B, the printed code alone: genuine (B verifies it with the store's ring) but B never saw the list.
    expect(await call(b, 'previewCheckout', { code: list.code, basketId: 'B-0', lines })).toMatchObject({ ok: false, error: 'unknown-list' });
    const atB = await call<{ ok: boolean; value: { receipt: { offerId: string }[] } }>(b, 'checkout', { code: list.code, card: member.cardCode, basketId: 'B-1', lines });
    expect(atB.ok && atB.value.receipt.map((r) => r.offerId)).toEqual([offer.offer!.id]);
    // A second scan at B: nothing redeemed twice.
    const again = await call<{ ok: boolean; value: { receipt: unknown[] } }>(b, 'checkout', { code: list.code, card: member.cardCode, basketId: 'B-2', lines });
    expect(again.ok && again.value.receipt).toEqual([]);
    // B's engine sends by itself; asking it to send now joins or repeats that, and nothing waits afterwards.
    await call(b, 'syncOutbox');
    expect(await call(b, 'outboxStatus')).toMatchObject({ unsynced: 0, conflicts: 0, enrolled: true });

    // Kiosk A, which printed it, redeems it too (it cannot know of B offline): headquarters refuses the second.
    const atA = await call<{ ok: boolean; value: { receipt: unknown[] } }>(a, 'checkout', { code: list.code, basketId: 'A-1', lines });
    expect(atA.ok && atA.value.receipt.length).toBe(1);
    await call(a, 'syncOutbox');
    expect(await call(a, 'outboxStatus')).toMatchObject({ unsynced: 0, conflicts: 1 });
    expect(await call(a, 'outboxConflicts')).toEqual([expect.objectContaining({ kind: 'redemption', reason: 'offer-redeemed-elsewhere', offerId: offer.offer!.id })]);
  }, 180_000);
});
