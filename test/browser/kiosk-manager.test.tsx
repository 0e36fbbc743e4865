/// <reference types="mocha" />
import { expect } from 'chai';
import { render } from 'preact';
import { worker } from '../mocks/browser.ts';
import { serveStore } from '../mocks/handlers.ts';
import { getEngine } from '../../worker/bridge.ts';
import { App } from '../../kiosk/app.tsx';
import { until } from './harness.ts';

const root = () => document.getElementById('kiosk-root')!;

/** A valid EAN-13 card code from its first 12 digits. */
function aCard(n: number) {
  const body = `2100${String(n).padStart(8, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return body + ((10 - (sum % 10)) % 10);
}

/** Visits of one member every `every` days from `start` at `time`, each buying `products`. */
function visits(member: string, products: string[], start: string, every: number, times: number, time: string): string[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: times }, (_, i) => {
    const date = `${new Date(t0 + i * every * 86_400_000).toISOString().slice(0, 10)}T${time}:00`;
    return products.map((p) => `${member}-${i},${member},${date},${p},1,250`);
  }).flat();
}

// A store with times of day: Olivia shops on Saturdays at 10:15, Lena shopped every Tuesday at 18:40 and stopped in
// November, and 22 regulars shop between noon and 17:59 so the BG/NBD model has enough members to fit.
const regulars = Array.from({ length: 22 }, (_, i) => ({ id: `T-REG${i}`, card: aCard(i + 10), every: 4 + (i % 9), hour: 12 + (i % 6) }));
const STORE: Record<string, string> = {
  'manifest.json': JSON.stringify({ endDate: '2026-03-01', files: ['products.csv', 'members.csv', 'baskets.csv'] }),
  'products.csv': ['product_id,name,category,brand,brand_type,price_cents,tags',
    'T-MILK,Meadowvale Whole Milk,dairy/milk,Acme,national,209,', 'T-COFFEE,Café Roma Ground Coffee,pantry/coffee,Acme,national,649,',
    'T-BREAD,Baker Street Sourdough,bakery/bread,Acme,national,299,'].join('\n'),
  'members.csv': ['member_id,card_code,consent_personalise,first_name',
    `T-OLIVIA,${aCard(1)},true,Olivia`, `T-LAPSED,${aCard(2)},true,Lena`, ...regulars.map((r) => `${r.id},${r.card},true,`)].join('\n'),
  'baskets.csv': ['basket_id,member_id,date,product_id,qty,unit_price_cents',
    ...visits('T-OLIVIA', ['T-MILK', 'T-BREAD'], '2026-01-03', 7, 9, '10:15'),
    ...visits('T-LAPSED', ['T-COFFEE', 'T-MILK'], '2025-10-07', 7, 8, '18:40'),
    ...regulars.flatMap((r, i) => visits(r.id, i % 2 ? ['T-MILK', 'T-BREAD'] : ['T-COFFEE'], '2025-12-01', r.every, Math.floor(85 / r.every) - (i % 3), `${r.hour}:05`)),
  ].join('\n'),
};

/** Press the manager PIN pad's keys. */
const tap = (keys: string) => { for (const k of keys) root().querySelector<HTMLButtonElement>(`.manager-pin [data-key="${k}"]`)!.click(); };
/** Type on the keyboard as a manager would. */
const type = (keys: string[]) => { for (const key of keys) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })); };
const nextFrame = () => new Promise((r) => setTimeout(r, 0));

async function openPinPad() {
  await until(() => root().querySelector('.scan-card'), 'the scan screen');
  const button = [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')].find((b) => b.textContent === 'Manager')!;
  button.click();
  return until(() => root().querySelector('.manager-pin'), 'the PIN pad');
}

describe('kiosk: the manager screen behind a PIN', () => {
  before(async () => {
    await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, quiet: true, onUnhandledRequest: 'bypass' });
    worker.use(...serveStore('manager-store', STORE));
    await getEngine().useDatabase(`kiosk-manager-${Date.now()}`);
  });
  after(() => worker.stop());
  beforeEach(() => {
    const div = document.createElement('div');
    div.id = 'kiosk-root';
    document.body.append(div);
    render(<App dataUrl={new URL('/manager-store/', location.href).href} />, div);
  });
  afterEach(() => {
    render(null, root());
    root().remove();
  });

  it('refuses a wrong PIN with a clear message and shows no insights', async () => {
    await openPinPad();
    tap('1234');
    const error = await until(() => root().querySelector('#manager-pin-error'), 'the wrong-PIN message');
    expect(error.textContent).to.equal('Wrong PIN. Nothing was opened; please try again.');
    expect(root().querySelector('.manager-pin__dots')!.getAttribute('data-length')).to.equal('0');
    await new Promise((r) => setTimeout(r, 300));
    expect(root().querySelector('.manager')).to.equal(null);
    expect(root().querySelector('.manager-heat')).to.equal(null);
  });

  it('opens with the PIN typed on the keyboard and shows visits by day and hour', async () => {
    await openPinPad();
    type(['2', '4', '6', '8']);
    await until(() => root().querySelector('.manager-heat__cell'), 'the heat map');
    const cell = (day: number, hour: number) => root().querySelector(`.manager-heat__cell[data-day="${day}"][data-hour="${hour}"]`)!;
    // Olivia: nine Saturdays at 10:15; Lena: eight Tuesdays at 18:40; nobody else shops at those hours.
    expect(cell(5, 10).getAttribute('title')).to.equal('Sat 10:00 — 9 visits');
    expect(cell(1, 18).getAttribute('data-visits')).to.equal('8');
    expect(cell(0, 10).getAttribute('data-visits')).to.equal('0');
    // The grid starts at the first hour with visits (10) and ends at the last (18).
    const hours = new Set([...root().querySelectorAll('.manager-heat__cell')].map((c) => c.getAttribute('data-hour')));
    expect([...hours]).to.deep.equal(['10', '11', '12', '13', '14', '15', '16', '17', '18']);
    expect(root().querySelectorAll('.manager__canvas').length).to.equal(3);
  });

  it('lists the lapsed member in the churn table by id with the reasons and a non-price action, never by name', async () => {
    await openPinPad();
    tap('2468');
    const row = await until(() => root().querySelector('.manager-churn tr[data-member="T-LAPSED"]'), 'the churn row');
    const cells = [...row.querySelectorAll('td')].map((c) => c.textContent);
    expect(cells[0]).to.equal('T-LAPSED');
    expect(cells[1]).to.equal('$40');
    expect(cells[2]).to.equal('Nov 25, 202597 days ago');
    // Her own rhythm is broken, and the BG/NBD fit says she has probably left: a non-price reward, not a discount.
    expect(cells[3]).to.match(/^Last visit 97 days ago, more than 2× their usual 7 days between visits\. Chance of still shopping here (is|fell)/);
    expect(cells[4]).to.equal('Non-price reward (recipe, service)');
    expect(root().querySelector('.manager-churn')!.textContent).not.to.contain('Lena');
    expect(root().querySelector('.manager-churn')!.textContent).not.to.contain('T-OLIVIA');
    expect(root().querySelector('.manager-fit')!.textContent).to.match(/^r[^α]+\d[\s\S]*α/);
  });

  it('speaks Simplified Chinese after the language switch', async () => {
    await openPinPad();
    [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')].find((b) => b.textContent === '中文')!.click();
    await nextFrame();
    expect(root().querySelector('.manager-pin__title')!.textContent).to.equal('店长密码');
    type(['2', '4', '6', '8']);
    await until(() => root().querySelector('.manager-heat__cell'), 'the heat map');
    expect(root().querySelector('.manager-heat__cell[data-day="5"][data-hour="10"]')!.getAttribute('title')).to.equal('周六 10:00 — 9 次');
    expect(root().querySelector('.manager-churn tr[data-member="T-LAPSED"] .manager-churn__action')!.textContent).to.equal('非价格回馈（食谱、服务）');
  });
});
