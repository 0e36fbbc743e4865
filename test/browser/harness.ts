// Interactions the browser tests share: waiting for a condition, mounting an element, waiting for it to settle.
import type { LitElement } from 'lit';

/** Poll `probe` until it returns something truthy (20 s at most). */
export async function until<T>(probe: () => T | null | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Create a Larder element with attributes and put it in the page. */
export function mount<K extends 'larder-shopping-list' | 'larder-recommendations'>(tag: K, attrs: Record<string, string>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  return el;
}

/** Wait until an element leaves its loading state: items, a final status, or an alert. */
export async function settled(el: LitElement, what = 'the element'): Promise<ShadowRoot> {
  for (let i = 0; i < 400; i++) {
    await el.updateComplete;
    const root = el.shadowRoot!;
    if (root.querySelector('li, .status:not([role=status]), [role=alert]')) return root;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} never finished loading`);
}
