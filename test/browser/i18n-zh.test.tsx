/// <reference types="mocha" />
// The Chinese kiosk and widget say every reason, offer line and reward in Chinese: a store with a deal, a recipe and a
// tip (both with their Chinese title and body), through the real worker and IndexedDB. Latin letters are allowed only
// in the values a sentence names (product names, the categories they come from) and the currency's "US$".
import { expect } from 'chai';
import { startMocks, worker } from '../mocks/browser.ts';
import { serveStore, CARDS } from '../mocks/handlers.ts';
import { aProduct, aRhythm, storeFiles } from '../mocks/store-builders.ts';
import { getEngine } from '../../worker/bridge.ts';
import '../../widget/index.ts';
import { mount, settled, until } from './harness.ts';
import { mountKiosk, unmountKiosk } from './kiosk-harness.tsx';

const products = [
  aProduct('T-MILK', 'Meadowvale Whole Milk', 209), aProduct('T-COFFEE', 'Café Roma Ground Coffee', 649, 'pantry/coffee'),
  aProduct('T-BREAD', 'Baker Street Sourdough', 299, 'bakery/bread'),
];
const base = storeFiles({
  endDate: '2026-03-01',
  products,
  members: [{ id: 'T-OLIVIA', card: CARDS.olivia, firstName: 'Olivia' }],
  baskets: [
    ...aRhythm('T-OLIVIA', ['T-MILK'], 7, '2025-12-28', 9, 'T-O-milk-'),
    ...aRhythm('T-OLIVIA', ['T-COFFEE'], 12, '2025-12-20', 6, 'T-O-coffee-'),
    ...aRhythm('T-OLIVIA', ['T-BREAD'], 20, '2026-01-10', 3, 'T-O-bread-'),
  ],
});
const STORE: Record<string, string> = {
  ...base,
  'manifest.json': JSON.stringify({ endDate: '2026-03-01', files: ['products.csv', 'members.csv', 'deals.csv', 'content.json', 'baskets.csv'] }),
  'deals.csv': ['deal_id,scope_type,scope,kind,value,start,end,funder',
    'D-COFFEE,product,T-COFFEE,percent,20,2026-02-01,2026-03-31,store', 'D-MILK,product,T-MILK,price,179,2026-02-01,2026-03-31,store'].join('\n'),
  'content.json': JSON.stringify([
    { id: 'R-PANCAKES', kind: 'recipe', title: 'Sunday pancakes', title_zh: '周日松饼', body: 'Whisk milk, eggs and flour.', body_zh: '把牛奶、鸡蛋和面粉搅匀。', categories: ['dairy'], product_ids: ['T-MILK'] },
    { id: 'T-STORE', kind: 'tip', title: 'Bring your own bag', title_zh: '自带购物袋', body: 'Every bag you bring saves one.', body_zh: '每自带一个袋子就省下一个。', categories: [] },
  ]),
};

/** Values a sentence may name: product names and the last part of their categories. */
const VALUES = [...products.map((p) => p.name), ...products.map((p) => p.category.split('/').pop()!)].sort((a, b) => b.length - a.length);

/** Latin words left in a text once the values it names are taken out (the currency's "US" is not a word). */
function latinWords(text: string): string[] {
  let rest = text;
  for (const v of VALUES) rest = rest.split(v).join(' ');
  return (rest.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => w !== 'US');
}

/** Check each text is Chinese: it holds CJK characters and no Latin sentence. */
function expectChinese(texts: string[], what: string) {
  expect(texts.length, `${what}: none shown`).to.be.greaterThan(0);
  for (const t of texts) {
    expect(t, what).to.match(/[\u4e00-\u9fff]/);
    expect(latinWords(t), `${what}: ${t}`).to.deep.equal([]);
  }
}

const root = () => document.getElementById('kiosk-root')!;
const texts = (el: ParentNode, selector: string) => [...el.querySelectorAll(selector)].map((n) => n.textContent!.trim());

