import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from './generate.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Run the real command line, as a store's overnight script would. */
function larder(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/larder.mjs', ...args], { cwd: root, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

interface ListLine {
  member_id: string; code: string; issued: string; personalised: boolean;
  items: { product_id: string; shelf_price_cents: number; price_cents: number; reason: string; offers: { deal_id: string; reason: string }[] }[];
}

describe('larder lists', () => {
  it('prints one list per member of a folder of feeds as JSON lines: personal only with consent, never above the shelf price, every offer and item with its reason, codes all different', async () => {
    const store = generateDemoStore({ members: 80, seed: 21, endDate: '2026-06-30', days: 180 });
    const dir = mkdtempSync(join(tmpdir(), 'larder-lists-'));
    for (const [name, text] of Object.entries(demoFeedFiles(store))) writeFileSync(join(dir, name), text);
    const { code, stdout, stderr } = await larder('lists', dir, '--as-of', '2026-07-01', '--json');
    expect(code).toBe(0);
    const lists = stdout.trim().split('\n').map((l) => JSON.parse(l) as ListLine);
    expect(lists.map((l) => l.member_id)).toEqual(store.members.map((m) => m.id).sort());
    expect(stderr).toContain(`${lists.length} lists for ${store.members.length} members as of 2026-07-01`);
    const consent = new Map(store.members.map((m) => [m.id, m.consent.personalise]));
    for (const l of lists) {
      if (!consent.get(l.member_id)) expect(l.personalised).toBe(false);
      expect(l.issued).toBe('2026-07-01');
      expect(l.code).toMatch(/^9\d{19}$/);
      for (const i of l.items) {
        expect(i.price_cents).toBeLessThanOrEqual(i.shelf_price_cents);
        expect(i.reason.length).toBeGreaterThan(10);
        for (const o of i.offers) expect([o.deal_id.length > 0, o.reason.length > 10]).toEqual([true, true]);
      }
    }
    expect(lists.filter((l) => l.personalised).length).toBeGreaterThan(lists.length / 3);
    expect(lists.some((l) => l.items.some((i) => i.offers.length))).toBe(true);
    expect(new Set(lists.map((l) => l.code)).size).toBe(lists.length);
  }, 60_000);

  it('exits 2 without a folder or a date', async () => {
    expect((await larder('lists', '--json')).code).toBe(2);
    expect((await larder('lists', join(root, 'test/fixtures/feeds/good'))).code).toBe(2);
  });
});
