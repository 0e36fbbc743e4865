// Incremental feed sync from headquarters over HTTP: a cursor for change sets, ETags per file, resumable per file,
// patient with the network and strict with answers that are not feeds.
/**
 * ## The protocol
 *
 * 1. `GET {base}/changes?since={cursor}` (an empty `since` the first time) answers JSON
 *    `{ "cursor": "c42", "files": [{ "name": "baskets-2026-11-28.ndjson", "url": "files/baskets-2026-11-28.ndjson", "etag": "\"b7\"" }] }`:
 *    the files changed since that cursor, in the order they are to be imported (products and members before the
 *    baskets that name them). `name` is a feed file name as `feedFromName` reads it (products*, members*, deals*,
 *    baskets*, content*; .csv, .ndjson, .jsonl, .json, optionally .gz) or `campaigns.json` (a JSON array checked
 *    whole by protocol/campaigns.ts, stored in one transaction); `url` is absolute or relative to `{base}/`;
 *    `etag` is optional.
 * 2. Each file is fetched with `If-None-Match: <etag>` when a version of that name was imported before; `304` skips it.
 *    A body is complete when it ends with a line break (a JSON array: with its `]`) or its length equals
 *    `Content-Length`: anything else was cut off and is fetched again, so a half-downloaded last row is never
 *    imported. (A body cut exactly at a line break cannot be told from a whole one by its text; fetch itself rejects
 *    a body shorter than its `Content-Length` or with an unfinished chunked encoding, so headquarters must send one
 *    of the two, as every HTTP/1.1 server does.)
 *    With a device token (`Authorization: Bearer …`, from enrolment: worker/hq-link.ts) on every request. The
 *    change list may carry `"erasures": ["M17", …]`: members headquarters erased, deleted from the device (record,
 *    history, lists, controls) in the transaction that moves the cursor.
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
import { feedFromName } from '../core/feeds/index.ts';
import { importFeed, type ImportProgress, type ImportState } from './import.ts';
import { settle, type LarderDB } from './store.ts';
import { dropMember } from './packs.ts';
import { getMeta, metaKey, putMeta } from './meta.ts';
import { FeedFault, askWithRetries, cutObject, feedText, getWithin, messageOf, patienceOf, statusReporter, textWithin, type IdleTimeout } from './hq-body.ts';
import { CAMPAIGNS_FILE } from '../protocol/changes.ts';
import { parseCampaigns } from '../protocol/campaigns.ts';

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
  /** Members headquarters erased since the cursor: deleted from this device with the cursor's move. */
  erasures: string[];
}

/** Where a feed sync is. */
export type FeedSyncState = 'idle' | 'syncing' | 'retrying' | 'up-to-date' | 'failed';

/** The sync's status, for the manager screen: reported as it changes and readable afterwards. */
export interface FeedSyncStatus {
  state: FeedSyncState;
  /** Attempt of the current request (1 = first try). */
  attempt: number;
  /** The file being fetched or imported; of a store sync (`kind: 'store'`), `model` or `packs`. */
  file?: string;
  /** Data rows stored (or rejected) by this sync so far; of a store sync, member packs stored. */
  rowsDone: number;
  /** `store`: an enrolled kiosk's sync of its store model and packs (worker/hq-store-sync.ts); absent: feed files. */
  kind?: 'store';
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
  /** Whether any row was stored or erased. */
  changed: boolean;
  /** Members erased on this device because headquarters erased them. */
  erased: number;
}

export type FeedSyncError = 'network' | 'bad-response' | 'storage-full';

