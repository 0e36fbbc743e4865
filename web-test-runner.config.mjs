// Browser tests in Debian's headless Chromium. Modules are served by Vite in middleware mode, so tests get exactly
// the transforms the app gets (TypeScript, JSX, CSS imports, CommonJS packages such as papaparse inside the worker).
import { playwrightLauncher } from '@web/test-runner-playwright';
import { createServer } from 'vite';
import { spawn } from 'node:child_process';
import { spawnHq as spawnLarderHq, stopHq as stopChild } from './hq/spawn.mjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const args = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

let vite;
const viteMiddleware = {
  name: 'vite-middleware',
  async serverStart() {
    vite = await createServer({
      configFile: false,
      server: { middlewareMode: true, hmr: false },
      appType: 'custom',
      esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
      optimizeDeps: { entries: ['test/browser/**/*.test.{ts,tsx}', 'worker/engine.ts'], include: ['papaparse', 'jsbarcode', 'chart.js', 'axe-core'] },
      logLevel: 'warn',
    });
  },
  async serverStop() {
    await vite?.close();
  },
};

/** Server command for test/browser/storage-faults.test.ts: a tiny storage quota for the test page's origin through
 * the Chrome DevTools Protocol (`Storage.overrideQuotaForOrigin`; without `headroom`: back to normal). Chromium
 * withdraws the override when its DevTools session detaches, so the session stays open until the quota is reset. */
const quotaSessions = new Map();
const storageQuota = {
  name: 'storage-quota',
  async executeCommand({ command, payload, session }) {
    if (command !== 'set-storage-quota') return undefined;
    const page = session.browser.getPage(session.id);
    let cdp = quotaSessions.get(session.id);
    if (!cdp) quotaSessions.set(session.id, (cdp = await page.context().newCDPSession(page)));
    // `headroom`: bytes left above what the origin uses now (navigator.storage.estimate() does not see the override).
    const { usage } = await cdp.send('Storage.getUsageAndQuota', { origin: payload.origin });
    const quotaSize = payload.headroom === undefined ? undefined : usage + payload.headroom;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: payload.origin, ...(quotaSize === undefined ? {} : { quotaSize }) });
    if (quotaSize === undefined) {
      quotaSessions.delete(session.id);
      await cdp.detach();
    }
    return { usage, quotaSize };
  },
};

/** A real headquarters (`larder hq`, PGlite in a temporary folder) for the browser tests: pages reach it at `/hq/`
 * (the middleware below, as Vite's proxy does in the demo), and tests get enrolment codes and set PINs through the
 * server commands `hq-enrolment-code` and `hq-set-pin`. */
const HQ_ADMIN = 'ladm.browser-tests';
let hq;
/** Member tokens: headquarters trusts `members` (its JWKS file); `forger` signs tokens it must refuse. */
let signers;

/** Start `larder hq` on `data` (PGlite), trusting the member key set in `data/members.jwks`. */
async function spawnHq(data) {
  const { child, ready } = spawnLarderHq(['--port', '0', '--data', data, '--member-jwks', join(data, 'members.jwks')], { env: { ...process.env, LARDER_ADMIN_KEY: HQ_ADMIN } });
  return { url: (await ready).listening, child, data };
}

async function stopHq() {
  await stopChild(hq.child);
}

/** Once per run, for `hq-seed-store`: a small generated store (40 members, most of S01, the others of S02) imported
 * into headquarters (PGlite takes an import only while no service holds it: stopped, imported, started again on the
 * same data). Answers with every member's id, card code, first name, home store and basket ids, so a test can look
 * for them in what a page received. */
