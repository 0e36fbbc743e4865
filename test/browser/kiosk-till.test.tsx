/// <reference types="mocha" />
import { expect } from 'chai';
import { startMocks, worker } from '../mocks/browser.ts';
import { CARDS, TEST_STORE, serveStore } from '../mocks/handlers.ts';
import { enrolThisDevice } from './hq.ts';
import { getEngine } from '../../worker/api.ts';
import { serverCommand, until } from './harness.ts';
import { mountKiosk, unmountKiosk } from './kiosk-harness.tsx';

// The camera path (Barcode Detection API) and the till's link to headquarters, with the real worker and IndexedDB.
// Chromium on Linux has no BarcodeDetector: the test gives the page one that reads "the card in front of the
// camera", and a camera that is a canvas stream; the kiosk's code from button to list is the real one.

const root = () => document.getElementById('kiosk-root')!;
let databases = 0;
/** Each test on an empty database of its own, switched to by the engine (which closes the last one), instead of
 * deleting the engine's database from the page behind its open connection. */
const freshDatabase = () => getEngine().useDatabase(`kiosk-till-${Date.now()}-${++databases}`);
const g = globalThis as { BarcodeDetector?: unknown };

/** A detector that sees `code` once the video it is given is playing. */
function installDetector(code: string, seen: { sources: unknown[] }) {
  g.BarcodeDetector = class {
    static async getSupportedFormats() { return ['ean_13', 'code_128', 'qr_code']; }
    constructor(public options: { formats: string[] }) {}
    async detect(source: HTMLVideoElement) {
      seen.sources.push(source);
      return source instanceof HTMLVideoElement && source.srcObject && !source.paused ? [{ rawValue: code, format: 'ean_13' }] : [];
    }
  };
}

