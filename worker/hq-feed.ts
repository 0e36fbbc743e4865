// Incremental feed sync from headquarters over HTTP: a cursor for change sets, ETags per file, resumable per file,
// patient with the network and strict with answers that are not feeds.
/**
 * ## The protocol
 *
 * 1. `GET {base}/changes?since={cursor}` (an empty `since` the first time) answers JSON
 *    `{ "cursor": "c42", "files": [{ "name": "baskets-2026-11-28.ndjson", "url": "files/baskets-2026-11-28.ndjson", "etag": "\"b7\"" }] }`:
 *    the files changed since that cursor, in the order they are to be imported (products and members before the
 *    baskets that name them). `name` is a feed file name as `feedFromName` reads it (products*, members*, deals*,
 *    baskets*, content*; .csv, .ndjson, .jsonl, .json, optionally .gz); `url` is absolute or relative to `{base}/`;
 *    `etag` is optional.
 * 2. Each file is fetched with `If-None-Match: <etag>` when a version of that name was imported before; `304` skips it.
 *    A body is complete when it ends with a line break (a JSON array: with its `]`) or its length equals
 *    `Content-Length`: anything else was cut off and is fetched again, so a half-downloaded last row is never
 *    imported. (A body cut exactly at a line break cannot be told from a whole one by its text; fetch itself rejects
 *    a body shorter than its `Content-Length` or with an unfinished chunked encoding, so headquarters must send one
 *    of the two, as every HTTP/1.1 server does.)
 * 3. The cursor is saved in `meta` (`hq:cursor`) only after every file of the change set committed. A crash re-runs
 *    the change set, which is idempotent: baskets merge by id, products, members, deals and content upsert, and a
 *    file version's rejected rows are stored once (`importId` = `hq:<name>|<etag or cursor>`).
 * 4. Resume: rows commit in bounded transactions, and after each one `meta` (`hq:progress:<name>`) records how many
 *    physical lines of that file version are stored. A retry after a dropped connection downloads the file again and
 *    stores only what comes after (CSV and NDJSON; a JSON array is read again whole, which the upserts make harmless).
 *    A basket's lines are never split between two transactions, so a resume never starts inside a basket.
 * 5. Faults: network errors, timeouts (no byte for `timeoutMs`), HTTP 5xx, 408, 409, 429 and cut-off bodies are
 *    retried with exponential backoff and jitter, `maxAttempts` times per request, then the sync fails with
 *    `network` (a change list that stops before its closing brace counts as cut off). Other 4xx fail at once with
 *    `bad-response`, as do a change list that is not the JSON above and a body
 *    that is an HTML page (a login or proxy error page): nothing of such an answer is stored and the cursor stays.
 *    A full disk fails with `storage-full`; what committed before stays, ready for a resume.
 */
import { err, ok, type Result } from '../core/result.ts';
import { feedFromName, type FeedFormat } from '../core/feeds/index.ts';
import { importFeed, type ImportProgress, type ImportState } from './import.ts';
import type { LarderDB } from './store.ts';

/** One file of a change set. */
export interface HqFile {
  name: string;
  url: string;
  etag?: string;
}

/** What `GET {base}/changes?since=` answers. */
export interface ChangeSet {
  cursor: string;
  files: HqFile[];
}

/** Where a feed sync is. */
export type FeedSyncState = 'idle' | 'syncing' | 'retrying' | 'up-to-date' | 'failed';

/** The sync's status, for the manager screen: reported as it changes and readable afterwards. */
export interface FeedSyncStatus {
  state: FeedSyncState;
  /** Attempt of the current request (1 = first try). */
  attempt: number;
  /** The file being fetched or imported. */
  file?: string;
  /** Data rows stored (or rejected) by this sync so far. */
  rowsDone: number;
  /** What went wrong last, in words (kept while retrying, and after a failure). */
  error?: string;
  /** The cursor stored: the last change set fully imported. */
  cursor?: string;
}

/** What happened to one file of the change set. */
export interface FileOutcome {
  name: string;
  outcome: 'imported' | 'not-modified' | 'done-before';
  accepted: number;
  rejected: number;
  duplicates: number;
  /** The physical line after which this import picked up an earlier, interrupted one. */
  resumedAfterLine?: number;
}

