// Events the widget fires for the page's cart: bubbling, composed, typed once here.

/** Detail of `larder-add-to-cart`. */
export interface AddToCartDetail {
  productId: string;
  qty: number;
  /** The offer the shopper saw with the item, if any. */
  offerId?: string;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'larder-add-to-cart': CustomEvent<AddToCartDetail>;
    'larder-offer-clipped': CustomEvent<{ offerId: string; productId: string }>;
  }
}

/** Make a Larder event that crosses shadow roots. */
export const larderEvent = <K extends 'larder-add-to-cart' | 'larder-offer-clipped'>(
  type: K,
  detail: GlobalEventHandlersEventMap[K]['detail'],
) => new CustomEvent(type, { detail, bubbles: true, composed: true });