/** Where headquarters is and how patient to be. */
export interface FeedSyncOptions {
  baseUrl: string;
  /** The device token (`Authorization: Bearer …`) sent with every request. */
  token?: string;
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
export interface FileProgress {
  version: string;
  lines: number;
  done: boolean;
}

/** The `meta` keys of the sync. */
export const HQ_META = {
  cursor: 'hq:cursor',
  etag: metaKey.hqEtag,
  progress: metaKey.hqProgress,
} as const;


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
  const { erasures = [] } = body as { erasures?: unknown };
  if (!Array.isArray(erasures) || !erasures.every((m) => typeof m === 'string' && m.length > 0)) return err('bad-response', 'the change list has erasures that are not member ids');
  const out: HqFile[] = [];
  const names = new Set<string>();
  for (const f of files as unknown[]) {
    const { name, url, etag } = (typeof f === 'object' && f !== null ? f : {}) as { name?: unknown; url?: unknown; etag?: unknown };
    if (typeof name !== 'string' || typeof url !== 'string' || (etag !== undefined && typeof etag !== 'string')) {
      return err('bad-response', `the change list has a file without a name and url: ${JSON.stringify(f)}`);
    }
    if (name !== CAMPAIGNS_FILE && !feedFromName(name)) return err('bad-response', `the change list names a file that is not a feed: ${name}`);
    if (names.has(name)) return err('bad-response', `the change list names ${name} twice`);
    names.add(name);
    out.push({ name, url, ...(etag !== undefined ? { etag } : {}) });
  }
  return ok({ cursor, files: out, erasures: erasures as string[] });
}


/** One sync run: fetch the change list since the stored cursor and import its files. Returns what was done, or why
 * it stopped; the status goes to `options.onStatus` as it changes. */
