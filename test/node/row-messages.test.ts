// Every reason the feed validators give for a rejected row has words in both languages (i18n/en/rows.ts,
// i18n/zh-cn/rows.ts): bad rows of every kind go through the real validators, and each row error they emit (a code
// with parameters) must render in English as `larder validate` prints it and in Chinese with the same values.
import { describe, expect, it } from 'vitest';
import { groupBaskets, parseFeedText, ROW_ERROR_CODES, type RowError } from '../../core/feeds/index.ts';
import type { FeedFormat, FeedKind, ValidationContext } from '../../core/feeds/index.ts';
import { rowErrorText } from '../../i18n/rows.ts';

const PRODUCTS = 'product_id,name,category,brand,brand_type,price_cents,size,unit,tags';
const MEMBERS = 'member_id,card_code,consent_personalise,first_name,birth_year,gender,household_size,home_store,joined,consent_contact,email';
const BASKETS = 'basket_id,member_id,date,product_id,qty,unit_price_cents,discount_cents,store_id';
const DEALS = 'deal_id,scope_type,scope,kind,value,start,end,funder,budget_cents,per_member_limit,segments';
const ctx: ValidationContext = {
  hasProduct: (id) => id.startsWith('P'),
  hasMember: (id) => id.startsWith('M'),
  seenBasket: (id) => (id === 'OLD' ? 'conflict' : 'new'),
};

const files: [FeedKind, FeedFormat, string][] = [
  ['products', 'csv', `${PRODUCTS}\nP1,Milk,dairy,Farm,national,-1,,,\nP2,Milk,dairy,Farm,national,1.29,,,\nP3,,dairy,Farm,store,129,,,\nP4,Milk,dairy,Farm,own-label,129,,,\nP6,Milk,dairy,Farm,store,129\nP5,Milk,dairy,Farm,store,129,,,"a;b\n`],
  ['products', 'csv', `${PRODUCTS},colour,product_id\nP1,Milk,dairy,Farm,store,129,,,,red,P1\n`],
  ['products', 'csv', 'product_id,name\nP1,Milk\n'],
  ['products', 'csv', ''],
  ['products', 'csv', `${PRODUCTS}\nP1,Mi\uFFFDk,dairy,Farm,store,129,,,\n`],
  ['products', 'ndjson', '{"product_id":"P1","name":"Milk","category":"dairy","brand":"Farm","brand_type":"store","price_cents":129,"tags":5}\n[1,2]\n{"product_id":\n{"product_id":"P2","colour":"red"}\n"text"\n'],
  ['products', 'json', '{"product_id":"P1"}'],
  ['products', 'json', '"hello"'],
  ['products', 'ndjson', '{"product_id":"P1","name":{"a":1},"category":"dairy","brand":"Farm","brand_type":"store","price_cents":129}\n{"product_id":"P2","name":"Milk","category":"dairy","brand":"Farm","brand_type":"store","price_cents":129,"tags":[{"a":1}]}\n'],
  ['products', 'csv', `${PRODUCTS}\nP7,"Mi"lk",dairy,Farm,store,129,,,\nP8,Milk,dairy,Farm,store,129,,,\n`],
  ['products', 'json', '[{"product_id":"P1","name":"Milk","category":"dairy","brand":"Farm","brand_type":"store","price_cents":129}] extra'],
  ['products', 'json', '[{"product_id":"P1","name":"Milk","category":"dairy","brand":"Farm","brand_type":"store","price_cents":129},'],
  ['members', 'csv', `${MEMBERS}\nM1,123,true,,,,,,,,\nM2,4006381333932,true,,,,,,,,\nM3,4006381333931,,,,,,,,,\nM4,4006381333931,maybe,,,,,,,,\nM5,4006381333931,true,,1700,,,,,,\nM6,4006381333931,true,,,,,,2026-02-30,,\nM7,4006381333931,true,,,,,,,perhaps,\nM8,4006381333931,true,,,,,,,true,not-an-address\n`],
  ['baskets', 'csv', `${BASKETS}\nB1,M1,2026-13-01,P1,1,,,\nB2,X1,2026-01-05,P1,1,,,\nB3,M1,2026-01-05,X1,1,,,\nB4,M1,2026-01-05,P1,0,,,\nB5,M1,2026-01-05,P1,1,-5,,\nB6,M1,2026-01-05,P1,1,100,2.5,\nOLD,M1,2026-01-05,P1,1,,,\nB7,M1,2026-01-05,P1,1,,,\nB7,M2,2026-01-05,P1,1,,,\n`],
  ['deals', 'csv', `${DEALS}\nD1,shelf,P1,percent,10,2026-01-01,2026-02-01,store,,,\nD2,product,X9,percent,10,2026-01-01,2026-02-01,store,,,\nD3,product,P1,percent,,2026-01-01,2026-02-01,store,,,\nD4,product,P1,percent,150,2026-01-01,2026-02-01,store,,,\nD5,product,P1,percent,10,2026-01-01,2025-12-01,store,,,\nD6,product,P1,percent,10,someday,2026-02-01,store,,,\nD7,product,P1,percent,10,2026-01-01,2026-02-01,store,-3,,\nD8,product,P1,percent,10,2026-01-01,2026-02-01,store,,0,\nD9,product,P1,gift,10,2026-01-01,2026-02-01,store,,,\n`],
  ['content', 'json', '[{"id":"R1","kind":"recipe","title":"Soup","body":"Cook","categories":"soup"},{"id":"R2","kind":"poem","title":"x","body":"y","categories":["a"]},{"id":"R3","kind":"recipe","title":"Soup","body":"Cook","categories":["soup"],"product_ids":["X1"]},{"id":"R4","kind":"recipe","title":"Soup","body":"Cook"}]'],
];

