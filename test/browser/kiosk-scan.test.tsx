/// <reference types="mocha" />
import { expect } from 'chai';
import { startMocks } from '../mocks/browser.ts';
import { CARDS } from '../mocks/handlers.ts';
import { until } from './harness.ts';
import { mountKiosk, unmountKiosk } from './kiosk-harness.tsx';

const root = () => document.getElementById('kiosk-root')!;

/** Type a card code as a keyboard-wedge scanner does: digits in a burst, then Enter. */
function scan(code: string) {
  for (const key of [...code, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
}

describe('kiosk: scan a card, see the list', () => {
  before(() => startMocks());
  beforeEach(() => {
    mountKiosk('test-store');
  });
  afterEach(() => {
    unmountKiosk();
  });

  it('greets the member by first name and shows their list after a scanner burst', async () => {
    await until(() => root().querySelector('.scan-card'), 'the scan screen');
    scan(CARDS.olivia);
    const hello = await until(() => root().querySelector('.member-list__hello'), 'the member list');
    expect(hello.textContent).to.equal('Hello, Olivia!');
    const names = [...root().querySelectorAll('.member-list__name')].map((n) => n.textContent);
    expect(names).to.include('Meadowvale Whole Milk');
  });

  it('tells the member when a card number has a wrong check digit, and changes nothing', async () => {
    const input = await until(() => root().querySelector<HTMLInputElement>('#card-code'), 'the card input');
    input.value = CARDS.olivia.slice(0, 12) + ((Number(CARDS.olivia[12]) + 1) % 10);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    // The form reads the code from its state: submit once the screen shows it took the input (Show enabled).
    await until(() => !root().querySelector<HTMLButtonElement>('.scan-card__submit')!.disabled, 'the Show button');
    root().querySelector<HTMLFormElement>('.scan-card__form')!.requestSubmit();
    const error = await until(() => root().querySelector('#scan-error'), 'the error');
    expect(error.textContent).to.contain('did not scan correctly');
    expect(root().querySelector('.member-list')).to.equal(null);
  });

  it('prints the list code as a barcode, and erases the history when the member withdraws consent', async () => {
    await until(() => root().querySelector('.scan-card'), 'the scan screen');
    scan(CARDS.erase);
    await until(() => root().querySelector('.member-list__hello'), 'the member list');
    const bars = await until(() => root().querySelector('.member-list__barcode rect'), 'the barcode');
    expect(bars).to.exist;
    expect(root().querySelector('.member-list__barcode')!.getAttribute('aria-label')).to.match(/^List code 9\d{19}$/);
    const confirm = window.confirm;
    window.confirm = () => true;
    try {
      root().querySelector<HTMLButtonElement>('.member-list__consent button')!.click();
      await until(() => root().querySelector('.member-list__note'), 'the store-wide note');
    } finally {
      window.confirm = confirm;
    }
    const { openDB } = await import('idb');
    const db = await openDB('larder');
    const pack = await db.get('packs', 'T-ERASE');
    db.close();
    const { history, member } = pack;
    expect(history).to.equal(undefined);
    expect(member.consent.personalise).to.equal(false);
  });
});
