// `larder hq import` takes campaigns.json beside the feeds: checked whole, a bad file refused with its reason and
// exit code 2, and nothing of it stored.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openPglite } from './db/pglite.ts';

const BIN = fileURLToPath(new URL('../bin/larder.mjs', import.meta.url));
const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

const larder = (args: string[]) => new Promise<{ code: number; out: string; err: string }>((resolve) => {
  execFile(process.execPath, [BIN, ...args], { env: { ...process.env, LARDER_ADMIN_KEY: 'k'.repeat(32) } }, (e, out, err) => resolve({ code: e ? Number(e.code ?? 1) : 0, out, err }));
});

it('imports campaigns.json with the feeds, and refuses a bad one whole', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'larder-hq-import-'));
  dirs.push(dir);
  const c = { id: 'C-CLI', name: 'Coffee', category: 'pantry/coffee', goal: 'grow-category', segments: ['national-low'], offerByTier: { low: 10, mid: 10, high: 10 }, funder: 'store', startDay: 20400, endDay: 20430, holdoutShare: 0.1 };
  await mkdir(join(dir, 'bad'));
  const bad = join(dir, 'bad', 'campaigns.json');
  await writeFile(bad, JSON.stringify([c, { ...c, id: 'C-2', segments: ['loyal-high'] }]));
  const data = join(dir, 'hq');
  const refused = await larder(['hq', 'import', '--data', data, bad]);
  expect(refused.code).toBe(2);
  expect(refused.err).toMatch(/campaigns\.json: campaigns: 1\.segments\.0: a segment is loyalty-usage/);
  const good = join(dir, 'campaigns.json');
  await writeFile(good, JSON.stringify([c]));
  const done = await larder(['hq', 'import', '--data', data, good]);
  expect(done).toMatchObject({ code: 0 });
  expect(done.out).toMatch(/campaigns\.json \(campaigns\): 1 changed/);
  const db = await openPglite(join(data, 'pglite'));
  try {
    expect((await db.query<{ id: string }>('SELECT campaign_id AS id FROM campaigns')).map((r) => r.id)).toEqual(['C-CLI']);
  } finally {
    await db.close();
  }
}, 120_000);
