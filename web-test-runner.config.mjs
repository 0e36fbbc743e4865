import { playwrightLauncher } from '@web/test-runner-playwright';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fileURLToPath } from 'node:url';

const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const args = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

// Kiosk screens import plain CSS; serve it to scripts as a module that injects a <style>.
const cssImports = {
  name: 'css-imports',
  resolveMimeType: (c) => (c.path.endsWith('.css') && c.request.headers['sec-fetch-dest'] === 'script' ? 'js' : undefined),
  transform: (c) =>
    c.path.endsWith('.css') && c.request.headers['sec-fetch-dest'] === 'script'
      ? { body: `const s=document.createElement('style');s.textContent=${JSON.stringify(c.body)};document.head.append(s);` }
      : undefined,
};

export default {
  files: ['test/browser/**/*.test.ts', 'test/browser/**/*.test.tsx'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, headless: true, args } })],
  plugins: [cssImports, esbuildPlugin({ ts: true, tsx: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) })],
  middleware: [(ctx, next) => { if (ctx.path === '/mockServiceWorker.js') ctx.path = '/public/mockServiceWorker.js'; return next(); }],
};
