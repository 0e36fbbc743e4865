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

export default {
  files: ['test/browser/**/*.test.ts', 'test/browser/**/*.test.tsx'],
  concurrency: 1,
  testFramework: { config: { timeout: 30000 } },
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, headless: true, args } })],
  plugins: [viteMiddleware],
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
