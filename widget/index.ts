// The widget bundle: every Larder element is defined here, once.
import { LarderShoppingList } from './larder-shopping-list.ts';
import { LarderRecommendations } from './larder-recommendations.ts';

export { LarderShoppingList, LarderRecommendations };
export type { RecommendationKind } from './larder-recommendations.ts';
export type { AddToCartDetail } from './events.ts';

if (!customElements.get('larder-shopping-list')) customElements.define('larder-shopping-list', LarderShoppingList);
if (!customElements.get('larder-recommendations')) customElements.define('larder-recommendations', LarderRecommendations);

declare global {
  interface HTMLElementTagNameMap {
    'larder-shopping-list': LarderShoppingList;
    'larder-recommendations': LarderRecommendations;
  }
}