describe('rejected-row reasons in both languages', () => {
  const errors: RowError[] = [];
  for (const [kind, format, text] of files) errors.push(...parseFeedText(kind, format, `f.${format}`, text, ctx).errors);
  // A basket id that changes member or day across batches is caught when the baskets are grouped, not by a validator.
  errors.push(...groupBaskets([
    { basketId: 'B1', memberId: 'M1', day: 1, productId: 'P1', qty: 1, discountCents: 0, line: 2 },
    { basketId: 'B1', memberId: 'M2', day: 1, productId: 'P1', qty: 1, discountCents: 0, line: 3 },
    { basketId: 'B1', memberId: 'M1', day: 2, productId: 'P1', qty: 1, discountCents: 0, line: 4 },
  ], { file: 'b.csv' }).errors);

  it('meets every row-error code but the fallback no validator reaches', () => {
    const met = new Set(errors.map((e) => e.code));
    // `row-rejected` is the sink's answer to a reader that refuses a row without saying why: none does.
    expect([...met].sort()).toEqual(ROW_ERROR_CODES.filter((c) => c !== 'row-rejected').sort());
    expect(new Set(errors.map((e) => rowErrorText(e, 'en'))).size).toBeGreaterThanOrEqual(32);
  });

  it('gives each one in Chinese, keeping its values', () => {
    for (const e of errors) {
      const en = rowErrorText(e, 'en');
      const zh = rowErrorText(e, 'zh-CN');
      expect(zh, en).not.toBe(en);
      expect(zh, en).toMatch(/[\u4e00-\u9fff]/);
      for (const value of en.match(/\d+/g) ?? []) expect(zh, en).toContain(value);
    }
  });

  it('renders the fallback code in both languages too', () => {
    expect(rowErrorText({ code: 'row-rejected' }, 'en')).toBe('row rejected');
    expect(rowErrorText({ code: 'row-rejected' }, 'zh-CN')).toBe('该行被拒绝');
  });

  it('shows a reject stored before rows carried codes in the English it was stored with', () => {
    expect(rowErrorText({ code: undefined as never, message: 'something new went wrong' }, 'zh-CN')).toBe('something new went wrong');
  });
});
