// The demo store page: a "Signed in as" menu, a product grid and a cart that listens to Larder's events. The page
// signs the shopper in at the demo headquarters (`POST /hq/v1/demo/session`, a route only `larder hq --demo` has: a
// real shop's sign-in issues the member token itself) and hands the token to the widget, which reads only the store
// model and that member's own pack. Nothing about any member is among the page's files.
import '../widget/index.ts';
import { getEngine } from '../worker/api.ts';

const HQ = new URL('./hq/', document.baseURI).href;
const STORE = 'S01';

const list = document.querySelector('larder-shopping-list')!;
const buyAgain = document.querySelector<HTMLElementTagNameMap['larder-recommendations']>('#buy-again')!;
const together = document.querySelector<HTMLElementTagNameMap['larder-recommendations']>('#bought-together')!;
const picker = document.querySelector<HTMLSelectElement>('#member-picker')!;
const count = document.querySelector('#cart-count')!;
const params = new URLSearchParams(location.search);
if (params.get('lang')) list.locale = buyAgain.locale = together.locale = params.get('lang')!;
if (params.get('product')) together.product = params.get('product')!;
// `?member=` picks whom the demo signs in (a demo convenience: the demo headquarters signs anyone in).
const asked = params.get('member');
if (asked !== null) {
  if (asked && ![...picker.options].some((o) => o.value === asked)) picker.add(new Option(`Member ${asked}`, asked));
  picker.value = asked;
}

/** The demo's sign-in: a member token from the demo headquarters for the picked member (none: signed out). */
async function demoToken(memberId: string): Promise<string | undefined> {
  if (!memberId) return undefined;
  const res = await fetch(new URL('v1/demo/session', HQ), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ memberId }) });
  return res.ok ? ((await res.json()) as { token: string }).token : undefined;
}

/** Sign the picked member in: the widget asks its token provider at each load (set before the elements' first
 * load, so they never load signed out first); a new provider loads them again. */
function signIn(memberId: string): void {
  const token = demoToken(memberId);
  list.tokenProvider = buyAgain.tokenProvider = () => token;
}
picker.addEventListener('change', () => signIn(picker.value));
signIn(picker.value);

let items = 0;
document.addEventListener('larder-add-to-cart', (e) => {
  items += e.detail.qty;
  count.textContent = String(items);
});

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

// A few catalogue products, and the product page's name, size and price: from the same store model the widget uses
// (public: no member in it), so the page never says another price than the widget's cards.
void getEngine().webProducts({ hq: HQ, storeId: STORE }, { ids: [together.product], every: 7, limit: 9 }).then((r) => {
  if (!r.ok) return;
  const [shown, ...shelf] = r.value[0]?.id === together.product ? r.value : [undefined, ...r.value];
  if (shown) {
    document.querySelector('#product-name')!.textContent = shown.name;
    document.querySelector('#product-facts')!.textContent = `${[shown.size, dollars.format(shown.priceCents / 100)].filter(Boolean).join(' · ')} · `;
  }
  const grid = document.querySelector('#product-grid')!;
  for (const p of shelf.filter((x) => x !== undefined)) {
    const card = document.createElement('article');
    card.className = 'shop-card';
    const title = document.createElement('h3');
    title.textContent = p.name;
    const meta = document.createElement('p');
    meta.textContent = `${p.category.split('/')[1] ?? ''} · ${dollars.format(p.priceCents / 100)}`;
    const button = document.createElement('button');
    button.textContent = 'Add';
    button.addEventListener('click', () => document.dispatchEvent(new CustomEvent('larder-add-to-cart', { detail: { productId: p.id, qty: 1 } })));
    card.append(title, meta, button);
    grid.append(card);
  }
});
