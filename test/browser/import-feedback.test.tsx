/// <reference types="mocha" />
// The manager's import feedback: a progress that counts rejected rows while it reads, rejections grouped by reason,
// basket lines priced at the shelf price, and a warning when no member reaches the spend a personal list needs.
import { expect } from 'chai';
import { startMocks, worker } from '../mocks/browser.ts';
import { serveStore } from '../mocks/handlers.ts';
import { getEngine } from '../../worker/bridge.ts';
import { until } from './harness.ts';
import { enrolThisDevice } from './hq.ts';
import { chooseFiles, mountKiosk, unmountKiosk } from './kiosk-harness.tsx';

const root = () => document.getElementById('kiosk-root')!;

/** A valid EAN-13 card code from its first 12 digits. */
function aCard(n: number) {
  const body = `2100${String(n).padStart(8, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return body + ((10 - (sum % 10)) % 10);
}

const weekly = (member: string, product: string, weeks: number, price = '') => Array.from({ length: weeks }, (_, w) =>
  `${member}-${product}-${w},${member},${new Date(Date.UTC(2025, 11, 7 + 7 * w)).toISOString().slice(0, 10)},${product},1,${price}`);

// Three members buying one $1 pack of gum a week, the lines without prices: every one below the $25 threshold.
const STORE: Record<string, string> = {
  'manifest.json': JSON.stringify({ endDate: '2026-03-01', files: ['products.csv', 'members.csv', 'baskets.csv'] }),
  'products.csv': 'product_id,name,category,brand,brand_type,price_cents\nF-GUM,Mint Gum,sweets/gum,Acme,national,100\nF-WINE,Red Wine,drinks/wine,Acme,national,1500\n',
  'members.csv': ['member_id,card_code,consent_personalise', ...['F-A', 'F-B', 'F-C'].map((m, i) => `${m},${aCard(i + 1)},true`)].join('\n'),
  'baskets.csv': ['basket_id,member_id,date,product_id,qty,unit_price_cents', ...['F-A', 'F-B', 'F-C'].flatMap((m) => weekly(m, 'F-GUM', 12))].join('\n'),
};

describe('kiosk: import feedback on the manager screen', () => {
  before(async () => {
    await startMocks();
    worker.use(...serveStore('feedback-store', STORE));
    await getEngine().useDatabase(`import-feedback-${Date.now()}`);
    await enrolThisDevice(); // the manager PIN is the one headquarters set for the store
    mountKiosk('feedback-store');
    await until(() => root().querySelector('.scan-card'), 'the scan screen');
    [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')].find((b) => b.textContent === 'Manager')!.click();
    await until(() => root().querySelector('.manager-pin'), 'the PIN pad');
    for (const k of ['2', '4', '6', '8', 'enter']) root().querySelector<HTMLButtonElement>(`.manager-pin [data-key="${k}"]`)!.click();
  });
  after(() => unmountKiosk());

  it('warns that no member reaches the spend threshold, and the warning goes once one does', async () => {
    const warning = await until(() => root().querySelector('.manager-spend-warning'), 'the below-threshold warning');
    expect(warning.textContent).to.equal('No member spends the $25 a week a personal list needs: all 3 members with a history get the store-wide list. '
      + 'Check that basket lines carry their prices (unit_price_cents) and products their shelf prices.');
    // F-A buys a $15 bottle of wine every week too, its lines without prices: at the shelf price, $16 a week… and a second bottle.
    chooseFiles([new File([['basket_id,member_id,date,product_id,qty,unit_price_cents', ...weekly('F-A', 'F-WINE', 12).map((l) => l.replace(',1,', ',2,'))].join('\n')], 'baskets-wine.csv')]);
    const summary = await until(() => root().querySelector('.manager-import__summary[data-file="baskets-wine.csv"]'), 'the import summary');
    expect(summary.textContent).to.equal('baskets-wine.csv: 12 accepted, 0 rejected · 12 lines priced at the shelf price (no unit_price_cents)');
    await until(() => !root().querySelector('.manager-spend-warning') && root().querySelector('.manager__grid'), 'the warning gone');
  });

  it('counts rejected rows in the progress while it reads, then groups them by reason with the first line numbers', async () => {
    const total = 20_000;
    const text = ['basket_id,member_id,date,product_id', ...Array.from({ length: total }, (_, i) => `X${i},F-A,${i},F-GUM`)].join('\n');
    const seen: string[] = [];
    const watch = new MutationObserver(() => {
      const rate = root().querySelector('.manager-import__rate');
      if (rate?.textContent) seen.push(rate.textContent);
    });
    watch.observe(root(), { subtree: true, childList: true, characterData: true });
    chooseFiles([new File([text], 'baskets-positions.csv')]);
    const summary = await until(() => root().querySelector('.manager-import__summary[data-file="baskets-positions.csv"]'), 'the import summary');
    watch.disconnect();
    expect(summary.textContent).to.equal(`baskets-positions.csv: 0 accepted, ${total.toLocaleString('en')} rejected`);
    // Shown while reading: a count above zero and below the total (the file is read in several chunks).
    const counts = seen.map((s) => Number(/^([\d,]+) rows/.exec(s)?.[1]?.replaceAll(',', '') ?? NaN));
    expect(counts.some((n) => n > 0 && n < total), `progress texts seen: ${seen.join(' | ')}`).to.equal(true);
    const groups = [...root().querySelectorAll('.manager-reject-groups li')];
    expect(groups.map((g) => [g.getAttribute('data-field'), g.getAttribute('data-count'), g.textContent])).to.deep.equal([
      ['date', String(total), `baskets-positions.csv ${total.toLocaleString('en')} rows: date — not a real date, e.g. line 2 '0' (also lines 3, 4, 5, 6, …)`],
    ]);
    // The rows one by one stay behind a closed disclosure.
    expect(root().querySelector<HTMLDetailsElement>('.manager-rejects__each')!.open).to.equal(false);
  });
});
