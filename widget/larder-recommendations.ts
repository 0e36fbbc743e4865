import { css, html, nothing } from 'lit';
import type { ListItem, ListOffer } from '../core/types.ts';
import { getEngine } from '../worker/bridge.ts';
import { larderEvent } from './events.ts';
import { money } from '../i18n/format.ts';
import type { WidgetLanguage } from '../i18n/widget.ts';
import { controlButtons, controlsStored, ControlledElement } from './item-controls.ts';
import type { ItemControlDetail } from './events.ts';
import type { ShoppingList } from '../core/types.ts';

/** Which row to show: the member's repeat items, new items for them, or products bought with `product`. */
export type RecommendationKind = 'buy-again' | 'bought-together' | 'for-you';

/** One card in the row: plain data, whatever its source. */
interface Card {
  productId: string;
  name: string;
  priceCents: number;
  shelfPriceCents: number;
  offerId?: string;
  /** The offer: its deal (the pill's few words) and why it is there (the pill's title), rendered in the element's language. */
  offer?: Pick<ListOffer, 'kind' | 'value' | 'reason'>;
}

type View =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; cards: Card[] }
  | { kind: 'no-consent' }
  | { kind: 'failed'; message: string };

const fromItem = (item: ListItem): Card => ({
  productId: item.productId, name: item.name, priceCents: item.priceCents, shelfPriceCents: item.shelfPriceCents,
  ...(item.offer ? { offerId: item.offer.id, offer: { kind: item.offer.kind, value: item.offer.value, reason: item.offer.reason } } : {}),
});

/**
 * A horizontal row of product cards for a store page: buy it again, often bought together, or picked for you.
 *
 * @fires larder-add-to-cart - The shopper added a product (detail: productId, qty, offerId?).
 * @fires larder-item-control - The shopper hid a card, "not-for-me" or "mute" for a month (detail: productId, control); member rows only.
 * @slot heading - Replaces the default heading.
 * @slot empty - Shown when there is nothing to recommend.
 * @csspart row - The scrolling row of cards.
 * @csspart card - One product card.
 * @csspart offer - The offer badge of a card.
 * @csspart add-button - A card's add-to-cart button.
 * @csspart not-for-me-button - A card's "Not for me" button (buy-again, for-you).
 * @csspart mute-button - A card's "Mute for a month" button (buy-again, for-you).
 * @cssproperty --larder-accent - Buttons and highlights.
 * @cssproperty --larder-offer-color - Offer prices and badges.
 * @cssproperty --larder-background - Card background.
 * @cssproperty --larder-card-width - Width of one card (default: 40% of a phone screen, at most 12rem).
 */
export class LarderRecommendations extends ControlledElement {
  static override properties = {
    kind: {},
    product: {},
    view: { state: true },
  };
  /** `buy-again`, `bought-together` or `for-you`. */
  declare kind: RecommendationKind;
  /** The product id the page shows (bought-together). */
  declare product: string;
  private declare view: View;
  private loadId = 0;

  constructor() {
    super(8);
    this.kind = 'buy-again';
    this.product = '';
    this.view = { kind: 'idle' };
  }

  static override styles = [
    ...ControlledElement.baseStyles,
    css`
      section { background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); padding: 1rem 1.1rem; }
      h2 { font-size: 1.1rem; margin: 0 0 0.6rem; }
      .row {
        list-style: none; margin: 0; padding: 0.2rem 0.1rem 0.6rem;
        display: grid; grid-auto-flow: column; grid-auto-columns: var(--larder-card-width, min(40vw, 12rem)); gap: 0.75rem;
        overflow-x: auto; overscroll-behavior-x: contain; contain: inline-size; /* the row scrolls: it never widens the page */ scroll-snap-type: x mandatory; scroll-padding-inline: 0.1rem;
      }
      .card {
        position: relative; /* keeps .sr-only text inside the scrolling row, not widening the page */
        scroll-snap-align: start; display: flex; flex-direction: column; gap: 0.35rem;
        border: 1px solid var(--_border); border-radius: calc(var(--_radius) / 1.5); padding: 0.7rem;
      }
      .name { font-weight: 600; overflow-wrap: anywhere; }
      .price { display: flex; flex-wrap: wrap; align-items: center; gap: 0.2rem 0.4rem; white-space: nowrap; }
      .price s { color: var(--_muted); font-size: 0.85em; margin-right: 0.3em; }
      .price.offer { color: var(--_offer); font-weight: 700; }
      /* A few words on the price line (not the offer's sentence), so an offer card is no taller than the others. */
      .badge { font-size: 0.75rem; line-height: 1.3; font-weight: 700; color: var(--_offer); border: 1px solid currentColor; border-radius: 1em; padding: 0.1em 0.6em; }
      .card [part=add-button] { margin-top: auto; width: 100%; }
      .status { color: var(--_muted); padding: 0.5rem 0; margin: 0; }
      @media (min-width: 900px) { .row { grid-auto-columns: var(--larder-card-width, 11rem); } }
    `,
  ];

