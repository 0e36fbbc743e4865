// End-to-end checks of the built demo (store page + kiosk) in headless Chromium against `vite preview`.
// Screenshots go to test-results/. Prints "N passed, N failed" and exits 1 on any failure.
import { spawn } from 'node:child_process';
import { spawnHq } from '../../hq/spawn.mjs';
import { mkdir, readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const PORT = Number(process.env.E2E_PORT ?? 4173); // another port when a second run shares the machine
const BASE = `http://127.0.0.1:${PORT}`;
const args = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

// The demo's real headquarters (`larder hq --demo`: the seeded store, PIN 1234, the demo kiosk's enrolment route), in a
// data folder kept between runs (the first start loads ~1 M basket lines), proxied at /hq/ by vite preview.
const HQ_PORT = Number(process.env.E2E_HQ_PORT ?? PORT + 1);
const { child: hq, ready } = spawnHq(['--demo', '--port', String(HQ_PORT), '--data', process.env.E2E_HQ_DATA ?? '.larder-hq-e2e']);
const hqListening = ready.then((answer) => answer.listening);
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], {
  detached: true, stdio: 'ignore', env: { ...process.env, LARDER_HQ_URL: `http://127.0.0.1:${HQ_PORT}` },
});
const stop = () => {
  try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
  if (hq.exitCode === null) hq.kill('SIGTERM');
};
process.on('exit', stop);

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(BASE)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('vite preview did not start');
}

// A kiosk's first start waits for its store's sync from headquarters (~15-25 s here, longer on a busy CI machine).
const FIRST_START = 240_000;

const checks = [];
// E2E_ONLY=<regex> runs only the checks whose name matches (one screen's checks while working on it).
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
const check = (name, fn) => { if (!only || only.test(name)) checks.push({ name, fn }); };

/** Wait until `selector`'s text is `text` (what the user would see), failing with `what` and the text it had. */
async function shows(page, selector, text, what) {
  await page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent === want, [selector, text], { timeout: 10_000 })
    .catch(async () => { throw new Error(`${what}: ${await page.textContent(selector)}`); });
}

/** The demo store's feed files as `larder hq --demo` loads them (the same seeded generator), written by `npm run
 * demo-data` beside the build, never into it: the built site serves no member's data (test/e2e/dist-check.mjs). */
const DEMO_DATA = process.env.LARDER_DEMO_DATA ?? '.larder-demo';
async function demoFeed(name) {
  return readFile(`${DEMO_DATA}/${name}`).catch(() => { throw new Error(`${DEMO_DATA}/${name} is missing: run \`npm run demo-data\` first`); });
}

/** The demo store's members of the demo kiosk's store (S01: its device holds only those), with consent and a card. */
async function demoMembers() {
  const rows = (await demoFeed('members.csv')).toString('utf8').trim().split('\n').map((l) => l.split(','));
  const head = rows[0];
  const at = (r, k) => r[head.indexOf(k)];
  return rows.slice(1).filter((r) => at(r, 'home_store') === 'S01' && at(r, 'consent_personalise') === 'true')
    .map((r) => ({ id: at(r, 'member_id'), card: at(r, 'card_code'), firstName: at(r, 'first_name') }));
}

/** A demo member of S01 with consent and a first name. */
async function demoMember() {
  return (await demoMembers()).find((m) => m.firstName);
}

