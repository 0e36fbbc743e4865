/// <reference types="mocha" />
import { expect } from 'chai';
import { startMocks, worker } from '../mocks/browser.ts';
import { serveStore } from '../mocks/handlers.ts';
import { getEngine } from '../../worker/bridge.ts';
import { fillStorage, fillerMembers, setQuota, until } from './harness.ts';
import { http, HttpResponse } from 'msw';
import { inHoldout } from '../../core/lists/campaigns.ts';
import { newcombeInterval } from '../../core/insights/uplift.ts';
import { chooseFiles, mountKiosk, unmountKiosk } from './kiosk-harness.tsx';
import { enrolThisDevice } from './hq.ts';

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

/** Press the manager PIN pad's keys, then Open (the kiosk holds only a hash: it cannot know when a PIN is complete). */
const tap = (keys: string) => { for (const k of [...keys, 'enter']) root().querySelector<HTMLButtonElement>(`.manager-pin [data-key="${k}"]`)!.click(); };
/** Type on the keyboard as a manager would. */
const type = (keys: string[]) => { for (const key of keys) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })); };

async function openPinPad() {
  await until(() => root().querySelector('.scan-card'), 'the scan screen');
  const button = [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')].find((b) => b.textContent === 'Manager')!;
  button.click();
  return until(() => root().querySelector('.manager-pin'), 'the PIN pad');
}

describe('kiosk: the manager screen behind a PIN', () => {
  before(async () => {
    await startMocks();
    worker.use(...serveStore('manager-store', STORE));
    await getEngine().useDatabase(`kiosk-manager-${Date.now()}`);
    await enrolThisDevice(); // the store's manager PIN, 2468, set at headquarters
  });
  beforeEach(() => {
    mountKiosk('manager-store');
  });
  afterEach(() => {
    unmountKiosk();
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
    type(['2', '4', '6', '8', 'Enter']);
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

  it('says what the activity model means for the store, with the fitted parameters behind a details toggle', async () => {
    await openPinPad();
    tap('2468');
    const lapsed = await until(() => root().querySelector('.manager-outlook__lapsed'), 'the activity outlook');
    // 24 members with visits; Lena (97 days silent after a weekly rhythm) is among those who have probably left.
    const m = /^(\d+) of 24 members have probably stopped shopping here$/.exec(lapsed.textContent ?? '');
    expect(m, lapsed.textContent ?? '').to.not.equal(null);
    expect(Number(m![1])).to.be.within(1, 23);
    expect(root().querySelector('.manager-outlook__expected')!.textContent).to.match(/^About \d+ visits expected in the next 4 weeks \(\d+ in the last 4 weeks\)$/);
    const details = root().querySelector<HTMLDetailsElement>('.manager-fit__details')!;
    expect(details.open).to.equal(false);
    expect(details.querySelector('summary')!.textContent).to.equal('Model details (BG/NBD parameters)');
    expect(details.querySelector('.manager-fit')!.checkVisibility()).to.equal(false);
    details.querySelector('summary')!.click();
    await until(() => details.querySelector('.manager-fit')!.checkVisibility(), 'the parameters shown');
    expect(details.querySelector('.manager-fit')!.textContent).to.match(/^r[^α]+\d[\s\S]*α/);
  });

  it('suggests an action as text, not as a button that does nothing', async () => {
    await openPinPad();
    tap('2468');
    const table = await until(() => root().querySelector('.manager-churn'), 'the churn table');
    expect(table.querySelector('thead th:last-child')!.textContent).to.equal('Suggested action');
    expect(table.querySelectorAll('button, [role=button], a')).to.have.length(0);
    const action = table.querySelector<HTMLElement>('.manager-churn__action')!;
    const style = getComputedStyle(action);
    expect(style.backgroundColor).to.equal('rgba(0, 0, 0, 0)');
    expect(style.display).to.equal('inline');
    expect(style.cursor).not.to.equal('pointer');
    expect(root().querySelector('.manager-churn + .manager__note')!.textContent).to.match(/^Suggestions only: the kiosk sends nothing/);
  });

  it('shows product and category rules, each pair of items once', async () => {
    await openPinPad();
    tap('2468');
    const panel = await until(() => root().querySelector('.manager-rules__pair'), 'the rules');
    const rows = (kind: string) => [...panel.querySelectorAll(`.manager-rules--${kind} tbody tr`)].map((tr) => tr.querySelector('td')!.textContent ?? '');
    const products = rows('products'), categories = rows('categories');
    expect(products.length + categories.length).to.be.above(0);
    // Products by name (Olivia and half the regulars buy milk with bread), categories as "Dairy › milk".
    for (const r of products) expect(r).to.match(/^(Meadowvale Whole Milk|Baker Street Sourdough|Café Roma Ground Coffee) ⇒ (Meadowvale Whole Milk|Baker Street Sourdough|Café Roma Ground Coffee)$/);
    for (const r of categories) expect(r).to.match(/^[A-Z][a-z]+ › [a-z-]+( \+ [A-Z][a-z]+ › [a-z-]+)* ⇒ [A-Z][a-z]+ › [a-z-]+$/);
    // No rule restates another over the same items in the other direction.
    const sets = [...products, ...categories].map((r) => r.split(/ \+ | ⇒ /).sort().join('|'));
    expect(new Set(sets).size).to.equal(sets.length);
  });

  it('speaks Simplified Chinese after the language switch', async () => {
    await openPinPad();
    [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')].find((b) => b.textContent === '中文')!.click();
    await until(() => root().querySelector('.manager-pin__title')?.textContent === '店长密码', 'the Chinese PIN title');
    type(['2', '4', '6', '8', 'Enter']);
    await until(() => root().querySelector('.manager-heat__cell'), 'the heat map');
    expect(root().querySelector('.manager-heat__cell[data-day="5"][data-hour="10"]')!.getAttribute('title')).to.equal('周六 10:00 — 9 次');
    expect(root().querySelector('.manager-churn tr[data-member="T-LAPSED"] .manager-churn__action')!.textContent).to.equal('非价格回馈（食谱、服务）');
  });
});

// A store with a campaign whose effect is planted: 160 members bought national coffee twice before 1 Feb 2026; during
// the campaign, 60% of the offered members buy store-brand coffee and 20% of the held-out control group do.
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const CAMPAIGN = { id: 'C-COFFEE', name: 'Switch to our coffee', category: 'pantry/coffee', goal: 'to-store-brand', segments: ['national-low', 'national-mid', 'national-high'],
  offerByTier: { low: 10, mid: 20, high: 30 }, funder: 'store', startDay: day('2026-02-01'), endDay: day('2026-03-20'), holdoutShare: 0.3 };
// The same members and dates with a 4% holdout: too few controls to publish.
const TINY = { ...CAMPAIGN, id: 'C-TINY', name: 'A tiny holdout', holdoutShare: 0.04 };
const shoppers = Array.from({ length: 160 }, (_, i) => ({ id: `C${String(i).padStart(3, '0')}`, card: aCard(200 + i), i }));
// Four tea drinkers: a category with too few members to publish.
const teaDrinkers = ['X-TEA0', 'X-TEA1', 'X-TEA2', 'X-TEA3'];
const bought = (s: { id: string; i: number }) => (inHoldout(s.id, CAMPAIGN.id, CAMPAIGN.holdoutShare) ? s.i % 10 < 2 : s.i % 10 < 6);
const CAMPAIGN_STORE: Record<string, string> = {
  'manifest.json': JSON.stringify({ endDate: '2026-03-01', files: ['products.csv', 'members.csv', 'baskets.csv', 'campaigns.json'] }),
  'products.csv': ['product_id,name,category,brand,brand_type,price_cents,tags',
    'T-COF-N,Café Roma Ground Coffee,pantry/coffee,Café Roma,national,649,', 'T-COF-S,Larder Own Ground Coffee,pantry/coffee,Larder Own,store,449,',
    'T-MILK,Larder Own Whole Milk,dairy/milk,Larder Own,store,189,', 'T-TEA,Breakfast Tea,pantry/tea,Twinings Hall,national,399,'].join('\n'),
  'members.csv': ['member_id,card_code,consent_personalise,first_name', ...shoppers.map((s) => `${s.id},${s.card},true,`),
    ...teaDrinkers.map((id, i) => `${id},${aCard(400 + i)},true,`)].join('\n'),
  'baskets.csv': ['basket_id,member_id,date,product_id,qty,unit_price_cents',
    ...shoppers.flatMap((s) => [
      `${s.id}-1,${s.id},2025-12-01T11:00:00,T-COF-N,1,649`, `${s.id}-1,${s.id},2025-12-01T11:00:00,T-MILK,1,189`,
      `${s.id}-2,${s.id},2026-01-02T11:00:00,T-COF-N,1,649`,
      ...(bought(s) ? [`${s.id}-3,${s.id},2026-02-10T11:00:00,T-COF-S,1,449`] : [`${s.id}-3,${s.id},2026-02-10T11:00:00,T-MILK,1,189`]),
    ]),
    ...teaDrinkers.map((id) => `${id}-1,${id},2026-01-20T09:30:00,T-TEA,1,399`)].join('\n'),
  'campaigns.json': JSON.stringify([CAMPAIGN, TINY]),
};

describe('kiosk: the manager screen\'s campaign, report, import and storage panels', () => {
  before(async () => {
    await startMocks();
    worker.use(...serveStore('campaign-store', CAMPAIGN_STORE));
    await getEngine().useDatabase(`kiosk-manager-panels-${Date.now()}`);
    await enrolThisDevice(); // the store's manager PIN, 2468, set at headquarters
  });
  beforeEach(async () => {
    mountKiosk('campaign-store');
    await openPinPad();
    tap('2468');
  });
  afterEach(() => {
    unmountKiosk();
  });

  it('shows the planted campaign uplift with its 95% interval, and hides a control group under 10 members', async () => {
    const row = await until(() => root().querySelector('.manager-campaign[data-campaign="C-COFFEE"]'), 'the campaign results');
    const treated = shoppers.filter((s) => !inHoldout(s.id, CAMPAIGN.id, 0.3));
    const control = shoppers.filter((s) => inHoldout(s.id, CAMPAIGN.id, 0.3));
    const tb = treated.filter(bought).length, cb = control.filter(bought).length;
    expect(control.length).to.be.within(35, 60);
    expect(row.querySelector('.manager-campaign__group--treated .manager-campaign__count')!.textContent).to.equal(`${tb} of ${treated.length} members bought`);
    expect(row.querySelector('.manager-campaign__group--control .manager-campaign__count')!.textContent).to.equal(`${cb} of ${control.length} members bought`);
    const pts = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(Math.abs(v * 100) < 1 ? 2 : 1)} pts`;
    const iv = newcombeInterval(tb, treated.length, cb, control.length);
    expect(row.querySelector('.manager-campaign__value')!.textContent).to.equal(`${pts(tb / treated.length - cb / control.length)} real effect`);
    expect(row.querySelector('.manager-campaign__interval')!.textContent).to.equal(`${pts(iv.low)} to ${pts(iv.high)}`);
    // The planted 40-point effect lies inside the interval, and 0 does not.
    expect(iv.low).to.be.above(0);
    expect(iv.low).to.be.below(0.4);
    expect(iv.high).to.be.above(0.4);
    expect(row.getAttribute('data-significant')).to.equal('true');
    // The whisker spans the interval on an axis through zero: the dot sits inside the range.
    const range = row.querySelector<HTMLElement>('.manager-campaign__range')!.getBoundingClientRect();
    const dot = row.querySelector<HTMLElement>('.manager-campaign__dot')!.getBoundingClientRect();
    const zero = row.querySelector<HTMLElement>('.manager-campaign__zero')!.getBoundingClientRect();
    expect(dot.left + dot.width / 2).to.be.within(range.left, range.right);
    expect(zero.left).to.be.below(range.left);

    const tiny = root().querySelector('.manager-campaign[data-campaign="C-TINY"]')!;
    expect(shoppers.filter((s) => inHoldout(s.id, TINY.id, TINY.holdoutShare)).length).to.be.below(10);
    expect(tiny.querySelector('.manager-campaign__group--control')!.textContent).to.equal('Control groupfewer than 10 members: hidden');
    expect(tiny.querySelector('.manager-campaign__interval')).to.equal(null);
    expect(tiny.getAttribute('data-significant')).to.equal('false');
  });

  it('says what each campaign count counts: the offer group, and the offers on the lists this kiosk issued', async () => {
    const row = await until(() => root().querySelector('.manager-campaign[data-campaign="C-COFFEE"]'), 'the campaign results');
    expect(row.querySelector('.manager-campaign__group--treated .manager-campaign__label')!.textContent).to.equal('Offer group');
    expect(row.querySelector('.manager-campaign__offers .manager-campaign__label')!.textContent).to.equal('Offers on lists issued here');
    expect(row.querySelector('.manager-campaign__issued')!.textContent).to.match(/^\d+ on lists · \d+ redeemed$/);
    expect(root().querySelector('.manager-campaign + .manager__note, .manager-campaigns + .manager__note')!.textContent).to.contain('whether or not they have picked up a list yet');
    // Enrolled, but fed from files and never synced: measured here, and the screen says so.
    expect(root().querySelector('.manager__source')!.getAttribute('data-source')).to.equal('device');
    expect(root().querySelector('.manager__source')!.textContent).to.equal('Measured on this kiosk’s own data; “on lists” counts the lists this kiosk issued.');
  });

  it('shows the manufacturer report by category and segment, small cells as "<10"', async () => {
    const table = await until(() => root().querySelector('.manager-report'), 'the manufacturer report');
    expect([...table.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-category'))).to.deep.equal(['dairy/milk', 'pantry/coffee', 'pantry/tea']);
    expect(table.querySelector('tfoot .manager-report__total')!.textContent).to.equal('164');
    const cells = [...table.querySelectorAll('td.manager-report__cell')].map((c) => c.textContent!);
    expect(cells.length).to.equal(4 * 10);
    // The four tea drinkers: their row total is hidden too, not just their segment's cell.
    expect(table.querySelector('tr[data-category="pantry/tea"] .manager-report__total')!.textContent).to.equal('<10');
    // No published cell counts 1 to 9 members; the hidden ones say "<10".
    for (const c of cells) expect(c === '<10' || c === '0' || Number(c) >= 10, c).to.equal(true);
    expect(cells).to.include('<10');
    expect(root().querySelector('.manager-report__cell--hidden')!.textContent).to.equal('<10');
  });

  it('imports a broken feed file, lists its rejected rows with line numbers, and exports them as CSV', async () => {
    await until(() => root().querySelector('.manager-import__input'), 'the import panel');
    chooseFiles([
      new File(['product_id,name,category,brand,brand_type,price_cents,tags\nT-TEA2,Green Tea,pantry/tea,Twinings Hall,national,399,\n'
        + 'T-BAD,Broken Price,pantry/tea,Twinings Hall,national,-5,\nT-BAD2,No Brand Type,pantry/tea,Acme,famous,100,\n'], 'products-update.csv', { type: 'text/csv' }),
      new File(['hello'], 'notes.txt'),
    ]);
    const summary = await until(() => root().querySelector('.manager-import__summary'), 'the import summary');
    expect(summary.textContent).to.equal('products-update.csv: 1 accepted, 2 rejected');
    expect(root().querySelector('.manager-import__unknown')!.textContent).to.match(/^notes\.txt: not a feed file name/);
    const rows = await until(() => { const r = root().querySelectorAll('.manager-rejects tbody tr'); return r.length === 2 && r; }, 'the rejected rows');
    const cells = [...rows].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent));
    expect(cells.map((c) => c.slice(0, 3))).to.deep.equal([['products-update.csv', '3', 'price_cents'], ['products-update.csv', '4', 'brand_type']]);
    expect(cells[0]![3]).to.contain('“-5”');
    root().querySelector<HTMLButtonElement>('.manager-import__export')!.click();
    const link = await until(() => root().querySelector<HTMLAnchorElement>('.manager-import__download'), 'the CSV link');
    expect(link.download).to.equal('rejected-rows.csv');
    const csv = await (await fetch(link.href)).text();
    const lines = csv.trim().split('\n');
    expect(lines[0]).to.equal('file,line,field,message,expected,value');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).to.deep.equal(['products-update.csv,3,price_cents', 'products-update.csv,4,brand_type']);
    expect((await getEngine().rejectedRows({ limit: 10 })).map((r) => r.line)).to.include.members([3, 4]);

    // Dropped on the panel instead of chosen: a members file with a card code of the wrong length on line 2.
    const dt = new DataTransfer();
    dt.items.add(new File(['member_id,card_code,consent_personalise\nX-NEW,12345,true\n'], 'members-extra.csv', { type: 'text/csv' }));
    root().querySelector('.manager-import__drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    await until(() => root().querySelector('.manager-import__summary[data-file="members-extra.csv"]'), 'the dropped file\'s summary');
    const dropped = await until(() => root().querySelector('.manager-rejects tbody tr'), 'the dropped file\'s rejected row');
    expect([...dropped.querySelectorAll('td')].slice(0, 3).map((c) => c.textContent)).to.deep.equal(['members-extra.csv', '2', 'card_code']);
    expect(root().querySelectorAll('.manager-rejects tbody tr').length).to.equal(1);
  });

  it('imports a gzipped feed file as chosen, its rejected row with its line in the inflated file', async () => {
    await until(() => root().querySelector('.manager-import__input'), 'the import panel');
    const csv = 'member_id,card_code,consent_personalise\nX-GZ1,4006381333931,true\nX-GZ2,123,true\n';
    const gzipped = await new Response(new Blob([csv]).stream().pipeThrough(new CompressionStream('gzip'))).blob();
    chooseFiles([new File([gzipped], 'members-gz.csv.gz', { type: 'application/gzip' })]);
    const summary = await until(() => root().querySelector('.manager-import__summary[data-file="members-gz.csv.gz"]'), 'the gzipped file\'s summary');
    expect(summary.textContent).to.equal('members-gz.csv.gz: 1 accepted, 1 rejected');
    expect(root().querySelector('.manager-import__unknown')).to.equal(null);
    const row = await until(() => root().querySelector('.manager-rejects tbody tr'), 'the rejected row');
    expect([...row.querySelectorAll('td')].slice(0, 3).map((c) => c.textContent)).to.deep.equal(['members-gz.csv.gz', '3', 'card_code']);
    expect(row.querySelectorAll('td')[3]!.textContent).to.equal('not an EAN-13 card code — “123”');
    // The reason in the kiosk's language (i18n/zh-cn/rows.ts, from the row's code); the value as it was in the file.
    [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')].find((b) => b.textContent === '中文')!.click();
    await until(() => root().querySelector('.manager-rejects tbody tr td:nth-child(4)')?.textContent === '不是 EAN-13 会员卡号 — “123”', 'the reason in Chinese');
    const found = await getEngine().findMember('4006381333931');
    expect(found.ok && found.value.id).to.equal('X-GZ1');
  });

  it('shows the campaign, report, import and storage panels in Simplified Chinese', async () => {
    await until(() => root().querySelector('.manager-campaign[data-campaign="C-COFFEE"] .manager-campaign__interval'), 'the campaign results');
    await until(() => root().querySelector('.manager-report'), 'the manufacturer report');
    [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')].find((b) => b.textContent === '中文')!.click();
    const row = await until(() => root().querySelector('.manager-campaign[data-campaign="C-COFFEE"]'), 'the campaign row');
    await until(() => row.querySelector('.manager-campaign__verdict')!.textContent === '效果真实', 'the Chinese verdict');
    expect(row.querySelector('.manager-campaign__interval')!.textContent).to.match(/^\+[\d.]+ 个百分点 至 \+[\d.]+ 个百分点$/);
    expect(root().querySelector('.manager-campaign[data-campaign="C-TINY"] .manager-campaign__group--control')!.textContent).to.equal('对照组少于 10 位会员：不显示');
    expect([...root().querySelectorAll('.manager-report__group')].map((th) => th.textContent)).to.deep.equal(['全国品牌', '自有品牌', '品牌切换者']);
    expect(root().querySelector('.manager__panel--import h2')!.textContent).to.equal('导入数据文件');
    expect(root().querySelector('.manager__panel--storage h2')!.textContent).to.equal('本机存储');
  });

  it("syncs its store from headquarters on request (the model and its store's packs), and says so when a sync fails without changing what is stored", async () => {
    // The kiosk syncs from the headquarters it is enrolled at (the real one behind `/hq`; its store has no members).
    const asked: string[] = [];
    const seen = ({ request }: { request: Request }) => { asked.push(new URL(request.url).pathname); };
    worker.events.on('request:start', seen);
    const panel = await until(() => root().querySelector<HTMLElement>('.manager-hq'), 'the headquarters panel');
    expect(panel.querySelector('[role=status]')!.textContent).to.equal('Not synced since the kiosk started.');
    panel.querySelector('button')!.click();
    // The state says up-to-date (reported by the worker as it goes) a moment before the button is enabled again (when the
    // sync call returns): a click in between would be ignored, so wait for both.
    const idle = () => root().querySelector('.manager-hq')?.getAttribute('data-state') === 'up-to-date' && !root().querySelector<HTMLButtonElement>('.manager-hq button')!.disabled;
    await until(idle, 'the sync to finish');
    // An enrolled kiosk plans its next sync itself (worker/engine/feed-schedule.ts), and the panel says when.
    expect(root().querySelector('.manager-hq .manager__note')!.textContent).to.match(/^0 member packs this sync · position p\d+\.e\d+ · next sync by itself at \d{1,2}:\d{2}( [AP]M)?$/);
    expect(asked).to.include('/hq/v1/stores/S-BROWSER/model');
    expect(asked).to.include('/hq/v1/stores/S-BROWSER/packs');
    expect(asked.some((p) => p.startsWith('/hq/v1/changes') || p.startsWith('/hq/v1/files'))).to.equal(false);
    worker.events.removeListener('request:start', seen);
    const cursor = /position (p\d+\.e\d+)/.exec(root().querySelector('.manager-hq .manager__note')!.textContent!)![1]!;
    // Headquarters answers with a sign-in page instead of the store model: a clear failure, the cursor stays.
    worker.use(http.get('/hq/v1/stores/:store/model', () => new HttpResponse('<html><body>Sign in to the Wi-Fi</body></html>', { status: 200, headers: { 'content-type': 'text/html' } })));
    root().querySelector<HTMLButtonElement>('.manager-hq button')!.click();
    await until(() => root().querySelector('.manager-hq')?.getAttribute('data-state') === 'failed', 'the failure');
    expect(root().querySelector('.manager-hq [role=status]')!.textContent).to.equal('The last sync failed; what was stored is unchanged.');
    expect(root().querySelector('.manager-hq .manager__note')!.textContent).to.contain(`position ${cursor}`);
    expect(root().querySelector('.manager-hq .manager__note')!.textContent).to.contain('web page');
  });

  it('says whether storage is persistent and how much the kiosk uses', async () => {
    const panel = await until(() => root().querySelector('.manager-storage'), 'the storage panel');
    const persisted = await navigator.storage.persisted();
    expect(panel.getAttribute('data-persisted')).to.equal(String(persisted));
    expect(panel.querySelector('.manager-storage__state')!.textContent).to.equal(persisted
      ? 'Persistent: the browser will not clear the data under storage pressure'
      : 'May be evicted: the browser may clear the data when the disk runs low');
    expect(panel.querySelector('.manager-storage__usage')!.textContent).to.match(/^[\d.,]+ (MB|GB) used of [\d.,]+ (MB|GB) available$/);
  });
});

describe('kiosk: an import the disk cannot hold', () => {
  before(async () => {
    await startMocks();
    worker.use(...serveStore('manager-store', STORE));
    // Chromium enforces a quota override only on a database first opened after it (storage-faults.test.ts).
    await setQuota(300_000);
    await getEngine().useDatabase(`kiosk-manager-full-${Date.now()}`);
    await enrolThisDevice(); // the store's manager PIN, 2468, set at headquarters
  });
  after(async () => {
    unmountKiosk();
    await setQuota();
  });

  it('says the import stopped because storage is full, in the kiosk\'s language, and leaves the panel usable', async () => {
    mountKiosk('manager-store');
    await openPinPad();
    tap('2468');
    await until(() => root().querySelector('.manager-import__input'), 'the import panel');
    const next = await fillStorage(getEngine());
    chooseFiles([new File([fillerMembers(next, 50)], 'members-more.csv', { type: 'text/csv' })]);
    const alert = await until(() => root().querySelector('.manager-import__stopped'), 'the import-stopped message').catch((e) => {
      throw new Error(`${e.message}; the panel says: ${root().querySelector('.manager-import')?.textContent}`);
    });
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(alert.textContent).to.equal('members-more.csv: the import stopped because the kiosk storage is full. Rows stored before it are kept; free some space, then import the file again (a row imported twice changes nothing).');
    expect(root().querySelector('.manager-import__progress')).to.equal(null);
    expect(root().querySelector<HTMLButtonElement>('.manager-import button')!.disabled).to.equal(false);
    [...root().querySelectorAll<HTMLButtonElement>('.kiosk-bar button')].find((b) => b.textContent === '中文')!.click();
    await until(() => root().querySelector('.manager-import__stopped')?.textContent?.startsWith('members-more.csv：导入已中止，因为设备存储已满'), 'the message in Chinese');
  });
});
