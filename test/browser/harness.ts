// Interactions the browser tests share: waiting for a condition, mounting an element, waiting for it to settle.
import type { LitElement } from 'lit';
import { toEan13 } from '../../core/ean.ts';

/** Run a web-test-runner server command (see web-test-runner.config.mjs). Sent over the runner's own socket, as
 * @web/test-runner-commands does: that module cannot go through Vite's dependency bundling, which breaks its import of
 * the runner's socket. */
export async function serverCommand(command: string, payload: unknown): Promise<unknown> {
  const socketModule = '/__web-dev-server__web-socket.js';
  const { sendMessageWaitForResponse } = (await import(/* @vite-ignore */ socketModule)) as {
    sendMessageWaitForResponse(message: unknown): Promise<{ executed: boolean; result: unknown }>;
  };
  const sessionId = new URL(location.href).searchParams.get('wtr-session-id');
  const response = await sendMessageWaitForResponse({ type: 'wtr-command', sessionId, command, payload });
  if (!response.executed) throw new Error(`the test runner has no command ${command} (web-test-runner.config.mjs)`);
  return response.result;
}

/** A quota of what this origin uses now plus `headroom` bytes (CDP Storage.overrideQuotaForOrigin), or back to normal. */
export const setQuota = (headroom?: number) => serverCommand('set-storage-quota', { origin: location.origin, ...(headroom === undefined ? {} : { headroom }) });

/** What the page shows, for a failure's message: its text on one line (400 characters at most). */
function pageText(): string {
  const text = (document.body?.innerText ?? '').replace(/\s+/g, ' ').trim();
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** Poll `probe` until it returns something truthy (`ms`, 20 s unless said). A timeout says what the page showed. */
export async function until<T>(probe: () => T | null | undefined | false, what: string, ms = 20_000): Promise<T> {
  for (let i = 0; i < ms / 50; i++) {
    const v = probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; the page showed: "${pageText()}"`);
}

/** Poll an asynchronous `probe` (an engine call) until it resolves to something truthy (20 s at most). */
export async function untilAsync<T>(probe: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await probe();
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

/** A members file of `count` new members numbered from `from` (ids FILL-…, cards 29…, no consent): small records, one
 * each, to fill storage with. */
export const fillerMembers = (from: number, count: number) => ['member_id,card_code,consent_personalise',
  ...Array.from({ length: count }, (_, i) => `FILL-${from + i},${toEan13(`29${String(from + i).padStart(10, '0')}`)},false`)].join('\n') + '\n';

/** Fill what the quota leaves (set with {@link setQuota} before the database was opened) with members files of
 * decreasing size, until even two members no longer fit; every refusal must be storage-full. Returns how many filler
 * members were stored, the number the next {@link fillerMembers} file starts at. */
export async function fillStorage(engine: { importText(name: string, text: string): Promise<unknown> }): Promise<number> {
  let next = 0;
  let files = 0;
  for (const size of [1000, 100, 10, 2]) {
    for (;;) {
      const taken = await engine.importText(`members-fill-${files++}.csv`, fillerMembers(next, size)).then(() => true, (e: unknown) => {
        if (!/storage-full|QuotaExceeded/.test(String(e))) throw e;
        return false;
      });
      if (!taken) break;
      next += size;
      if (files > 300) throw new Error('the quota never filled');
    }
  }
  return next;
}
