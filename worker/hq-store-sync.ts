// An enrolled kiosk's sync with headquarters (DESIGN.md "Who holds what"): the store model and the member packs of its
// own store — never the raw feeds, never another store's members.
/**
 * ## The protocol
 *
 * 1. `GET {hq}/v1/stores/{store}/model` with `If-None-Match: <kept ETag>` (a public route: no token). `304`: the kept
 *    model is current. `200`: the body is checked whole (protocol/packs.ts) and must be this store's; then, in one
 *    transaction, the catalogue replaces the device's (a product's index is its position in the model, so the model's
 *    arrays are used as they come; stored histories are re-indexed when a position moved), deals, campaigns and
 *    content are replaced by the model's, and the model (scorer, segment cuts, bestsellers) is kept in `meta`
 *    (`hq:storeModel`) with its ETag.
 * 2. `GET {hq}/v1/stores/{store}/packs?since=<cursor>` with the device token, page after page while headquarters
 *    says `more`: each page's packs replace the members' packs on the device, its `removed` members are erased
 *    (pack and lists), and the cursor (`hq:packsCursor`) moves in the same transaction, so a crash re-runs one page
 *    at most (a pack is a whole replacement: idempotent).
 *    A pack keeps what this device knows and headquarters cannot yet: till baskets still in the outbox are merged
 *    into its history (by basket id), and a consent change or a control still in the outbox stands over headquarters'
 *    (both go to headquarters through the outbox, `POST /v1/consents` and `POST /v1/controls`).
 * 3. Faults: network errors, timeouts (no byte for `timeoutMs`), HTTP 5xx, 408, 409, 429 and a body cut off before its
 *    end are retried with backoff (worker/retry.ts); other 4xx, a web page, a body that is not the JSON above or a
 *    model of another store fail at once with `bad-response` and store nothing; a full disk fails with
 *    `storage-full`, keeping the pages committed before.
 */
import * as v from 'valibot';
import type { Basket, Member } from '../core/types.ts';
import { err, ok, type Result } from '../core/result.ts';
import { emptyHistory, mergeBaskets, type PackedHistory } from '../core/history.ts';
import { applyControl, controlsFromList, type ItemControls } from '../core/lists/preferences.ts';
import type { ControlChange } from './preferences.ts';
import type { ShownMemory } from '../core/lists/variety.ts';
import {
  PackChangesWireSchema, memberPackFromWire, packOnCatalogue, parseStoreModel, type DeviceMemberPack, type DeviceStoreModel,
} from '../protocol/packs.ts';
import { settle, type LarderDB, type OutboxRecord, type PackRecord, type ProductRecord } from './store.ts';
import { dropMember, reindexPack, withHistory } from './packs.ts';
import { deleteMemberLists } from './lists.ts';
import { getMeta, putMeta } from './meta.ts';
import { isStorageFull } from './errors.ts';
import { FeedFault, askWithRetries, cutObject, getWithin, patienceOf, statusReporter, textWithin } from './hq-body.ts';
import { issuePath } from '../protocol/packed-arrays.ts';
import type { DeviceLink } from './hq-link.ts';
import type { FeedSyncError, FeedSyncOptions, FeedSyncStatus } from './hq-feed.ts';

/** The store model as a kiosk keeps it in `meta` (`hq:storeModel`): what its lists need of headquarters' model. */
export interface KeptStoreModel {
  storeId: string;
  etag: string;
  version: number;
  /** Members the model's statistics come from. */
  members: number;
  model: DeviceStoreModel['model'];
  segmentCuts: [string, number, number][];
  popular: number[];
}

/** What one store sync did. */
export interface StoreSyncSummary {
  /** The packs cursor after the sync. */
  cursor: string;
  previousCursor?: string;
  /** `new`: headquarters sent a model this device did not have. */
  model: 'new' | 'not-modified';
  /** Packs stored (new or changed members). */
  packs: number;
  /** Members erased on this device because headquarters erased them (or they left the store). */
  erased: number;
  /** Whether anything was stored or erased. */
  changed: boolean;
}

/** How patient to be: the feed sync's options (worker/hq-feed.ts) that apply; headquarters is the enrolled one. */
export type StoreSyncOptions = Pick<FeedSyncOptions, 'fetch' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'timeoutMs' | 'sleep' | 'random' | 'onStatus'>;


