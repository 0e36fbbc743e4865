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

declare global {
  interface GlobalEventHandlersEventMap {
    'larder-add-to-cart': CustomEvent<AddToCartDetail>;
    'larder-offer-clipped': CustomEvent<{ offerId: string; productId: string }>;
    'larder-item-control': CustomEvent<ItemControlDetail>;
  }
}

/** Make a Larder event that crosses shadow roots. */
export const larderEvent = <K extends 'larder-add-to-cart' | 'larder-offer-clipped' | 'larder-item-control'>(
  type: K,
  detail: GlobalEventHandlersEventMap[K]['detail'],
) => new CustomEvent(type, { detail, bubbles: true, composed: true });
