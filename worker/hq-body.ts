// Headquarters' answers as the syncs read them (the feed sync, worker/hq-feed.ts; the store sync, worker/hq-store-sync.ts):
// a fault that says whether to try again, a timeout for waits on the network, one request retried with backoff and
// reported as it goes, and a body checked on the way in (not a web page, not empty, not cut off).
import type { FeedFormat } from '../core/feeds/schemas.ts';
import { decodeBytes } from './stream.ts';
import { isStorageFull } from './errors.ts';
import type { FeedSyncError, FeedSyncOptions, FeedSyncStatus } from './hq-feed.ts';
import { err, ok, type Result } from '../core/result.ts';
import { sleep as defaultSleep, withRetries } from './retry.ts';

/** A failure of one answer: whether a retry may help, and what to tell the caller. */
export class FeedFault extends Error {
  constructor(readonly code: FeedSyncError, readonly retry: boolean, message: string) {
    super(message);
    this.name = 'FeedFault';
  }
}

/** An error's message, or the thrown value in words. */
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** What went wrong with one request to headquarters (`what`: the thing asked for, in words), as a fault that says
 * whether to try again; undefined for an error that is not the network's or the disk's (a bug: the caller rethrows). */
export function faultOf(e: unknown, timer: IdleTimeout, what: string): FeedFault | undefined {
  if (e instanceof FeedFault) return e;
  if (isStorageFull(e)) return new FeedFault('storage-full', false, 'storage full: this device has no room for more data');
  if (timer.expired()) return new FeedFault('network', true, `${what}: ${messageOf(timer.signal.reason)}`);
  if (e instanceof TypeError || (e instanceof DOMException && e.name === 'AbortError')) return new FeedFault('network', true, `${what}: network error (${messageOf(e)})`);
  return undefined;
}

/** Whether an HTTP status is worth another try. */
export const retryable = (status: number) => status >= 500 || status === 408 || status === 409 || status === 429;

/** An abort signal that fires when a wait for the network lasts more than `ms`: `arm()` before each wait (the
 * request, each read of the body), `disarm()` after it, so the time spent storing rows never counts. `race` makes a
 * wait give up when the signal fires, even where a fetch implementation does not abort a body already under way. */
export function idleTimeout(ms: number) {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const disarm = () => clearTimeout(timer);
  const arm = () => {
    disarm();
    timer = setTimeout(() => controller.abort(new Error(`timeout: nothing arrived for ${ms} ms`)), ms);
  };
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason));
  });
  aborted.catch(() => undefined);
  const race = <T>(wait: Promise<T>): Promise<T> => Promise.race([wait, aborted]);
  return { signal: controller.signal, arm, disarm, race, expired: () => controller.signal.aborted };
}
/** The timer of one request and its body. */
export type IdleTimeout = ReturnType<typeof idleTimeout>;

/** A sync's status as it goes: each patch is merged into it (a field set to undefined is removed) and reported;
 * `report.now()` is the status so far. */
export function statusReporter(initial: FeedSyncStatus, onStatus?: (status: FeedSyncStatus) => void): ((patch: Partial<FeedSyncStatus>) => void) & { now(): FeedSyncStatus } {
  let status = initial;
  const report = (patch: Partial<FeedSyncStatus>) => {
    status = { ...status, ...patch };
    for (const key of Object.keys(patch) as (keyof FeedSyncStatus)[]) if (patch[key] === undefined) delete status[key];
    onStatus?.(status);
  };
  return Object.assign(report, { now: () => status });
}

/** How patient a sync is with headquarters, its defaults filled in. */
export type Patience = Required<Pick<FeedSyncOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'timeoutMs' | 'sleep' | 'random'>>;

/** The options' patience: 5 tries, backoff from 500 ms to 30 s with jitter, 30 s without a byte. */
export const patienceOf = (o: Partial<Patience>): Patience => ({
  maxAttempts: o.maxAttempts ?? 5, baseDelayMs: o.baseDelayMs ?? 500, maxDelayMs: o.maxDelayMs ?? 30_000, timeoutMs: o.timeoutMs ?? 30_000,
  sleep: o.sleep ?? defaultSleep, random: o.random ?? Math.random,
});

/** Run one request (and what follows it) until it succeeds, fails for good, or runs out of attempts; each try and
 * wait is reported with `file`, and `what` names the request in fault messages. */
export async function askWithRetries<T>(
  patience: Patience, report: (patch: Partial<FeedSyncStatus>) => void, file: string | undefined, what: string, op: (timer: IdleTimeout) => Promise<T>,
): Promise<Result<T, FeedSyncError>> {
  let lastError = '';
  const answer = await withRetries<Result<T, FeedSyncError>>(async (attempt) => {
    report(attempt > 1 ? { state: 'retrying', attempt, file } : { state: 'syncing', attempt, file, error: undefined });
    const timer = idleTimeout(patience.timeoutMs);
    try {
      return { done: true, value: ok(await op(timer)) };
    } catch (e) {
      const fault = faultOf(e, timer, what);
      if (!fault) throw e;
      lastError = fault.message;
      return fault.retry ? { done: false } : { done: true, value: err(fault.code, fault.message) };
    } finally {
      timer.disarm();
    }
  }, {
    maxAttempts: patience.maxAttempts, baseDelayMs: patience.baseDelayMs, maxDelayMs: patience.maxDelayMs, random: patience.random, sleep: patience.sleep,
    beforeWait: (attempt) => report({ state: 'retrying', attempt, file, error: lastError }),
  });
  return answer ?? err('network', `${lastError} (gave up after ${patience.maxAttempts} attempts)`);
}