/** Type a card code as a keyboard-wedge scanner does: digits in a burst, then Enter. */
function scan(code: string) {
  for (const key of [...code, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
}

describe('Simplified Chinese everywhere a shopper reads', () => {
  before(async () => {
    await startMocks();
    worker.use(...serveStore('i18n-store', STORE));
    await getEngine().useDatabase(`i18n-zh-${Date.now()}`);
  });

  describe('the kiosk', () => {
    beforeEach(() => {
      mountKiosk('i18n-store');
    });
    afterEach(() => {
      unmountKiosk();
    });

    it('shows every reason, offer line and reward of a list made after the switch to 中文 in Chinese', async () => {
      await until(() => root().querySelector('.scan-card'), 'the scan screen');
      [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')].find((b) => b.textContent === '中文')!.click();
      await until(() => root().querySelector('.scan-card h1')?.textContent === '请扫描您的会员卡', 'the scan screen in Chinese');
      scan(CARDS.olivia);
      await until(() => root().querySelector('.member-list__hello')?.textContent === 'Olivia，您好！', 'the member list in Chinese');
      const names = texts(root(), '.member-list__name');
      expect(names).to.include.members(['Meadowvale Whole Milk', 'Café Roma Ground Coffee']);
      expectChinese(texts(root(), '.member-list__reason'), 'item reasons');
      expect(texts(root(), '.member-list__reason')).to.have.length(names.length);
      expectChinese(texts(root(), '.member-list__offer'), 'offer lines');
      expect(texts(root(), '.member-list__offer').some((t) => t.includes('立减20%'))).to.equal(true);
      expectChinese(texts(root(), '.member-list__reward'), 'rewards');
      expect(texts(root(), '.member-list__reward')).to.include('周日松饼 — 把牛奶、鸡蛋和面粉搅匀。');
      const coupons = texts(root(), '.member-list__coupon');
      if (coupons.length) expectChinese(coupons, 'coupons');
    });

    it('renders the same list in English again when switched back: the words come from the codes, not from the list', async () => {
      await until(() => root().querySelector('.scan-card'), 'the scan screen');
      scan(CARDS.olivia);
      await until(() => root().querySelector('.member-list__hello'), 'the member list');
      const bar = () => [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')];
      const english = texts(root(), '.member-list__reason');
      if (bar().some((b) => b.textContent === 'English')) bar().find((b) => b.textContent === 'English')!.click();
      await until(() => root().querySelector('.member-list__hello')?.textContent === 'Hello, Olivia!', 'the list in English');
      const en = texts(root(), '.member-list__reason');
      for (const t of en) expect(t, t).not.to.match(/[\u4e00-\u9fff]/);
      expect(en.some((t) => t.includes('You buy Meadowvale Whole Milk about every 7 days'))).to.equal(true);
      bar().find((b) => b.textContent === '中文')!.click();
      await until(() => root().querySelector('.member-list__hello')?.textContent === 'Olivia，您好！', 'the list in Chinese');
      expectChinese(texts(root(), '.member-list__reason'), 'item reasons after switching');
      expect(english.length).to.equal(en.length);
    });
  });

  describe('the widget', () => {
    afterEach(() => document.querySelectorAll('larder-shopping-list, larder-recommendations').forEach((el) => el.remove()));

    it('<larder-shopping-list locale="zh-CN"> says every reason and offer in Chinese', async () => {
      const el = mount('larder-shopping-list', { member: 'T-OLIVIA', src: '/i18n-store/', 'as-of': '2026-03-01', locale: 'zh-CN' });
      const shadow = await settled(el, 'the list');
      expect(texts(shadow, 'li .name').length).to.be.greaterThan(1);
      expectChinese(texts(shadow, 'li .reason'), 'item reasons');
      expect(texts(shadow, 'li .reason')).to.have.length(shadow.querySelectorAll('li').length);
      expectChinese(texts(shadow, 'li [part=offer]'), 'offer badges');
      expect(texts(shadow, 'li [part=offer]').some((t) => t.includes('特价US$1.79'))).to.equal(true);
    });

    it('<larder-recommendations locale="zh-CN"> shows its offer badges in Chinese', async () => {
      const el = mount('larder-recommendations', { kind: 'buy-again', member: 'T-OLIVIA', src: '/i18n-store/', 'as-of': '2026-03-01', locale: 'zh-CN' });
      const shadow = await settled(el, 'the recommendations');
      expect(texts(shadow, '[part=card] .name')).to.include('Café Roma Ground Coffee');
      expectChinese(texts(shadow, '[part=offer]'), 'offer badges');
    });
  });
});
