/// <reference types="mocha" />
import { expect } from 'chai';
import { http, HttpResponse } from 'msw';
import { startMocks, worker } from '../mocks/browser.ts';
import { aProduct, aRhythm, storeFiles } from '../mocks/store-builders.ts';
import { getEngine } from '../../worker/bridge.ts';
import '../../widget/index.ts';
import type { LarderRecommendations } from '../../widget/larder-recommendations.ts';
import { mount as mountElement, settled as settledElement } from './harness.ts';
import { serveStore } from '../mocks/handlers.ts';

const XSS = '<img src=x onerror=alert(1)>';

/** A store where milk, bread and a jam with a hostile name go in one basket, and tea is bought alone. */
const RECS_STORE = storeFiles({
  endDate: '2026-03-01',
  products: [aProduct('R-MILK', 'Meadowvale Whole Milk', 209), aProduct('R-BREAD', 'Baker Street Sourdough', 299, 'bakery/bread'),
    aProduct('R-JAM', XSS, 399, 'pantry/jam'), aProduct('R-TEA', 'Hillside Black Tea', 459, 'pantry/tea')],
  members: [{ id: 'R-ANA', card: '2000000000039', firstName: 'Ana' }, { id: 'R-NOCONSENT', card: '2000000000046', consent: false },
    { id: 'R-NEW', card: '2000000000053', firstName: 'Neo' }],
  baskets: [
    ...aRhythm('R-ANA', ['R-MILK', 'R-BREAD', 'R-JAM'], 7, '2026-01-04', 8, 'R-A-'),
    ...aRhythm('R-ANA', ['R-TEA'], 10, '2026-01-06', 5, 'R-A-tea-'),
    ...aRhythm('R-NOCONSENT', ['R-MILK', 'R-BREAD'], 7, '2026-01-05', 8, 'R-N-'),
  ],
});
const serve = (path: string) => serveStore(path, RECS_STORE);

const mount = (attrs: Record<string, string>): LarderRecommendations => mountElement('larder-recommendations', attrs);
const settled = (el: LarderRecommendations) => settledElement(el, 'the row');

const names = (root: ShadowRoot) => [...root.querySelectorAll('[part=card] .name')].map((n) => n.textContent!.trim());

