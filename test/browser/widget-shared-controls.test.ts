/// <reference types="mocha" />
// The store page's widget as a newcomer met it (issue 23): below the spend threshold the list shows the store-wide
// offers the kiosk shows; "Not for me" says so visibly with an Undo, and one shared event updates every Larder element
// on the page at once — through the real worker and IndexedDB.
import { expect } from 'chai';
import { startMocks, worker } from '../mocks/browser.ts';
import { aProduct, aRhythm, storeFiles } from '../mocks/store-builders.ts';
import { serveStore } from '../mocks/handlers.ts';
import { toEan13 } from '../../core/ean.ts';
import { getEngine } from '../../worker/bridge.ts';
import '../../widget/index.ts';
import { mount, settled, until, untilAsync } from './harness.ts';
import { parseDay } from '../../core/dates.ts';

const PRODUCTS = [aProduct('U-MILK', 'Meadowvale Whole Milk', 209), aProduct('U-BREAD', 'Baker Street Sourdough', 299, 'bakery/bread'),
  aProduct('U-TEA', 'Hillside Black Tea', 459, 'pantry/tea'), aProduct('U-EGGS', 'Free Range Eggs', 389, 'dairy/eggs'),
  aProduct('U-JAM', 'Orchard Strawberry Jam', 399, 'pantry/jam')];
const files = storeFiles({
  endDate: '2026-03-01',
  products: PRODUCTS,
  members: [{ id: 'U-ANA', card: toEan13('200000000200'), firstName: 'Ana' }, { id: 'U-LOW', card: toEan13('200000000201'), firstName: 'Lou' }],
  baskets: [
    // Ana shops every week for $30 a line: a personal list. Lou came three times for $1 a line: below the threshold.
    ...['U-MILK', 'U-BREAD', 'U-TEA', 'U-EGGS', 'U-JAM'].flatMap((p, k) => aRhythm('U-ANA', [p], 6 + k, '2025-12-20', Math.floor(70 / (6 + k)), `A-${p}-`)),
    ...aRhythm('U-LOW', ['U-BREAD'], 20, '2026-01-05', 3, 'L-').map((b) => ({ ...b, priceCents: 100 })),
  ],
});
// A store-wide offer on tea, open to everyone this week.
const SHARED_STORE = {
  ...files,
  'manifest.json': JSON.stringify({ endDate: '2026-03-01', files: ['products.csv', 'members.csv', 'deals.csv', 'baskets.csv'] }),
  'deals.csv': 'deal_id,scope_type,scope,kind,value,start,end,funder\nD-TEA,product,U-TEA,percent,20,2026-02-01,2026-03-31,store\n',
};
const AT = { src: '/shared-store/', 'as-of': '2026-03-01' };
/** The names shown, without an offer badge inside the name. */
const names = (root: ShadowRoot, sel: string) => [...root.querySelectorAll(sel)]
  .map((n) => [...n.childNodes].filter((c) => c.nodeType === Node.TEXT_NODE).map((c) => c.textContent).join('').trim());

