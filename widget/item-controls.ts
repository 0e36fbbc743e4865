// "Not for me" and "Mute for a month" on an item or card: two small buttons, the engine call, the one event every
// Larder element on the page listens to, and the "Bananas hidden — Undo" line.
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ShoppingList } from '../core/types.ts';
import { getEngine } from '../worker/bridge.ts';
import type { WebRequest } from '../worker/api.ts';
import { larderEvent, type ItemControlDetail } from './events.ts';
import type { WidgetTranslation } from '../i18n/translation.ts';
import { LarderElement } from './base.ts';
import { tokens } from './styles.ts';

/** The two controls' styles (parts `not-for-me-button` and `mute-button`). */
export const controlStyles = css`
  .controls { display: flex; flex-wrap: wrap; gap: 0.3rem; }
  .controls button { min-height: 44px; padding: 0.2em 0.6em; font-size: 0.8rem; }
  .undo { display: flex; align-items: center; justify-content: space-between; gap: 0.6rem; margin: 0 0 0.5rem; padding: 0.3rem 0.3rem 0.3rem 0.8rem;
    background: color-mix(in srgb, var(--_accent) 10%, transparent); border-radius: calc(var(--_radius) / 1.5); }
  .undo button { min-height: 36px; padding: 0.2em 0.8em; }
`;

/** The buttons for one product; `aria-label`s name the product. */
export function controlButtons(name: string, t: WidgetTranslation, onControl: (control: 'not-for-me' | 'mute') => void): TemplateResult {
  return html`<span class="controls">
    <button part="not-for-me-button" class="secondary" aria-label="${t.notForMe}: ${name}" @click=${() => onControl('not-for-me')}>${t.notForMe}</button>
    <button part="mute-button" class="secondary" aria-label="${t.mute}: ${name}" @click=${() => onControl('mute')}>${t.mute}</button>
  </span>`;
}

/** What the engine answered to the last control sent from this page: the member's list as it now is, as of a day. */
export interface Stored {
  member: string;
  asOfDay: number | undefined;
  list?: ShoppingList;
}

/** Controls are stored one after another (an undo after its hide), and an element refilling after the shared event
 * reads the engine only once they are stored. */
let storing: Promise<Stored | undefined> = Promise.resolve(undefined);

/** On a page whose elements sign in at headquarters (`hq`): where the controls go (the engine's web room). */
let webControls: (() => Promise<WebRequest>) | undefined;

/** Send this page's controls to the engine's web room, for the signed-in member. */
export function useWebControls(request: () => Promise<WebRequest>): void {
  webControls = request;
}

/** Fire `larder-item-control` from `host` (every Larder element hears it at once), then store the control in the
 * engine; resolves once the engine has it, with the member's list as of `asOfDay` as it now is. */
export function sendControl(host: HTMLElement, detail: ItemControlDetail, asOfDay?: number): Promise<Stored> {
  const call = storing.then(async (): Promise<Stored> => {
    if (webControls) {
      const w = await getEngine().webItemControl(await webControls(), detail.member, detail.productId, detail.control);
      if (!w.ok) throw new Error(w.error);
      return { member: detail.member, asOfDay, list: w.value.list };
    }
    const r = await getEngine().setItemControl(detail.member, detail.productId, detail.control, asOfDay);
    if (!r.ok) throw new Error(r.error);
    return { member: detail.member, asOfDay, ...(r.value.list ? { list: r.value.list } : {}) };
  });
  storing = call.catch(() => undefined);
  // Fired once `storing` includes this control, so listeners that wait for it refill from the engine after it.
  host.dispatchEvent(larderEvent('larder-item-control', detail));
  return call;
}

/** Every control sent so far is stored (or failed): the engine's lists now reflect them. Resolves with the last answer. */
export const controlsStored = (): Promise<Stored | undefined> => storing;

