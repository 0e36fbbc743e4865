/// <reference types="mocha" />
import { expect } from 'chai';
import { startMocks } from '../mocks/browser.ts';
import '../../widget/index.ts';
import type { LarderShoppingList } from '../../widget/larder-shopping-list.ts';
import { mount as mountElement, settled as settledElement } from './harness.ts';

const mount = (attrs: Record<string, string>): LarderShoppingList => mountElement('larder-shopping-list', attrs);
const settled = (el: LarderShoppingList) => settledElement(el, 'the list');

describe('<larder-shopping-list>', () => {
  before(() => startMocks());
  afterEach(() => document.querySelectorAll('larder-shopping-list').forEach((el) => el.remove()));

  it('shows the member\'s due items with prices, through the real worker and IndexedDB', async () => {
    const el = await mount({ member: 'T-OLIVIA', src: '/test-store/', 'as-of': '2026-03-01' });
    const root = await settled(el);
    const names = [...root.querySelectorAll('li .name')].map((n) => n.textContent!.trim());
    expect(names[0]).to.equal('Meadowvale Whole Milk'); // due today
    expect(names).to.include('Café Roma Ground Coffee');
    expect(root.querySelector('li .price')!.textContent).to.contain('$2.09');
  });

  it('fires larder-add-to-cart with the product when the shopper adds an item', async () => {
    const el = await mount({ member: 'T-OLIVIA', src: '/test-store/', 'as-of': '2026-03-01' });
    const root = await settled(el);
    const seen = new Promise<CustomEvent>((resolve) => document.addEventListener('larder-add-to-cart', (e) => resolve(e), { once: true }));
    root.querySelector<HTMLButtonElement>('li [part=add-button]')!.click();
    const event = await seen;
    expect(event.detail).to.deep.equal({ productId: 'T-MILK', qty: 1 });
  });

  it('shows no personal items to a member without consent', async () => {
    const el = await mount({ member: 'T-NOCONSENT', src: '/test-store/' });
    const root = await settled(el);
    expect(root.querySelectorAll('li')).to.have.length(0);
    expect(root.textContent).to.contain('Turn on personalised lists');
  });

  it('shows an error with a retry for an unknown member', async () => {
    const el = await mount({ member: 'NOBODY', src: '/test-store/' });
    const root = await settled(el);
    expect(root.querySelector('[role=alert]')).to.exist;
    expect(root.querySelector('button')!.textContent).to.contain('Try again');
  });

  it('writes the imported history to the page\'s real IndexedDB', async () => {
    const el = await mount({ member: 'T-OLIVIA', src: '/test-store/' });
    await settled(el);
    const { openDB } = await import('idb');
    const db = await openDB('larder');
    const history = (await db.get('packs', 'T-OLIVIA')).history;
    db.close();
    expect(history.basketIds).to.have.length(18);
  });
});
