// Every reason the feed validators give for a rejected row has a Simplified Chinese sentence on the kiosk's manager
// screen (kiosk/row-messages.ts): bad rows of every kind go through the real validators, and each message they write
// must come back in Chinese.
import { describe, expect, it } from 'vitest';
import { parseFeedText } from '../../core/feeds/index.ts';
import type { FeedFormat, FeedKind, ValidationContext } from '../../core/feeds/index.ts';
import { zhRowMessage } from '../../kiosk/row-messages.ts';

const PRODUCTS = 'product_id,name,category,brand,brand_type,price_cents,size,unit,tags';
const MEMBERS = 'member_id,card_code,consent_personalise,first_name,birth_year,gender,household_size,home_store,joined,consent_contact';
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
  ['products', 'json', '[{"product_id":"P1","name":"Milk","category":"dairy","brand":"Farm","brand_type":"store","price_cents":129}] extra'],
  ['products', 'json', '[{"product_id":"P1","name":"Milk","category":"dairy","brand":"Farm","brand_type":"store","price_cents":129},'],
  ['members', 'csv', `${MEMBERS}\nM1,123,true,,,,,,,\nM2,4006381333932,true,,,,,,,\nM3,4006381333931,,,,,,,,\nM4,4006381333931,maybe,,,,,,,\nM5,4006381333931,true,,1700,,,,,\nM6,4006381333931,true,,,,,,2026-02-30,\nM7,4006381333931,true,,,,,,,perhaps\n`],
  ['baskets', 'csv', `${BASKETS}\nB1,M1,2026-13-01,P1,1,,,\nB2,X1,2026-01-05,P1,1,,,\nB3,M1,2026-01-05,X1,1,,,\nB4,M1,2026-01-05,P1,0,,,\nB5,M1,2026-01-05,P1,1,-5,,\nB6,M1,2026-01-05,P1,1,100,2.5,\nOLD,M1,2026-01-05,P1,1,,,\nB7,M1,2026-01-05,P1,1,,,\nB7,M2,2026-01-05,P1,1,,,\n`],
  ['deals', 'csv', `${DEALS}\nD1,shelf,P1,percent,10,2026-01-01,2026-02-01,store,,,\nD2,product,X9,percent,10,2026-01-01,2026-02-01,store,,,\nD3,product,P1,percent,,2026-01-01,2026-02-01,store,,,\nD4,product,P1,percent,150,2026-01-01,2026-02-01,store,,,\nD5,product,P1,percent,10,2026-01-01,2025-12-01,store,,,\nD6,product,P1,percent,10,someday,2026-02-01,store,,,\nD7,product,P1,percent,10,2026-01-01,2026-02-01,store,-3,,\nD8,product,P1,percent,10,2026-01-01,2026-02-01,store,,0,\nD9,product,P1,gift,10,2026-01-01,2026-02-01,store,,,\n`],
  ['content', 'json', '[{"id":"R1","kind":"recipe","title":"Soup","body":"Cook","categories":"soup"},{"id":"R2","kind":"poem","title":"x","body":"y","categories":["a"]},{"id":"R3","kind":"recipe","title":"Soup","body":"Cook","categories":["soup"],"product_ids":["X1"]},{"id":"R4","kind":"recipe","title":"Soup","body":"Cook"}]'],
];

describe('rejected-row reasons on the kiosk', () => {
  const messages = new Set<string>();
  for (const [kind, format, text] of files) for (const e of parseFeedText(kind, format, `f.${format}`, text, ctx).errors) messages.add(e.message);

  it('covers the validators\' many kinds of reason', () => {
    expect(messages.size).toBeGreaterThanOrEqual(32);
  });

  it('gives each one in Chinese, keeping its values', () => {
    for (const m of messages) {
      const zh = zhRowMessage(m);
      expect(zh, m).not.toBe(m);
      expect(zh, m).toMatch(/[\u4e00-\u9fff]/);
      for (const value of m.match(/\d+/g) ?? []) expect(zh, m).toContain(value);
    }
  });

  it('leaves a sentence it does not know in English', () => {
    expect(zhRowMessage('something new went wrong')).toBe('something new went wrong');
  });
});
