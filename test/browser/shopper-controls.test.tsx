/// <reference types="mocha" />
// Shopper controls through the real worker and IndexedDB: "not for me" and "mute for a month" in the widget and the
// kiosk take effect on the next render and stay after a reload; "delete my history" leaves the store-wide list.
import { expect } from 'chai';
import { startMocks, worker } from '../mocks/browser.ts';
import { aProduct, aRhythm, storeFiles } from '../mocks/store-builders.ts';
import { serveStore } from '../mocks/handlers.ts';
import { toEan13 } from '../../core/ean.ts';
import { getEngine } from '../../worker/bridge.ts';
import '../../widget/index.ts';
import { mount, settled, until } from './harness.ts';
import { controlsStored } from '../../widget/item-controls.ts';
import { mountKiosk, unmountKiosk } from './kiosk-harness.tsx';

const CARD_BEN = toEan13('200000000101');
const CARD_CAL = toEan13('200000000102');
const PRODUCTS = ['C-MILK', 'C-BREAD', 'C-COFFEE', 'C-TEA', 'C-EGGS', 'C-JAM'];
/** Three members who buy the same six products, each on its own rhythm. */
const CONTROLS_STORE = storeFiles({
  endDate: '2026-03-01',
  products: [aProduct('C-MILK', 'Meadowvale Whole Milk', 209), aProduct('C-BREAD', 'Baker Street Sourdough', 299, 'bakery/bread'),
    aProduct('C-COFFEE', 'Café Roma Ground Coffee', 649, 'pantry/coffee'), aProduct('C-TEA', 'Hillside Black Tea', 459, 'pantry/tea'),
    aProduct('C-EGGS', 'Free Range Eggs', 389, 'dairy/eggs'), aProduct('C-JAM', 'Orchard Strawberry Jam', 399, 'pantry/jam')],
  members: [{ id: 'C-ANA', card: toEan13('200000000100'), firstName: 'Ana' }, { id: 'C-BEN', card: CARD_BEN, firstName: 'Ben' }, { id: 'C-CAL', card: CARD_CAL, firstName: 'Cal' }],
  baskets: ['C-ANA', 'C-BEN', 'C-CAL'].flatMap((m) => PRODUCTS.flatMap((p, k) => aRhythm(m, [p], 6 + k, '2025-12-20', Math.floor(70 / (6 + k)), `${m}-${p}-`))),
});

const names = (root: ShadowRoot, sel: string) => [...root.querySelectorAll(sel)].map((n) => n.textContent!.trim());
const kiosk = () => document.getElementById('controls-kiosk')!;

