// The page side of the engine: the only `new Worker` in the code base. Starts the worker on first use.
import { proxy, wrap, type Remote } from 'comlink';
import type { Engine } from './engine-api.ts';

let remote: Remote<Engine> | undefined;

/** The engine, running in its worker. */
export const getEngine = (): Remote<Engine> =>
  (remote ??= wrap<Engine>(new Worker(new URL('./engine.ts', import.meta.url), { type: 'module', name: 'larder-engine' })));

/** Wrap a callback so the worker can call it back (progress reports). */
export const callback = <T extends (...args: never[]) => unknown>(fn: T) => proxy(fn);

export type { Engine };