/** The two things a store sync fetches, as its status names them (the manager screen words them). */
const MODEL = 'model';
const PACKS = 'packs';
const words = (what: string) => (what === MODEL ? 'store model' : 'member packs');

/** One sync of the enrolled store: the model, then every page of packs changed since the kept cursor. */
export async function syncStore(db: LarderDB, link: DeviceLink, options: StoreSyncOptions = {}): Promise<Result<StoreSyncSummary, FeedSyncError>> {
  const doFetch = options.fetch ?? ((u: RequestInfo | URL, i?: RequestInit) => fetch(u, i));
  const patience = patienceOf(options);
  const base = `${link.baseUrl.replace(/\/+$/, '')}/v1/stores/${encodeURIComponent(link.storeId)}`;
  const previousCursor = await getMeta(db, 'hq:packsCursor');
  const report = statusReporter({ kind: 'store', state: 'syncing', attempt: 1, rowsDone: 0, ...(previousCursor ? { cursor: previousCursor } : {}) }, options.onStatus);
  report({});

  /** One GET answered as JSON (`undefined` for a 304), retried while a retry may help. */
  const getJson = (what: string, url: string, headers: Record<string, string>) => askWithRetries(patience, report, what, words(what), async (timer) => {
    const res = await getWithin(doFetch, url, { accept: 'application/json', ...headers }, timer, words(what));
    if (res.status === 304) return undefined;
    const type = res.headers.get('content-type') ?? '';
    if (/text\/html|xhtml/i.test(type)) throw new FeedFault('bad-response', false, `${words(what)}: headquarters sent a web page (${type})`);
    const text = await textWithin(res, timer, words(what));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A JSON object that stops before its closing brace was cut off on the way: try again. Anything else is wrong.
      const cut = cutObject(text);
      throw new FeedFault(cut ? 'network' : 'bad-response', cut, `${words(what)}: ${cut ? 'cut off before its end' : 'not JSON'}`);
    }
  });

  const fail = (result: { ok: false; error: FeedSyncError; detail?: string }) => {
    report({ state: 'failed', error: result.detail ?? result.error });
    return result;
  };
  const guard = async <T>(work: () => Promise<T>): Promise<T | Result<never, FeedSyncError>> => {
    try {
      return await work();
    } catch (e) {
      if (isStorageFull(e)) return fail(err('storage-full', 'storage full: this device has no room for more data'));
      throw e;
    }
  };

  // 1. The store model.
  const kept = await getMeta(db, 'hq:storeModel');
  const keptEtag = kept?.storeId === link.storeId ? kept.etag : undefined;
  const modelAnswer = await getJson(MODEL, `${base}/model`, keptEtag ? { 'if-none-match': keptEtag } : {});
  if (!modelAnswer.ok) return fail(modelAnswer);
  let modelOutcome: StoreSyncSummary['model'] = 'not-modified';
  if (modelAnswer.value !== undefined || !keptEtag) {
    if (modelAnswer.value === undefined) return fail(err('bad-response', `store model: headquarters answered 304 to a device that holds none`));
    const parsed = parseStoreModel(modelAnswer.value);
    if (!parsed.ok) return fail(err('bad-response', `store model: ${parsed.error}${parsed.detail ? ` at ${parsed.detail}` : ''}`));
    if (parsed.value.storeId !== link.storeId) return fail(err('bad-response', `store model: headquarters sent store ${parsed.value.storeId}'s model for ${link.storeId}`));
    const stored = await guard(() => applyStoreModel(db, parsed.value));
    if (stored !== undefined) return stored;
    modelOutcome = 'new';
  }

  // 2. The packs, page after page.
  const auth = { authorization: `Bearer ${link.deviceToken}` };
  let cursor = previousCursor ?? '';
  let packs = 0;
  let erased = 0;
  for (;;) {
    const page = await getJson(PACKS, `${base}/packs?since=${encodeURIComponent(cursor)}`, auth);
    if (!page.ok) return fail(page);
    const checked = v.safeParse(PackChangesWireSchema, page.value);
    if (!checked.success) return fail(err('bad-response', `member packs: not a page of packs (${issuePath(checked.issues)})`));
    const body = checked.output;
    if (body.storeId !== link.storeId) return fail(err('bad-response', `member packs: headquarters sent store ${body.storeId}'s packs for ${link.storeId}`));
    const decoded: DeviceMemberPack[] = [];
    for (const wire of body.packs) {
      const d = memberPackFromWire(wire);
      if (!d.ok) return fail(err('bad-response', `member packs: member ${wire.member.id}: ${d.error}${d.detail ? ` at ${d.detail}` : ''}`));
      decoded.push(d.value);
    }
    const stored = await guard(() => applyPackPage(db, decoded, body.removed, body.cursor));
    if (typeof stored !== 'number') return stored;
    packs += decoded.length;
    erased += stored;
    report({ rowsDone: packs, cursor: body.cursor });
    const moved = body.cursor !== cursor;
    cursor = body.cursor;
    if (!body.more || !moved) break;
  }
  report({ state: 'up-to-date', attempt: 1, file: undefined, error: undefined, cursor });
  return ok({
    cursor, ...(previousCursor ? { previousCursor } : {}), model: modelOutcome, packs, erased,
    changed: modelOutcome === 'new' || packs > 0 || erased > 0,
  });
}

