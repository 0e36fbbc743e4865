import { css, html, nothing } from 'lit';
import type { ListItem, ShoppingList } from '../core/types.ts';
import { getEngine } from '../worker/bridge.ts';
import { larderEvent } from './events.ts';
import { money, shortDate } from '../i18n/format.ts';
import type { WidgetLanguage } from '../i18n/widget.ts';
import { controlButtons, controlsStored, ControlledElement, type Stored } from './item-controls.ts';
import type { FeedProgress } from './feed-progress.ts';
import type { ItemControlDetail } from './events.ts';

/** How long the "Bananas hidden — Undo" line stays. */

type View =
  | { kind: 'idle' }
  | { kind: 'loading'; progress?: FeedProgress }
  | { kind: 'ready'; list: ShoppingList; today: number; note?: 'sign-in' | 'sign-in-again' }
  | { kind: 'no-consent' }
  | { kind: 'failed'; message: string };

/**
 * The signed-in member's shopping list: what they are due to buy, with today's prices and offers.
 *
 * @fires larder-add-to-cart - The shopper added an item (detail: productId, qty, offerId?).
 * @fires larder-item-control - The shopper hid an item, "not-for-me" or "mute" for a month, or undid it, "clear" (detail:
 *   productId, control, member, name). Every Larder element on the page listens to it on the document.
 * @slot heading - Replaces the default heading.
 * @slot empty - Shown when nothing is due.
 * @csspart list - The list of items.
 * @csspart item - One item.
 * @csspart offer - The offer badge of an item.
 * @csspart add-button - An item's add-to-cart button.
 * @csspart not-for-me-button - An item's "Not for me" button.
 * @csspart mute-button - An item's "Mute for a month" button.
 * @csspart note - The line above a store-wide list (below the spend threshold: this week's offers are open to everyone).
 * @csspart undo - The line saying what was hidden, with its Undo button (`undo-button`).
 * @cssproperty --larder-accent - Buttons and highlights.
 * @cssproperty --larder-offer-color - Offer prices and badges.
 * @cssproperty --larder-background - Card background.
 */
export class LarderShoppingList extends ControlledElement {
  static override properties = {
    view: { state: true },
  };
  private declare view: View;

  constructor() {
    super(12);
    this.view = { kind: 'idle' };
  }

