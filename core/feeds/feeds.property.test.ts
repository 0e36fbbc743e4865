import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFeedParser } from './index.ts';
import type { FeedFormat } from './schemas.ts';
import type { ValidationContext } from './validate.ts';

type Good = { ok: true; member: number; day: number; product: number; qty: number; price: number; time: boolean; note: string };
type Bad = { ok: false; fault: 'date' | 'price' | 'qty' | 'product' | 'shape' | 'utf8' };
type Blank = { ok: 'blank' };
type Entry = Good | Bad | Blank;

const ctx: ValidationContext = { hasProduct: (id) => !id.startsWith('X') };
const FIELD_OF: Record<Bad['fault'], string | undefined> = { date: 'date', price: 'unit_price_cents', qty: 'qty', product: 'product_id', shape: undefined, utf8: 'x_note' };
const COLUMNS = ['basket_id', 'member_id', 'date', 'product_id', 'qty', 'unit_price_cents', 'x_note'];

const good: fc.Arbitrary<Good> = fc.record({
  ok: fc.constant(true as const),
  member: fc.nat(4), day: fc.integer({ min: 1, max: 28 }), product: fc.nat(50), qty: fc.integer({ min: 1, max: 9 }),
  price: fc.nat(5000), time: fc.boolean(),
  note: fc.string({ unit: fc.constantFrom('a', 'é', ' ', ',', '"', '\n', '\r\n', ';', '{', '}'), maxLength: 8 }),
});
const bad: fc.Arbitrary<Bad> = fc.record({ ok: fc.constant(false as const), fault: fc.constantFrom('date', 'price', 'qty', 'product', 'shape', 'utf8') });
const entries = fc.array(fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: bad, weight: 2 }, { arbitrary: fc.constant({ ok: 'blank' } as Blank), weight: 1 }), { maxLength: 40 });

/** The row's values by column; bad rows use basket ids of their own so they never clash with good ones. */
function values(e: Good | Bad, i: number): string[] {
  if (e.ok) {
    const date = `2025-03-${String(e.day).padStart(2, '0')}${e.time ? 'T10:30' : ''}`;
    return [`B${e.member}-${e.day}`, `M${e.member}`, date, `P${e.product}`, String(e.qty), String(e.price), e.note];
  }
  const v = [`Z${i}`, 'M0', '2025-03-01', 'P1', '1', '100', 'n'];
  if (e.fault === 'date') v[2] = '2025-02-30';
  if (e.fault === 'price') v[5] = '-5';
  if (e.fault === 'qty') v[4] = '0';
  if (e.fault === 'product') v[3] = 'X1';
  if (e.fault === 'utf8') v[6] = 'Jos\uFFFD';
  return v;
}

const quote = (s: string) => (/[",\r\n]/.test(s) || s.startsWith(' ') ? `"${s.replaceAll('"', '""')}"` : s);

/** The file text and, per entry, the physical line it starts on. */
function render(list: readonly Entry[], format: FeedFormat, crlf: boolean, bom: boolean): { text: string; lines: number[] } {
  const nl = crlf ? '\r\n' : '\n';
  const parts: string[] = format === 'csv' ? [COLUMNS.join(',')] : [];
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    if (e.ok === 'blank') parts.push('');
    else if (format === 'csv') {
      const v = values(e, i);
      parts.push((e.ok === false && e.fault === 'shape' ? v.slice(0, 4) : v).map(quote).join(','));
    } else {
      const obj = Object.fromEntries(values(e, i).map((x, c) => [COLUMNS[c]!, x]));
      const json = JSON.stringify(obj).replace('\\ufffd', '\uFFFD');
      parts.push(e.ok === false && e.fault === 'shape' ? json.slice(0, -3) : json);
    }
  }
  const text = (bom ? '\uFEFF' : '') + parts.join(nl) + nl;
  const lines: number[] = [];
  let line = format === 'csv' ? 2 : 1;
  for (let i = 0; i < list.length; i++) {
    lines.push(line);
    line += 1 + (parts[i + (format === 'csv' ? 1 : 0)]!.match(/\n/g)?.length ?? 0);
  }
  return { text, lines };
}

function parseAll(text: string, format: FeedFormat, cuts: readonly number[]) {
  const p = createFeedParser('baskets', format, 'f', ctx);
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const batches = [];
  let from = 0;
  for (const c of [...points, text.length]) {
    batches.push(p.push(text.slice(from, c)));
    from = c;
  }
  batches.push(p.end());
  return {
    rows: batches.flatMap((b) => b.rows), errors: batches.flatMap((b) => b.errors),
    rejected: batches.reduce((n, b) => n + b.rejected, 0),
  };
}

describe.each(['csv', 'ndjson'] as const)('%s baskets with bad rows interleaved', (format) => {
  it('accepts every valid row, rejects every bad row on its own line, whatever the chunking', () => {
    fc.assert(fc.property(entries, fc.boolean(), fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), (list, crlf, bom, cuts) => {
      const { text, lines } = render(list, format, crlf, bom);
      const whole = parseAll(text, format, []);
      const goodAt = list.flatMap((e, i) => (e.ok === true ? [{ line: lines[i], productId: `P${e.product}`, qty: e.qty, unitPriceCents: e.price }] : []));
      const badAt = list.flatMap((e, i) => (e.ok === false ? [[lines[i], format === 'ndjson' && e.fault === 'utf8' ? undefined : FIELD_OF[e.fault]]] : []));
      expect(whole.rows.map((r) => ({ line: r.line, productId: r.productId, qty: r.qty, unitPriceCents: r.unitPriceCents }))).toEqual(goodAt);
      // An NDJSON file with no rows at all is reported as empty (a CSV always has its header).
      const empty = format === 'ndjson' && list.every((e) => e.ok === 'blank');
      expect(whole.errors.map((e) => [e.line, e.field])).toEqual(empty ? [[1, undefined]] : badAt);
      expect(whole.rejected).toBe(badAt.length);
      expect(parseAll(text, format, cuts)).toEqual(whole);
    }), { numRuns: 150 });
  });
});
