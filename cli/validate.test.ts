import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = (set: 'good' | 'broken') => readdirSync(join(root, 'test/fixtures/feeds', set)).sort().map((f) => `test/fixtures/feeds/${set}/${f}`);

/** Run the real command line, as a retailer's script would. */
function larder(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/larder.mjs', ...args], { cwd: root, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const jsonLines = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('larder validate', () => {
  it('reports every bad row of the broken feeds with its line and field, then one summary per file, and exits 1', async () => {
    const { code, stdout } = await larder('validate', '--json', ...fixtures('broken'));
    expect(code).toBe(1);
    const out = jsonLines(stdout);
    const errors = out.filter((o) => 'line' in o);
    for (const e of errors) expect(Object.keys(e)).toEqual(['file', 'line', 'field', 'message']);
    expect(errors.map((e) => [basename(String(e.file)), e.line, e.field])).toEqual([
      ['products-no-price.csv', 1, 'price_cents'],
      ['products.csv', 1, 'colour'], ['products.csv', 3, 'brand_type'], ['products.csv', 4, 'price_cents'], ['products.csv', 5, 'price_cents'],
      ['products.csv', 8, 'price_cents'], ['products.csv', 9, null], ['products.csv', 10, 'product_id'],
      ['members-empty.csv', 1, null],
      ['members-latin1.csv', 2, 'first_name'],
      ['members.csv', 3, 'card_code'], ['members.csv', 4, 'card_code'], ['members.csv', 5, 'consent_personalise'], ['members.csv', 6, 'joined'],
      ['members.csv', 7, 'birth_year'],
      ['deals.csv', 3, 'scope_type'], ['deals.csv', 4, 'value'], ['deals.csv', 5, 'end'], ['deals.csv', 6, 'scope'], ['deals.csv', 7, 'end'],
      ['deals.csv', 8, 'budget_cents'],
      ['content.json', 3, 'kind'], ['content.json', 4, 'product_ids'], ['content.json', 5, null], ['content.json', 6, 'body'],
      ['baskets-week1.csv', 4, 'date'], ['baskets-week1.csv', 5, 'member_id'], ['baskets-week1.csv', 6, 'product_id'],
      ['baskets-week1.csv', 7, 'basket_id'], ['baskets-week1.csv', 8, 'qty'], ['baskets-week1.csv', 9, 'unit_price_cents'],
      ['baskets-week1.csv', 10, 'discount_cents'], ['baskets-week1.csv', 11, 'qty'],
      ['baskets-week2.ndjson', 2, null], ['baskets-week2.ndjson', 3, 'basket_id'], ['baskets-week2.ndjson', 4, null],
      ['baskets-week2.ndjson', 6, 'unit_price_cents'],
    ]);
    const messageOf = (file: string, line: number) => String(errors.find((e) => basename(String(e.file)) === file && e.line === line)!.message);
    expect(messageOf('members.csv', 6)).toContain('2023-02-30');
    expect(messageOf('members.csv', 3)).toContain('wrong check digit');
    expect(messageOf('members-latin1.csv', 2)).toContain('not UTF-8');
    expect(messageOf('baskets-week2.ndjson', 2)).toContain('malformed JSON');
    expect(out.filter((o) => !('line' in o)).map((s) => [basename(String(s.file)), s.kind, s.accepted, s.rejected])).toEqual([
      ['products-no-price.csv', 'products', 0, 1], ['products.csv', 'products', 2, 6],
      ['members-empty.csv', 'members', 0, 0], ['members-latin1.csv', 'members', 1, 1], ['members.csv', 'members', 1, 5],
      ['deals.csv', 'deals', 1, 6], ['content.json', 'content', 1, 4],
      ['baskets-week1.csv', 'baskets', 3, 8], ['baskets-week2.ndjson', 'baskets', 2, 4],
    ]);
  });

  it('accepts the good feeds and exits 0', async () => {
    const { code, stdout } = await larder('validate', '--json', ...fixtures('good'));
    expect(code).toBe(0);
    expect(jsonLines(stdout).map((s) => [basename(String(s.file)), s.accepted, s.rejected])).toEqual([
      ['products.csv', 4, 0], ['members.csv', 3, 0], ['deals.csv', 2, 0], ['content.json', 2, 0], ['baskets.csv', 3, 0],
    ]);
  });

  it('checks basket ids against products and members only when those feeds are given', async () => {
    const { code, stdout } = await larder('validate', '--json', 'test/fixtures/feeds/broken/baskets-week1.csv');
    expect(code).toBe(1);
    const lines = jsonLines(stdout).filter((o) => 'line' in o).map((e) => e.line);
    expect(lines).toEqual([4, 7, 8, 9, 10, 11]);
  });

  it('exits 2 on a missing file or a name that says no feed kind, and still checks the rest', async () => {
    const { code, stdout, stderr } = await larder('validate', '--json', 'test/fixtures/feeds/good/products.csv', 'no/such/members.csv', 'test/fixtures/feeds/README.md');
    expect(code).toBe(2);
    expect(stderr).toContain('no/such/members.csv');
    expect(stderr).toContain('unknown feed kind');
    expect(jsonLines(stdout)).toEqual([{ file: 'test/fixtures/feeds/good/products.csv', kind: 'products', accepted: 4, rejected: 0 }]);
  });

  it('prints a readable report and writes the rejected rows as CSV for the retailer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'larder-validate-'));
    const rejects = join(dir, 'rejected.csv');
    const { code, stdout } = await larder('validate', 'test/fixtures/feeds/broken/members.csv', '--rejects', rejects);
    expect(code).toBe(1);
    expect(stdout).toContain('members.csv (members): 1 accepted, 5 rejected');
    expect(stdout).toContain('line 3, card_code: wrong check digit "2900000000026" (expected last digit 5)');
    const csv = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(6);
    expect(csv[0]).toBe('file,line,field,message,expected,value');
    expect(csv[4]).toContain(',6,joined,not a real date,yyyy-mm-dd,2023-02-30');
  });
});