check('the store page shows the signed-in member\'s list in the widget', async (browser) => {
  const member = await demoMember();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE}/?member=${member.id}`);
  await page.locator('larder-shopping-list li').first().waitFor({ timeout: 90_000 });
  const count = await page.locator('larder-shopping-list li').count();
  if (count < 3) throw new Error(`expected a list of several items, got ${count}`);
  await page.screenshot({ path: 'test-results/store-page.png', fullPage: true });
  await page.locator('larder-shopping-list [part=add-button]').first().click();
  await shows(page, '#cart-count', '1', 'the cart count after add');
  await page.close();
});

check('the store page shows buy-again and bought-together rows that add to the cart', async (browser) => {
  const member = await demoMember();
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
  await page.goto(`${BASE}/?member=${member.id}`);
  await page.locator('#buy-again [part=card]').first().waitFor({ timeout: 90_000 });
  await page.locator('#bought-together section').waitFor({ timeout: 30_000 });
  const row = await page.locator('#buy-again [part=row]').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, page: document.documentElement.scrollWidth }));
  if (row.page > 390) throw new Error(`the row widens the phone page to ${row.page}px`);
  await page.locator('#buy-again [part=add-button]').first().click();
  await shows(page, '#cart-count', '1', 'the buy-again add in the cart');
  await page.screenshot({ path: 'test-results/store-page-phone.png', fullPage: true });
  await page.close();
});

check('the kiosk shows a member\'s list after typing their card code', async (browser) => {
  const member = await demoMember();
  const page = await browser.newPage({ viewport: { width: 1080, height: 1400 } });
  await page.goto(`${BASE}/kiosk/`);
  await page.locator('#card-code').waitFor({ timeout: FIRST_START });
  await page.screenshot({ path: 'test-results/kiosk-scan.png' });
  await page.fill('#card-code', member.card);
  await page.keyboard.press('Enter');
  await page.locator('.member-list__hello').waitFor({ timeout: 20_000 });
  const hello = await page.textContent('.member-list__hello');
  if (hello !== `Hello, ${member.firstName}!`) throw new Error(`greeting: ${hello}`);
  if ((await page.locator('.member-list__item').count()) < 1) throw new Error('no items on the kiosk list');
  await page.screenshot({ path: 'test-results/kiosk-list.png' });
  await page.close();
});

check('the demo kiosk holds its own store\'s members only: another store\'s card is unknown there, and not on the device', async (browser) => {
  const rows = (await demoFeed('members.csv')).toString('utf8').trim().split('\n').map((l) => l.split(','));
  const head = rows[0];
  const other = rows.slice(1).find((r) => r[head.indexOf('home_store')] === 'S02');
  const [id, card] = [other[head.indexOf('member_id')], other[head.indexOf('card_code')]];
  const page = await browser.newPage({ viewport: { width: 1080, height: 1400 } });
  await page.goto(`${BASE}/kiosk/`);
  await page.locator('#card-code').waitFor({ timeout: FIRST_START });
  await page.fill('#card-code', card);
  await page.keyboard.press('Enter');
  await shows(page, '#scan-error', 'We do not know this card. Please ask at the service desk.', `S02 card ${card} at the S01 demo kiosk`);
  const held = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('larder');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      // One record per member pack; no store of raw members or histories.
      if ([...open.result.objectStoreNames].some((s) => ['members', 'histories', 'prefs'].includes(s))) { reject(new Error(`stores: ${[...open.result.objectStoreNames]}`)); return; }
      const all = open.result.transaction('packs').objectStore('packs').getAll();
      all.onsuccess = () => { resolve(all.result.map((p) => p.member.id)); open.result.close(); };
      all.onerror = () => reject(all.error);
    };
  }));
  if (held.length < 100) throw new Error(`the demo kiosk holds ${held.length} members`);
  if (held.includes(id)) throw new Error(`the S01 demo kiosk holds S02 member ${id}`);
  await page.close();
});

check('the kiosk opens the manager screen with the PIN and shows the store\'s insights', async (browser) => {
  const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  await page.goto(`${BASE}/kiosk/`);
  await page.locator('#card-code').waitFor({ timeout: FIRST_START });
  await page.getByRole('button', { name: 'Manager' }).click();
  await page.locator('.manager-pin').waitFor({ timeout: 20_000 });
  // The demo store's PIN, set by `larder hq --demo` (the kiosk enrolled itself there at start).
  await page.keyboard.type('1234');
  await page.keyboard.press('Enter');
  await page.locator('.manager-churn tbody tr').first().waitFor({ timeout: 60_000 });
  const busiest = await page.locator('.manager-heat__cell').evaluateAll((cells) => Math.max(...cells.map((c) => Number(c.dataset.visits))));
  if (!(busiest > 0)) throw new Error('the heat map shows no visits');
  if ((await page.locator('.manager__canvas').count()) !== 3) throw new Error('expected three bar charts');
  // Campaign results against their control groups: every demo campaign has an uplift with an interval.
  await page.locator('.manager-campaign__interval').first().waitFor({ timeout: 60_000 });
  const campaigns = await page.locator('.manager-campaign').count();
  const intervals = await page.locator('.manager-campaign__interval').allTextContents();
  if (campaigns < 2 || intervals.length !== campaigns) throw new Error(`campaign intervals: ${intervals.length} of ${campaigns}`);
  if (!intervals.every((t) => /^[+−]\d+\.\d{1,2} pts to [+−]\d+\.\d{1,2} pts$/.test(t))) throw new Error(`interval text: ${intervals}`);
  // The demo kiosk syncs from headquarters, so its campaign results are headquarters' (every till of the store).
  // Its visits, spend, ages and households too: the kiosk's packs carry no ages, and baskets only of members who consent.
  const patterns = await page.locator('.manager__patterns-from').getAttribute('data-source', { timeout: 20_000 });
  if (patterns !== 'headquarters') throw new Error(`store patterns measured on ${patterns}, not at headquarters`);
  const ages = await page.locator('.manager__canvas--age-bands').getAttribute('aria-label');
  if (!/25-34: [1-9]/.test(ages ?? '')) throw new Error(`the age bands show: ${ages}`);
  const source = await page.locator('.manager__source').getAttribute('data-source');
  if (source !== 'headquarters') throw new Error(`campaign results measured on ${source}, not at headquarters`);
  await page.locator('.manager-report tbody tr').first().waitFor({ timeout: 60_000 });
  const small = await page.locator('.manager-report td.manager-report__cell').evaluateAll((cells) => cells.map((c) => c.textContent).filter((t) => /^[1-9]$/.test(t)));
  if (small.length) throw new Error(`the manufacturer report shows cells under 10 members: ${small}`);
  await page.locator('.manager-storage').waitFor({ timeout: 20_000 });
  await page.screenshot({ path: 'test-results/kiosk-manager.png', fullPage: true });
  await page.screenshot({ path: 'test-results/kiosk-manager-top.png' }); // the first screen: visits and campaign results
  await page.locator('.manager__panel--campaigns').screenshot({ path: 'test-results/kiosk-manager-campaigns.png' });
  await page.locator('.manager__panel--report').screenshot({ path: 'test-results/kiosk-manager-report.png' });
  // The demo kiosk takes its store from headquarters: its import panel says feeds are imported there (a kiosk fed from
  // files lists a broken file's rejected rows: test/browser/import-feedback.test.tsx).
  const note = await page.locator('.manager-import__from-hq').textContent({ timeout: 20_000 });
  if (!/imported there \(npx larder hq import\)/.test(note ?? '')) throw new Error(`the import panel says: ${note}`);
  if (await page.locator('.manager-import__input').count()) throw new Error('the synced kiosk offers a feed import');
  await page.close();
});

check('the kiosk prints a member\'s list as an 80 mm receipt and on A4', async (browser) => {
  const member = await bigSpender();
  const page = await browser.newPage({ viewport: { width: 794, height: 1123 } }); // A4 at 96 dpi
  await page.goto(`${BASE}/kiosk/`);
  await page.locator('#card-code').waitFor({ timeout: FIRST_START });
  await page.fill('#card-code', member.card);
  await page.keyboard.press('Enter');
  await page.locator('.member-list__barcode rect').first().waitFor({ timeout: 20_000 });
  // The print dialog cannot open headless: record the layout the page asked to print in, then render it with print
  // media. The kiosk opens the dialog only once the worker says the list is stored: wait for that call, not for time.
  await page.evaluate(() => { window.__printedAs = []; window.print = () => { window.__printedAs.push(document.documentElement.dataset.print); }; });
  await page.getByRole('button', { name: 'Print A4' }).click();
  await page.waitForFunction(() => window.__printedAs.length === 1, null, { timeout: 20_000 }).catch(() => { throw new Error('Print A4 never opened the print dialog'); });
  if ((await page.evaluate(() => window.__printedAs[0])) !== 'a4') throw new Error('Print A4 did not pick the A4 layout');
  await page.emulateMedia({ media: 'print' });
  const columns = await page.locator('.member-list__items').evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(' ').length);
  if (columns !== 2) throw new Error(`A4 layout: ${columns} columns`);
  await page.screenshot({ path: 'test-results/kiosk-list-a4.png', fullPage: true });
  const pageWidth = (pdf) => Number(/\/MediaBox \[0 0 ([\d.]+) /.exec(pdf.toString('latin1'))?.[1]); // points
  const a4 = await page.pdf({ path: 'test-results/kiosk-list-a4.pdf', preferCSSPageSize: true, printBackground: true });
  if (Math.abs(pageWidth(a4) - 595.3) > 1) throw new Error(`A4 PDF page width: ${pageWidth(a4)} pt`);
  await page.evaluate(() => { document.documentElement.dataset.print = 'receipt'; });
  await page.setViewportSize({ width: 302, height: 1123 }); // 80 mm
  await page.screenshot({ path: 'test-results/kiosk-list-receipt.png', fullPage: true });
  const receipt = await page.pdf({ path: 'test-results/kiosk-list-receipt.pdf', preferCSSPageSize: true, printBackground: true });
  if (Math.abs(pageWidth(receipt) - 226.8) > 1) throw new Error(`receipt PDF page width: ${pageWidth(receipt)} pt, not 80 mm`);
  await page.close();
});

/** A demo member of S01 who spends well (so their list has offers) and the products they buy most. */
async function bigSpender() {
  const { gunzipSync } = await import('node:zlib');
  const lines = gunzipSync(await demoFeed('baskets.csv.gz')).toString('utf8').trim().split('\n');
  const spend = new Map(), products = new Map();
  for (const line of lines.slice(-200_000)) {
    const [, member, , product, qty, price] = line.split(',');
    spend.set(member, (spend.get(member) ?? 0) + Number(qty) * Number(price));
    const mine = products.get(member) ?? new Map();
    mine.set(product, (mine.get(product) ?? 0) + 1);
    products.set(member, mine);
  }
  const consenting = new Map((await demoMembers()).map((m) => [m.id, m.card]));
  const [id] = [...spend].filter(([m]) => consenting.has(m)).sort((a, b) => b[1] - a[1])[0];
  const top = [...products.get(id)].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([p]) => p);
  return { id, card: consenting.get(id), top };
}

check('the cashier redeems a member\'s list against a basket, survives reloads, and shows the same receipt', async (browser) => {
  const member = await bigSpender();
  const page = await browser.newPage({ viewport: { width: 1080, height: 1400 } });
  await page.goto(`${BASE}/kiosk/`);
  await page.locator('#card-code').waitFor({ timeout: FIRST_START });
  await page.getByRole('button', { name: /^Checkout$/ }).click();
  await page.fill('#cashier-code', member.card);
  await page.fill('#cashier-basket', member.top.map((p) => `${p},3`).join('\n'));
  await page.reload(); // mid-flow: the flow comes back from sessionStorage
  await page.locator('#cashier-code').waitFor({ timeout: 60_000 });
  if ((await page.inputValue('#cashier-code')) !== member.card) throw new Error('the card code did not survive the reload');
  await page.getByRole('button', { name: 'Check offers' }).click();
  await page.locator('.cashier__receipt').waitFor({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Confirm and redeem' }).click();
  await page.locator('.cashier__receipt--final').waitFor({ timeout: 20_000 });
  const total = await page.textContent('.cashier__receipt tfoot');
  const rows = await page.locator('.cashier__receipt .cashier__savings tbody tr').count();
  if (rows < 1) throw new Error('no offer on the receipt of a big spender buying their usual products');
  await page.screenshot({ path: 'test-results/kiosk-receipt.png' });
  await page.reload();
  await page.locator('.cashier__receipt--final').waitFor({ timeout: 60_000 });
  if ((await page.textContent('.cashier__receipt tfoot')) !== total) throw new Error(`the receipt changed after a reload: ${total}`);
  await page.close();
});

check('the kiosk starts the day with no network, redeems offline, and sends to headquarters when the network returns', async (browser) => {
  const member = await bigSpender();
  const context = await browser.newContext({ viewport: { width: 1080, height: 1400 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/kiosk/`);
  await page.locator('#card-code').waitFor({ timeout: FIRST_START });
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload(); // now under the service worker, which keeps what the kiosk loads
  await page.locator('#card-code').waitFor({ timeout: 60_000 });
  await context.setOffline(true);
  await page.reload(); // the next morning: no network at all
  await page.locator('#card-code').waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: /^Checkout$/ }).click();
  await page.fill('#cashier-code', member.card);
  await page.fill('#cashier-basket', member.top.map((p) => `${p},3`).join('\n'));
  await page.getByRole('button', { name: 'Check offers' }).click();
  await page.getByRole('button', { name: 'Confirm and redeem' }).click();
  await page.locator('.cashier__receipt--final').waitFor({ timeout: 20_000 });
  // The count of what waits for headquarters follows the redemption's write: wait for it to show.
  await page.waitForFunction(() => { const t = document.querySelector('.cashier__net')?.textContent ?? ''; return /^Offline/.test(t) && /[1-9]\d* to send to headquarters/.test(t); }, null, { timeout: 20_000 })
    .catch(async () => { throw new Error(`offline status: ${await page.textContent('.cashier__net')}`); });
  await page.screenshot({ path: 'test-results/kiosk-offline-till.png' });
  await context.setOffline(false); // the network returns: the outbox drains by itself
  await page.waitForFunction(() => /^Online · 0 to send to headquarters/.test(document.querySelector('.cashier__net')?.textContent ?? ''), null, { timeout: 30_000 });
  await context.close();
});