/** Keep headquarters' model: its catalogue (each product at its position), deals, campaigns and content in place of
 * the device's, histories re-indexed when a product's position moved, and the model itself in `meta`. */
export async function applyStoreModel(db: LarderDB, m: DeviceStoreModel): Promise<undefined> {
  const before = await db.getAll('products');
  const position = new Map(m.catalogue.map((p, i) => [p.id, i]));
  const width = before.reduce((w, p) => Math.max(w, p.idx + 1), 0);
  const map = new Int32Array(width).fill(-1);
  let moved = false;
  for (const p of before) {
    const to = position.get(p.id) ?? -1;
    map[p.idx] = to;
    if (to !== p.idx) moved = true;
  }
  const tx = db.transaction(['products', 'deals', 'campaigns', 'content', 'packs', 'meta'], 'readwrite');
  for (const name of ['products', 'deals', 'campaigns', 'content'] as const) void tx.objectStore(name).clear();
  m.catalogue.forEach((p, idx) => void tx.objectStore('products').put({ ...p, idx } satisfies ProductRecord));
  for (const deal of m.deals) void tx.objectStore('deals').put(deal);
  for (const campaign of m.campaigns) void tx.objectStore('campaigns').put(campaign);
  for (const c of m.content) void tx.objectStore('content').put(c);
  if (moved) {
    for (let c = await tx.objectStore('packs').openCursor(); c; c = await c.continue()) void c.update(reindexPack(c.value, map));
  }
  const meta = tx.objectStore('meta');
  void putMeta(meta, 'productCount', m.catalogue.length);
  void putMeta(meta, 'hq:storeModel', {
    storeId: m.storeId, etag: m.etag, version: m.version, members: m.members, model: m.model,
    segmentCuts: [...m.segmentCuts].map(([c, [lo, hi]]) => [c, lo, hi] as [string, number, number]), popular: [...m.popular],
  });
  await settle(tx);
  return undefined;
}

/** Headquarters' controls with this device's not yet delivered applied on top, in the order they were made. */
function mergedControls(hq: DeviceMemberPack, waiting: readonly ControlChange[] | undefined): { controls?: ItemControls } {
  let controls = controlsFromList(hq.controls);
  for (const c of [...(waiting ?? [])].sort((a, b) => a.at - b.at)) controls = applyControl(controls, c.productId, c.control, c.day);
  return Object.keys(controls.notForMe).length + Object.keys(controls.mutedUntil).length > 0 ? { controls } : {};
}

/** Headquarters' shown-items memory and this device's: the later showing of each product. */
function mergedShown(hq: ShownMemory, local: ShownMemory | undefined): ShownMemory {
  const shown: ShownMemory = { ...hq };
  for (const [pid, s] of Object.entries(local ?? {})) if (!shown[pid] || shown[pid]!.lastShownDay < s.lastShownDay) shown[pid] = s;
  return shown;
}

/** Store one page of packs (and erase its removed members) with the cursor, in one transaction; how many members
 * were erased. */