/** Hears the shared `larder-item-control` event on the document while its element is in the page. */
export class ItemControlListener implements ReactiveController {
  private readonly handle = (e: Event) => this.listener((e as CustomEvent<ItemControlDetail>).detail);
  constructor(host: ReactiveControllerHost, private readonly listener: (detail: ItemControlDetail) => void) {
    host.addController(this);
  }
  hostConnected(): void {
    document.addEventListener('larder-item-control', this.handle);
  }
  hostDisconnected(): void {
    document.removeEventListener('larder-item-control', this.handle);
  }
}

/** The product the shopper just hid here, with its Undo (shown until the next control or until it times out). */
export interface UndoOffer {
  productId: string;
  name: string;
  control: 'not-for-me' | 'mute';
}

/** How long the Undo line stays. */
const UNDO_MS = 10_000;

/** An element's "Bananas hidden — Undo" line and the two controls behind it: hide (every element drops the product
 * at once, through the shared event; this one offers Undo) and undo (every element brings it back once stored). */
export class UndoControls implements ReactiveController {
  private offer: UndoOffer | undefined;
  private said = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** Show the Undo line for `offer`, or what an undo said, for a while; nothing when both are empty. */
  show(offer: UndoOffer | undefined, said = ''): void {
    this.offer = offer;
    this.said = said;
    clearTimeout(this.timer);
    if (offer || said) this.timer = setTimeout(() => this.show(undefined), UNDO_MS);
    this.host.requestUpdate();
  }

  /** Hide `offer`'s product for `member`: the Undo line, the event, then focus on what took its place (`selector`'s
   * item at `index`). Throws when the engine could not store it (the Undo line is gone then). */
  async hide(member: string, offer: UndoOffer, asOfDay: number | undefined, focus: { root: ShadowRoot | null; selector: string; index: number }): Promise<void> {
    this.show(offer);
    const stored = sendControl(this.host, { productId: offer.productId, control: offer.control, member, name: offer.name }, asOfDay);
    await this.host.updateComplete;
    refocus(focus.root, focus.selector, focus.index);
    try {
      await stored;
    } catch (e) {
      this.show(undefined);
      throw e;
    }
  }

  /** The visible line (a live region, so screen readers hear it too); its Undo clears the control for `member`,
   * saying `restored`; `onFailed` hears an undo the engine could not store. */
  render(t: WidgetTranslation, member: string, asOfDay: number | undefined, onFailed: (e: unknown) => void): TemplateResult | typeof nothing {
    const offer = this.offer;
    if (offer) {
      const undo = () => {
        this.show(undefined, t.restored(offer.name));
        sendControl(this.host, { productId: offer.productId, control: 'clear', member, name: offer.name }, asOfDay).catch(onFailed);
      };
      return html`<p class="undo" part="undo" role="status">
        <span>${(offer.control === 'mute' ? t.mutedShort : t.hiddenShort)(offer.name)}</span>
        <button part="undo-button" class="secondary" aria-label="${t.undo}: ${offer.name}" @click=${undo}>${t.undo}</button>
      </p>`;
    }
    return this.said ? html`<p class="undo" part="undo" role="status"><span>${this.said}</span></p>` : nothing;
  }
}

/** After an item left the row or list: focus what took its place (the item now at `index`, else the last one),
 * so a keyboard user is not dropped at the top of the page. */
export function refocus(root: ShadowRoot | null, selector: string, index: number): void {
  const all = [...(root?.querySelectorAll<HTMLElement>(selector) ?? [])];
  (all[index] ?? all[all.length - 1])?.focus();
}

/** A Larder element with item controls: it hears every element's control on the page (its own too) and offers Undo
 * for what was hidden here. */
export abstract class ControlledElement extends LarderElement {
  /** The item just hidden here, with its Undo; or what an undo said. */
  protected readonly undo = new UndoControls(this);
  /** The styles every such element starts from: the design tokens and the controls. */
  static readonly baseStyles = [tokens, controlStyles];

  constructor(defaultLimit: number) {
    super(defaultLimit);
    new ItemControlListener(this, (d) => void this.heard(d));
  }

  /** A control on the page: drop (or bring back) the product here. */
  protected abstract heard(d: ItemControlDetail): Promise<void>;
}