export async function syncFeeds(db: LarderDB, state: () => Promise<ImportState>, options: FeedSyncOptions): Promise<Result<SyncSummary, FeedSyncError>> {
  const doFetch = options.fetch ?? ((u: RequestInfo | URL, i?: RequestInit) => fetch(u, i));
  const patience = patienceOf(options);
  const base = options.baseUrl.replace(/\/+$/, '');
  const previousCursor = await getMeta(db, 'hq:cursor');
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const report = statusReporter({ state: 'syncing', attempt: 1, rowsDone: 0, ...(previousCursor ? { cursor: previousCursor } : {}) }, options.onStatus);
  report({});

  /** Run one request (and what follows it) until it succeeds, fails for good, or runs out of attempts. */
  const withRetries = <T>(file: string | undefined, op: (timer: IdleTimeout) => Promise<T>) => askWithRetries(patience, report, file, file ?? 'change list', op);

  /** GET with the idle timeout and the device token; an HTTP error status becomes a fault. */
  const get = (url: string, timer: IdleTimeout, headers: Record<string, string>, what: string) => getWithin(doFetch, url, { ...headers, ...auth }, timer, what);

  try {
    const changes = await withRetries(undefined, async (timer) => {
      const res = await get(`${base}/changes?since=${encodeURIComponent(previousCursor ?? '')}`, timer, { accept: 'application/json' }, 'change list');
      const text = await textWithin(res, timer, 'change list');
      const parsed = parseChangeSet(text);
      // A JSON object that stops before its closing brace was cut off on the way: try again. Anything else is wrong.
      if (!parsed.ok && cutObject(text)) throw new FeedFault('network', true, 'change list: cut off before its end');
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
    // Every file of the change set committed: now, and only now, the cursor moves, with the erasures in the same
    // transaction (a crash before it re-runs the change set, erasures included).
    const erasures = changes.value.erasures;
    const tx = db.transaction(['meta', 'packs', 'shown', 'lists'], 'readwrite');
    const meta = tx.objectStore('meta');
    let erased = 0;
    const stores = { packs: tx.objectStore('packs'), shown: tx.objectStore('shown'), lists: tx.objectStore('lists') };
    for (const memberId of erasures) if (await dropMember(stores, memberId)) erased++;
    void putMeta(meta, 'hq:cursor', target);
    for (const file of changes.value.files) void meta.delete(HQ_META.progress(file.name));
    await settle(tx);
    report({ state: 'up-to-date', attempt: 1, file: undefined, error: undefined, cursor: target });
    return ok({
      cursor: target, ...(previousCursor ? { previousCursor } : {}), files: outcomes,
      changed: erased > 0 || outcomes.some((f) => f.outcome === 'imported' && f.accepted > 0), erased,
    });
  } catch (e) {
    report({ state: 'failed', error: `unexpected: ${messageOf(e)}` });
    throw e;
  }

  function fail(result: { ok: false; error: FeedSyncError; detail?: string }) {
    report({ state: 'failed', error: result.detail ?? result.error });
    return result;
  }

  /** The campaigns file: checked whole (protocol/campaigns.ts), then stored in one transaction with its ETag. */
  async function syncCampaigns(file: HqFile): Promise<Result<FileOutcome, FeedSyncError>> {
    const knownEtag = await getMeta(db, HQ_META.etag(file.name));
    return withRetries(file.name, async (timer) => {
      const res = await get(new URL(file.url, `${base}/`).href, timer, knownEtag ? { 'if-none-match': knownEtag } : {}, file.name);
      if (res.status === 304) return { name: file.name, outcome: 'not-modified', accepted: 0, rejected: 0, duplicates: 0 } satisfies FileOutcome;
      let text = '';
      for await (const chunk of feedText(res, timer, file.name, 'json')) text += chunk;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new FeedFault('bad-response', false, `${file.name}: not JSON`);
      }
      const campaigns = parseCampaigns(body);
      if (!campaigns.ok) throw new FeedFault('bad-response', false, `${file.name}: ${campaigns.detail ?? campaigns.error}`);
      const tx = db.transaction(['campaigns', 'meta'], 'readwrite');
      for (const c of campaigns.value) void tx.objectStore('campaigns').put(c);
      const etag = res.headers.get('etag') ?? file.etag;
      if (etag) void putMeta(tx.objectStore('meta'), HQ_META.etag(file.name), etag);
      await settle(tx);
      return { name: file.name, outcome: 'imported', accepted: campaigns.value.length, rejected: 0, duplicates: 0 } satisfies FileOutcome;
    });
  }

  async function syncFile(file: HqFile, target: string): Promise<Result<FileOutcome, FeedSyncError>> {
    if (file.name === CAMPAIGNS_FILE) return syncCampaigns(file);
    const feed = feedFromName(file.name)!;
    const version = file.etag ? `etag:${file.etag}` : `cursor:${target}`;
    const progressKey = HQ_META.progress(file.name);
    let progress = await getMeta(db, progressKey);
    if (progress?.version !== version) progress = undefined;
    if (progress?.done) return ok({ name: file.name, outcome: 'done-before', accepted: 0, rejected: 0, duplicates: 0 });
    const knownEtag = await getMeta(db, HQ_META.etag(file.name));
    const url = new URL(file.url, `${base}/`).href;
    const rowsBefore = report.now().rowsDone;
    return withRetries(file.name, async (timer) => {
      const skipLines = feed.format === 'json' ? 0 : progress?.lines ?? 0;
      const res = await get(url, timer, knownEtag ? { 'if-none-match': knownEtag } : {}, file.name);
      if (res.status === 304) {
        await putMeta(db, progressKey, { version, lines: 0, done: true });
        return { name: file.name, outcome: 'not-modified', accepted: 0, rejected: 0, duplicates: 0 } satisfies FileOutcome;
      }
      const onProgress = (p: ImportProgress) => report({ rowsDone: rowsBefore + p.accepted + p.rejected });
      const summary = await importFeed(db, await state(), { name: file.name, ...feed }, feedText(res, timer, file.name, feed.format), onProgress, {
        importId: `hq:${file.name}|${version}`,
        skipLines,
        ...(options.batchRows ? { batchRows: options.batchRows } : {}),
        onCommit: async (lines) => {
          progress = { version, lines: Math.max(lines, progress?.lines ?? 0), done: false };
          await putMeta(db, progressKey, progress);
        },
      });
      const tx = db.transaction('meta', 'readwrite');
      void putMeta(tx.store, progressKey, { version, lines: progress?.lines ?? 0, done: true });
      const etag = res.headers.get('etag') ?? file.etag;
      if (etag) void putMeta(tx.store, HQ_META.etag(file.name), etag);
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