/** GET with the idle timeout; an HTTP error status becomes a fault (retried when a retry may help; 304 passes). */
export async function getWithin(doFetch: typeof fetch, url: string, headers: Record<string, string>, timer: IdleTimeout, what: string): Promise<Response> {
  timer.arm();
  const res = await timer.race(doFetch(url, { headers, signal: timer.signal })).finally(timer.disarm);
  if (res.ok || res.status === 304) return res;
  throw new FeedFault(retryable(res.status) ? 'network' : 'bad-response', retryable(res.status), `${what}: headquarters answered HTTP ${res.status}`);
}

/** A whole body as text, read within the idle timeout (a dropped connection is worth another try). */
export async function textWithin(res: Response, timer: IdleTimeout, what: string): Promise<string> {
  timer.arm();
  try {
    return await timer.race(res.text());
  } catch (e) {
    throw new FeedFault('network', true, `${what}: ${timer.expired() ? messageOf(timer.signal.reason) : `the connection dropped (${messageOf(e)})`}`);
  } finally {
    timer.disarm();
  }
}

/** Whether a JSON object's text stops before its closing brace: cut off on the way, worth another try. */
export const cutObject = (text: string) => text.trimStart().startsWith('{') && !text.trimEnd().endsWith('}');

/** The text of a feed body, checked: not HTML, not empty, not cut off. Gzip is recognised by its magic bytes. */
export async function* feedText(res: Response, timer: IdleTimeout, name: string, format: FeedFormat): AsyncGenerator<string> {
  const type = res.headers.get('content-type') ?? '';
  if (/text\/html|xhtml/i.test(type)) throw new FeedFault('bad-response', false, `${name}: headquarters sent a web page (${type}), not a feed file`);
  if (!res.body) throw new FeedFault('bad-response', false, `${name}: empty answer`);
  const lengthHeader = res.headers.get('content-length');
  const declared = lengthHeader !== null && !res.headers.get('content-encoding') ? Number(lengthHeader) : undefined;
  const raw = res.body.getReader();
  let bytes = 0;
  const read = async () => {
    timer.arm();
    try {
      const r = await timer.race(raw.read());
      if (!r.done) bytes += r.value.byteLength;
      return r;
    } catch (e) {
      throw timer.expired()
        ? new FeedFault('network', true, `${name}: ${messageOf(timer.signal.reason)}`)
        : new FeedFault('network', true, `${name}: the connection dropped mid-file (${messageOf(e)})`);
    } finally {
      timer.disarm();
    }
  };
  const reader = await decodeBytes(read);
  if (!reader) throw new FeedFault('bad-response', false, `${name}: empty answer`);
  try {
    yield* decoded(reader, name, format, declared, () => bytes);
  } finally {
    void raw.cancel().catch(() => undefined); // a body left half-read (a fault, a full disk) lets the connection go
  }
}

/** The decoded text, checked for markup at the start and for a cut-off end. */
async function* decoded(reader: ReadableStreamDefaultReader<string>, name: string, format: FeedFormat, declared: number | undefined, bytes: () => number): AsyncGenerator<string> {
  let head = ''; // leading whitespace, held until the first real character says whether this is a feed at all
  let sniffed = false;
  let last = '';
  for (;;) {
    let step: ReadableStreamReadResult<string>;
    try {
      step = await reader.read();
    } catch (e) {
      throw e instanceof FeedFault ? e : new FeedFault('network', true, `${name}: the body could not be read (${messageOf(e)})`);
    }
    if (step.done) break;
    let text = step.value;
    if (!text) continue;
    if (!sniffed) {
      text = head + text;
      const start = text.search(/\S/);
      if (start < 0) {
        head = text;
        continue;
      }
      if (text[start] === '<') throw new FeedFault('bad-response', false, `${name}: headquarters sent markup (an HTML page?), not a feed file`);
      sniffed = true;
    }
    const tail = text.trimEnd();
    if (tail) last = tail[tail.length - 1]!;
    if (tail.length < text.length) last = text.includes('\n', tail.length) ? '\n' : last;
    yield text;
  }
  if (!sniffed) throw new FeedFault('bad-response', false, `${name}: empty answer`);
  // CSV and NDJSON end with a line break; a JSON array with its closing bracket.
  const whole = last === '\n' || (format === 'json' && last === ']') || (declared !== undefined && bytes() === declared);
  if (!whole) throw new FeedFault('network', true, `${name}: the file was cut off mid-row (${bytes()} bytes${declared !== undefined ? ` of ${declared}` : ''})`);
}
