// Headquarters' answers as the feed sync reads them: a fault that says whether to try again, a timeout for waits on
// the network, and a feed body checked on the way in (not a web page, not empty, not cut off mid-row).
import type { FeedFormat } from '../core/feeds/schemas.ts';
import { decodeBytes } from './stream.ts';
import { isStorageFull } from './errors.ts';
import type { FeedSyncError } from './hq-feed.ts';

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