/** What one sync did. */
export interface SyncSummary {
  cursor: string;
  previousCursor?: string;
  files: FileOutcome[];
  /** Whether any row was stored. */
  changed: boolean;
}

export type FeedSyncError = 'network' | 'bad-response' | 'storage-full';

/** Where headquarters is and how patient to be. */
export interface FeedSyncOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Tries per request before giving up (default 5). */
  maxAttempts?: number;
  /** First backoff (default 500 ms), doubled each retry up to `maxDelayMs` (default 30 s), with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A request fails when no byte arrives for this long (default 30 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** 0..1, for the jitter (default Math.random). */
  random?: () => number;
  /** Rows per import transaction (default: the importer's per-kind size). */
  batchRows?: number;
  onStatus?: (status: FeedSyncStatus) => void;
}

/** How far one file version got, kept in `meta` under `hq:progress:<name>`. */
interface FileProgress {
  version: string;
  lines: number;
  done: boolean;
}

/** The `meta` keys of the sync. */
export const HQ_META = {
  cursor: 'hq:cursor',
  etag: (name: string) => `hq:etag:${name}`,
  progress: (name: string) => `hq:progress:${name}`,
} as const;

/** A failure of one answer: whether a retry may help, and what to tell the caller. */
class FeedFault extends Error {
  constructor(readonly code: FeedSyncError, readonly retry: boolean, message: string) {
    super(message);
    this.name = 'FeedFault';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Read and check a change list. */
export function parseChangeSet(text: string): Result<ChangeSet, 'bad-response'> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return err('bad-response', `the change list is not JSON (${messageOf(e)})`);
  }
  if (typeof body !== 'object' || body === null) return err('bad-response', 'the change list is not a JSON object');
  const { cursor, files } = body as { cursor?: unknown; files?: unknown };
  if (typeof cursor !== 'string' || !cursor) return err('bad-response', 'the change list has no cursor');
  if (!Array.isArray(files)) return err('bad-response', 'the change list has no files array');
  const out: HqFile[] = [];
  const names = new Set<string>();
  for (const f of files as unknown[]) {
    const { name, url, etag } = (typeof f === 'object' && f !== null ? f : {}) as { name?: unknown; url?: unknown; etag?: unknown };
    if (typeof name !== 'string' || typeof url !== 'string' || (etag !== undefined && typeof etag !== 'string')) {
      return err('bad-response', `the change list has a file without a name and url: ${JSON.stringify(f)}`);
    }
    if (!feedFromName(name)) return err('bad-response', `the change list names a file that is not a feed: ${name}`);
    if (names.has(name)) return err('bad-response', `the change list names ${name} twice`);
    names.add(name);
    out.push({ name, url, ...(etag !== undefined ? { etag } : {}) });
  }
  return ok({ cursor, files: out });
}

/** Whether an HTTP status is worth another try. */
const retryable = (status: number) => status >= 500 || status === 408 || status === 409 || status === 429;

/** An abort signal that fires when a wait for the network lasts more than `ms`: `arm()` before each wait (the
 * request, each read of the body), `disarm()` after it, so the time spent storing rows never counts. `race` makes a
 * wait give up when the signal fires, even where a fetch implementation does not abort a body already under way. */