describe('<larder-recommendations>', () => {
  before(async () => {
    await startMocks();
    await getEngine().useDatabase(`larder-recs-${Date.now()}`);
  });
  beforeEach(() => worker.use(...serve('recs-store')));
  afterEach(() => {
    worker.resetHandlers();
    document.querySelectorAll('larder-recommendations').forEach((el) => el.remove());
  });

  it('shows what the member buys again, as cards with prices', async () => {
    const root = await settled(mount({ kind: 'buy-again', member: 'R-ANA', src: '/recs-store/', 'as-of': '2026-03-01' }));
    expect(names(root)).to.include.members(['Meadowvale Whole Milk', 'Hillside Black Tea']);
    expect(root.querySelector('[part=row]')).to.exist;
    expect(root.querySelector('h2')!.textContent).to.contain('Buy it again');
    expect(root.textContent).to.contain('$2.09');
  });

  it('shows products often bought together with the product on the page', async () => {
    const root = await settled(mount({ kind: 'bought-together', product: 'R-MILK', src: '/recs-store/' }));
    expect(names(root)).to.include('Baker Street Sourdough');
    expect(names(root)).not.to.include('Meadowvale Whole Milk');
    expect(names(root)).not.to.include('Hillside Black Tea');
  });

  it('shows at most limit cards', async () => {
    const root = await settled(mount({ kind: 'buy-again', member: 'R-ANA', src: '/recs-store/', limit: '2' }));
    expect(root.querySelectorAll('[part=card]')).to.have.length(2);
  });

  it('fires larder-add-to-cart, bubbling out of the shadow root, when the shopper adds a card', async () => {
    const root = await settled(mount({ kind: 'bought-together', product: 'R-MILK', src: '/recs-store/' }));
    const seen = new Promise<CustomEvent>((resolve) => document.addEventListener('larder-add-to-cart', (e) => resolve(e), { once: true }));
    const card = [...root.querySelectorAll('[part=card]')].find((c) => c.textContent!.includes('Sourdough'))!;
    card.querySelector<HTMLButtonElement>('[part=add-button]')!.click();
    const event = await seen;
    expect(event.detail).to.deep.equal({ productId: 'R-BREAD', qty: 1 });
    expect(event.bubbles && event.composed).to.equal(true);
  });

  it('fires no event because the page set a property', async () => {
    let fired = 0;
    const count = () => fired++;
    document.addEventListener('larder-add-to-cart', count);
    const el = mount({ kind: 'buy-again', member: 'R-ANA', src: '/recs-store/' });
    await settled(el);
    el.kind = 'bought-together';
    el.product = 'R-MILK';
    await settled(el);
    document.removeEventListener('larder-add-to-cart', count);
    expect(fired).to.equal(0);
  });

  it('shows the empty state when nothing is bought with the product', async () => {
    const root = await settled(mount({ kind: 'bought-together', product: 'R-TEA', src: '/recs-store/' }));
    expect(root.querySelectorAll('[part=card]')).to.have.length(0);
    expect(root.textContent).to.contain('No products are often bought with this one yet.');
  });

  it('shows the empty state for picks when the member has nothing new to try', async () => {
    const root = await settled(mount({ kind: 'for-you', member: 'R-ANA', src: '/recs-store/' }));
    expect(root.querySelectorAll('[part=card]')).to.have.length(0);
    expect(root.querySelector('h2')!.textContent).to.contain('Picked for you');
    expect(root.textContent).to.contain('No suggestions yet');
  });

  it('shows store-wide picks for you to a member with no history yet', async () => {
    const root = await settled(mount({ kind: 'for-you', member: 'R-NEW', src: '/recs-store/' }));
    expect(root.querySelectorAll('[part=card]').length).to.be.greaterThan(0);
  });

  it('shows no personal cards to a member without consent', async () => {
    const root = await settled(mount({ kind: 'buy-again', member: 'R-NOCONSENT', src: '/recs-store/' }));
    expect(root.querySelectorAll('[part=card]')).to.have.length(0);
    expect(root.textContent).to.contain('Turn on personalised lists');
  });

  it('speaks Chinese with locale zh-CN', async () => {
    const root = await settled(mount({ kind: 'buy-again', member: 'R-ANA', src: '/recs-store/', locale: 'zh-CN', currency: 'CNY' }));
    expect(root.querySelector('h2')!.textContent).to.contain('再次购买');
    expect(root.querySelector('[part=add-button]')!.textContent).to.contain('加入购物车');
    expect(root.textContent).to.contain('¥');
  });

  it('shows an error with a retry when the feeds cannot be fetched, and recovers on retry', async () => {
    worker.use(http.get('*/flaky-store/manifest.json', () => HttpResponse.error()));
    const el = mount({ kind: 'bought-together', product: 'R-MILK', src: '/flaky-store/' });
    const root = await settled(el);
    expect(root.querySelector('[role=alert]')!.textContent).to.contain('We could not load suggestions.');
    worker.use(...serve('flaky-store')); // newer handlers win
    root.querySelector<HTMLButtonElement>('button')!.click(); // the retry renders its loading state at the next update, which settled() awaits
    const again = await settled(el);
    expect(names(again)).to.include('Baker Street Sourdough');
  });

  it('shows an error with a retry for an unknown member', async () => {
    const root = await settled(mount({ kind: 'buy-again', member: 'NOBODY', src: '/recs-store/' }));
    expect(root.querySelector('[role=alert]')).to.exist;
    expect(root.querySelector('button')!.textContent).to.contain('Try again');
  });

  it('renders a product named like markup as text and creates no element from it (promise 9)', async () => {
    const alerts: unknown[] = [];
    const realAlert = window.alert;
    window.alert = (m?: unknown) => void alerts.push(m);
    const together = await settled(mount({ kind: 'bought-together', product: 'R-MILK', src: '/recs-store/' }));
    const again = await settled(mount({ kind: 'buy-again', member: 'R-ANA', src: '/recs-store/' }));
    for (const root of [together, again]) {
      expect(names(root)).to.include(XSS);
      expect(root.querySelectorAll('img')).to.have.length(0);
      const card = [...root.querySelectorAll('[part=card]')].find((c) => c.textContent!.includes('onerror'))!;
      // Member rows also carry the "not for me" and "mute" controls (a span with two buttons): still no other element.
      const expected = root === again ? ['span', 'span', 'button', 'span', 'button', 'button'] : ['span', 'span', 'button'];
      expect([...card.querySelectorAll('*')].map((e) => e.localName)).to.have.members(expected);
      expect(card.querySelector('[part=add-button]')!.getAttribute('aria-label')).to.equal(`Add to cart: ${XSS}`);
    }
    await new Promise((r) => setTimeout(r, 100)); // an injected <img src=x> would have errored by now
    window.alert = realAlert;
    expect(alerts).to.deep.equal([]);
  });

  it('renders the hostile name as text in the shopping list too (promise 9)', async () => {
    const list = document.createElement('larder-shopping-list');
    list.setAttribute('member', 'R-ANA');
    list.setAttribute('src', '/recs-store/');
    list.setAttribute('as-of', '2026-03-01');
    document.body.append(list);
    try {
      for (let i = 0; i < 400 && !list.shadowRoot!.querySelector('li'); i++) {
        await list.updateComplete;
        await new Promise((r) => setTimeout(r, 50));
      }
      const root = list.shadowRoot!;
      expect([...root.querySelectorAll('li .name')].map((n) => n.textContent)).to.include(XSS);
      expect(root.querySelectorAll('img')).to.have.length(0);
    } finally {
      list.remove();
    }
  });
});