  static override styles = [
    ...ControlledElement.baseStyles,
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
      /* The offer in a few words (its sentence is the pill's title): room inside the border on every screen. */
      .badge { display: inline-block; font-size: 0.75rem; line-height: 1.3; font-weight: 700; color: var(--_offer); border: 1px solid currentColor; border-radius: 1em; padding: 0.1em 0.6em; margin-left: 0.4em; white-space: nowrap; vertical-align: 0.1em; }
      .note { margin: 0 0 0.3rem; padding-top: 0; }
      .actions { grid-column: 2; grid-row: 2 / span 2; justify-self: end; }
      .controls { grid-column: 1; }
      .status { color: var(--_muted); padding: 0.5rem 0; }
      @media (max-width: 420px) { li { grid-template-columns: 1fr; } .actions { grid-column: 1; grid-row: auto; justify-self: start; } .price { text-align: left; } }
    `,
  ];

  override willUpdate(changed: Map<string, unknown>) {
    if (ControlledElement.reloadOn.some((k) => changed.has(k))) void this.load();
  }

  private loadId = 0;

  private async load(quiet = false) {
    if (this.web) return this.loadWeb(quiet);
    if (!this.member) {
      this.view = { kind: 'idle' };
      return;
    }
    if (!quiet) {
      this.view = { kind: 'loading' };
      this.undo.show(undefined);
    }
    try {
      const engine = getEngine();
      await this.loadFeeds((progress) => { this.view = { kind: 'loading', progress }; });
      if (!quiet) this.view = { kind: 'loading' }; // the feeds are in: the list is being made ("Preparing your list…")
      const day = this.asOfDay();
      const [result, today] = await Promise.all([engine.listFor(this.member, day), engine.today()]);
      if (!result.ok) throw new Error(result.error);
      this.show(result.value, day ?? today);
    } catch (e) {
      this.view = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Signed in at headquarters: the member's own list from the store model and their pack; not signed in (or the
   * token refused), the store-wide list under a line saying so. */
  private async loadWeb(quiet: boolean) {
    const id = ++this.loadId;
    if (!quiet) {
      this.view = { kind: 'loading' };
      this.undo.show(undefined);
    }
    try {
      const r = await getEngine().webList(await this.webRequest());
      if (id !== this.loadId) return; // a newer load (another token, a sign-out) wins
      if (!r.ok) throw new Error(r.error);
      const { list, today, session } = r.value;
      this.session = session;
      if (session.state === 'signed-in' || (session.state === 'offline' && session.member)) this.show(list, today);
      else this.view = { kind: 'ready', list, today, note: session.state === 'refused' ? 'sign-in-again' : 'sign-in' };
      this.dispatchEvent(larderEvent('larder-session', session));
    } catch (e) {
      if (id === this.loadId) this.view = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
  }

  private add(item: ListItem) {
    this.dispatchEvent(larderEvent('larder-add-to-cart', { productId: item.productId, qty: 1, ...(item.offer ? { offerId: item.offer.id } : {}) }));
  }

  /** A list from the engine on screen: the member's own, or below the spend threshold the store-wide one with this
   * week's offers (as the kiosk shows it); without consent, no list. */
  private show(list: ShoppingList, today: number) {
    this.view = list.personalised || list.basis === 'below-threshold' ? { kind: 'ready', list, today } : { kind: 'no-consent' };
  }

  /** The shared control event, from this element or another one: hide the product now, then refill from the engine
   * once the control is stored (with the list it answered when it is this member's as of this element's day). */
  protected async heard(d: ItemControlDetail) {
    if (d.member !== this.who()) return;
    const view = this.view;
    if (d.control !== 'clear' && view.kind === 'ready') {
      this.view = { ...view, list: { ...view.list, items: view.list.items.filter((i) => i.productId !== d.productId) } };
    }
    const stored: Stored | undefined = await controlsStored();
    if (this.view.kind !== 'ready' || d.member !== this.who()) return; // failed meanwhile, or another member now
    if (stored?.list && stored.member === this.who() && stored.asOfDay === this.asOfDay()) this.show(stored.list, this.view.today);
    else await this.load(true);
  }

  /** "Not for me" or "Mute": every Larder element drops the item at once (the shared event), this one offers Undo. */
  private async control(item: ListItem, control: 'not-for-me' | 'mute') {
    const view = this.view;
    if (view.kind !== 'ready') return;
    const focus = { root: this.shadowRoot, selector: 'li [part=add-button]', index: view.list.items.indexOf(item) };
    await this.undo.hide(this.who(), { productId: item.productId, name: item.name, control }, this.asOfDay(), focus).catch((e) => this.fail(e));
  }

  private fail(e: unknown) {
    this.view = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }

  private addAll(items: readonly ListItem[]) {
    for (const item of items) this.add(item);
  }

  override render() {
    const lang = this.language();
    if (!lang) return nothing; // its words are on their way (a few milliseconds); it renders again then
    const t = lang.t;
    const view = this.view;
    const items = view.kind === 'ready' ? view.list.items.slice(0, this.limit) : [];
    return html`
      <section class="card" aria-labelledby="heading">
        <header>
          <h2 id="heading"><slot name="heading">${t.title}</slot></h2>
          ${items.length ? html`<button part="add-all-button" class="secondary" @click=${() => this.addAll(items)}>${t.addAll}</button>` : nothing}
        </header>
        <div aria-live="polite" class="sr-only">${view.kind === 'ready' ? t.updated(items.length) : ''}</div>
        ${this.undo.render(t, this.who(), this.asOfDay(), (e) => this.fail(e))}
        ${this.renderBody(view, items, lang)}
      </section>
    `;
  }

  private renderBody(view: View, items: readonly ListItem[], lang: WidgetLanguage) {
    const t = lang.t;
    switch (view.kind) {
      case 'idle':
        return nothing;
      case 'loading': {
        const p = view.progress;
        return html`<p class="status" role="status">${!p ? t.loading : p.total ? t.importingOf(p.kind, p.lines, p.total) : t.importing(p.lines)}</p>`;
      }
      case 'no-consent':
        return html`<p class="status">${t.noConsent}</p>`;
      case 'failed':
        return html`<p class="status" role="alert">${t.failed}</p><button @click=${() => this.load()}>${t.retry}</button>`;
      case 'ready': {
        // Below the spend threshold: the store-wide list, its offers open to everyone, under a line saying so.
        const note = view.note ? html`<p class="status note" part="note" role=${view.note === 'sign-in-again' ? 'alert' : nothing}>${view.note === 'sign-in' ? t.signInNote : t.signInAgain}</p>`
          : view.list.basis === 'below-threshold' ? html`<p class="status note" part="note">${t.notEligible}</p>` : nothing;
        if (!items.length) return html`${note}<slot name="empty"><p class="status">${t.empty}</p></slot>`;
        return html`${note}<ul part="list">${items.map((item) => this.renderItem(item, view.today, lang))}</ul>`;
      }
    }
  }

  private renderItem(item: ListItem, today: number, lang: WidgetLanguage) {
    const t = lang.t;
    const price = money(item.priceCents, this.locale, this.currency);
    const discounted = item.priceCents < item.shelfPriceCents;
    // A `due` reason says when in its sentence: the date is not said a second time before it.
    const due = item.dueDay === undefined || item.reason.code === 'due' ? '' : item.dueDay <= today ? t.dueNow : t.due(shortDate(item.dueDay, this.locale));
    const say = (r: ListItem['reason']) => lang.reason(r, { currency: this.currency });
    return html`
      <li part="item">
        <span class="name">${item.name}${item.offer ? html`<span class="badge" part="offer" title=${say(item.offer.reason)}>${lang.offer(item.offer, { currency: this.currency })}</span>` : nothing}</span>
        <span class="price ${discounted ? 'offer' : ''}">
          ${discounted ? html`<s aria-label="${t.was}">${money(item.shelfPriceCents, this.locale, this.currency)}</s>` : nothing}${price}
        </span>
        <span class="reason">${due}${due ? ' · ' : ''}${say(item.reason)}</span>
        <span class="actions"><button part="add-button" aria-label="${t.add}: ${item.name}" @click=${() => this.add(item)}>${t.add}</button></span>
        ${this.who() ? controlButtons(item.name, t, (c) => void this.control(item, c)) : nothing}
      </li>
    `;
  }
}