describe('kiosk: camera scanning and the till', () => {
  const realGetUserMedia = navigator.mediaDevices?.getUserMedia;
  let frames: ReturnType<typeof setInterval> | undefined;
  before(() => startMocks());
  beforeEach(async () => {
    await freshDatabase();
    sessionStorage.clear();
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 48;
    const paint = canvas.getContext('2d')!;
    // A camera shows a new frame now and then; a canvas stream only has frames when the canvas changes.
    frames = setInterval(() => { paint.fillStyle = `hsl(${Math.random() * 360} 50% 50%)`; paint.fillRect(0, 0, 64, 48); }, 50);
    navigator.mediaDevices.getUserMedia = async () => canvas.captureStream(10);
  });
  afterEach(() => {
    unmountKiosk();
    delete g.BarcodeDetector;
    clearInterval(frames);
    if (realGetUserMedia) navigator.mediaDevices.getUserMedia = realGetUserMedia;
  });

  it('shows no camera button where the browser cannot read barcodes', async () => {
    mountKiosk('test-store');
    await until(() => root().querySelector('.scan-card'), 'the scan screen');
    expect(root().querySelector('.camera-scan__start')).to.equal(null);
  });

  it('reads a member card with the camera and opens their list, then stops the camera', async () => {
    const seen = { sources: [] as unknown[] };
    installDetector(CARDS.olivia, seen);
    mountKiosk('test-store');
    const start = await until(() => root().querySelector<HTMLButtonElement>('.camera-scan__start'), 'the camera button');
    start.click();
    const hello = await until(() => root().querySelector('.member-list__hello'), 'the member list');
    expect(hello.textContent).to.equal('Hello, Olivia!');
    expect(seen.sources.some((s) => s instanceof HTMLVideoElement)).to.equal(true);
    expect(root().querySelector('video')).to.equal(null);
  });

  it('keeps a checkout on the device until headquarters has it, refuses to erase it meanwhile, then sends it', async () => {
    // The real headquarters the test runner started; MSW cuts the network in front of it until `online`.
    await enrolThisDevice();
    mountKiosk('test-store');
    let online = false;
    const { http, HttpResponse } = await import('msw');
    worker.use(http.post('*/hq/v1/:kind', () => (online ? undefined : HttpResponse.error())));
    const checkout = await until(() => [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')].find((b) => b.textContent === 'Checkout'), 'the checkout button');
    checkout.click();
    const code = await until(() => root().querySelector<HTMLInputElement>('#cashier-code'), 'the cashier form');
    code.value = CARDS.olivia;
    code.dispatchEvent(new Event('input', { bubbles: true }));
    const basket = root().querySelector<HTMLTextAreaElement>('#cashier-basket')!;
    basket.value = 'T-MILK,2\nT-BREAD';
    basket.dispatchEvent(new Event('input', { bubbles: true }));
    // The form reads card and basket from its state: submit once the screen shows it took them (Check offers enabled).
    await until(() => !root().querySelector<HTMLButtonElement>('.cashier__form button[type=submit]')!.disabled, 'the Check offers button');
    root().querySelector<HTMLFormElement>('.cashier__form')!.requestSubmit();
    await until(() => root().querySelector('.cashier__receipt'), 'the preview');
    (await until(() => [...root().querySelectorAll<HTMLButtonElement>('.cashier__actions button')].find((b) => b.textContent === 'Confirm and redeem' && !b.disabled), 'confirm')).click();
    await until(() => root().querySelector('.cashier__receipt--final'), 'the final receipt');
    // Headquarters unreachable: the basket waits on the device.
    const status = await until(() => { const s = root().querySelector('.cashier__net'); return s && /[1-9]\d* to send to headquarters/.test(s.textContent ?? '') && s; }, 'the unsynced count');
    expect(status.textContent).to.match(/ 1 to send to headquarters/);
    // Erasing the kiosk is refused while the basket exists only here.
    const confirm = window.confirm;
    window.confirm = () => true;
    try {
      root().querySelector<HTMLElement>('.cashier__device summary')!.click();
      (await until(() => [...root().querySelectorAll<HTMLButtonElement>('.cashier__device button')].find((b) => b.textContent === 'Erase kiosk data'), 'the erase button')).click();
      const refused = await until(() => root().querySelector('.cashier__device [role=alert]'), 'the refusal');
      expect(refused.textContent).to.match(/^Not erased: 1 record/);
    } finally {
      window.confirm = confirm;
    }
    // Headquarters back: "Send now" delivers it once.
    online = true;
    (await until(() => [...root().querySelectorAll<HTMLButtonElement>('.cashier__device button')].find((b) => b.textContent === 'Send now' && !b.disabled), 'send now')).click();
    await until(() => /reached headquarters/.test(root().querySelector('.cashier__device-status')?.textContent ?? ''), 'the send to finish');
    await until(() => / 0 to send to headquarters/.test(root().querySelector('.cashier__net')?.textContent ?? ''), 'the outbox to drain');
    // Sent once: nothing waits, and asking the engine to send again sends nothing.
    expect(await getEngine().syncOutbox()).to.deep.include({ sent: 0, pending: 0 });
    expect(root().querySelector('.cashier__device-status')!.textContent).to.match(/record\(s\) reached headquarters/);
  });
});

// The test store with two offers on Olivia's list: 20% off milk, which she buys every week, and $1 off coffee.
const DEAL_STORE: Record<string, string> = {
  ...TEST_STORE,
  'manifest.json': JSON.stringify({ endDate: '2026-03-01', files: ['products.csv', 'members.csv', 'baskets.csv', 'deals.csv'] }),
  'deals.csv': ['deal_id,scope_type,scope,kind,value,start,end,funder,budget_cents,per_member_limit,segments', 'D-MILK,product,T-MILK,percent,20,2026-02-01,2026-03-31,store,,2,', 'D-COFFEE,product,T-COFFEE,amount,100,2026-02-01,2026-03-31,store,,1,'].join('\n'),
};

describe('kiosk: the till names bad basket lines, stops at an exhausted list, and prints a full receipt', () => {
  before(async () => {
    await startMocks();
    worker.use(...serveStore('deal-store', DEAL_STORE));
    // The kiosk's page style sheet, as kiosk/index.html links it (the buttons' looks live there).
    const sheet = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: new URL('/kiosk/kiosk.css', location.href).href });
    document.head.append(sheet);
    await new Promise((resolve, reject) => { sheet.onload = resolve; sheet.onerror = reject; });
  });
  beforeEach(async () => {
    await freshDatabase();
    sessionStorage.clear();
  });
  afterEach(async () => {
    await serverCommand('emulate-media', { media: 'screen' });
    unmountKiosk();
  });

  const button = (selector: string, text: string) => [...root().querySelectorAll<HTMLButtonElement>(selector)].find((b) => b.textContent === text);
  async function openTill(store: string) {
    mountKiosk(store);
    (await until(() => button('.kiosk-bar button', 'Checkout'), 'the checkout button')).click();
    return until(() => root().querySelector<HTMLInputElement>('#cashier-code'), 'the cashier form');
  }
  async function check(card: string, basketText: string) {
    const code = root().querySelector<HTMLInputElement>('#cashier-code')!;
    code.value = card;
    code.dispatchEvent(new Event('input', { bubbles: true }));
    const basket = root().querySelector<HTMLTextAreaElement>('#cashier-basket')!;
    basket.value = basketText;
    basket.dispatchEvent(new Event('input', { bubbles: true }));
    await until(() => !root().querySelector<HTMLButtonElement>('.cashier__form button[type=submit]')!.disabled, 'the Check offers button');
    root().querySelector<HTMLFormElement>('.cashier__form')!.requestSubmit();
  }

  it('names each bad line with its cause, checks the other lines, and a disabled Confirm looks disabled', async () => {
    await openTill('deal-store');
    await check(CARDS.olivia, 'T-MILK,2\nT-NOPE\nT-BREAD,1.5\n\nT-COFFEE\nT-GONE,2');
    const problems = await until(() => root().querySelector('.cashier__lines-error'), 'the line errors');
    expect([...problems.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal([
      'Line 2: T-NOPE is not a known product.',
      'Line 3: the quantity “1.5” is not a whole number of at least 1.',
      'Line 6: T-GONE is not a known product.',
    ]);
    expect(problems.getAttribute('role')).to.equal('alert');
    // The other lines are still checked: milk's offer applies, milk and coffee are on the receipt's basket.
    const receipt = await until(() => root().querySelector('.cashier__receipt'), 'the offers on the other lines');
    expect(receipt.querySelector('h2')!.textContent).to.equal('Offers on the other lines');
    expect([...receipt.querySelectorAll('.cashier__basket tbody tr')].map((tr) => tr.getAttribute('data-product'))).to.deep.equal(['T-MILK', 'T-COFFEE']);
    expect(receipt.querySelector('.cashier__savings tbody')!.textContent).to.contain('Meadowvale Whole Milk');
    // Confirm waits for a basket without bad lines, and looks like it: faded, no pointer.
    const confirm = button('.cashier__actions button', 'Confirm and redeem')!;
    expect(confirm.disabled).to.equal(true);
    expect(Number(getComputedStyle(confirm).opacity)).to.be.below(0.6);
    expect(getComputedStyle(confirm).cursor).to.equal('not-allowed');
    const enabled = button('.cashier__actions button', 'Check offers')!;
    expect(getComputedStyle(enabled).opacity).to.equal('1');
    expect(getComputedStyle(enabled).cursor).to.equal('pointer');
    // Fixed lines: one check, no line errors, Confirm enabled.
    await check(CARDS.olivia, 'T-MILK,2\nT-BREAD\nT-COFFEE');
    await until(() => !root().querySelector('.cashier__lines-error') && root().querySelector('.cashier__receipt') && !button('.cashier__actions button', 'Confirm and redeem')!.disabled, 'an enabled confirm');
  });

  it('says so when every line is bad, with no offers shown', async () => {
    await openTill('deal-store');
    await check(CARDS.olivia, 'T-NOPE,0\nT-MILK,-1');
    const problems = await until(() => root().querySelector('.cashier__lines-error'), 'the line errors');
    expect([...problems.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal([
      'Line 1: the quantity “0” is not a whole number of at least 1.',
      'Line 2: the quantity “-1” is not a whole number of at least 1.',
    ]);
    expect(root().querySelector('.cashier__receipt')).to.equal(null);
    expect(root().querySelector('.cashier__form > .cashier__error')).to.equal(null); // no second, vaguer sentence
  });

  it('prints store, date, member, list code, the basket and its totals; a second basket on the used-up list gets no confirm', async () => {
    await openTill('deal-store');
    await check(CARDS.olivia, 'T-MILK,2\nT-BREAD\nT-COFFEE');
    await until(() => root().querySelector('.cashier__savings'), 'the preview');
    (await until(() => { const b = button('.cashier__actions button', 'Confirm and redeem'); return b && !b.disabled && b; }, 'confirm')).click();
    const receipt = await until(() => root().querySelector('.cashier__receipt--final'), 'the final receipt');
    expect(receipt.querySelector('h2')!.textContent).to.equal('Savings redeemed');
    expect(receipt.querySelector('.cashier__store')!.textContent).to.equal('Larder Market');
    expect(receipt.querySelector('.cashier__date')!.textContent).to.equal('Date: Mar 2, 2026');
    expect(receipt.querySelector('.cashier__member')!.textContent).to.equal('Member: Olivia (T-OLIVIA)');
    expect(receipt.querySelector('.cashier__list-code')!.textContent).to.match(/^List \d{10,}$/);
    // Milk 2 × $2.09 at 20% off: 84 cents saved; the basket adds up at shelf prices.
    expect([...receipt.querySelectorAll('.cashier__savings tbody tr')].map((tr) => tr.textContent)).to.deep.equal(['Meadowvale Whole Milk×2−$0.84', 'Café Roma Ground Coffee×1−$1.00']);
    expect(receipt.querySelector('.cashier__savings tfoot')!.textContent).to.equal('Total saved−$1.84');
    expect([...receipt.querySelectorAll('.cashier__basket tbody tr')].map((tr) => tr.textContent)).to.deep.equal([
      'Meadowvale Whole Milk2 × $2.09$4.18', 'Baker Street Sourdough1 × $2.99$2.99', 'Café Roma Ground Coffee1 × $6.49$6.49',
    ]);
    expect([...receipt.querySelectorAll('.cashier__basket tfoot tr')].map((tr) => tr.textContent)).to.deep.equal(['Basket total$13.66', 'After savings$11.82']);

    // The next customer is Olivia again, with the same list: nothing left on it to redeem.
    button('.cashier__actions button', 'Next customer')!.click();
    await until(() => root().querySelector('#cashier-code'), 'a new checkout');
    await check(CARDS.olivia, 'T-MILK,2');
    const nothing = await until(() => root().querySelector('.cashier__nothing'), 'the nothing-left message');
    expect(nothing.textContent).to.equal('No offers left on this list: every offer on it has been redeemed. Nothing to confirm.');
    expect(button('.cashier__actions button', 'Confirm and redeem')).to.equal(undefined);
    expect(root().querySelector('.cashier__savings')).to.equal(null); // no "Total saved −$0.00"
    expect([...root().querySelectorAll('.cashier__refusals li')].map((li) => li.textContent)).to.deep.equal(['already redeemed: Meadowvale Whole Milk, Café Roma Ground Coffee']);
  });

  it('prints an 80 mm slip whose refusals are the size of its other lines', async () => {
    await openTill('deal-store');
    await check(CARDS.olivia, 'T-BREAD\nT-MILK');
    await until(() => root().querySelector('.cashier__savings'), 'the preview');
    (await until(() => { const b = button('.cashier__actions button', 'Confirm and redeem'); return b && !b.disabled && b; }, 'confirm')).click();
    const receipt = await until(() => root().querySelector('.cashier__receipt--final'), 'the final receipt');
    const refusal = receipt.querySelector('.cashier__refusals li')!;
    expect(refusal.textContent).to.equal('product not in the basket: Café Roma Ground Coffee');
    await serverCommand('emulate-media', { media: 'print' });
    const size = (el: Element) => parseFloat(getComputedStyle(el).fontSize);
    expect(getComputedStyle(root().querySelector('.cashier__head')!).display).to.equal('none');
    expect(getComputedStyle(receipt.querySelector('.cashier__actions')!).display).to.equal('none');
    expect(getComputedStyle(receipt.querySelector('.cashier__slip-head')!).display).not.to.equal('none');
    expect(getComputedStyle(receipt.querySelector('.cashier__store')!).display).to.equal('block'); // on screen the bar above says it
    const line = size(receipt.querySelector('.cashier__savings td')!);
    expect(size(refusal)).to.equal(line);
    expect(size(receipt.querySelector('.cashier__basket td')!)).to.equal(line);
    expect(receipt.getBoundingClientRect().width).to.be.closeTo((72 / 25.4) * 96, 2);
  });

  it('says in Chinese which line is wrong', async () => {
    await openTill('deal-store');
    button('.kiosk-bar button', '中文')!.click();
    await until(() => root().querySelector('#cashier-title')?.textContent === '结账', 'the Chinese till');
    const code = root().querySelector<HTMLInputElement>('#cashier-code')!;
    code.value = CARDS.olivia;
    code.dispatchEvent(new Event('input', { bubbles: true }));
    const basket = root().querySelector<HTMLTextAreaElement>('#cashier-basket')!;
    basket.value = 'T-MILK\nT-NOPE';
    basket.dispatchEvent(new Event('input', { bubbles: true }));
    await until(() => !root().querySelector<HTMLButtonElement>('.cashier__form button[type=submit]')!.disabled, 'the check button');
    root().querySelector<HTMLFormElement>('.cashier__form')!.requestSubmit();
    const problems = await until(() => root().querySelector('.cashier__lines-error li'), 'the line error');
    expect(problems.textContent).to.equal('第 2 行：T-NOPE 不是已知商品。');
    // The other line is still checked, its refusals in Chinese punctuation.
    const refusal = await until(() => root().querySelector('.cashier__refusals li'), 'the refusals');
    expect(refusal.textContent).to.equal('购物篮中没有该商品： Café Roma Ground Coffee');
  });
});
