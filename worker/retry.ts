// Retry with exponential backoff, for every conversation with headquarters (the outbox, the feed sync): one place
// that says how long to wait before the next try.

/** Wait `ms` (the default sleep; tests pass their own). */
export const sleep = (ms: number): Promise<void> => new Promise<void>((r) => setTimeout(r, ms));

/** How long to wait between tries. */
export interface BackoffOptions {
  /** The wait before the first retry; doubled for each one after it. */
  baseDelayMs: number;
  /** No wait is longer than this (default: no ceiling). */
  maxDelayMs?: number;
  /** 0..1: with it, each wait is drawn between half and all of its ceiling (jitter), so devices do not retry in step. */
  random?: () => number;
}

/** The wait before retry number `retry` (1 = the first retry). */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxDelayMs ?? Infinity, options.baseDelayMs * 2 ** (retry - 1));
  return options.random ? Math.round(ceiling * (0.5 + options.random() / 2)) : ceiling;
}

/** What one try answered: done (with its value), or worth another try. */
export type Attempt<T> = { done: true; value: T } | { done: false };

/** Run `once` up to `maxAttempts` times, waiting {@link backoffDelay} between tries (`beforeWait` hears each retry
 * number and its wait first); the value of the first try that is done, or undefined when none was. */
export async function withRetries<T>(
  once: (attempt: number) => Promise<Attempt<T>>,
  options: BackoffOptions & { maxAttempts: number; sleep?: (ms: number) => Promise<void>; beforeWait?: (attempt: number, ms: number) => void },
): Promise<T | undefined> {
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    if (attempt > 1) {
      const ms = backoffDelay(attempt - 1, options);
      options.beforeWait?.(attempt, ms);
      await wait(ms);
    }
    const r = await once(attempt);
    if (r.done) return r.value;
  }
  return undefined;
}
