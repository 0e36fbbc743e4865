/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** `/hq/…` on the dev and preview servers goes to the real headquarters (`larder hq --demo`, started beside Vite by
 * `npm start`, site/start.mjs), as `/…`: the kiosk's `../hq` base is headquarters' root. */
const hq = {
  '/hq': {
    target: process.env.LARDER_HQ_URL ?? 'http://127.0.0.1:8787',
    changeOrigin: true,
    rewrite: (path: string) => path.replace(/^\/hq(?=\/|$)/, ''),
  },
};

export default defineConfig(({ mode }) =>
  mode === 'widget'
    ? {
        publicDir: false,
        base: './', // the worker URL must be relative to the widget file, not the site root
        build: {
          outDir: 'dist/widget',
          emptyOutDir: true,
          target: 'es2022',
          minify: true,
          rolldownOptions: { output: { minify: true } },
          lib: { entry: r('widget/index.ts'), formats: ['es'], fileName: () => 'larder-widget.js' },
        },
        worker: { format: 'es' },
      }
    : {
        plugins: [preact()],
        // The dev server serves files under the project; headquarters' data folders (admin key, database) never.
        server: { proxy: hq, fs: { deny: ['.env', '.env.*', '*.{crt,pem}', '**/.git/**', '**/.larder-hq*/**', '**/admin-key'] } },
        preview: { proxy: hq },
        // Pre-bundled at start in `npm start`, so opening the manager screen (Chart.js) or printing (JsBarcode) for the
        // first time does not make the dev server reload the page mid-session.
        optimizeDeps: { include: ['papaparse', 'jsbarcode', 'chart.js'] },
        build: {
          target: 'es2022',
          rolldownOptions: { input: { main: r('index.html'), kiosk: r('kiosk/index.html') } },
        },
        worker: { format: 'es' },
        test: {
          include: ['core/**/*.test.ts', 'worker/**/*.test.ts', 'cli/**/*.test.ts', 'i18n/**/*.test.ts', 'demo/**/*.test.ts', 'bench/**/*.test.ts', 'test/node/**/*.test.ts', 'hq/**/*.test.ts', 'protocol/**/*.test.ts', 'kiosk/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
);