let seeded;
async function seedStore() {
  const dir = mkdtempSync(join(tmpdir(), 'larder-wtr-store-'));
  const run = (args) => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/larder.mjs', ...args], { env: { ...process.env, LARDER_ADMIN_KEY: HQ_ADMIN }, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`larder ${args[0]} exited ${code}`))));
  });
  await run(['generate', '--out', dir, '--members', '40', '--days', '120', '--seed', '20', '--end', '2026-11-22']);
  await stopHq();
  const files = ['products.csv', 'members.csv', 'deals.csv', 'content.json', 'baskets.csv.gz'].map((f) => join(dir, f));
  try {
    await run(['hq', 'import', ...files, '--data', hq.data]);
  } finally {
    hq = await spawnHq(hq.data);
  }
  const [head, ...rows] = readFileSync(join(dir, 'members.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const col = (name) => head.indexOf(name);
  const members = rows.map((r) => ({
    id: r[col('member_id')], cardCode: r[col('card_code')], firstName: r[col('first_name')], personalise: r[col('consent_personalise')] === 'true',
    homeStore: r[col('home_store')] || undefined, basketIds: [],
  }));
  const byId = new Map(members.map((m) => [m.id, m]));
  const [bhead, ...lines] = gunzipSync(readFileSync(join(dir, 'baskets.csv.gz'))).toString('utf8').trim().split('\n').map((l) => l.split(','));
  for (const l of lines) {
    const m = byId.get(l[bhead.indexOf('member_id')]);
    const b = l[bhead.indexOf('basket_id')];
    if (m && m.basketIds[m.basketIds.length - 1] !== b && !m.basketIds.includes(b)) m.basketIds.push(b);
  }
  rmSync(dir, { recursive: true, force: true });
  return { storeId: 'S01', members };
}

const headquarters = {
  name: 'headquarters',
  async serverStart() {
    const data = mkdtempSync(join(tmpdir(), 'larder-wtr-hq-'));
    const [members, forger] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256')]);
    signers = { members, forger };
    writeFileSync(join(data, 'members.jwks'), JSON.stringify({ keys: [{ ...(await exportJWK(members.publicKey)), kid: 'wtr-members', alg: 'ES256' }] }));
    hq = await spawnHq(data);
  },
  async serverStop() {
    await seeded?.job.catch(() => undefined);
    if (!hq) return;
    await stopHq();
    rmSync(hq.data, { recursive: true, force: true });
  },
  async executeCommand({ command, payload }) {
    if (!command.startsWith('hq-')) return undefined;
    const admin = async (method, path, body) => {
      const res = await fetch(`${hq.url}${path}`, { method, headers: { authorization: `Bearer ${HQ_ADMIN}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}`);
      return res.json();
    };
    if (command === 'hq-enrolment-code') return admin('POST', '/v1/admin/enrollments', { storeId: payload.storeId });
    if (command === 'hq-record-start') {
      recorded = [];
      return { recording: true };
    }
    if (command === 'hq-record-take') {
      const taken = recorded ?? [];
      recorded = undefined;
      return taken;
    }
    if (command === 'hq-seed-store') {
      // Longer than a command may take (20 s): started by the first ask; each ask waits for it up to 15 s, then
      // answers `{ pending: true }` and the page asks again (test/browser/hq.ts `seededStore`).
      if (!seeded) {
        seeded = { job: seedStore() };
        seeded.job.then((r) => (seeded.result = r), (e) => (seeded.error = String(e)));
      }
      let timer;
      await Promise.race([seeded.job, new Promise((r) => { timer = setTimeout(r, 15_000); })]).catch(() => undefined);
      clearTimeout(timer);
      if (seeded.error) throw new Error(seeded.error);
      return seeded.result ?? { pending: true };
    }
    if (command === 'hq-member-token') {
      // `expired`: an hour past its expiry; `forged`: signed by a key headquarters does not trust.
      const now = Math.floor(Date.now() / 1000);
      const key = payload.forged ? signers.forger.privateKey : signers.members.privateKey;
      const exp = payload.expired ? now - 3600 : now + 600;
      return { token: await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'wtr-members' }).setSubject(payload.memberId).setIssuedAt(exp - 900).setExpirationTime(exp).sign(key) };
    }
    if (command === 'hq-set-pin') return admin('PUT', `/v1/admin/stores/${encodeURIComponent(payload.storeId)}/pin`, { pin: payload.pin });
    return undefined;
  },
};

/** Every answer headquarters gave the test pages since `hq-record-start` (`hq-record-take` hands them over): path,
 * status and body as text, for tests that check what reached a device. */
let recorded;

/** `/hq/…` from the test pages to the started headquarters, as `/…`. */
async function hqProxy(ctx, next) {
  if (!ctx.path.startsWith('/hq/') || !hq) return next();
  const chunks = [];
  for await (const c of ctx.req) chunks.push(c);
  const headers = Object.fromEntries(Object.entries(ctx.req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)));
  const res = await fetch(`${hq.url}${ctx.url.slice(3)}`, { method: ctx.method, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
  ctx.status = res.status;
  for (const [k, v] of res.headers) if (!['content-encoding', 'transfer-encoding', 'connection'].includes(k)) ctx.set(k, v);
  ctx.body = Buffer.from(await res.arrayBuffer());
  recorded?.push({ path: ctx.url.slice(3), status: res.status, body: ctx.body.toString('utf8') });
}

export default {
  files: ['test/browser/**/*.test.ts', 'test/browser/**/*.test.tsx'],
  concurrency: 1,
  testFramework: { config: { timeout: 30000 } },
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, headless: true, args } })],
  plugins: [viteMiddleware, storageQuota, headquarters],
  middleware: [
    hqProxy,
    async (ctx, next) => {
      if (ctx.path === '/' || ctx.path.startsWith('/__w') || !vite) return next();
      await new Promise((resolve) => {
        ctx.res.once('finish', resolve);
        vite.middlewares(ctx.req, ctx.res, () => resolve('next'));
      }).then((r) => { if (r !== 'next') ctx.respond = false; });
      if (ctx.respond !== false) return next();
    },
  ],
};
