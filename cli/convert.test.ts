import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isValidEan13 } from '../core/ean.ts';
import { TransactionConverter } from './transactions.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Run the real command line. */
function larder(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/larder.mjs', ...args], { cwd: root, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const options = { amountUnit: 'units' as const, defaultPriceCents: 250, consent: true };

describe('TransactionConverter', () => {
  it('makes one placeholder member per customer and one product per id, prices from amounts (median unit price) or the default', () => {
    const c = new TransactionConverter(options);
    c.add({ customer: 'C2', date: '2026-03-02', product: 'milk', qty: '2', amount: '3.00' }, 2);
    c.add({ customer: 'C1', date: '2026-03-01 10:15:00', product: 'milk', amount: '1.60' }, 3);
    c.add({ customer: 'C1', date: '2026-03-01 10:15:00', product: 'tea' }, 4);
    c.add({ customer: 'C2', date: '2026-03-09', product: 'milk', amount: '1.40' }, 5);
    const f = c.finish();
    expect(f.members.map(([id, card, consent]) => [id, isValidEan13(card!), consent])).toEqual([['C2', true, 'true'], ['C1', true, 'true']]);
    expect(new Set(f.members.map((m) => m[1])).size).toBe(2);
    expect(f.products.map((p) => [p[0], p[5]])).toEqual([['milk', '150'], ['tea', '250']]);
    // Date order, a basket's lines together, the time kept, a line without an amount left for the shelf price.
    expect(f.baskets).toEqual([
      ['C1-2026-03-01 10:15:00', 'C1', '2026-03-01T10:15', 'milk', '1', '160'],
      ['C1-2026-03-01 10:15:00', 'C1', '2026-03-01T10:15', 'tea', '1', ''],
      ['C2-2026-03-02', 'C2', '2026-03-02', 'milk', '2', '150'],
      ['C2-2026-03-09', 'C2', '2026-03-09', 'milk', '1', '140'],
    ]);
    expect(f.summary).toMatchObject({ rows: 4, lines: 4, baskets: 3, members: 2, products: 2, pricedFromAmounts: 1, pricedByDefault: 1, linesWithoutPrice: 1, firstDay: '2026-03-01', lastDay: '2026-03-09', skipped: {} });
  });

  it('refuses positions as dates unless told how to date them, then dates them from each member\'s last basket back', () => {
    const rows = [['1', '0'], ['1', '1'], ['1', '2'], ['2', '0']] as const;
    const refused = new TransactionConverter(options);
    rows.forEach(([customer, date], i) => refused.add({ customer, date, product: 'p', basket: `${customer}-${date}` }, i + 2));
    expect(refused.finish().summary).toMatchObject({ lines: 0, skipped: { 'date-is-a-position': { count: 4, firstLine: 2, value: '0' } } });
    const dated = new TransactionConverter({ ...options, positions: { from: 'end', day: 20_000, everyDays: 7 } });
    rows.forEach(([customer, date], i) => dated.add({ customer, date, product: 'p', basket: `${customer}-${date}` }, i + 2));
    const f = dated.finish();
    expect(f.baskets.map((b) => [b[0], b[2]])).toEqual([['1-0', '2024-09-20'], ['1-1', '2024-09-27'], ['1-2', '2024-10-04'], ['2-0', '2024-10-04']]);
  });

  it('gives a basket id reused by another customer its own id, and counts rows it leaves out with the first line', () => {
    const c = new TransactionConverter(options);
    c.add({ customer: 'A', date: '2026-01-01', product: 'p', basket: 'T1' }, 2);
    c.add({ customer: 'B', date: '2026-01-01', product: 'p', basket: 'T1' }, 3);
    c.add({ customer: 'B', date: '2026-02-30', product: 'p', basket: 'T2' }, 4);
    c.add({ customer: 'B', date: '2026-01-02', product: 'p', qty: '0' }, 5);
    const f = c.finish();
    expect(f.baskets.map((b) => b[0])).toEqual(['T1', 'T1~1']);
    expect(f.summary.skipped).toEqual({ 'not-a-date': { count: 1, firstLine: 4, value: '2026-02-30' }, 'bad-qty': { count: 1, firstLine: 5, value: '0' } });
  });
});

describe('larder convert', () => {
  it('writes five feed files and a manifest that larder validate accepts and larder lists turns into personal lists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'larder-convert-'));
    const lines = ['household,when,item,receipt,units,sales_value'];
    for (let h = 1; h <= 4; h++) {
      for (let w = 0; w < 14; w++) {
        const day = String(1 + w * 7 + h).padStart(3, '0');
        const date = new Date(Date.UTC(2026, 0, Number(day))).toISOString().slice(0, 10);
        for (const [item, price] of [['bread', 2.5], ['milk', 1.2], ['coffee', 7.9], [`treat-${w % 3}`, 4]] as const) lines.push(`H${h},${date},${item},R${h}-${w},2,${(price * 2).toFixed(2)}`);
      }
    }
    const exportFile = join(dir, 'sales.csv.gz');
    writeFileSync(exportFile, gzipSync(`${lines.join('\n')}\n`));
    const out = join(dir, 'store');
    const r = await larder('convert', exportFile, '--out', out, '--customer', 'household', '--date', 'when', '--product', 'item', '--basket', 'receipt', '--consent', 'true');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('created 4 placeholder members');
    expect(r.stderr).toContain('created 6 placeholder products ("Product <id>", category uncategorised): 6 priced at the median unit price of their lines, 0 at the default 100 cents');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { endDate: string; files: string[] };
    expect(manifest.files).toEqual(['products.csv', 'members.csv', 'deals.csv', 'content.json', 'baskets.csv.gz']);
    expect(manifest.endDate).toBe('2026-04-06');
    expect(gunzipSync(readFileSync(join(out, 'baskets.csv.gz'))).toString().split('\n')[1]).toBe('R1-0,H1,2026-01-02,bread,2,250');
    const v = await larder('validate', '--json', ...manifest.files.map((f) => join(out, f)));
    expect(v.code).toBe(0);
    const lists = await larder('lists', out, '--as-of', '2026-04-07', '--json');
    expect(lists.code).toBe(0);
    expect(lists.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { personalised: boolean }).personalised)).toEqual([true, true, true, true]);
  }, 60_000);

  it('exits 2 when the export has no column for a role and says which flag names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'larder-convert-'));
    writeFileSync(join(dir, 'x.csv'), 'who,sku\nA,p\n');
    const r = await larder('convert', join(dir, 'x.csv'), '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no customer, date column (name it with --customer COLUMN, --date COLUMN); the header has who, sku');
  });
});
