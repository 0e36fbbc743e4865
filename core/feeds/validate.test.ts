import { describe, expect, it } from 'vitest';
import { parseDay } from '../dates.ts';
import { parseFeedText } from './index.ts';
import type { ValidationContext } from './validate.ts';
import { rowErrorText } from '../../i18n/rows.ts';
import type { RowError } from './schemas.ts';

/** Errors with their English words, as `larder validate` prints them (the validators give codes; i18n/ the words). */
const worded = (errors: readonly RowError[]) => errors.map((e) => ({ ...e, message: rowErrorText(e) }));

const csv = (header: string, ...rows: string[]) => `${header}\n${rows.join('\n')}\n`;
const PRODUCTS = 'product_id,name,category,brand,brand_type,price_cents,size,unit,tags';
const MEMBERS = 'member_id,card_code,consent_personalise,first_name,birth_year,gender,household_size,home_store,joined,consent_contact';
const BASKETS = 'basket_id,member_id,date,product_id,qty,unit_price_cents,discount_cents,store_id';
const DEALS = 'deal_id,scope_type,scope,kind,value,start,end,funder,budget_cents,per_member_limit,segments';

/** The first error of a one-row file, as [field, message]. */
function problem(kind: 'products' | 'members' | 'baskets' | 'deals', header: string, row: string, ctx?: ValidationContext) {
  const r = parseFeedText(kind, 'csv', 'f.csv', csv(header, row), ctx);
  expect(r.rows).toEqual([]);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]!.line).toBe(2);
  return [r.errors[0]!.field, rowErrorText(r.errors[0]!)];
}

describe('products feed', () => {
  it('turns a row into a product with its tags and size', () => {
    const r = parseFeedText('products', 'csv', 'f.csv', csv(PRODUCTS, 'P3,Cat food,pet/cat,Whiskas,national,649,12,pcs, pet ;cat;'));
    expect(r.rows).toEqual([{ id: 'P3', name: 'Cat food', category: 'pet/cat', brand: 'Whiskas', brandType: 'national', priceCents: 649, size: '12', unit: 'pcs', tags: ['pet', 'cat'] }]);
  });

  it('rejects negative, fractional and non-numeric prices and unknown brand types', () => {
    expect(problem('products', PRODUCTS, 'P1,Milk,dairy,Farm,national,-1,,,')).toEqual(['price_cents', 'negative price']);
    expect(problem('products', PRODUCTS, 'P1,Milk,dairy,Farm,national,1.29,,,')).toEqual(['price_cents', 'price is not a whole number of cents']);
    expect(problem('products', PRODUCTS, 'P1,Milk,dairy,Farm,national,,,,')).toEqual(['price_cents', 'missing value']);
    expect(problem('products', PRODUCTS, 'P1,Milk,dairy,Farm,own-label,129,,,')).toEqual(['brand_type', 'unknown brand type']);
    expect(problem('products', PRODUCTS, 'P1,,dairy,Farm,store,129,,,')).toEqual(['name', 'missing value']);
  });
});