  override willUpdate(changed: Map<string, unknown>) {
    if (['kind', 'product', 'limit', ...ControlledElement.reloadOn].some((k) => changed.has(k))) void this.load();
  }

  private async load() {
    const id = ++this.loadId;
    const set = (view: View) => { if (id === this.loadId) this.view = view; }; // a newer load wins
    const needs = this.kind === 'bought-together' ? this.product : this.web || this.member;
    if (!needs) return set({ kind: 'idle' });
    set({ kind: 'loading' });
    try {
      if (!this.web) await this.loadFeeds();
      set(await this.fetchCards());
    } catch (e) {
      set({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async fetchCards(): Promise<View> {
    const engine = getEngine();
    const limit = Math.max(0, this.limit || 0);
    if (this.web) return this.fetchWebCards();
    if (this.kind === 'bought-together') {
      const rows = await engine.boughtTogether(this.product, limit);
      return { kind: 'ready', cards: rows.map((r) => ({ productId: r.productId, name: r.name, priceCents: r.priceCents, shelfPriceCents: r.priceCents })) };
    }
    const result = await engine.listFor(this.member, this.asOfDay());
    if (!result.ok) throw new Error(result.error);
    return this.cardsOf(result.value);
  }

  /** Signed in at headquarters: the rows from the store model and the member's own pack only. Not signed in, a
   * member row is empty (its store-wide picks are the list's). */
  private async fetchWebCards(): Promise<View> {
    const engine = getEngine();
    const request = await this.webRequest();
    if (this.kind === 'bought-together') {
      const rows = await engine.webBoughtTogether(request, this.product, Math.max(0, this.limit || 0));
      if (!rows.ok) throw new Error(rows.error);
      return { kind: 'ready', cards: rows.value.map((r) => ({ productId: r.productId, name: r.name, priceCents: r.priceCents, shelfPriceCents: r.priceCents })) };
    }
    const r = await engine.webList(request);
    if (!r.ok) throw new Error(r.error);
    this.session = r.value.session;
    if (!this.who()) return this.kind === 'for-you' ? this.cardsOf(r.value.list) : { kind: 'ready', cards: [] };
    return this.cardsOf(r.value.list);
  }

  /** The member row's cards from the member's list. */
  private cardsOf(list: ShoppingList): View {
    const limit = Math.max(0, this.limit || 0);
    if (this.kind === 'buy-again') {
      if (list.basis === 'no-consent') return { kind: 'no-consent' };
      return { kind: 'ready', cards: list.items.filter((i) => i.kind === 'repeat').slice(0, limit).map(fromItem) };
    }
    // for-you: store-wide picks (cold-start) are fine without consent; personal ones (explore) are not
    const picks = list.items.filter((i) => i.kind === 'cold-start' || (list.personalised && i.kind === 'explore'));
    if (!picks.length && list.basis === 'no-consent') return { kind: 'no-consent' };
    return { kind: 'ready', cards: picks.slice(0, limit).map(fromItem) };
  }

  /** The shared control event, from this element or another one: take the card out now, then refill the row from the
   * engine once the control is stored (from the list it answered when it is this member's as of this row's day). */
  protected async heard(d: ItemControlDetail) {
    if (this.kind === 'bought-together' || d.member !== this.who()) return;
    const id = ++this.loadId;
    const view = this.view;
    if (d.control !== 'clear' && view.kind === 'ready') this.view = { kind: 'ready', cards: view.cards.filter((c) => c.productId !== d.productId) };
    const stored = await controlsStored();
    if (id !== this.loadId || this.view.kind !== 'ready') return; // a newer load, or the control failed here
    try {
      const next = stored?.list && stored.member === this.who() && stored.asOfDay === this.asOfDay() ? this.cardsOf(stored.list) : await this.fetchCards();
      if (id === this.loadId) this.view = next;
    } catch (e) {
      if (id === this.loadId) this.view = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
  }

  /** "Not for me" or "Mute": every Larder element drops the card at once (the shared event), this row offers Undo. */
  private async control(card: Card, control: 'not-for-me' | 'mute') {
    const view = this.view;
    if (view.kind !== 'ready') return;
    const focus = { root: this.shadowRoot, selector: '[part=card] [part=add-button]', index: view.cards.indexOf(card) };
    await this.undo.hide(this.who(), { productId: card.productId, name: card.name, control }, this.asOfDay(), focus).catch((e) => this.fail(e));
  }

  private fail(e: unknown) {
    this.loadId++;
    this.view = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }

  private add(card: Card) {
    this.dispatchEvent(larderEvent('larder-add-to-cart', { productId: card.productId, qty: 1, ...(card.offerId ? { offerId: card.offerId } : {}) }));
  }

  override render() {
    const lang = this.language();
    if (!lang) return nothing; // its words are on their way (a few milliseconds); it renders again then
    const t = lang.t;
    const view = this.view;
    if (view.kind === 'idle') return nothing;
    const title = this.kind === 'bought-together' ? t.togetherTitle : this.kind === 'for-you' ? t.forYouTitle : t.buyAgainTitle;
    return html`
      <section aria-labelledby="heading" lang=${this.locale}>
        <h2 id="heading"><slot name="heading">${title}</slot></h2>
        <div aria-live="polite" class="sr-only">${view.kind === 'ready' ? t.suggestions(view.cards.length) : ''}</div>
        ${this.undo.render(t, this.who(), this.asOfDay(), (e) => this.fail(e))}
        ${this.renderBody(view, lang)}
      </section>
    `;
  }

  private renderBody(view: Exclude<View, { kind: 'idle' }>, lang: WidgetLanguage) {
    const t = lang.t;
    switch (view.kind) {
      case 'loading':
        return html`<p class="status" role="status">${t.recsLoading}</p>`;
      case 'no-consent':
        return html`<p class="status">${t.recsNoConsent}</p>`;
      case 'failed':
        return html`<p class="status" role="alert">${t.recsFailed}</p><button @click=${() => this.load()}>${t.retry}</button>`;
      case 'ready':
        if (!view.cards.length) return html`<slot name="empty"><p class="status">${this.kind === 'bought-together' ? t.togetherEmpty : t.recsEmpty}</p></slot>`;
        return html`<ul part="row" class="row">${view.cards.map((c) => this.renderCard(c, lang))}</ul>`;
    }
  }

  private renderCard(card: Card, lang: WidgetLanguage) {
    const t = lang.t;
    const discounted = card.priceCents < card.shelfPriceCents;
    return html`
      <li part="card" class="card">
        <span class="name">${card.name}</span>
        <span class="price ${discounted ? 'offer' : ''}">
          ${discounted ? html`<s><span class="sr-only">${t.was} </span>${money(card.shelfPriceCents, this.locale, this.currency)}</s>` : nothing}${money(card.priceCents, this.locale, this.currency)}
          ${card.offer ? html`<span class="badge" part="offer" title=${lang.reason(card.offer.reason, { currency: this.currency })}>${lang.offer(card.offer, { currency: this.currency })}</span>` : nothing}
        </span>
        <button part="add-button" aria-label="${t.add}: ${card.name}" @click=${() => this.add(card)}>${t.add}</button>
        ${this.kind !== 'bought-together' && this.who() ? controlButtons(card.name, t, (c) => void this.control(card, c)) : nothing}
      </li>
    `;
  }
}
