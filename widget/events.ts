// Events the widget fires for the page's cart: bubbling, composed, typed once here.

/** Detail of `larder-add-to-cart`. */
export interface AddToCartDetail {
  productId: string;
  qty: number;
  /** The offer the shopper saw with the item, if any. */
  offerId?: string;
}

/** Detail of `larder-item-control`: the shopper hid a product ("not for me") or muted it for a month. */
export interface ItemControlDetail {
  productId: string;
  control: 'not-for-me' | 'mute';
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
