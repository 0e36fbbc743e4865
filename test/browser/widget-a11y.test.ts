/// <reference types="mocha" />
// axe-core over both elements, ready and empty, in English and Chinese: zero violations of any rule that applies.
import { expect } from 'chai';
import axe from 'axe-core';
import { startMocks, worker } from '../mocks/browser.ts';
import { serveStore } from '../mocks/handlers.ts';
import { aProduct, aRhythm, storeFiles } from '../mocks/store-builders.ts';
import { getEngine } from '../../worker/bridge.ts';
import '../../widget/index.ts';

/** Milk and bread go together; tea is bought alone; Neo has no history (store-wide picks only); Sam has not consented. */
const STORE = storeFiles({
  endDate: '2026-03-01',
  products: [aProduct('A-MILK', 'Meadowvale Whole Milk', 209), aProduct('A-BREAD', 'Baker Street Sourdough', 299, 'bakery/bread'),
    aProduct('A-TEA', 'Hillside Black Tea', 459, 'pantry/tea')],
  members: [{ id: 'A-ANA', card: '2000000000039', firstName: 'Ana' }, { id: 'A-NEW', card: '2000000000053', firstName: 'Neo' },
    { id: 'A-NOCONSENT', card: '2000000000046', consent: false }],
  baskets: [
    ...aRhythm('A-ANA', ['A-MILK', 'A-BREAD'], 7, '2026-01-04', 8, 'A-A-'),
    ...aRhythm('A-ANA', ['A-TEA'], 10, '2026-01-06', 5, 'A-A-tea-'),
  ],
});
const handlers = serveStore('a11y-store', STORE);

/** Mount an element and wait until it leaves its loading state. */
async function ready(tag: 'larder-shopping-list' | 'larder-recommendations', attrs: Record<string, string>): Promise<HTMLElement> {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries({ src: '/a11y-store/', 'as-of': '2026-03-01', ...attrs })) el.setAttribute(k, v);
  document.querySelector('main')!.append(el);
  for (let i = 0; i < 400; i++) {
    await el.updateComplete;
    if (el.shadowRoot!.querySelector('li, .status:not([role=status]), [role=alert]')) return el;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${tag} never finished loading`);
}

async function violations(el: HTMLElement): Promise<string[]> {
  const result = await axe.run(el, { resultTypes: ['violations'] });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const cases: { name: string; tag: 'larder-shopping-list' | 'larder-recommendations'; attrs: Record<string, string>; has: string }[] = [
  { name: 'the shopping list, ready', tag: 'larder-shopping-list', attrs: { member: 'A-ANA' }, has: 'li' },
  // The engine now fills every consenting member's list (cold-start picks), so the list's quiet state is no-consent.
  { name: 'the shopping list, no consent', tag: 'larder-shopping-list', attrs: { member: 'A-NOCONSENT' }, has: '.status' },
  { name: 'buy again, ready', tag: 'larder-recommendations', attrs: { kind: 'buy-again', member: 'A-ANA' }, has: 'li' },
  { name: 'buy again, empty', tag: 'larder-recommendations', attrs: { kind: 'buy-again', member: 'A-NEW' }, has: '.status' },
  { name: 'bought together, ready', tag: 'larder-recommendations', attrs: { kind: 'bought-together', product: 'A-MILK' }, has: 'li' },
  { name: 'bought together, empty', tag: 'larder-recommendations', attrs: { kind: 'bought-together', product: 'A-TEA' }, has: '.status' },
  { name: 'for you, ready', tag: 'larder-recommendations', attrs: { kind: 'for-you', member: 'A-NEW' }, has: 'li' },
  { name: 'for you, empty', tag: 'larder-recommendations', attrs: { kind: 'for-you', member: 'A-ANA' }, has: '.status' },
];

describe('widget accessibility (axe-core)', () => {
  before(async () => {
    await startMocks();
    worker.use(...handlers);
    await getEngine().useDatabase(`larder-a11y-${Date.now()}`);
    document.documentElement.lang = 'en';
    document.title = 'Widget accessibility';
    document.body.append(document.createElement('main'));
  });
  afterEach(() => document.querySelectorAll('main > *').forEach((el) => el.remove()));
  after(async () => {
    worker.resetHandlers();
  });

  it('loads axe-core through the test server', () => {
    expect(axe.version).to.equal('4.14.1');
  });

  it('sees inside the shadow root: an unlabelled button there is a violation', async () => {
    const el = await ready('larder-recommendations', { kind: 'buy-again', member: 'A-ANA' });
    el.shadowRoot!.querySelector('[part=card]')!.append(document.createElement('button'));
    expect((await violations(el)).join('\n')).to.contain('button-name');
  });

  for (const locale of ['en', 'zh-CN']) {
    for (const c of cases) {
      it(`finds no violations in ${c.name} (${locale})`, async () => {
        const el = await ready(c.tag, { ...c.attrs, locale, currency: locale === 'en' ? 'USD' : 'CNY' });
        expect(el.shadowRoot!.querySelector(c.has), `${c.name} is in the state under test`).to.exist;
        expect(await violations(el)).to.deep.equal([]);
      });
    }
  }

  it('finds no violations with both elements side by side on one page', async () => {
    await ready('larder-shopping-list', { member: 'A-ANA' });
    await ready('larder-recommendations', { kind: 'buy-again', member: 'A-ANA' });
    await ready('larder-recommendations', { kind: 'bought-together', product: 'A-MILK' });
    const result = await axe.run(document.querySelector('main')!, { resultTypes: ['violations'] });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).to.deep.equal([]);
  });
});