describe('shopper controls', () => {
  before(async () => {
    await startMocks();
    await getEngine().useDatabase(`larder-controls-${Date.now()}`);
  });
  beforeEach(() => worker.use(...serveStore('controls-store', CONTROLS_STORE)));
  afterEach(() => {
    worker.resetHandlers();
    document.querySelectorAll('larder-shopping-list, larder-recommendations').forEach((el) => el.remove());
  });

  it('widget list: "Not for me" removes the item on the next render, refills, and it stays gone after a reload', async () => {
    const attrs = { member: 'C-ANA', src: '/controls-store/', 'as-of': '2026-03-01', limit: '3' };
    const el = mount('larder-shopping-list', attrs);
    const root = await settled(el, 'the list');
    const before = names(root, 'li .name');
    expect(before).to.have.length(3);
    const victim = before[0]!;
    const button = root.querySelector<HTMLButtonElement>(`li [part=not-for-me-button][aria-label="Not for me: ${victim}"]`);
    expect(button, 'a "Not for me" button naming the product').to.exist;
    const fired = new Promise<CustomEvent>((resolve) => document.addEventListener('larder-item-control', (e) => resolve(e), { once: true }));
    button!.click();
    await el.updateComplete;
    expect(names(root, 'li .name')).not.to.include(victim); // the very next render
    expect((await fired).detail).to.deep.equal({ productId: productIdOf(victim), control: 'not-for-me', member: 'C-ANA', name: victim });
    // The engine's list comes back refilled to the limit, without the item (the element shows its next item at once;
    // the engine's answer follows once the control is stored, and a reload before that could still race it).
    await controlsStored();
    const refilled = await until(() => names(root, 'li .name').length === 3 && names(root, 'li .name'), 'the refilled list');
    expect(refilled).not.to.include(victim);
    expect(refilled).to.include.members(before.slice(1));
    el.remove();
    const again = await settled(mount('larder-shopping-list', attrs), 'the list after a reload');
    expect(names(again, 'li .name')).not.to.include(victim);
    expect(names(again, 'li .name')).to.have.length(3);
  });

  it('widget row: "Mute for a month" takes the card out at once, for the list too, and keyboard focus stays in the row', async () => {
    const el = mount('larder-recommendations', { kind: 'buy-again', member: 'C-ANA', src: '/controls-store/', 'as-of': '2026-03-01' });
    const root = await settled(el, 'the row');
    const before = names(root, '[part=card] .name');
    expect(before.length).to.be.at.least(3);
    const victim = before[1]!;
    const mute = root.querySelector<HTMLButtonElement>(`[part=card] [part=mute-button][aria-label="Mute for a month: ${victim}"]`)!;
    mute.focus();
    mute.click();
    await el.updateComplete;
    expect(names(root, '[part=card] .name')).not.to.include(victim);
    expect(root.activeElement?.getAttribute('part')).to.equal('add-button');
    let muted: string[] = [];
    for (let i = 0; i < 100 && !muted.length; i++) {
      muted = Object.keys((await getEngine().itemControls('C-ANA')).mutedUntil);
      if (!muted.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(muted).to.deep.equal([productIdOf(victim)]);
    el.remove();
    const row = await settled(mount('larder-recommendations', { kind: 'buy-again', member: 'C-ANA', src: '/controls-store/', 'as-of': '2026-03-01' }), 'the row after a reload');
    expect(names(row, '[part=card] .name')).not.to.include(victim);
    const list = await settled(mount('larder-shopping-list', { member: 'C-ANA', src: '/controls-store/', 'as-of': '2026-03-01' }), 'the list');
    expect(names(list, 'li .name')).not.to.include(victim);
  });

  it('bought-together rows (no member) show no controls', async () => {
    const root = await settled(mount('larder-recommendations', { kind: 'bought-together', product: 'C-MILK', src: '/controls-store/' }), 'the row');
    expect(root.querySelector('[part=not-for-me-button], [part=mute-button]')).to.equal(null);
  });

  describe('kiosk member screen', () => {
    beforeEach(() => {
      mountKiosk('controls-store', 'controls-kiosk');
    });
    afterEach(() => {
      unmountKiosk('controls-kiosk');
    });
    /** Type the card number on the scan screen and submit it (no race with the scanner's key listener). */
    const scan = async (code: string) => {
      const input = await until(() => kiosk().querySelector<HTMLInputElement>('#card-code'), 'the card input');
      input.value = code;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await until(() => !kiosk().querySelector<HTMLButtonElement>('.scan-card__submit')!.disabled, 'the submit button');
      kiosk().querySelector<HTMLFormElement>('.scan-card__form')!.requestSubmit();
    };
    const kioskNames = () => [...kiosk().querySelectorAll('.member-list__name')].map((n) => n.textContent!);

    it('"Not for me" and "Mute for a month" remove the item at once, and it stays gone on the next scan', async () => {
      await scan(CARD_BEN);
      await until(() => kioskNames().length >= 4 && kiosk().querySelector('.member-list__hello'), 'Ben\'s list');
      const [first, second] = kioskNames();
      kiosk().querySelector<HTMLButtonElement>(`.member-list__controls button[aria-label="Not for me: ${first}"]`)!.click();
      await until(() => !kioskNames().includes(first!), 'the item to go');
      kiosk().querySelector<HTMLButtonElement>(`.member-list__controls button[aria-label="Mute for a month: ${second}"]`)!.click();
      await until(() => !kioskNames().includes(second!), 'the muted item to go');
      // A fresh scan reads the list from the engine again.
      kiosk().querySelector<HTMLButtonElement>('.member-list__actions button:last-child')!.click();
      await scan(CARD_BEN);
      await until(() => kiosk().querySelector('.member-list__hello') && kioskNames().length > 0, 'Ben\'s list again');
      expect(kioskNames()).not.to.include(first);
      expect(kioskNames()).not.to.include(second);
    });

    it('"Delete my history" asks first, then leaves the store-wide list and keeps the member and consent', async () => {
      await scan(CARD_CAL);
      await until(() => kiosk().querySelector('.member-list__hello') && kioskNames().length > 0, 'Cal\'s list');
      expect(kiosk().querySelector('.member-list__note')).to.equal(null);
      const confirm = window.confirm;
      let asked = '';
      try {
        window.confirm = (q?: string) => { asked = q ?? ''; return false; };
        kiosk().querySelector<HTMLButtonElement>('.member-list__delete')!.click();
        expect(asked).to.contain('Delete your purchase history');
        await getEngine().settled(); // a round trip through the worker: a call the click had sent would be ahead of it
        expect(kiosk().querySelector('.member-list__note')).to.equal(null); // declined: nothing erased
        window.confirm = () => true;
        kiosk().querySelector<HTMLButtonElement>('.member-list__delete')!.click();
        const note = await until(() => kiosk().querySelector('.member-list__note'), 'the store-wide note');
        expect(note.textContent).to.contain('Your personal list starts once you shop with us');
      } finally {
        window.confirm = confirm;
      }
      const { openDB } = await import('idb');
      const db = await openDB((await dbName())!);
      const { history, member, controls } = await db.get('packs', 'C-CAL');
      const shown = await db.get('shown', 'C-CAL');
      db.close();
      expect(controls).to.equal(undefined);
      expect(shown).to.equal(undefined);
      expect(history).to.equal(undefined);
      expect(member.consent.personalise).to.equal(true);
    });
  });
});

/** Product id by name, from the test store. */
function productIdOf(name: string): string {
  const line = CONTROLS_STORE['products.csv']!.split('\n').find((l) => l.split(',')[1] === name);
  return line!.split(',')[0]!;
}

/** The database this file's engine uses. */
async function dbName(): Promise<string | undefined> {
  return (await indexedDB.databases()).map((d) => d.name).find((n) => n?.startsWith('larder-controls-'));
}
