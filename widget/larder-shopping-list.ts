import { css, html, nothing } from 'lit';
import type { ListItem, ShoppingList } from '../core/types.ts';
import { getEngine } from '../worker/bridge.ts';
import { larderEvent } from './events.ts';
import { widgetStrings as strings } from '../i18n/widget.ts';
import { money, shortDate } from '../i18n/format.ts';
import { reasonText } from '../i18n/reasons.ts';
import { toLocale } from '../i18n/locale.ts';
import type { WidgetTranslation } from '../i18n/translation.ts';
import { tokens } from './styles.ts';
import { LarderElement } from './base.ts';
import { controlButtons, controlStyles, refocus, sendControl } from './item-controls.ts';

type View =
  | { kind: 'idle' }
  | { kind: 'loading'; lines?: number }
  | { kind: 'ready'; list: ShoppingList; today: number }
  | { kind: 'no-consent' }
  | { kind: 'not-eligible' }
  | { kind: 'failed'; message: string };

/**
 * The signed-in member's shopping list: what they are due to buy, with today's prices and offers.
 *
 * @fires larder-add-to-cart - The shopper added an item (detail: productId, qty, offerId?).
 * @fires larder-item-control - The shopper hid an item, "not-for-me" or "mute" for a month (detail: productId, control).
 * @slot heading - Replaces the default heading.
 * @slot empty - Shown when nothing is due.
 * @csspart list - The list of items.
 * @csspart item - One item.
 * @csspart offer - The offer badge of an item.
 * @csspart add-button - An item's add-to-cart button.
 * @csspart not-for-me-button - An item's "Not for me" button.
 * @csspart mute-button - An item's "Mute for a month" button.
 * @cssproperty --larder-accent - Buttons and highlights.
 * @cssproperty --larder-offer-color - Offer prices and badges.
 * @cssproperty --larder-background - Card background.
 */
export class LarderShoppingList extends LarderElement {
  static override properties = {
    view: { state: true },
  };
  private declare view: View;
  /** What the last shopper control did, for screen readers. */
  private notice = '';

  constructor() {
    super(12);
    this.view = { kind: 'idle' };
  }

