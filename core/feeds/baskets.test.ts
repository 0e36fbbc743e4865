import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Member } from '../types.ts';
import { errorsToCsv, feedFromName, groupBaskets, latestById, mergeMembers, type BasketRow } from './index.ts';
import { rowErrorText } from '../../i18n/rows.ts';

const aLine = (over: Partial<BasketRow>): BasketRow => ({ basketId: 'B1', memberId: 'M1', day: 100, productId: 'P1', qty: 1, discountCents: 0, ...over });
const aMember = (id: string, cardCode: string, firstName?: string): Member => ({ id, cardCode, consent: { personalise: true, contact: false }, ...(firstName ? { firstName } : {}) });

describe('grouping basket lines', () => {
  it('gathers the lines of each basket in order of first appearance, pricing lines without a price from the shelf', () => {
    const { baskets, errors } = groupBaskets([
      aLine({ productId: 'P1', unitPriceCents: 129, minute: 600, storeId: 'S1' }),
      aLine({ basketId: 'B2', memberId: 'M2', day: 101, productId: 'P3' }),
      aLine({ productId: 'P2', qty: 2, discountCents: 10, minute: 600, storeId: 'S1' }),
    ], { priceOf: (id) => (id === 'P2' ? 250 : undefined) });
    expect(errors).toEqual([]);
    expect(baskets).toEqual([
      { id: 'B1', memberId: 'M1', day: 100, minute: 600, storeId: 'S1', lines: [
        { productId: 'P1', qty: 1, unitPriceCents: 129, discountCents: 0 },
        { productId: 'P2', qty: 2, unitPriceCents: 250, discountCents: 10 },
      ] },
      { id: 'B2', memberId: 'M2', day: 101, lines: [{ productId: 'P3', qty: 1, unitPriceCents: 0, discountCents: 0 }] },
    ]);
  });

  it('reports a line whose basket belongs to another member or day, and leaves it out', () => {
    const { baskets, errors } = groupBaskets([aLine({ line: 2 }), aLine({ memberId: 'M2', line: 3 }), aLine({ day: 101, line: 9 })], { file: 'b.csv' });
    expect(errors).toMatchObject([{ file: 'b.csv', line: 3, field: 'member_id' }, { file: 'b.csv', line: 9, field: 'date' }]);
    expect(baskets[0]!.lines).toHaveLength(1);
  });
});

describe('de-duplication within an import', () => {
  it('keeps the last version of a product or deal by id', () => {
    expect(latestById([{ id: 'a', v: 1 }, { id: 'b', v: 1 }, { id: 'a', v: 2 }])).toEqual([{ id: 'a', v: 2 }, { id: 'b', v: 1 }]);
  });

  it('merges members by card code and by id, the later row winning', () => {
    const merged = mergeMembers([
      aMember('M1', '2900000000018', 'Ana'),
      aMember('M2', '2900000000025'),
      aMember('M1', '2900000000018', 'Anna'), // corrected record
      aMember('M3', '2900000000025'), // card passed to another member id
      aMember('M4', '2900000000032'),
      aMember('M4', '2900000000049'), // reissued card
    ]);
    expect(merged.map((m) => [m.id, m.cardCode, m.firstName])).toEqual([
      ['M1', '2900000000018', 'Anna'], ['M3', '2900000000025', undefined], ['M4', '2900000000049', undefined],
    ]);
  });
});

describe('feed file names', () => {
  it('takes the kind from the name and the format from the extension', () => {
    expect(feedFromName('data/products-2025-03.csv')).toEqual({ kind: 'products', format: 'csv' });
    expect(feedFromName('Baskets_week1.ndjson.gz')).toEqual({ kind: 'baskets', format: 'ndjson' });
    expect(feedFromName('C:\\feeds\\members.json')).toEqual({ kind: 'members', format: 'json' });
    expect(feedFromName('deals.jsonl')).toEqual({ kind: 'deals', format: 'ndjson' });
    expect(feedFromName('content.json')).toEqual({ kind: 'content', format: 'json' });
    expect(feedFromName('campaigns.json')).toBeUndefined();
    expect(feedFromName('products.xlsx')).toBeUndefined();
  });
});

describe('export of rejected rows', () => {
  it('writes one CSV line per error that reads back to the same values', () => {
    const errors = [
      { file: 'p.csv', line: 4, field: 'price_cents', code: 'negative' as const, params: { what: 'price' }, expected: 'whole cents, 0 or more', value: '-1' },
      { file: 'c.json', line: 5, code: 'malformed-json' as const, message: 'malformed JSON', value: '{"a", "b"\n}' },
    ];
    // A row's words come from its code, or from the English a stored reject already carries.
    const back = Papa.parse<string[]>(errorsToCsv(errors, (e) => e.message ?? rowErrorText(e)).trim(), { header: false }).data;
    expect(back).toEqual([
      ['file', 'line', 'field', 'message', 'expected', 'value'],
      ['p.csv', '4', 'price_cents', 'negative price', 'whole cents, 0 or more', '-1'],
      ['c.json', '5', '', 'malformed JSON', '', '{"a", "b"\n}'],
    ]);
  });
});
