import { describe, expect, it } from 'vitest';
import { createFeedParser, parseFeedText } from './index.ts';
import { rowErrorText } from '../../i18n/rows.ts';
import type { RowError } from './schemas.ts';

/** Errors with their English words, as `larder validate` prints them (the validators give codes; i18n/ the words). */
const worded = (errors: readonly RowError[]) => errors.map((e) => ({ ...e, message: rowErrorText(e) }));

const RECIPE = '{"id":"R1","kind":"recipe","title":"Pancakes","body":"Milk, eggs [and] {flour}.","categories":["dairy/milk"],"product_ids":["P1"]}';
const TIP = '{"id":"T1","kind":"tip","title":"Cold","body":"Keep \\"milk\\" cold,\\nalways","categories":["dairy"]}';

describe('JSON and NDJSON feeds', () => {
  it('reads a JSON array of content with each element on its own line number', () => {
    const text = `[\n ${RECIPE},\n\n ${TIP}\n]\n`;
    const r = parseFeedText('content', 'json', 'content.json', text);
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      { id: 'R1', kind: 'recipe', title: 'Pancakes', body: 'Milk, eggs [and] {flour}.', categories: ['dairy/milk'], productIds: ['P1'] },
      { id: 'T1', kind: 'tip', title: 'Cold', body: 'Keep "milk" cold,\nalways', categories: ['dairy'] },
    ]);
  });

  it('carries the Chinese title and body of content when the feed has them, and nothing when it has not', () => {
    const zh = '{"id":"R2","kind":"recipe","title":"Pancakes","title_zh":"松饼","body":"Whisk.","body_zh":"搅匀。","categories":["dairy"]}';
    const r = parseFeedText('content', 'json', 'content.json', `[${zh}, ${TIP}, {"id":"T2","kind":"tip","title":"x","body":"y","categories":[],"title_zh":"","body_zh":"  "}]`);
    expect(r.errors).toEqual([]);
    expect(r.rows[0]).toEqual({ id: 'R2', kind: 'recipe', title: 'Pancakes', titleZh: '松饼', body: 'Whisk.', bodyZh: '搅匀。', categories: ['dairy'] });
    expect(r.rows.slice(1).map((c) => 'titleZh' in c || 'bodyZh' in c)).toEqual([false, false]);
    // Any other language suffix is still an unknown column.
    expect(worded(parseFeedText('content', 'json', 'c.json', '[{"id":"R3","kind":"tip","title":"x","title_fr":"y","body":"z","categories":[]}]').errors))
      .toMatchObject([{ field: 'title_fr', message: 'unknown column' }]);
  });

  it('rejects only the malformed element of an array, on its line, and reads the rest', () => {
    const text = `[\n ${RECIPE},\n {"id":"X", oops},\n 42,\n ${TIP}\n]`;
    const r = parseFeedText('content', 'json', 'c.json', text);
    expect(r.errors.map((e) => [e.line, rowErrorText(e).split(' (')[0]])).toEqual([[3, 'malformed JSON'], [4, 'not a JSON object']]);
    expect(r.rows.map((c) => c.id)).toEqual(['R1', 'T1']);
  });

  it('parses an array the same in chunks split anywhere', () => {
    const text = `\uFEFF[\n ${RECIPE},\n {"id":"X", oops},\n ${TIP}\n]\n`;
    const whole = parseFeedText('content', 'json', 'c.json', text);
    for (let cut = 1; cut < text.length; cut++) {
      const p = createFeedParser('content', 'json', 'c.json');
      const a = p.push(text.slice(0, cut));
      const b = p.push(text.slice(cut));
      const c = p.end();
      expect([...a.rows, ...b.rows, ...c.rows]).toEqual(whole.rows);
      expect([...a.errors, ...b.errors, ...c.errors]).toEqual(whole.errors);
    }
  });

  it('reports an array that is never closed and text that is not an array', () => {
    expect(worded(parseFeedText('content', 'json', 'c.json', `[\n ${RECIPE},\n ${TIP}`).errors)).toMatchObject([{ line: 3, message: 'JSON array is never closed' }]);
    expect(worded(parseFeedText('content', 'json', 'c.json', '"hello"').errors)).toMatchObject([{ line: 1, message: 'not a JSON array' }]);
    expect(parseFeedText('content', 'json', 'c.json', '[]').errors).toEqual([]);
    expect(worded(parseFeedText('content', 'json', 'c.json', ' \n').errors)).toMatchObject([{ line: 1, message: 'empty file' }]);
  });

  it('reads NDJSON line by line: malformed lines and non-objects rejected, blank lines skipped', () => {
    const text = '{"basket_id":"B1","member_id":"M1","date":"2025-03-01","product_id":"P1","qty":2,"unit_price_cents":129}\n{"basket_id":"B2"\n\n["B3"]\r\n{"basket_id":"B4","member_id":"M1","date":"2025-03-01","product_id":"P1","qty":"3"}';
    const r = parseFeedText('baskets', 'ndjson', 'b.ndjson', text);
    expect(r.errors.map((e) => [e.line, rowErrorText(e).split(' (')[0]])).toEqual([[2, 'malformed JSON'], [4, 'not a JSON object']]);
    expect(r.rows.map((b) => [b.basketId, b.qty, b.line])).toEqual([['B1', 2, 1], ['B4', 3, 5]]);
  });

  it('reports an unknown key once per file but keeps the rows, and ignores x_ keys', () => {
    const line = (id: string) => `{"basket_id":"${id}","member_id":"M1","date":"2025-03-01","product_id":"P1","colour":"red","x_src":1}`;
    const r = parseFeedText('baskets', 'ndjson', 'b.ndjson', [line('B1'), line('B2')].join('\n'));
    expect(worded(r.errors)).toMatchObject([{ line: 1, field: 'colour', message: 'unknown column' }]);
    expect(r.rows).toHaveLength(2);
  });

  it('reads NDJSON named .json (content may come either way), and rejects rows holding U+FFFD', () => {
    const r = parseFeedText('content', 'json', 'content.json', `${RECIPE}\n${TIP.replace('Cold', 'Col\uFFFD')}\n`);
    expect(r.rows.map((c) => c.id)).toEqual(['R1']);
    expect(worded(r.errors)).toMatchObject([{ line: 2, message: 'not UTF-8' }]);
  });

  it('accepts JSON numbers and booleans where CSV has text', () => {
    const r = parseFeedText('members', 'ndjson', 'm.ndjson', '{"member_id":7,"card_code":"2900000000018","consent_personalise":true,"household_size":2,"consent_contact":false}');
    expect(r.rows).toEqual([{ id: '7', cardCode: '2900000000018', consent: { personalise: true, contact: false }, householdSize: 2 }]);
  });
});
