// "Not for me" and "Mute for a month" on an item or card: two small buttons, the engine call and the event.
import { css, html, type TemplateResult } from 'lit';
import { getEngine } from '../worker/bridge.ts';
import { larderEvent, type ItemControlDetail } from './events.ts';
import type { WidgetTranslation } from '../i18n/translation.ts';

/** The two controls' styles (parts `not-for-me-button` and `mute-button`). */
export const controlStyles = css`
  .controls { display: flex; flex-wrap: wrap; gap: 0.3rem; }
  .controls button { min-height: 44px; padding: 0.2em 0.6em; font-size: 0.8rem; }
`;

/** The buttons for one product; `aria-label`s name the product. */
export function controlButtons(name: string, t: WidgetTranslation, onControl: (control: ItemControlDetail['control']) => void): TemplateResult {
  return html`<span class="controls">
    <button part="not-for-me-button" class="secondary" aria-label="${t.notForMe}: ${name}" @click=${() => onControl('not-for-me')}>${t.notForMe}</button>
    <button part="mute-button" class="secondary" aria-label="${t.mute}: ${name}" @click=${() => onControl('mute')}>${t.mute}</button>
  </span>`;
}

/** Fire `larder-item-control` from `host` and store the control in the engine; resolves once the engine has it. */
export async function sendControl(host: HTMLElement, member: string, productId: string, control: ItemControlDetail['control']): Promise<void> {
  host.dispatchEvent(larderEvent('larder-item-control', { productId, control }));
  const r = await getEngine().setItemControl(member, productId, control);
  if (!r.ok) throw new Error(r.error);
}

/** After an item left the row or list: focus what took its place (the item now at `index`, else the last one),
 * so a keyboard user is not dropped at the top of the page. */
export function refocus(root: ShadowRoot | null, selector: string, index: number): void {
  const all = [...(root?.querySelectorAll<HTMLElement>(selector) ?? [])];
  (all[index] ?? all[all.length - 1])?.focus();
}