  static override styles = [
    tokens,
    controlStyles,
    css`
      .card { background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); padding: 1rem 1.1rem; }
      header { display: flex; align-items: center; justify-content: space-between; gap: 0.75rem; flex-wrap: wrap; margin-bottom: 0.5rem; }
      h2 { font-size: 1.15rem; margin: 0; }
      ul { list-style: none; margin: 0; padding: 0; }
      li { display: grid; grid-template-columns: 1fr auto; gap: 0.2rem 0.8rem; padding: 0.7rem 0; border-top: 1px solid var(--_border); align-items: center; }
      li:first-child { border-top: none; }
      .name { font-weight: 600; }
      .reason { grid-column: 1; color: var(--_muted); font-size: 0.85rem; }
      .price { text-align: right; white-space: nowrap; }
      .price s { color: var(--_muted); font-size: 0.85em; margin-right: 0.3em; }
      .price.offer { color: var(--_offer); font-weight: 700; }
      .badge { display: inline-block; font-size: 0.75rem; font-weight: 700; color: var(--_offer); border: 1px solid currentColor; border-radius: 999px; padding: 0 0.5em; margin-left: 0.4em; }
      .actions { grid-column: 2; grid-row: 2 / span 2; justify-self: end; }
      .controls { grid-column: 1; }
      .status { color: var(--_muted); padding: 0.5rem 0; }
      @media (max-width: 420px) { li { grid-template-columns: 1fr; } .actions { grid-column: 1; grid-row: auto; justify-self: start; } .price { text-align: left; } }
    `,
  ];

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('member') || changed.has('src') || changed.has('asOf')) void this.load();
  }

  private async load(quiet = false) {
    if (!this.member) {
      this.view = { kind: 'idle' };
      return;
    }
    if (!quiet) {
      this.view = { kind: 'loading' };
      this.notice = '';
    }
    try {
      const engine = getEngine();
      await this.loadFeeds((lines) => { this.view = { kind: 'loading', lines }; });
      const day = this.asOfDay();
      const [result, today] = await Promise.all([engine.listFor(this.member, day), engine.today()]);
      if (!result.ok) throw new Error(result.error);
      if (result.value.basis === 'below-threshold') {
        this.view = { kind: 'not-eligible' };
        return;
      }
      this.view = result.value.personalised ? { kind: 'ready', list: result.value, today: day ?? today } : { kind: 'no-consent' };
    } catch (e) {
      this.view = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
  }

  private add(item: ListItem) {
    this.dispatchEvent(larderEvent('larder-add-to-cart', { productId: item.productId, qty: 1, ...(item.offer ? { offerId: item.offer.id } : {}) }));
  }

  /** Hide the item now (the next render), then store the control and refill the list from the engine. */
  private async control(item: ListItem, control: 'not-for-me' | 'mute') {
    const view = this.view;
    if (view.kind !== 'ready') return;
    const index = view.list.items.indexOf(item);
    this.view = { ...view, list: { ...view.list, items: view.list.items.filter((i) => i.productId !== item.productId) } };
    this.notice = (control === 'mute' ? strings(this.locale).muted : strings(this.locale).hidden)(item.name);
    await this.updateComplete;
    refocus(this.shadowRoot, 'li [part=add-button]', index);
    try {
      await sendControl(this, this.member, item.productId, control);
      await this.load(true);
    } catch (e) {
      this.view = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
  }

  private addAll(items: readonly ListItem[]) {
    for (const item of items) this.add(item);
  }

  override render() {
    const t = strings(this.locale);
    const view = this.view;
    const items = view.kind === 'ready' ? view.list.items.slice(0, this.limit) : [];
    return html`
      <section class="card" aria-labelledby="heading">
        <header>
          <h2 id="heading"><slot name="heading">${t.title}</slot></h2>
          ${items.length ? html`<button part="add-all-button" class="secondary" @click=${() => this.addAll(items)}>${t.addAll}</button>` : nothing}
        </header>
        <div aria-live="polite" class="sr-only">${view.kind === 'ready' ? `${this.notice} ${t.updated(items.length)}` : ''}</div>
        ${this.renderBody(view, items, t)}
      </section>
    `;
  }

  private renderBody(view: View, items: readonly ListItem[], t: WidgetTranslation) {
    switch (view.kind) {
      case 'idle':
        return nothing;
      case 'loading':
        return html`<p class="status" role="status">${view.lines ? t.importing(view.lines) : t.loading}</p>`;
      case 'no-consent':
        return html`<p class="status">${t.noConsent}</p>`;
      case 'not-eligible':
        return html`<p class="status">${t.notEligible}</p>`;
      case 'failed':
        return html`<p class="status" role="alert">${t.failed}</p><button @click=${() => this.load()}>${t.retry}</button>`;
      case 'ready':
        if (!items.length) return html`<slot name="empty"><p class="status">${t.empty}</p></slot>`;
        return html`<ul part="list">${items.map((item) => this.renderItem(item, view.today, t))}</ul>`;
    }
  }

  private renderItem(item: ListItem, today: number, t: WidgetTranslation) {
    const price = money(item.priceCents, this.locale, this.currency);
    const discounted = item.priceCents < item.shelfPriceCents;
    const due = item.dueDay === undefined ? '' : item.dueDay <= today ? t.dueNow : t.due(shortDate(item.dueDay, this.locale));
    const say = (r: ListItem['reason']) => reasonText(r, toLocale(this.locale), { currency: this.currency });
    return html`
      <li part="item">
        <span class="name">${item.name}${item.offer ? html`<span class="badge" part="offer">${say(item.offer.reason)}</span>` : nothing}</span>
        <span class="price ${discounted ? 'offer' : ''}">
          ${discounted ? html`<s aria-label="${t.was}">${money(item.shelfPriceCents, this.locale, this.currency)}</s>` : nothing}${price}
        </span>
        <span class="reason">${due}${due ? ' · ' : ''}${say(item.reason)}</span>
        <span class="actions"><button part="add-button" aria-label="${t.add}: ${item.name}" @click=${() => this.add(item)}>${t.add}</button></span>
        ${controlButtons(item.name, t, (c) => void this.control(item, c))}
      </li>
    `;
  }
}
