// Events the widget fires for the page's cart: bubbling, composed, typed once here.

/** Detail of `larder-add-to-cart`. */
export interface AddToCartDetail {
  productId: string;
  qty: number;
  /** The offer the shopper saw with the item, if any. */
  offerId?: string;
}

/** Detail of `larder-item-control`: the shopper hid a product ("not for me"), muted it for a month, or undid that
 * (`clear`). The one event every Larder element on the page listens to (on the document), so all of them show the
 * change at once. */
export interface ItemControlDetail {
  productId: string;
  control: 'not-for-me' | 'mute' | 'clear';
  /** The member it is about (elements showing another member ignore it). */
  member: string;
  /** The product's name, as the shopper saw it. */
  name: string;
}

/** Detail of `larder-session` (elements with `hq`): where the shopper stands with headquarters after a load —
 * `signed-in` (with the member's id and first name), `signed-out`, `refused` (the token expired, is forged or not
 * this shopper's: the page should sign them in again) or `offline`. */
export type { WebSession as SessionDetail } from '../worker/api.ts';
import type { WebSession } from '../worker/api.ts';

declare global {
  interface GlobalEventHandlersEventMap {
    'larder-add-to-cart': CustomEvent<AddToCartDetail>;
    'larder-offer-clipped': CustomEvent<{ offerId: string; productId: string }>;
    'larder-item-control': CustomEvent<ItemControlDetail>;
    'larder-session': CustomEvent<WebSession>;
  }
}

/** Make a Larder event that crosses shadow roots. */
export const larderEvent = <K extends 'larder-add-to-cart' | 'larder-offer-clipped' | 'larder-item-control' | 'larder-session'>(
  type: K,
  detail: GlobalEventHandlersEventMap[K]['detail'],
) => new CustomEvent(type, { detail, bubbles: true, composed: true });