function idleTimeout(ms: number) {
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
type IdleTimeout = ReturnType<typeof idleTimeout>;

/** The text of a feed body, checked: not HTML, not empty, not cut off. Gzip is recognised by its magic bytes. */
async function* feedText(res: Response, timer: IdleTimeout, name: string, format: FeedFormat): AsyncGenerator<string> {
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
  const first = await read();
  if (first.done) throw new FeedFault('bad-response', false, `${name}: empty answer`);
  const gzip = first.value[0] === 0x1f && first.value[1] === 0x8b;
  const replay = new ReadableStream<Uint8Array>({
    start(controller) { controller.enqueue(first.value); },
    async pull(controller) {
      const r = await read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
  });
  const bytesOut = gzip ? replay.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>) : replay;
  const reader = bytesOut.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();
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

/** One sync run: fetch the change list since the stored cursor and import its files. Returns what was done, or why
 * it stopped; the status goes to `options.onStatus` as it changes. */
export async function syncFeeds(db: LarderDB, state: () => Promise<ImportState>, options: FeedSyncOptions): Promise<Result<SyncSummary, FeedSyncError>> {
  const doFetch = options.fetch ?? ((u: RequestInfo | URL, i?: RequestInit) => fetch(u, i));
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 5;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = options.baseUrl.replace(/\/+$/, '');
  const previousCursor = (await db.get('meta', HQ_META.cursor)) as string | undefined;
  let status: FeedSyncStatus = { state: 'syncing', attempt: 1, rowsDone: 0, ...(previousCursor ? { cursor: previousCursor } : {}) };
  const report = (patch: Partial<FeedSyncStatus>) => {
    status = { ...status, ...patch };
    for (const key of Object.keys(patch) as (keyof FeedSyncStatus)[]) if (patch[key] === undefined) delete status[key];
    options.onStatus?.(status);
  };
  report({});

  /** Run one request (and what follows it) until it succeeds, fails for good, or runs out of attempts. */
  async function withRetries<T>(file: string | undefined, op: (timer: IdleTimeout) => Promise<T>): Promise<Result<T, FeedSyncError>> {
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        const ceiling = Math.min(options.maxDelayMs ?? 30_000, (options.baseDelayMs ?? 500) * 2 ** (attempt - 2));
        report({ state: 'retrying', attempt, file, error: lastError });
        await sleep(Math.round(ceiling * (0.5 + random() / 2)));
      }
      report(attempt > 1 ? { state: 'retrying', attempt, file } : { state: 'syncing', attempt, file, error: undefined });
      const timer = idleTimeout(timeoutMs);
      try {
        return ok(await op(timer));
      } catch (e) {
        let fault: FeedFault;
        if (e instanceof FeedFault) fault = e;
        else if (e instanceof Error && e.name === 'StorageFullError') fault = new FeedFault('storage-full', false, 'storage full: this device has no room for more data');
        else if (timer.expired()) fault = new FeedFault('network', true, `${file ?? 'change list'}: ${messageOf(timer.signal.reason)}`);
        else if (e instanceof TypeError || (e instanceof DOMException && e.name === 'AbortError')) fault = new FeedFault('network', true, `${file ?? 'change list'}: network error (${messageOf(e)})`);
        else throw e;
        lastError = fault.message;
        if (!fault.retry) return err(fault.code, fault.message);
      } finally {
        timer.disarm();
      }
    }
    return err('network', `${lastError} (gave up after ${maxAttempts} attempts)`);
  }

  /** GET with the idle timeout; an HTTP error status becomes a fault. */
  async function get(url: string, timer: IdleTimeout, headers: Record<string, string>, what: string): Promise<Response> {
    timer.arm();
    const res = await timer.race(doFetch(url, { headers, signal: timer.signal })).finally(timer.disarm);
    if (res.ok || res.status === 304) return res;
    const words = `${what}: headquarters answered HTTP ${res.status}`;
    throw new FeedFault(retryable(res.status) ? 'network' : 'bad-response', retryable(res.status), words);
  }

  try {
    const changes = await withRetries(undefined, async (timer) => {
      const res = await get(`${base}/changes?since=${encodeURIComponent(previousCursor ?? '')}`, timer, { accept: 'application/json' }, 'change list');
      let text: string;
      timer.arm();
      try {
        text = await timer.race(res.text());
      } catch (e) {
        throw new FeedFault('network', true, `change list: ${timer.expired() ? messageOf(timer.signal.reason) : `the connection dropped (${messageOf(e)})`}`);
      } finally {
        timer.disarm();
      }
      const parsed = parseChangeSet(text);
      // A JSON object that stops before its closing brace was cut off on the way: try again. Anything else is wrong.
      if (!parsed.ok && !text.trimEnd().endsWith('}') && text.trimStart().startsWith('{')) throw new FeedFault('network', true, 'change list: cut off before its end');
      if (!parsed.ok) throw new FeedFault('bad-response', false, parsed.detail ?? 'bad change list');
      return parsed.value;
    });
    if (!changes.ok) return fail(changes);
    const target = changes.value.cursor;
    const outcomes: FileOutcome[] = [];
    for (const file of changes.value.files) {
      const done = await syncFile(file, target);
      if (!done.ok) return fail(done);
      outcomes.push(done.value);
    }
    // Every file of the change set committed: now, and only now, the cursor moves.
    const tx = db.transaction('meta', 'readwrite');
    void tx.store.put(target, HQ_META.cursor);
    for (const file of changes.value.files) void tx.store.delete(HQ_META.progress(file.name));
    await tx.done;
    report({ state: 'up-to-date', attempt: 1, file: undefined, error: undefined, cursor: target });
    return ok({
      cursor: target, ...(previousCursor ? { previousCursor } : {}), files: outcomes,
      changed: outcomes.some((f) => f.outcome === 'imported' && f.accepted > 0),
    });
  } catch (e) {
    report({ state: 'failed', error: `unexpected: ${messageOf(e)}` });
    throw e;
  }

  function fail(result: { ok: false; error: FeedSyncError; detail?: string }) {
    report({ state: 'failed', error: result.detail ?? result.error });
    return result;
  }

  async function syncFile(file: HqFile, target: string): Promise<Result<FileOutcome, FeedSyncError>> {
    const feed = feedFromName(file.name)!;
    const version = file.etag ? `etag:${file.etag}` : `cursor:${target}`;
    const progressKey = HQ_META.progress(file.name);
    let progress = (await db.get('meta', progressKey)) as FileProgress | undefined;
    if (progress?.version !== version) progress = undefined;
    if (progress?.done) return ok({ name: file.name, outcome: 'done-before', accepted: 0, rejected: 0, duplicates: 0 });
    const knownEtag = (await db.get('meta', HQ_META.etag(file.name))) as string | undefined;
    const url = new URL(file.url, `${base}/`).href;
    const rowsBefore = status.rowsDone;
    return withRetries(file.name, async (timer) => {
      const skipLines = feed.format === 'json' ? 0 : progress?.lines ?? 0;
      const res = await get(url, timer, knownEtag ? { 'if-none-match': knownEtag } : {}, file.name);
      if (res.status === 304) {
        await db.put('meta', { version, lines: 0, done: true } satisfies FileProgress, progressKey);
        return { name: file.name, outcome: 'not-modified', accepted: 0, rejected: 0, duplicates: 0 } satisfies FileOutcome;
      }
      const onProgress = (p: ImportProgress) => report({ rowsDone: rowsBefore + p.accepted + p.rejected });
      const summary = await importFeed(db, await state(), { name: file.name, ...feed }, feedText(res, timer, file.name, feed.format), onProgress, {
        importId: `hq:${file.name}|${version}`,
        skipLines,
        ...(options.batchRows ? { batchRows: options.batchRows } : {}),
        onCommit: async (lines) => {
          progress = { version, lines: Math.max(lines, progress?.lines ?? 0), done: false };
          await db.put('meta', progress, progressKey);
        },
      });
      const tx = db.transaction('meta', 'readwrite');
      void tx.store.put({ version, lines: progress?.lines ?? 0, done: true } satisfies FileProgress, progressKey);
      const etag = res.headers.get('etag') ?? file.etag;
      if (etag) void tx.store.put(etag, HQ_META.etag(file.name));
      await tx.done;
      return {
        name: file.name, outcome: 'imported', accepted: summary.accepted, rejected: summary.rejected, duplicates: summary.duplicates,
        ...(skipLines ? { resumedAfterLine: skipLines } : {}),
      } satisfies FileOutcome;
    });
  }
}

/** One sync at a time per database, and its last status. */
export interface FeedSync {
  run(db: LarderDB, state: () => Promise<ImportState>, options: FeedSyncOptions): Promise<Result<SyncSummary, FeedSyncError>>;
  status(): FeedSyncStatus;
}

const syncs = new Map<string, FeedSync>();

/** The feed sync of a database (by name): a second `run` while one is going joins it. */
export function feedSyncFor(dbName: string): FeedSync {
  let sync = syncs.get(dbName);
  if (sync) return sync;
  let status: FeedSyncStatus = { state: 'idle', attempt: 0, rowsDone: 0 };
  let running: Promise<Result<SyncSummary, FeedSyncError>> | undefined;
  sync = {
    run(db, state, options) {
      return (running ??= syncFeeds(db, state, {
        ...options,
        onStatus: (s) => {
          status = s;
          options.onStatus?.(s);
        },
      }).finally(() => {
        running = undefined;
      }));
    },
    status: () => status,
  };
  syncs.set(dbName, sync);
  return sync;
}
