// The page side of the engine: the only `new Worker` in the code base. Starts the worker on first use.
import { proxy, wrap, type Remote } from 'comlink';
import type { Engine } from './engine-api.ts';

let remote: Remote<Engine> | undefined;

interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): string };
}

/** The worker's URL, through a Trusted Types policy where the page requires one (`require-trusted-types-for
 * 'script'`): the policy `larder` only lets same-origin script URLs through. */
function workerUrl(url: URL): string | URL {
  const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  if (!tt) return url;
  const policy = tt.createPolicy('larder', {
    createScriptURL(u: string) {
      if (new URL(u, location.href).origin !== location.origin) throw new TypeError(`larder: refusing a worker from another origin: ${u}`);
      return u;
    },
  });
  return policy.createScriptURL(url.href);
}

/** The engine, running in its worker. */
export const getEngine = (): Remote<Engine> =>
  (remote ??= wrap<Engine>(new Worker(workerUrl(new URL('./engine.ts', import.meta.url)) as URL, { type: 'module', name: 'larder-engine' })));

/** Wrap a callback so the worker can call it back (progress reports). */
export const callback = <T extends (...args: never[]) => unknown>(fn: T) => proxy(fn);

export type { Engine };
