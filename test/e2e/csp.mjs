// Reliability promise 10: the BUILT widget (dist/widget/larder-widget.js, after `npm run build`) runs on a retailer
// page with a strict policy — script-src 'self', worker-src 'self', Trusted Types required — without one violation.
// The policy is sent as a real response header on every file (page, widget, worker chunk, feeds); violations are
// collected twice: `securitypolicyviolation` events in the page, and the browser's own reports (report-uri), which
// also cover the worker. Serves dist/ itself on a free port, so it needs no `vite preview`, and at /demo/ the demo
// store's feed folder written by `npm run demo-data` (.larder-demo, outside the build: the built site holds no member
// data) for the widget's folder mode. Exits 1 on any violation.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const DIST = process.env.LARDER_DIST ?? 'dist'; // another build to check, e.g. a patched copy
const DEMO_DATA = process.env.LARDER_DEMO_DATA ?? '.larder-demo';
export const POLICY = "script-src 'self'; worker-src 'self'; require-trusted-types-for 'script'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.csv': 'text/csv', '.gz': 'application/gzip' };
const args = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

/** The retailer's page: the widget from its own origin, no inline script at all. */
const page = (member) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CSP check</title>
<script type="module" src="/widget/larder-widget.js"></script></head>
<body><main>
<larder-shopping-list member="${member}" src="/demo/" limit="8"></larder-shopping-list>
<larder-recommendations kind="buy-again" member="${member}" src="/demo/"></larder-recommendations>
<larder-recommendations kind="bought-together" product="P00001" src="/demo/"></larder-recommendations>
<larder-recommendations id="zh" kind="bought-together" product="P00001" src="/demo/" locale="zh-CN"></larder-recommendations>
</main></body></html>`;

/** Run the check; resolves to the violations seen (empty when the promise holds). */
export async function cspViolations({ log = () => {} } = {}) {
  const members = (await readFile(join(DEMO_DATA, 'members.csv'), 'utf8').catch(() => { throw new Error(`${DEMO_DATA}/members.csv is missing: run \`npm run demo-data\` first`); }))
    .trim().split('\n').map((l) => l.split(','));
  const member = members.slice(1).find((r) => r[members[0].indexOf('consent_personalise')] === 'true')[0];
  await stat(join(DIST, 'widget/larder-widget.js')); // run `npm run build` first
  const reports = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (req.method === 'POST' && path === '/csp-report') {
      let body = '';
      for await (const chunk of req) body += chunk;
      reports.push(JSON.parse(body)['csp-report'] ?? body);
      return res.writeHead(204).end();
    }
    const headers = { 'content-security-policy': `${POLICY}; report-uri /csp-report`, 'cache-control': 'no-store' };
    if (path === '/' || path === '/index.html') return res.writeHead(200, { ...headers, 'content-type': TYPES['.html'] }).end(page(member));
    // The demo's feeds come from the test's own folder, under the same policy as every other file.
    const [root, rest] = path.startsWith('/demo/') ? [DEMO_DATA, path.slice('/demo'.length)] : [DIST, path];
    const file = normalize(join(root, rest));
    if (!file.startsWith(normalize(root) + '/')) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true, args });
  try {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    tab.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    tab.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    // An init script is not subject to the page's policy, so the listener is in place before the widget runs.
    await tab.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile, line: e.lineNumber }));
    });
    await tab.goto(base);
    const problems = [];
    try {
      // Stop waiting early once the page has been blocked: a blocked worker means the list never arrives.
      const blocked = (async () => {
        for (;;) {
          await new Promise((r) => setTimeout(r, 1000));
          if (reports.length || (await tab.evaluate(() => window.__violations.length))) {
            await new Promise((r) => setTimeout(r, 3000));
            throw new Error('blocked by the policy before the list arrived');
          }
        }
      })();
      blocked.catch(() => {});
      await Promise.race([tab.locator('larder-shopping-list li').first().waitFor({ timeout: 120_000 }), blocked]);
      await tab.locator('larder-recommendations[kind=buy-again] [part=card]').first().waitFor({ timeout: 30_000 });
      await tab.locator('larder-recommendations[kind=bought-together] section').first().waitFor({ timeout: 30_000 });
      // The Chinese words are a chunk of their own, fetched under the same policy the first time an element asks.
      const zh = await tab.locator('#zh h2').textContent({ timeout: 30_000 });
      if (!/[\u4e00-\u9fff]/.test(zh ?? '')) throw new Error(`the zh-CN element's heading is not Chinese: ${zh}`);
      log(`list items: ${await tab.locator('larder-shopping-list li').count()}, buy-again cards: ${await tab.locator('larder-recommendations[kind=buy-again] [part=card]').count()}, bought-together cards: ${await tab.locator('larder-recommendations[kind=bought-together] [part=card]').count()}`);
      await tab.locator('larder-recommendations [part=add-button]').first().click(); // an interaction re-renders nothing unsafe
    } catch (e) {
      problems.push({ from: 'load', error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
    }
    await new Promise((r) => setTimeout(r, 500)); // reports are posted asynchronously
    const events = await tab.evaluate(() => window.__violations);
    return [...problems, ...events.map((v) => ({ from: 'event', ...v })), ...reports.map((r) => ({ from: 'report', ...r })), ...errors.filter((e) => /Content Security Policy|Trusted ?Type/i.test(e)).map((e) => ({ from: 'console', e }))];
  } finally {
    await browser.close();
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seen = await cspViolations({ log: (m) => console.log(`  ${m}`) }).catch((e) => [{ from: 'check', error: e instanceof Error ? e.stack : String(e) }]);
  for (const v of seen) console.log(`✗ ${JSON.stringify(v)}`);
  console.log(seen.length ? `csp: ${seen.length} violation(s) under ${POLICY}` : `✓ csp: no violations under ${POLICY}`);
  process.exit(seen.length ? 1 : 0);
}
