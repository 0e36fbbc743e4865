// The widget bundle: every Larder element is defined here, once.
import { LarderShoppingList } from './larder-shopping-list.ts';

export { LarderShoppingList };
export type { AddToCartDetail } from './events.ts';

if (!customElements.get('larder-shopping-list')) customElements.define('larder-shopping-list', LarderShoppingList);

declare global {
  interface HTMLElementTagNameMap {
    'larder-shopping-list': LarderShoppingList;
  }
}
