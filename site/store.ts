// The demo store page: a member picker, a product grid and a cart that listens to Larder's events.
import '../widget/index.ts';

const list = document.querySelector('larder-shopping-list')!;
const buyAgain = document.querySelector<HTMLElementTagNameMap['larder-recommendations']>('#buy-again')!;
const together = document.querySelector<HTMLElementTagNameMap['larder-recommendations']>('#bought-together')!;
const picker = document.querySelector<HTMLSelectElement>('#member-picker')!;
const count = document.querySelector('#cart-count')!;
const params = new URLSearchParams(location.search);
if (params.get('member')) list.member = buyAgain.member = picker.value = params.get('member')!;
if (params.get('lang')) list.locale = buyAgain.locale = together.locale = params.get('lang')!;
if (params.get('product')) together.product = params.get('product')!;
picker.addEventListener('change', () => (list.member = buyAgain.member = picker.value));

let items = 0;
document.addEventListener('larder-add-to-cart', (e) => {
  items += e.detail.qty;
  count.textContent = String(items);
});

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

// A few catalogue products, and the product page's name, size and price: from the same demo feed the widget uses, so
// the page never says another price than the widget's cards.
void fetch('./demo/products.csv').then(async (res) => {
  if (!res.ok) return;
  const [head, ...rows] = (await res.text()).trim().split('\n').map((line) => line.split(','));
  const col = (row: string[], name: string) => row[head!.indexOf(name)] ?? '';
  const shown = rows.find((r) => col(r, 'product_id') === together.product);
  if (shown) {
    document.querySelector('#product-name')!.textContent = col(shown, 'name');
    document.querySelector('#product-facts')!.textContent = `${[col(shown, 'size'), dollars.format(Number(col(shown, 'price_cents')) / 100)].filter(Boolean).join(' · ')} · `;
  }
  const grid = document.querySelector('#product-grid')!;
  for (const [id, name, category, , , price] of rows.filter((_, i) => i % 7 === 0).slice(0, 9)) {
    const card = document.createElement('article');
    card.className = 'shop-card';
    const title = document.createElement('h3');
    title.textContent = name ?? '';
    const meta = document.createElement('p');
    meta.textContent = `${category?.split('/')[1] ?? ''} · ${dollars.format(Number(price) / 100)}`;
    const button = document.createElement('button');
    button.textContent = 'Add';
    button.addEventListener('click', () => document.dispatchEvent(new CustomEvent('larder-add-to-cart', { detail: { productId: id!, qty: 1 } })));
    card.append(title, meta, button);
    grid.append(card);
  }
});
