/// <reference types="mocha" />
import { expect } from 'chai';
import { startMocks } from '../mocks/browser.ts';
import { CARDS } from '../mocks/handlers.ts';
import { getEngine } from '../../worker/bridge.ts';
import { fillStorage, serverCommand, setQuota, until } from './harness.ts';
import { mountKiosk, unmountKiosk } from './kiosk-harness.tsx';

const root = () => document.getElementById('kiosk-root')!;
const html = document.documentElement;

function scan(code: string) {
  for (const key of [...code, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
}

/** Web Test Runner's emulate-media command (its built-in plugin calls Playwright's page.emulateMedia). */
const emulateMedia = (payload: { media: 'print' | 'screen' }) => serverCommand('emulate-media', payload);

/** Scan Olivia's card and wait for her list (the scanner listens from the moment the scan screen is committed). */
async function showList(): Promise<Element> {
  await until(() => root().querySelector('.scan-card'), 'the scan screen');
  scan(CARDS.olivia);
  return until(() => root().querySelector('.member-list'), 'the member list');
}

/** Columns of a computed grid-template-columns value ("300px 300px" → 2). */
const columns = (el: Element) => getComputedStyle(el).gridTemplateColumns.split(' ').filter(Boolean).length;

describe('kiosk: printing the member\'s list as an 80 mm receipt or on A4', () => {
  const print = window.print;
  let printedAs: (string | undefined)[] = [];
  before(async () => {
    await startMocks();
    await getEngine().useDatabase(`kiosk-print-${Date.now()}`);
    // The print dialog cannot open in a headless test: record which layout the page asked for instead.
    window.print = () => { printedAs.push(html.dataset.print); };
  });
  after(async () => {
    window.print = print;
    await emulateMedia({ media: 'screen' });
  });
  beforeEach(() => {
    printedAs = [];
    mountKiosk('test-store');
  });
  afterEach(async () => {
    delete html.dataset.print;
    await emulateMedia({ media: 'screen' });
    unmountKiosk();
  });

  it('prints A4 with two columns of items and a larger barcode, and the receipt in one 74 mm column', async function () {
    this.timeout(60_000);
    const list = await showList();
    await until(() => root().querySelector('.member-list__barcode rect'), 'the barcode');
    const items = list.querySelector('.member-list__items')!;
    const barcode = list.querySelector('.member-list__barcode')!;

    root().querySelector<HTMLButtonElement>('.member-list__print-a4')!.click();
    await until(() => printedAs.length === 1, 'the A4 print'); // printed once the list is stored
    expect(printedAs).to.deep.equal(['a4']);
    expect(html.dataset.print).to.equal('a4');
    await emulateMedia({ media: 'print' });
    expect(getComputedStyle(document.body).getPropertyValue('page')).to.equal('a4');
    expect(columns(items)).to.equal(2);
    expect(getComputedStyle(root().querySelector('.kiosk-bar')!).display).to.equal('none');
    expect(getComputedStyle(list.querySelector('.member-list__actions')!).display).to.equal('none');
    const a4Barcode = barcode.getBoundingClientRect().width;
    expect(a4Barcode).to.be.closeTo((100 / 25.4) * 96, 2); // 100 mm at 96 px per inch

    root().querySelector<HTMLButtonElement>('.member-list__print')!.click();
    await until(() => printedAs.length === 2, 'the receipt print');
    expect(printedAs).to.deep.equal(['a4', 'receipt']);
    expect(html.dataset.print).to.equal('receipt');
    expect(getComputedStyle(document.body).getPropertyValue('page')).to.equal('auto');
    expect(columns(items)).to.equal(1);
    expect(list.getBoundingClientRect().width).to.be.closeTo((74 / 25.4) * 96, 2);
    expect(barcode.getBoundingClientRect().width).to.be.below(a4Barcode);

    // On screen nothing changes with the print layout.
    await emulateMedia({ media: 'screen' });
    html.dataset.print = 'a4';
    expect(columns(items)).to.equal(1);
    expect(getComputedStyle(root().querySelector('.kiosk-bar')!).display).not.to.equal('none');
  });

  it('says "Print A4" in both languages', async () => {
    await showList();
    const button = await until(() => root().querySelector<HTMLButtonElement>('.member-list__print-a4'), 'the A4 button');
    expect(button.textContent).to.equal('Print A4');
    [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')].find((b) => b.textContent === '中文')!.click();
    await until(() => button.textContent === '打印 A4', 'the Chinese label');
  });
});

describe('kiosk: a list the kiosk could not store is not printed', () => {
  const print = window.print;
  let printed = 0;
  before(async () => {
    await startMocks();
    window.print = () => { printed++; };
  });
  after(async () => {
    window.print = print;
    unmountKiosk();
    await setQuota();
  });

  it('shows the member the list but refuses to print it when storage is full, so no code that would not scan is handed out', async function () {
    this.timeout(120_000);
    // Chromium enforces a quota override only on a database first opened after it (storage-faults.test.ts).
    await setQuota(400_000);
    const engine = getEngine();
    await engine.useDatabase(`kiosk-print-full-${Date.now()}`);
    mountKiosk('test-store');
    // While there is room: Olivia's list is stored, so it prints.
    scan(await until(() => root().querySelector('.scan-card') && CARDS.olivia, 'the scan screen'));
    await until(() => root().querySelector('.member-list .member-list__item'), 'Olivia\'s list');
    root().querySelector<HTMLButtonElement>('.member-list__print')!.click();
    await until(() => printed === 1, 'Olivia\'s list printed');
    root().querySelector<HTMLButtonElement>('.member-list__actions button:last-child')!.click(); // Done
    await until(() => root().querySelector('.scan-card'), 'the scan screen again');
    expect(await fillStorage(engine)).to.be.above(0);
    // Ines's list is shown (before its write), its write fails: the kiosk says so and does not print it.
    scan(CARDS.erase);
    await until(() => root().querySelector('.member-list__hello')?.textContent?.includes('Ines') && root().querySelector('.member-list .member-list__item'), 'Ines\'s list');
    root().querySelector<HTMLButtonElement>('.member-list__print')!.click();
    const notice = await until(() => root().querySelector('.member-list__note[role=alert]'), 'the storage-full notice');
    expect(notice.textContent).to.equal('The kiosk storage is full, so this list was not kept and is not printed: its code would not scan. Call the supervisor.');
    expect(printed).to.equal(1);
    const { unsaved } = await engine.settled();
    expect(unsaved).to.have.length(1);
  });
});
