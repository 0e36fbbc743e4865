// Browser tests in Debian's headless Chromium. Modules are served by Vite in middleware mode, so tests get exactly
// the transforms the app gets (TypeScript, JSX, CSS imports, CommonJS packages such as papaparse inside the worker).
import { playwrightLauncher } from '@web/test-runner-playwright';
import { createServer } from 'vite';

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

export default {
  files: ['test/browser/**/*.test.ts', 'test/browser/**/*.test.tsx'],
  concurrency: 1,
  testFramework: { config: { timeout: 30000 } },
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, headless: true, args } })],
  plugins: [viteMiddleware, storageQuota],
  middleware: [
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
