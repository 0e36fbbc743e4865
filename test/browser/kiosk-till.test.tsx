/// <reference types="mocha" />
import { expect } from 'chai';
import { startMocks, worker } from '../mocks/browser.ts';
import { CARDS } from '../mocks/handlers.ts';
import { fakeHeadquarters } from '../mocks/headquarters.ts';
import { until } from './harness.ts';
import { mountKiosk, unmountKiosk } from './kiosk-harness.tsx';

// The camera path (Barcode Detection API) and the till's link to headquarters, with the real worker and IndexedDB.
// Chromium on Linux has no BarcodeDetector: the test gives the page one that reads "the card in front of the
// camera", and a camera that is a canvas stream; the kiosk's code from button to list is the real one.

const root = () => document.getElementById('kiosk-root')!;
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
    await new Promise<void>((resolve) => { const r = indexedDB.deleteDatabase('larder'); r.onsuccess = r.onerror = r.onblocked = () => resolve(); });
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
    const hq = fakeHeadquarters('*/hq');
    let online = false;
    worker.use(...[(await import('msw')).http.post('*/hq/:kind', () => (online ? undefined : (async () => (await import('msw')).HttpResponse.error())()))], hq.handler);
    mountKiosk('test-store');
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
    expect([...hq.records.values()].filter((b) => b.includes('"T-OLIVIA"'))).to.have.length(1);
    expect(root().querySelector('.cashier__device-status')!.textContent).to.match(/record\(s\) reached headquarters/);
  });
});