describe('members feed', () => {
  it('turns a row into a member with consent and optional details', () => {
    const r = parseFeedText('members', 'csv', 'f.csv', csv(MEMBERS, 'M1,2900000000018,TRUE,Ana,1984,f,3,S1,2023-05-02,', 'M2,2900000000025,false,,,,,,,true'));
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      { id: 'M1', cardCode: '2900000000018', consent: { personalise: true, contact: false }, firstName: 'Ana', birthYear: 1984, gender: 'f', householdSize: 3, homeStore: 'S1', joinedDay: parseDay('2023-05-02') },
      { id: 'M2', cardCode: '2900000000025', consent: { personalise: false, contact: true } },
    ]);
  });

  it('rejects card codes with a wrong check digit or length, and says which digit was expected', () => {
    const r = parseFeedText('members', 'csv', 'f.csv', csv(MEMBERS, 'M1,2900000000019,true,,,,,,,'));
    expect(worded(r.errors)).toMatchObject([{ line: 2, field: 'card_code', message: 'wrong check digit', expected: 'last digit 8', value: '2900000000019' }]);
    expect(problem('members', MEMBERS, 'M1,290000000001,true,,,,,,,')).toEqual(['card_code', 'not an EAN-13 card code']);
    expect(problem('members', MEMBERS, 'M1,29000000000A8,true,,,,,,,')).toEqual(['card_code', 'not an EAN-13 card code']);
  });

  it('rejects unreadable consent, impossible join dates and implausible details', () => {
    expect(problem('members', MEMBERS, 'M1,2900000000018,yes,,,,,,,')).toEqual(['consent_personalise', 'not true or false']);
    expect(problem('members', MEMBERS, 'M1,2900000000018,,,,,,,,')).toEqual(['consent_personalise', 'missing value']);
    expect(problem('members', MEMBERS, 'M1,2900000000018,true,,,,,,2024-02-30,')).toEqual(['joined', 'not a real date']);
    expect(problem('members', MEMBERS, 'M1,2900000000018,true,,,,,,2024-02-01T10:00,')).toEqual(['joined', 'not a real date']);
    expect(problem('members', MEMBERS, 'M1,2900000000018,true,,1850,,,,,')).toEqual(['birth_year', 'not a whole number from 1900 to 2030']);
    expect(problem('members', MEMBERS, 'M1,2900000000018,true,,,,0,,,')).toEqual(['household_size', 'not a whole number from 1 to 20']);
  });

  it('reads the optional e-mail address and language a delivered list needs, and rejects bad ones', () => {
    const H = `${MEMBERS},email,locale`;
    const r = parseFeedText('members', 'csv', 'f.csv', csv(H, 'M1,2900000000018,true,,,,,,,true,ana@example.test,zh-CN', 'M2,2900000000025,true,,,,,,,true,,'));
    expect(r.errors).toEqual([]);
    expect(r.rows.map((m) => [m.email, m.locale])).toEqual([['ana@example.test', 'zh-CN'], [undefined, undefined]]);
    expect(problem('members', H, 'M1,2900000000018,true,,,,,,,true,ana.example.test,')).toEqual(['email', 'not an e-mail address']);
    expect(problem('members', H, 'M1,2900000000018,true,,,,,,,true,a b@example.test,')).toEqual(['email', 'not an e-mail address']);
    expect(problem('members', H, 'M1,2900000000018,true,,,,,,,true,,fr')).toEqual(['locale', 'unknown locale']);
  });
});

describe('baskets feed', () => {
  it('reads a line with defaults: quantity 1, no discount, minute from a date-time', () => {
    const r = parseFeedText('baskets', 'csv', 'f.csv', csv(BASKETS, 'B1,M1,2025-03-01T10:15,P1,,,,', 'B2,M1,2025-03-02,P2,0.5,349,20,S2'));
    expect(r.rows).toEqual([
      { basketId: 'B1', memberId: 'M1', day: parseDay('2025-03-01'), minute: 615, productId: 'P1', qty: 1, unitPriceCents: undefined, discountCents: 0, storeId: undefined, line: 2 },
      { basketId: 'B2', memberId: 'M1', day: parseDay('2025-03-02'), minute: undefined, productId: 'P2', qty: 0.5, unitPriceCents: 349, discountCents: 20, storeId: 'S2', line: 3 },
    ]);
  });

  it('rejects impossible dates, quantities and prices', () => {
    expect(problem('baskets', BASKETS, 'B1,M1,2025-02-30,P1,1,,,')).toEqual(['date', 'not a real date']);
    expect(problem('baskets', BASKETS, 'B1,M1,2025-02-03T25:00,P1,1,,,')).toEqual(['date', 'not a real date']);
    expect(problem('baskets', BASKETS, 'B1,M1,03/02/2025,P1,1,,,')).toEqual(['date', 'not a real date']);
    expect(problem('baskets', BASKETS, 'B1,M1,2025-02-03,P1,-2,,,')).toEqual(['qty', 'not a positive quantity']);
    expect(problem('baskets', BASKETS, 'B1,M1,2025-02-03,P1,two,,,')).toEqual(['qty', 'not a positive quantity']);
    expect(problem('baskets', BASKETS, 'B1,M1,2025-02-03,P1,1,-5,,')).toEqual(['unit_price_cents', 'negative price']);
    expect(problem('baskets', BASKETS, 'B1,M1,2025-02-03,P1,1,5,1e3,')).toEqual(['discount_cents', 'discount is not a whole number of cents']);
    expect(problem('baskets', BASKETS, 'B1,,2025-02-03,P1,1,5,,')).toEqual(['member_id', 'missing value']);
  });

  it('reports unknown products and members through the import context', () => {
    const ctx: ValidationContext = { hasProduct: (id) => id !== 'P9', hasMember: (id) => id !== 'M9' };
    const r = parseFeedText('baskets', 'csv', 'f.csv', csv(BASKETS, 'B1,M1,2025-03-01,P9,,,,', 'B2,M9,2025-03-01,P1,,,,', 'B3,M1,2025-03-01,P1,,,,'), ctx);
    expect(r.errors.map((e) => [e.line, e.field, rowErrorText(e)])).toEqual([[2, 'product_id', 'unknown product'], [3, 'member_id', 'unknown member']]);
    expect(r.rows.map((b) => b.basketId)).toEqual(['B3']);
  });

  it('rejects a basket id reused for another member or day in the same file, however far apart', () => {
    const r = parseFeedText('baskets', 'csv', 'f.csv', csv(BASKETS,
      'B1,M1,2025-03-01T09:00,P1,,,,', 'B2,M2,2025-03-01,P1,,,,', 'B1,M1,2025-03-01T09:00,P2,,,,', 'B1,M2,2025-03-01,P3,,,,', 'B2,M2,2025-03-02,P1,,,,'));
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([[5, 'basket_id'], [6, 'basket_id']]);
    expect(r.rows.map((b) => b.line)).toEqual([2, 3, 4]);
  });

  it('asks the import once per basket: skips baskets already imported, rejects ids taken by another member', () => {
    const asked: string[] = [];
    const ctx: ValidationContext = {
      seenBasket(id, memberId, day) {
        asked.push(`${id}/${memberId}/${day}`);
        return id === 'OLD' ? 'same' : id === 'TAKEN' ? 'conflict' : 'new';
      },
    };
    const r = parseFeedText('baskets', 'csv', 'f.csv', csv(BASKETS, 'OLD,M1,2025-03-01,P1,,,,', 'OLD,M1,2025-03-01,P2,,,,', 'TAKEN,M1,2025-03-01,P1,,,,', 'NEW,M1,2025-03-01,P1,,,,', 'NEW,M1,2025-03-01,P2,,,,'), ctx);
    expect(asked).toEqual([`OLD/M1/${parseDay('2025-03-01')}`, `TAKEN/M1/${parseDay('2025-03-01')}`, `NEW/M1/${parseDay('2025-03-01')}`]);
    expect(r.skipped).toBe(2);
    expect(worded(r.errors)).toMatchObject([{ line: 4, field: 'basket_id' }]);
    expect(r.rows.map((b) => b.basketId)).toEqual(['NEW', 'NEW']);
  });
});