describe('widget: the store-wide list below the threshold, undo, and one shared hide event', () => {
  before(async () => {
    await startMocks();
    await getEngine().useDatabase(`larder-shared-${Date.now()}`);
  });
  beforeEach(() => worker.use(...serveStore('shared-store', SHARED_STORE)));
  afterEach(() => {
    worker.resetHandlers();
    document.querySelectorAll('larder-shopping-list, larder-recommendations').forEach((el) => el.remove());
  });

  it('below the spend threshold shows the store-wide list with this week\'s offers, as the kiosk does', async () => {
    const root = await settled(mount('larder-shopping-list', { member: 'U-LOW', ...AT }), 'Lou\'s list');
    expect(root.querySelector('[part=note]')!.textContent).to.equal('Your personal list starts once you shop with us most weeks. This week\'s offers are open to everyone.');
    const kiosk = await getEngine().listFor('U-LOW', parseDay('2026-03-01'));
    if (!kiosk.ok) throw new Error(kiosk.error);
    expect(kiosk.value.basis).to.equal('below-threshold');
    const shown = names(root, 'li .name');
    expect(shown).to.have.length.above(0);
    expect(shown).to.deep.equal(kiosk.value.items.slice(0, 12).map((i) => i.name)); // the list the kiosk shows
    const tea = [...root.querySelectorAll('li')].find((li) => li.querySelector('.name')!.textContent!.includes('Hillside Black Tea'));
    expect(tea, 'the tea on offer').to.exist;
    expect(tea!.querySelector('[part=offer]'), 'its offer').to.exist;
    expect(tea!.querySelector('.price s')!.textContent).to.equal('$4.59');
  });

  it('"Not for me" in the list: the buy-again row drops it in the same frame, "… hidden — Undo" shows, and Undo brings it back everywhere', async () => {
    const list = mount('larder-shopping-list', { member: 'U-ANA', limit: '3', ...AT });
    const row = mount('larder-recommendations', { kind: 'buy-again', member: 'U-ANA', ...AT });
    const [listRoot, rowRoot] = [await settled(list, 'the list'), await settled(row, 'the row')];
    const inBoth = names(listRoot, 'li .name').find((n) => names(rowRoot, '[part=card] .name').includes(n));
    expect(inBoth, 'a product in the list and the row').to.be.a('string');
    const heard: unknown[] = [];
    const listen = (e: Event) => heard.push((e as CustomEvent).detail);
    document.addEventListener('larder-item-control', listen);
    try {
      listRoot.querySelector<HTMLButtonElement>(`li [part=not-for-me-button][aria-label="Not for me: ${inBoth}"]`)!.click();
      await Promise.all([list.updateComplete, row.updateComplete]);
      // One event, heard by the page and by both elements: both renders drop the product at once.
      expect(names(listRoot, 'li .name')).not.to.include(inBoth);
      expect(names(rowRoot, '[part=card] .name')).not.to.include(inBoth);
      const id = PRODUCTS.find((p) => p.name === inBoth)!.id;
      expect(heard).to.deep.equal([{ productId: id, control: 'not-for-me', member: 'U-ANA', name: inBoth }]);
      const undo = listRoot.querySelector('[part=undo]')!;
      expect(undo.querySelector('span')!.textContent).to.equal(`${inBoth} hidden`);
      const undoButton = undo.querySelector<HTMLButtonElement>('[part=undo-button]')!;
      expect(undoButton.textContent).to.equal('Undo');
      expect(rowRoot.querySelector('[part=undo]'), 'the Undo is where the shopper acted').to.equal(null);
      await untilAsync(async () => Object.keys((await getEngine().itemControls('U-ANA')).notForMe).includes(id), 'the control stored');

      undoButton.click();
      await list.updateComplete;
      expect(listRoot.querySelector('[part=undo]')!.textContent!.trim()).to.equal(`${inBoth} is back.`);
      expect(heard.at(-1)).to.deep.equal({ productId: id, control: 'clear', member: 'U-ANA', name: inBoth });
      await until(() => names(listRoot, 'li .name').includes(inBoth!) && names(rowRoot, '[part=card] .name').includes(inBoth!), 'the product back in both');
      expect(Object.keys((await getEngine().itemControls('U-ANA')).notForMe)).not.to.include(id);
      expect(names(listRoot, 'li .name')).to.have.length(3);
    } finally {
      document.removeEventListener('larder-item-control', listen);
    }
  });

  it('"Mute for a month" in the row takes it out of the list too, and another member\'s list is left alone', async () => {
    const list = mount('larder-shopping-list', { member: 'U-ANA', ...AT });
    const other = mount('larder-shopping-list', { member: 'U-LOW', ...AT });
    const row = mount('larder-recommendations', { kind: 'buy-again', member: 'U-ANA', ...AT });
    const [listRoot, otherRoot, rowRoot] = [await settled(list, 'the list'), await settled(other, 'Lou\'s list'), await settled(row, 'the row')];
    const victim = names(rowRoot, '[part=card] .name').find((n) => names(listRoot, 'li .name').includes(n) && names(otherRoot, 'li .name').includes(n));
    expect(victim, 'a product in Ana\'s list and row and in Lou\'s list').to.be.a('string');
    rowRoot.querySelector<HTMLButtonElement>(`[part=card] [part=mute-button][aria-label="Mute for a month: ${victim}"]`)!.click();
    await Promise.all([list.updateComplete, row.updateComplete, other.updateComplete]);
    expect(names(rowRoot, '[part=card] .name')).not.to.include(victim);
    expect(names(listRoot, 'li .name')).not.to.include(victim);
    expect(names(otherRoot, 'li .name')).to.include(victim);
    expect(rowRoot.querySelector('[part=undo] span')!.textContent).to.equal(`${victim} muted for a month`);
    // Refilled from the engine once stored: still without it.
    const id = PRODUCTS.find((p) => p.name === victim)!.id;
    await untilAsync(async () => Object.keys((await getEngine().itemControls('U-ANA')).mutedUntil).includes(id), 'the mute stored');
    expect(names(listRoot, 'li .name')).not.to.include(victim);
    // Put it back for the next test run on this database.
    rowRoot.querySelector<HTMLButtonElement>('[part=undo-button]')!.click();
    await until(() => names(rowRoot, '[part=card] .name').includes(victim!), 'the card back');
  });
});