async function applyPackPage(db: LarderDB, packs: readonly DeviceMemberPack[], removed: readonly string[], cursor: string): Promise<number> {
  const products = await db.getAll('products');
  const index = new Map(products.map((p) => [p.id, p.idx]));
  const tx = db.transaction(['packs', 'shown', 'lists', 'outbox', 'meta'], 'readwrite');
  const store = tx.objectStore('packs');
  const shownStore = tx.objectStore('shown');
  const stores = { packs: store, shown: shownStore, lists: tx.objectStore('lists') };
  // Till baskets this device has not yet delivered: headquarters' history lacks them, the member's must not.
  const unsent = new Map<string, Basket[]>();
  // Consent changes made here and not yet delivered: the latest of each member's.
  const consentHere = new Map<string, { personalise: boolean; atDay: number; at: number }>();
  const controlsHere = new Map<string, ControlChange[]>();
  for (const r of (await tx.objectStore('outbox').index('by-synced').getAll(0)) as OutboxRecord[]) {
    if (r.conflict) continue;
    if (r.kind === 'control') {
      const c = r.payload as { memberId: string; changes: ControlChange[] };
      (controlsHere.get(c.memberId) ?? controlsHere.set(c.memberId, []).get(c.memberId)!).push(...c.changes);
      continue;
    }
    if (r.kind === 'consent') {
      const c = r.payload as { memberId: string; personalise: boolean; atDay: number; at: number };
      if ((consentHere.get(c.memberId)?.at ?? -Infinity) < c.at) consentHere.set(c.memberId, c);
      continue;
    }
    if (r.kind !== 'basket') continue;
    const b = r.payload as Basket;
    (unsent.get(b.memberId) ?? unsent.set(b.memberId, []).get(b.memberId)!).push(b);
  }
  for (const pack of packs) {
    const here = consentHere.get(pack.member.id);
    const member: Member = here ? { ...pack.member, consent: { ...pack.member.consent, personalise: here.personalise, atDay: here.atDay } } : pack.member;
    const hadHistory = (await store.get(member.id))?.history !== undefined;
    // A card that moved to this member from another record on the device: that record goes (cards are unique).
    const holder = await store.index('by-card').getKey(member.cardCode);
    if (holder !== undefined && holder !== member.id) await dropMember(stores, holder);
    const { history: onCatalogue, neighbour } = packOnCatalogue(pack, index);
    let history: PackedHistory | undefined = member.consent.personalise ? onCatalogue : undefined;
    const waiting = member.consent.personalise ? unsent.get(member.id) : undefined;
    if (waiting?.length) {
      const known = waiting.map((b) => ({ ...b, lines: b.lines.filter((l) => index.has(l.productId)) }));
      history = mergeBaskets(history ?? emptyHistory(member.id), known, (pid) => index.get(pid)!).history;
    }
    const record: PackRecord = withHistory({
      id: member.id, member, etag: pack.etag, ...mergedControls(pack, controlsHere.get(member.id)),
      ...(member.consent.personalise && neighbour.neighbours > 0 ? { neighbour } : {}),
    }, history);
    void store.put(record);
    const shown = mergedShown(pack.shown, await shownStore.get(member.id));
    if (Object.keys(shown).length) void shownStore.put(shown, member.id);
    if (!member.consent.personalise && hadHistory) await deleteMemberLists(tx.objectStore('lists'), member.id);
  }
  let erased = 0;
  for (const memberId of removed) if (await dropMember(stores, memberId)) erased++;
  void putMeta(tx.objectStore('meta'), 'hq:packsCursor', cursor);
  await settle(tx);
  return erased;
}

/** One store sync at a time per database, and its last status. */
const syncs = new Map<string, { running?: Promise<Result<StoreSyncSummary, FeedSyncError>>; status: FeedSyncStatus }>();

/** The store sync of a database (by name): a second `run` while one is going joins it. */
export function storeSyncFor(dbName: string) {
  let entry = syncs.get(dbName);
  if (!entry) syncs.set(dbName, (entry = { status: { kind: 'store', state: 'idle', attempt: 0, rowsDone: 0 } }));
  const e = entry;
  return {
    run(db: LarderDB, link: DeviceLink, options: StoreSyncOptions): Promise<Result<StoreSyncSummary, FeedSyncError>> {
      return (e.running ??= syncStore(db, link, { ...options, onStatus: (s) => { e.status = s; options.onStatus?.(s); } }).finally(() => { e.running = undefined; }));
    },
    status: (): FeedSyncStatus => e.status,
  };
}
