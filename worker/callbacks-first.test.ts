// The page hears a method's callbacks before its answer (worker/callbacks-first.ts).
import { describe, expect, it } from 'vitest';
import { callbacksFirst } from './callbacks-first.ts';

/** A callback as the page's Comlink proxy is seen from the worker: each call resolves when the page has run it. */
function slowPage() {
  const heard: string[] = [];
  const pending: (() => void)[] = [];
  const callback = (what: string) => new Promise<void>((resolve) => pending.push(() => { heard.push(what); resolve(); }));
  return { heard, callback, deliver: () => { for (const run of pending.splice(0)) run(); } };
}

describe('callbacksFirst', () => {
  it('answers only once every callback call was heard', async () => {
    const page = slowPage();
    const engine = callbacksFirst({
      async load(onProgress: (what: string) => Promise<void>) {
        void onProgress('3 lines');
        void onProgress('45 lines');
        return 'loaded';
      },
    });
    const order: string[] = [];
    const answer = engine.load(page.callback).then((v) => { order.push(v); });
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]); // the progress has not reached the page yet: no answer either
    page.deliver();
    await answer;
    expect([...page.heard, ...order]).toEqual(['3 lines', '45 lines', 'loaded']);
  });

  it('holds an error back the same way, and leaves methods without callbacks and other members alone', async () => {
    const page = slowPage();
    const engine = callbacksFirst({
      version: 3,
      async fail(onProgress: (what: string) => Promise<void>) {
        void onProgress('started');
        throw new Error('network');
      },
      async plain(a: number, b: number) { return a + b; },
    });
    expect(engine.version).toBe(3);
    expect(await engine.plain(2, 3)).toBe(5);
    let settled = false;
    const failing = engine.fail(page.callback).catch((e: Error) => { settled = true; return e.message; });
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    page.deliver();
    expect(await failing).toBe('network');
    expect(page.heard).toEqual(['started']);
  });

  it('answers even when the page threw in a callback', async () => {
    const engine = callbacksFirst({
      async load(onProgress: () => Promise<void>) { void onProgress(); return 'ok'; },
    });
    expect(await engine.load(() => Promise.reject(new Error('page gone')))).toBe('ok');
  });
});
