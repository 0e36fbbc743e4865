// The page side of the engine: the only `new Worker` in the code base. Starts the worker on first use.
import { proxy, wrap, type Remote } from 'comlink';
import type { Engine } from './engine-api.ts';

let remote: Remote<Engine> | undefined;

interface TrustedTypesLike {
  defaultPolicy: unknown;
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): unknown;
}

/** Under `require-trusted-types-for 'script'` a plain URL may not start a worker. Bundlers only recognise the literal
 * `new Worker(new URL(…, import.meta.url))`, so the URL cannot be wrapped: instead, when the page has no default
 * policy, one is created that lets same-origin script URLs through and refuses every other. */
function allowSameOriginWorkers(): void {
  const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  if (!tt || tt.defaultPolicy) return;
  try {
    tt.createPolicy('default', {
      createScriptURL(u: string) {
        if (new URL(u, location.href).origin !== location.origin) throw new TypeError(`larder: refusing a script from another origin: ${u}`);
        return u;
      },
    });
  } catch {
    // The page's CSP does not allow a 'default' policy: it then owns Trusted Types, and the worker needs its policy.
  }
}

/** The engine, running in its worker. */
export const getEngine = (): Remote<Engine> => {
  if (!remote) {
    allowSameOriginWorkers();
    remote = wrap<Engine>(new Worker(new URL('./engine.ts', import.meta.url), { type: 'module', name: 'larder-engine' }));
  }
  return remote;
};

/** Wrap a callback so the worker can call it back (progress reports). */
export const callback = <T extends (...args: never[]) => unknown>(fn: T) => proxy(fn);

export type { Engine };