describe('deals feed', () => {
  it('reads every kind of deal with its budget, limit and segments', () => {
    const r = parseFeedText('deals', 'csv', 'f.csv', csv(DEALS,
      'D1,product,P1,percent,12.5,2025-03-01,2025-03-31,store,10000,2,',
      'D2,brand,Whiskas,multibuy,3,2025-03-01,2025-04-30,Mars,,,national-high;store-low',
      'D3,category,dairy/milk,price,99,2025-03-01,2025-03-01,store,,,',
      'D4,category,dairy,amount,30,2025-03-01,2025-03-08,Farmhouse,,,'));
    expect(r.errors).toEqual([]);
    expect(r.rows[0]).toEqual({ id: 'D1', scopeType: 'product', scope: 'P1', kind: 'percent', value: 12.5, startDay: parseDay('2025-03-01'), endDay: parseDay('2025-03-31'), funder: 'store', budgetCents: 10000, perMemberLimit: 2 });
    expect(r.rows[1]!.segments).toEqual(['national-high', 'store-low']);
    expect(r.rows.map((d) => d.kind)).toEqual(['percent', 'multibuy', 'price', 'amount']);
  });

  it('rejects values outside what each kind means, and deals that end before they start', () => {
    expect(problem('deals', DEALS, 'D1,product,P1,percent,0,2025-03-01,2025-03-31,store,,,')).toEqual(['value', 'not a valid percent value']);
    expect(problem('deals', DEALS, 'D1,product,P1,multibuy,1,2025-03-01,2025-03-31,store,,,')).toEqual(['value', 'not a valid multibuy value']);
    expect(problem('deals', DEALS, 'D1,product,P1,amount,2.5,2025-03-01,2025-03-31,store,,,')).toEqual(['value', 'not a valid amount value']);
    expect(problem('deals', DEALS, 'D1,product,P1,bogof,2,2025-03-01,2025-03-31,store,,,')).toEqual(['kind', 'unknown kind']);
    expect(problem('deals', DEALS, 'D1,product,P1,price,99,2025-03-31,2025-03-01,store,,,')).toEqual(['end', 'deal ends before it starts']);
    expect(problem('deals', DEALS, 'D1,product,P1,price,99,2025-03-01,2025-03-31,store,,0,')).toEqual(['per_member_limit', 'not a whole number from 1 to 1000000']);
    expect(problem('deals', DEALS, 'D1,product,P7,price,99,2025-03-01,2025-03-31,store,,,', { hasProduct: (id) => id === 'P1' })).toEqual(['scope', 'unknown product']);
  });
});
