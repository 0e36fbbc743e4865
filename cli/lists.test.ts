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

  it('renders every reason, offer and reward in Chinese with --locale zh-CN, the same lists otherwise', async () => {
    const store = generateDemoStore({ members: 40, seed: 22, endDate: '2026-06-30', days: 180 });
    const dir = mkdtempSync(join(tmpdir(), 'larder-lists-zh-'));
    for (const [name, text] of Object.entries(demoFeedFiles(store))) writeFileSync(join(dir, name), text);
    const [en, zh] = await Promise.all([
      larder('lists', dir, '--as-of', '2026-07-01', '--json'),
      larder('lists', dir, '--as-of', '2026-07-01', '--locale', 'zh-CN', '--json'),
    ]);
    expect([en.code, zh.code]).toEqual([0, 0]);
    type Rendered = ListLine & { coupons: { reason: string }[]; rewards: { title: string; reason: string }[] };
    const parse = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as Rendered);
    const enLists = parse(en.stdout), zhLists = parse(zh.stdout);
    expect(zhLists.map((l) => [l.member_id, l.items.map((i) => i.product_id)])).toEqual(enLists.map((l) => [l.member_id, l.items.map((i) => i.product_id)]));
    const names = new Set(store.products.flatMap((p) => [p.name, p.category.split('/').pop()!, ...p.tags]));
    // Latin letters only in the values a sentence names: product names, categories, tags; "US$" is the currency.
    const latin = (text: string) => {
      let rest = text;
      for (const n of [...names].sort((a, b) => b.length - a.length)) rest = rest.split(n).join(' ');
      return (rest.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => w !== 'US');
    };
    const reasons = zhLists.flatMap((l) => [
      ...l.items.flatMap((i) => [i.reason, ...i.offers.map((o) => o.reason)]), ...l.coupons.map((c) => c.reason), ...l.rewards.map((r) => r.reason),
    ]);
    expect(reasons.length).toBeGreaterThan(100);
    expect(zhLists.some((l) => l.rewards.length > 0) && zhLists.some((l) => l.items.some((i) => i.offers.length))).toBe(true);
    for (const r of reasons) {
      expect(r).toMatch(/[\u4e00-\u9fff]/);
      expect(latin(r), r).toEqual([]);
    }
    for (const r of zhLists.flatMap((l) => l.rewards)) expect(r.title).toMatch(/[\u4e00-\u9fff]/);
    for (const r of enLists.flatMap((l) => l.items.map((i) => i.reason))) expect(r).not.toMatch(/[\u4e00-\u9fff]/);
  }, 60_000);

  it('exits 2 on a locale it does not speak', async () => {
    const good = join(root, 'test/fixtures/feeds/good');
    const fr = await larder('lists', good, '--as-of', '2026-07-01', '--locale', 'fr');
    expect([fr.code, fr.stderr]).toEqual([2, expect.stringContaining('--locale en|zh-CN')]);
    expect((await larder('lists', good, '--as-of', '2026-07-01', '--locale', 'en')).code).not.toBe(2);
  });

  it('exits 2 without a folder or a date', async () => {
    expect((await larder('lists', '--json')).code).toBe(2);
    expect((await larder('lists', join(root, 'test/fixtures/feeds/good'))).code).toBe(2);
  });
});
