// Bundle sizes as a page pays for them: gzip -9 of the built files (run `npm run build` first).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { figure, type Figure } from './figures.ts';

const gz = async (path: string) => gzipSync(await readFile(path), { level: 9 }).length / 1024;

/** Sizes of the widget (without its worker), its worker, and the kiosk's JavaScript. */
export async function bundleSizes(dist = 'dist'): Promise<Figure[]> {
  const widgetAssets = await readdir(join(dist, 'widget', 'assets')).catch(() => [] as string[]);
  const worker = widgetAssets.find((f) => f.startsWith('engine') && f.endsWith('.js'));
  const assets = await readdir(join(dist, 'assets'));
  const kioskHtml = await readFile(join(dist, 'kiosk', 'index.html'), 'utf8');
  // The kiosk's entry and the chunks it preloads, as the browser fetches them at start.
  const kioskFiles = [...kioskHtml.matchAll(/(?:src|href)="[^"]*\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  let kiosk = 0;
  for (const f of kioskFiles) kiosk += await gz(join(dist, 'assets', f));
  const out = [
    figure('bundle.widget.gzip_kb', await gz(join(dist, 'widget', 'larder-widget.js')), 'kB', { target: '≤ 15' }),
    figure('bundle.kiosk.gzip_kb', kiosk, 'kB', { note: `${kioskFiles.length} files at start, ${assets.length} assets in all` }),
  ];
  if (worker) {
    // The worker's entry is what starts with the page; importing feeds, the manager's analyses and headquarters sync
    // are chunks it loads on first use.
    let lazy = 0;
    const chunks = widgetAssets.filter((f) => f.endsWith('.js') && f !== worker);
    for (const f of chunks) lazy += await gz(join(dist, 'widget', 'assets', f));
    out.splice(1, 0, figure('bundle.worker.gzip_kb', await gz(join(dist, 'widget', 'assets', worker)), 'kB', {
      target: '≤ 40', note: `entry; + ${lazy.toFixed(1)} kB in ${chunks.length} chunks loaded on first import, analysis or sync`,
    }));
  }
  return out;
}