/** The pages a check opens (by browser.newPage or a context's newPage), with what their consoles said. */
function trackPages(browser) {
  const pages = [];
  const watch = (page) => { const logs = []; page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`)); page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`)); browser.__pages.push({ page, logs }); return page; };
  const wrap = (owner) => { const open = owner.newPage.bind(owner); owner.newPage = async (...a) => watch(await open(...a)); return owner; };
  if (!browser.__tracked) {
    browser.__tracked = true; // browser.newPage makes its page through this.newContext: one wrap catches both
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (...a) => wrap(await newContext(...a));
  }
  browser.__pages = pages; // this check's pages
  return pages;
}

/** A failed check leaves a screenshot of each page it still had open, and prints what the page showed and logged. */
async function describePages(opened, n) {
  for (const [i, { page, logs }] of opened.entries()) {
    if (page.isClosed()) continue;
    const shot = `test-results/failed-${n}-${i}.png`;
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    const text = await page.evaluate(() => document.body?.innerText ?? '').catch((e) => `(no text: ${e.message})`);
    console.log(`  page ${page.url()} (${shot}) showed: ${text.replace(/\s+/g, ' ').slice(0, 400)}`);
    for (const line of logs.slice(-15)) console.log(`    ${line.slice(0, 300)}`);
    await page.close().catch(() => undefined);
  }
}

let passed = 0, failed = 0;
try {
  await mkdir('test-results', { recursive: true });
  console.log(`headquarters: ${await hqListening}`);
  await waitForServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true, args });
  for (const { name, fn } of checks) {
    const t0 = Date.now();
    const opened = trackPages(browser);
    try {
      await fn(browser);
      passed++;
      console.log(`✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.log(`✗ ${name}\n  ${e instanceof Error ? e.stack : e}`);
      await describePages(opened, failed);
    }
  }
  await browser.close();
} finally {
  stop();
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
