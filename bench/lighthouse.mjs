// Lighthouse's byte weight of the built demo store page (`npm run build` first): the demo headquarters and `vite
// preview` started as the e2e run starts them, the page signed in as the demo signs its shopper in, then Lighthouse
// (fetched by npx, not a dependency of the project) in Debian's Chromium with only its `total-byte-weight` and
// `network-requests` audits. Prints the total and every request. Not part of `npm run bench`: it needs npm's registry
// the first time. `node bench/lighthouse.mjs [path]` (default `/`, the store page).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnHq } from '../hq/spawn.mjs';

const PORT = Number(process.env.LH_PORT ?? 4191);
const HQ_PORT = PORT + 1;
const data = mkdtempSync(join(tmpdir(), 'larder-lh-'));
const { child: hq, ready } = spawnHq(['--demo', '--port', String(HQ_PORT), '--data', data]);
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], {
  detached: true, stdio: 'ignore', env: { ...process.env, LARDER_HQ_URL: `http://127.0.0.1:${HQ_PORT}` },
});
const stop = () => {
  try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ }
  if (hq.exitCode === null) hq.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
};
const base = `http://127.0.0.1:${PORT}`;
const up = async (url) => (await fetch(url).catch(() => undefined))?.ok;
try {
  await ready;
  // The demo headquarters loads its store in the background: the page is measured once the store model is served.
  for (let i = 0; i < 300 && !(await up(`${base}/hq/v1/stores/S01/model`)); i++) await new Promise((r) => setTimeout(r, 1000));
  const flags = '--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --no-first-run --disable-sync';
  const out = execFileSync('npx', ['--yes', 'lighthouse@12.8.2', `${base}${process.argv[2] ?? '/'}`, '--only-audits=total-byte-weight,network-requests',
    '--output=json', '--quiet', `--chrome-flags=${flags}`], { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' }, maxBuffer: 1 << 28 });
  const lhr = JSON.parse(out.toString());
  const weight = lhr.audits['total-byte-weight'].numericValue;
  console.log(`Lighthouse ${lhr.lighthouseVersion} total-byte-weight: ${(weight / 1024).toFixed(1)} KiB`);
  for (const r of lhr.audits['network-requests'].details.items) console.log(`  ${String(r.statusCode).padStart(4)} ${(r.transferSize / 1024).toFixed(1).padStart(6)} KiB  ${r.url.replace(base, '')}`);
} finally {
  stop();
}
