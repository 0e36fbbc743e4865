import { describe, expect, it } from 'vitest';
import { createFeedParser, parseFeedText } from './index.ts';
import type { FeedKind } from './schemas.ts';
import { rowErrorText } from '../../i18n/rows.ts';
import type { RowError } from './schemas.ts';

/** Errors with their English words, as `larder validate` prints them (the validators give codes; i18n/ the words). */
const worded = (errors: readonly RowError[]) => errors.map((e) => ({ ...e, message: rowErrorText(e) }));

const MEMBERS = `member_id,card_code,consent_personalise,first_name
M1,2900000000018,true,Ana
M2,2900000000025,false,"Bo, Jr."
`;

/** Push a text in the given chunk lengths (cycled), then end. */
function inChunks(kind: FeedKind, text: string, sizes: readonly number[]) {
  const p = createFeedParser(kind, 'csv', 'f.csv');
  const rows: unknown[] = [];
  const errors: unknown[] = [];
  let lines = 0;
  for (let i = 0, k = 0; i < text.length; k++) {
    const size = sizes[k % sizes.length]!;
    const b = p.push(text.slice(i, i + size));
    rows.push(...b.rows);
    errors.push(...b.errors);
    lines += b.lines;
    i += size;
  }
  const e = p.end();
  return { rows: [...rows, ...e.rows], errors: [...errors, ...e.errors], lines: lines + e.lines };
}

describe('CSV feeds', () => {
  it('reads a file with a byte-order mark and CR LF line ends like a plain one', () => {
    const plain = parseFeedText('members', 'csv', 'f.csv', MEMBERS);
    const windows = parseFeedText('members', 'csv', 'f.csv', `\uFEFF${MEMBERS.replaceAll('\n', '\r\n')}`);
    expect(plain.errors).toEqual([]);
    expect(windows).toEqual(plain);
    expect(plain.rows.map((m) => m.firstName)).toEqual(['Ana', 'Bo, Jr.']);
  });

  it('keeps physical line numbers when a quoted field spans lines', () => {
    const text = 'basket_id,member_id,date,product_id,x_note\nB1,M1,2025-03-01,P1,"two\nlines"\nB1,M1,2025-03-01,P2,"three\r\nmore\nlines"\nB2,M1,2025-02-30,P3,\n';
    const r = parseFeedText('baskets', 'csv', 'f.csv', text);
    expect(r.rows.map((b) => b.line)).toEqual([2, 4]);
    expect(worded(r.errors)).toMatchObject([{ line: 7, field: 'date' }]);
    expect(r.lines).toBe(7);
  });

  it('parses the same whatever the chunk boundaries, even inside quotes, escaped quotes and CR LF', () => {
    const text = `\uFEFFbasket_id,member_id,date,product_id,x_note\r\nB1,M1,2025-03-01,P1,"say ""hi""\r\nthere"\r\nB1,M1,2025-03-01,"P,2",""\r\nB2,M2,2025-13-01,P3,x\r\n"B3",M2,2025-03-02,P4,"end"`;
    const whole = inChunks('baskets', text, [text.length]);
    expect(whole.rows).toHaveLength(3);
    expect(whole.errors).toMatchObject([{ line: 5, field: 'date' }]);
    for (let cut = 1; cut < text.length; cut++) {
      const two = createFeedParser('baskets', 'csv', 'f.csv');
      const a = two.push(text.slice(0, cut));
      const b = two.push(text.slice(cut));
      const c = two.end();
      expect({ rows: [...a.rows, ...b.rows, ...c.rows], errors: [...a.errors, ...b.errors, ...c.errors], lines: a.lines + b.lines + c.lines }).toEqual(whole);
    }
    for (const size of [1, 2, 3, 7]) expect(inChunks('baskets', text, [size])).toEqual(whole);
  });

  it('reports an empty file once, on line 1, and so a file of blank lines', () => {
    for (const text of ['', '\n\n  \n', '\uFEFF']) {
      const r = parseFeedText('products', 'csv', 'products.csv', text);
      expect(r.rows).toEqual([]);
      expect(worded(r.errors)).toMatchObject([{ file: 'products.csv', line: 1, message: 'empty file' }]);
    }
  });

  it('reports missing required columns once and rejects every row without listing each', () => {
    const r = parseFeedText('products', 'csv', 'f.csv', 'product_id,name,category,brand\nP1,Milk,dairy,Farm\nP2,Tea,drinks,Larder\n');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 1, field: 'brand_type,price_cents' });
    expect(r.rejected).toBe(2);
    expect(r.rows).toEqual([]);
  });

  it('reports unknown and duplicate columns on line 1, accepts x_ columns and still reads the rows', () => {
    const r = parseFeedText('members', 'csv', 'f.csv', 'member_id,card_code,consent_personalise,shoe_size,x_crm_id,Member_ID\nM1,2900000000018,true,42,77,M1\n');
    expect(worded(r.errors)).toMatchObject([{ line: 1, field: 'shoe_size', message: 'unknown column' }, { line: 1, field: 'member_id', message: 'duplicate column' }]);
    expect(r.rows).toHaveLength(1);
    expect(r.rejected).toBe(0);
  });

  it('rejects a row holding replacement characters as not UTF-8, naming the field', () => {
    const r = parseFeedText('members', 'csv', 'f.csv', 'member_id,card_code,consent_personalise,first_name\nM1,2900000000018,true,Jos\uFFFD\nM2,2900000000025,true,Ana\n');
    expect(worded(r.errors)).toMatchObject([{ line: 2, field: 'first_name', message: 'not UTF-8' }]);
    expect(r.rows.map((m) => m.id)).toEqual(['M2']);
  });

  it('rejects rows with the wrong number of fields and a quote never closed', () => {
    const r = parseFeedText('baskets', 'csv', 'f.csv', 'basket_id,member_id,date,product_id\nB1,M1,2025-03-01\nB1,M1,2025-03-01,P1\nB2,M1,2025-03-01,"P2\nB3,M1,2025-03-01,P3\n');
    expect(r.errors.map((e) => [e.line, rowErrorText(e)])).toEqual([[2, '3 fields where the header has 4'], [4, 'quoted field is never closed']]);
    expect(r.rows).toHaveLength(1);
    expect(r.rejected).toBe(2);
  });

  it('keeps a bad row from stopping the file', () => {
    const rows = Array.from({ length: 50 }, (_, i) => (i % 10 === 3 ? `P${i},Milk,dairy,Farm,national,-1` : `P${i},Milk,dairy,Farm,national,${i}`));
    const r = parseFeedText('products', 'csv', 'f.csv', `product_id,name,category,brand,brand_type,price_cents\n${rows.join('\n')}`);
    expect(r.rows).toHaveLength(45);
    expect(r.errors.map((e) => e.line)).toEqual([5, 15, 25, 35, 45]);
  });
});
