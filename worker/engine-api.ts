// The engine: async methods the page calls through Comlink. Reads, calls core, writes, returns plain data.
import type { Day, Member, Redemption, ShoppingList } from '../core/types.ts';
import { err, ok, type Result } from '../core/result.ts';
import { isValidEan13 } from '../core/ean.ts';
import { parseDay } from '../core/dates.ts';
import { emptyHistory, mergeBaskets, tripsUntil, type PackedHistory } from '../core/history.ts';
import { scoreMember } from '../core/lists/next-basket.ts';
import { buildList, DEFAULT_LIST_SETTINGS } from '../core/lists/list.ts';
import type { MemberStats } from '../core/lists/member-stats.ts';
import { summarisePacked } from '../core/lists/member-summary.ts';
import { buildEngineModel, dropPersistedModel, loadListContext, loadPersistedModel, persistModel, type EngineModel, type ListContext } from './list-context.ts';
import { segmentCategories, type CategorySegments } from '../core/lists/segments.ts';
import type { ManufacturerReport, ReportFact } from '../core/insights/report.ts';
import { planCheckout, type CheckoutPlan, type ReceiptLine } from '../core/checkout/checkout.ts';
import { feedFromName } from '../core/feeds/schemas.ts';
import { openStore, readAllHistories, readHistory, readKeyRange, settle, writeHistory, type LarderDB, type OutboxRecord, type ProductRecord, type StoreEvents } from './store.ts';
import { drainOutbox, outboxRecord, type DrainReport } from './sync.ts';
import { createCodes, createSerials } from './codes.ts';
import type { Insights } from '../core/insights/insights.ts';
import type { RejectedRow } from './manager.ts';
import type { CampaignResult } from '../core/insights/uplift.ts';
import { allLists, deleteMemberLists, listByCode, memberLists, recentLists, replaceList } from './lists.ts';
import { decodeHistory } from '../core/history-codec.ts';
import { eraseMemberHistory, loadControls, loadPreferences, readPreferences, readPreferencesMany, saveControl, storeIssuedList, storeIssuedLists, type Preferences } from './preferences.ts';
import { expireControls, filterList, type ItemControl, type ItemControls } from '../core/lists/preferences.ts';
import { shownMap } from '../core/lists/variety.ts';
import type { ImportProgress, ImportState, ImportSummary } from './import.ts';
import type { FeedSyncError, FeedSyncStatus, SyncSummary } from './hq-feed.ts';

// Loaded on first use, as separate chunks: what a kiosk needs to answer a scan or a checkout loads with the worker;
// importing feeds (papaparse), the manager's analyses and headquarters sync load when first asked for.
const importer = () => import('./import.ts');
const headquarters = () => import('./hq-feed.ts');
const analyses = () => Promise.all([import('../core/insights/insights.ts'), import('../core/insights/rules.ts'), import('../core/insights/report.ts'), import('./manager.ts')])
  .then(([insights, rules, report, manager]) => ({ ...insights, ...rules, ...report, ...manager }));

/** Options of an engine instance. */
export interface EngineOptions {
  dbName?: string;
  fetch?: typeof fetch;
  events?: StoreEvents;
  /** The store's day when no demo clock is stored (tests, batch runs); default: the real date. */
  today?: () => Day;
  /** Savings per deal this device may give before headquarters has confirmed them (offline exposure cap, cents).
   * Default 20,000 ($200); a list copied to many kiosks while the network is down costs at most this per kiosk. */
  offlineExposureCentsPerDeal?: number;
}

/** Counts and readiness, for the page's status line. */
export interface EngineStatus {
  members: number;
  products: number;
  histories: number;
  todayDay: Day;
  /** Lists handed out whose write then failed (storage full): each is made again at the member's next scan. */
  unsavedLists: number;
}

/** A member as the kiosk may show them: first name only. */
export interface MemberView {
  id: string;
  firstName?: string;
  personalise: boolean;
}

export type FindMemberError = 'wrong-length' | 'bad-check-digit' | 'unknown-card';

/** A basket presented at the till against a list code or a member card. */
export interface CheckoutRequest {
  /** The list code or the member card, as scanned. */
  code: string;
  /** The member card, when both were scanned. */
  card?: string;
  /** The POS basket id: retrying with the same id is idempotent. */
  basketId: string;
  lines: { productId: string; qty: number }[];
}

/** The savings receipt of a checkout. */
export interface CheckoutReceipt {
  listId: string;
  memberId: string;
  basketId: string;
  receipt: ReceiptLine[];
  totalSavingCents: number;
  refusals: CheckoutPlan['refusals'];
  /** True when this basket had been redeemed before: the stored receipt, nothing applied again. */
  replay: boolean;
  /** The code of the next list, when one was issued by this checkout. */
  nextListCode?: string;
}

export type CheckoutError =
  | 'wrong-length' | 'bad-check-digit' | 'not-a-list-code' | 'forged-code' | 'unknown-card' | 'unknown-list'
  | 'list-expired' | 'other-member' | 'empty-basket' | 'bad-basket' | 'storage-full' | 'no-list';
export type ListError = 'unknown-member' | 'no-data' | 'not-eligible' | 'refused';

/** Read a response body as text chunks. Gzip is recognised by its magic bytes, not the file name: a server may
 * already have inflated a `.gz` file by sending it with `Content-Encoding: gzip`. */
async function* bodyChunks(res: Response): AsyncGenerator<string> {
  if (!res.body) return;
  const raw = res.body.getReader();
  const first = await raw.read();
  if (first.done) return;
  const gzip = first.value[0] === 0x1f && first.value[1] === 0x8b;
  const replay = new ReadableStream<Uint8Array>({
    start(controller) { controller.enqueue(first.value); },
    async pull(controller) {
      const { value, done } = await raw.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
  const bytes = gzip ? replay.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>) : replay;
  const reader = bytes.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    yield value;
  }
}

/** Build the engine object. `export type Engine = ReturnType<typeof createEngine>`. */
export function createEngine(options: EngineOptions = {}) {
  let dbName = options.dbName ?? 'larder';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let dbPromise: Promise<LarderDB> | undefined;
  let importState: Promise<ImportState> | undefined;
  let productsCache: Promise<ProductRecord[]> | undefined;
  /** Drop the connection and everything read through it; the next use opens the database again. Used when switching
   * databases, after erasing this one, and when a connection closed under us (another tab upgrading or deleting it). */
  function forgetConnection() {
    dbPromise = undefined;
    importState = undefined;
    invalidate();
    codes.reload();
  }
  const connection = () => (dbPromise ??= openStore(dbName, {
    ...options.events,
    onVersionChange: () => { forgetConnection(); options.events?.onVersionChange?.(); },
    onTerminated: () => { forgetConnection(); options.events?.onTerminated?.(); },
  }));
  /** Lists are handed out before they are written (see `listFor`); this settles when every write so far has. */
  let listWrites: Promise<void> = Promise.resolve();
  let unsavedLists = 0;
  const unsavedIds: string[] = [];
  /** The database, once the lists handed out so far are written: whatever the engine does next sees them. */
  const db = async () => {
    await listWrites;
    return connection();
  };
  const state = async () => (importState ??= importer().then(async (m) => m.loadImportState(await db())));
  let insightsCache: Promise<Insights> | undefined;
  /** The demo clock as stored (read once, like the catalogue: only an import sets it). */
  let clockCache: Promise<Day | undefined> | undefined;
  let modelCache: Promise<EngineModel> | undefined;
  let contextCache: Promise<ListContext> | undefined;
  let segmentsCache: Promise<{ stats: MemberStats[]; segments: Map<string, CategorySegments> }> | undefined;
  /** Bumped whenever the data changes, so a model built from older data is not persisted over a newer drop. */
  let generation = 0;
  /** The persisted model was found to come from a store of another size: the next build ignores it. */
  let staleModel = false;
  const invalidate = () => {
    productsCache = undefined; insightsCache = undefined; modelCache = undefined; contextCache = undefined; segmentsCache = undefined;
    clockCache = undefined;
    generation++;
    staleModel = false;
    // The data changed: the persisted model goes too (not on a switch of database, when there is no connection yet).
    void dbPromise?.then(dropPersistedModel).catch(() => undefined);
  };
  /** After a checkout: budgets moved; the store model is kept (one basket hardly moves it). */
  const invalidateModel = () => { insightsCache = undefined; contextCache = undefined; segmentsCache = undefined; };
  /** The scorer's store-wide model and segment cuts: read from `meta` when one was persisted, else built from the
   * histories (a sample past 5,000 members, see worker/list-context.ts) and persisted for the next start. A persisted
   * model built from a store of another size (written past the engine) serves until the rebuild is due: the next call. */
  const storeModel = (): Promise<EngineModel> => {
    if (modelCache) return modelCache;
    const job = (async () => {
      const d = await db();
      const [catalogue, day] = await Promise.all([products(), engine.today()]);
      const stored = staleModel ? undefined : await loadPersistedModel(d, catalogue, day);
      staleModel = false;
      if (stored) {
        void stored.fits.then((fits) => { if (!fits && modelCache === job) [modelCache, staleModel] = [undefined, true]; });
        return stored.kept;
      }
      const gen = generation;
      const { built, persisted } = await buildEngineModel(d, catalogue, day);
      if (gen === generation) await persistModel(d, persisted).catch(() => undefined); // storage full: rebuilt next start
      return built;
    })();
    modelCache = job;
    return job;
  };
  /** Deals, campaigns, content and budgets left, shared by every list until an import or a checkout. */
  const listContext = async () => (contextCache ??= loadListContext(await db()));
  /** Every member's statistics and segments, for the manufacturer report only (it reads every history). */
  const memberSegmentsAll = () =>
    (segmentsCache ??= (async () => {
      const d = await db();
      const [histories, members, catalogue, day] = await Promise.all([readAllHistories(d), d.getAll('members'), products(), engine.today()]);
      const memberById = new Map(members.map((m) => [m.id, m]));
      const stats = histories.filter((h) => memberById.has(h.memberId)).map((h) => summarisePacked(memberById.get(h.memberId)!, h, catalogue, day).stats);
      return { stats, segments: segmentCategories(stats) };
    })());
  const codes = createCodes(db);
  const serials = createSerials(db);
  /** Products by dense index. */
  const products = async () =>
    (productsCache ??= db().then(async (d) => {
      const all = await d.getAll('products');
      const byIdx: ProductRecord[] = [];
      for (const p of all) byIdx[p.idx] = p;
      return byIdx;
    }));


  /** The list among a member's lists that is still current on `day`, if any. */
  function currentOf(lists: readonly ShoppingList[], day: Day): ShoppingList | undefined {
    return lists
      .filter((l) => l.issuedDay <= day && day < l.issuedDay + CADENCE_DAYS && day <= l.validUntilDay)
      .sort((a, b) => b.issuedDay - a.issuedDay)[0];
  }

  /** Build a member's list from their data (pure core work) and give it an id and a code (`keep`: rebuild a list
   * under its own id and code, after a shopper control). Hidden products and variety memory apply (`prefs`: already
   * read by the caller, with its own reads). */
  async function composeList(member: Member, history: PackedHistory | undefined, catalogue: ProductRecord[], day: Day, keep?: { id: string; code: string }, prefs?: Preferences): Promise<Result<ShoppingList, ListError>> {
    const serial = keep ? 0 : await serials.take(day);
    const id = keep?.id ?? `${member.id}-${day}-${serial}`;
    const d = await db();
    // The code's MAC is signed while the rest is read and computed.
    const signed = keep ? Promise.resolve(keep.code) : codes.issue(day, serial);
    const [{ model, position, popular, segmentCuts, productIndex }, { deals, campaigns, content, dealBudgetLeftCents }, { hidden, shown }] = await Promise.all([
      storeModel(), listContext(), prefs ?? loadPreferences(d, member.id, day),
    ]);
    const personalise = member.consent.personalise;
    const trips = personalise && history ? tripsUntil(history, day) : [];
    const scored = trips.length >= 2
      ? scoreMember(trips, model, day, { limit: 16 + 6, exploreLimit: 3 + 6, ...(position.has(member.id) ? { member: position.get(member.id)! } : {}) })
      : [];
    // The member's baskets summarised straight from the packed history (no Basket objects): statistics, usual
    // products and affinities for buildList, in one pass.
    const memberSummary = personalise && history ? summarisePacked(member, history, catalogue, day, { weeks: DEFAULT_LIST_SETTINGS.weeks }) : undefined;
    const code = await signed;
    const input = {
      member, baskets: [], ...(memberSummary ? { memberSummary } : {}), scored, products: catalogue,
      deals, campaigns, content, asOfDay: day, listId: id, code, settings: { cadenceDays: CADENCE_DAYS },
      storeBudgetLeftCents: STORE_COUPON_BUDGET_CENTS, dealBudgetLeftCents, segmentCuts, popular, productIndex,
      // 3 discovery slots among 16 candidates, as the scorer alone would pick; the 6 extra explore candidates rotate in.
      hidden, discovery: { slots: 3, limit: 16 }, ...(personalise ? { shownBefore: shownMap(shown, day) } : {}),
    };
    const built = buildList(input);
    if (built.ok) return ok(personalise ? built.value : { ...built.value, basis: 'no-consent' });
    if (built.error !== 'not-eligible') return err('refused', built.detail);
    // Below the threshold (new members too): the same store-wide list everyone gets, never less than a newcomer.
    const storeWide = buildList({ ...input, member: { ...member, consent: { ...member.consent, personalise: false } }, baskets: [], scored: [] });
    return storeWide.ok ? ok({ ...storeWide.value, basis: 'below-threshold' }) : err('refused', storeWide.detail);
  }

  /** A member's list on `day` from what was read about them: the current one (hidden products left out) while it is
   * fresh, else a new one (`current: false`, not yet stored). `listFor` and the batch `listsFor` both decide here. */
  async function listFrom(
    read: { member: Member | undefined; history: PackedHistory | undefined; lists: readonly ShoppingList[]; prefs: Preferences },
    catalogue: ProductRecord[], day: Day,
  ): Promise<Result<{ list: ShoppingList; current: boolean }, ListError>> {
    const current = currentOf(read.lists, day);
    if (current) return ok({ list: filterList(current, read.prefs.hidden), current: true });
    if (!read.member) return err('unknown-member');
    if (!catalogue.length) return err('no-data');
    const made = await composeList(read.member, read.history, catalogue, day, undefined, read.prefs);
    return made.ok ? ok({ list: made.value, current: false }) : made;
  }

  /** Find the list a scanned code points at, checking card, check digit, MAC and dates. */
  async function resolveList(d: LarderDB, req: CheckoutRequest, day: Day): Promise<Result<ShoppingList, CheckoutError>> {
    const code = req.code.trim();
    let list: ShoppingList | undefined;
    if (/^\d{13}$/.test(code)) {
      const found = await engine.findMember(code);
      if (!found.ok) return err(found.error === 'unknown-card' ? 'unknown-card' : found.error);
      const issued = await engine.listFor(found.value.id, day);
      if (!issued.ok) return err('no-list');
      list = issued.value;
    } else {
      const checked = await codes.verify(code);
      if (!checked.ok) return err(checked.error);
      list = await listByCode(d.transaction('lists').store, code);
      if (!list) return err('unknown-list');
      if (day > list.validUntilDay) return err('list-expired');
    }
    if (req.card) {
      const card = await engine.findMember(req.card);
      if (!card.ok) return err(card.error === 'unknown-card' ? 'unknown-card' : card.error);
      if (card.value.id !== list.memberId) return err('other-member');
    }
    return ok(list);
  }

  async function runCheckout(req: CheckoutRequest, commit: boolean): Promise<Result<CheckoutReceipt, CheckoutError>> {
    const d = await db();
    const day = await engine.today();
    if (!req.lines.length) return err('empty-basket');
    const catalogue = await products();
    const byId = new Map(catalogue.map((p) => [p.id, p]));
    if (req.lines.some((l) => !byId.has(l.productId) || !Number.isInteger(l.qty) || l.qty <= 0)) return err('bad-basket');
    const resolved = await resolveList(d, req, day);
    if (!resolved.ok) return resolved;
    const list = resolved.value;
    const lines = req.lines.map((l) => ({ productId: l.productId, qty: l.qty, unitPriceCents: byId.get(l.productId)!.priceCents, discountCents: 0 }));
    // readwrite even for a preview: checkouts of one list serialise, so two kiosks never redeem the same offer twice.
    const tx = d.transaction(['lists', 'redemptions', 'histories', 'outbox', 'meta', 'deals', 'members'], 'readwrite');
    try {
      const done = await tx.objectStore('redemptions').index('by-list').getAll(list.id);
      const mine = done.filter((r) => r.basketId === req.basketId);
      if (mine.length) {
        // The same basket again (a retry, a second scan): the receipt it already had, nothing redeemed twice.
        await tx.done;
        return ok(receiptOf(list, req.basketId, mine, [], true));
      }
      const budgetLeftCents = new Map<string, number>();
      for (const item of list.items) {
        if (!item.offer || budgetLeftCents.has(item.offer.dealId)) continue;
        const deal = await tx.objectStore('deals').get(item.offer.dealId);
        if (deal?.budgetCents === undefined) continue;
        const spent = ((await tx.objectStore('meta').get(`budget:${deal.id}`)) as number | undefined) ?? 0;
        budgetLeftCents.set(deal.id, deal.budgetCents - spent);
      }
      // Offline exposure: savings given here that headquarters has not confirmed yet, per deal.
      const cap = options.offlineExposureCentsPerDeal ?? OFFLINE_EXPOSURE_CENTS_PER_DEAL;
      const unconfirmed = new Map<string, number>();
      for (const r of await tx.objectStore('outbox').index('by-synced').getAll(0)) {
        if (r.kind !== 'redemption') continue;
        const p = r.payload as Redemption;
        unconfirmed.set(p.dealId, (unconfirmed.get(p.dealId) ?? 0) + p.amountCents);
      }
      const exposureLeftCents = new Map(list.items.flatMap((i) => (i.offer ? [[i.offer.dealId, cap - (unconfirmed.get(i.offer.dealId) ?? 0)] as const] : [])));
      const plan = planCheckout({ list, basketId: req.basketId, lines, day, redeemedOffers: new Set(done.map((r) => r.offerId)), budgetLeftCents, exposureLeftCents });
      if (!commit) {
        await tx.done;
        return ok({ listId: list.id, memberId: list.memberId, basketId: req.basketId, receipt: plan.receipt, totalSavingCents: plan.totalSavingCents, refusals: plan.refusals, replay: false });
      }
      const now = Date.now();
      const redemptions = plan.redemptions.map((r) => ({ ...r, id: crypto.randomUUID() }));
      for (const r of redemptions) {
        quiet(tx.objectStore('redemptions').put(r));
        quiet(tx.objectStore('outbox').put(outboxRecord('redemption', r.id, r, now)));
        const key = `budget:${r.dealId}`;
        if (budgetLeftCents.has(r.dealId)) {
          const spent = ((await tx.objectStore('meta').get(key)) as number | undefined) ?? 0;
          quiet(tx.objectStore('meta').put(spent + r.amountCents, key));
        }
      }
      const basket = { id: req.basketId, memberId: list.memberId, day, lines };
      const history = (await readHistory(tx.objectStore('histories'), list.memberId)) ?? emptyHistory(list.memberId);
      const merged = mergeBaskets(history, [basket], (pid) => byId.get(pid)!.idx);
      if (merged.added) {
        quiet(writeHistory(tx.objectStore('histories'), merged.history));
        quiet(tx.objectStore('outbox').put(outboxRecord('basket', `basket-${req.basketId}`, basket, now)));
      }
      await settle(tx);
      invalidateModel();
      // The next list, when this one is past its cadence: issued after the checkout commits, from the new history.
      let nextListCode: string | undefined;
      if (day >= list.issuedDay + CADENCE_DAYS - 1) {
        const next = await engine.listFor(list.memberId, day + 1);
        if (next.ok) nextListCode = next.value.code;
      }
      return ok({ ...receiptOf(list, req.basketId, redemptions, plan.refusals, false), ...(nextListCode ? { nextListCode } : {}) });
    } catch (e) {
      // Whatever failed midway, nothing of this checkout may commit: abort what was already written in it.
      try { tx.abort(); } catch { /* already finished or aborted */ }
      quiet(tx.done);
      if (e instanceof Error && e.name === 'StorageFullError') return err('storage-full');
      throw e;
    }
  }

  /** Import one feed file's text into the store, its kind and format from its name (`.gz` allowed); `size`, when
   * known, makes the progress a fraction. */
  async function importOne(name: string, size: number | undefined, chunks: AsyncIterable<string>, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary, 'unknown-feed'>> {
    const feed = feedFromName(name);
    if (!feed) return err('unknown-feed', name);
    const summary = await (await importer()).importFeed(await db(), await state(), { name, ...feed, ...(size === undefined ? {} : { size }) }, chunks, onProgress);
    invalidate();
    return ok(summary);
  }

  const loading = new Map<string, Promise<Result<ImportSummary[], 'network' | 'bad-manifest'>>>();
  /** Fetch the manifest's feed files and import them (skipped when this folder was loaded before). */
  async function loadFeeds(baseUrl: string, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary[], 'network' | 'bad-manifest'>> {
    const d = await db();
    if ((await d.get('meta', 'demoLoaded')) === baseUrl) return ok([]);
    const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    let manifest: { files: string[]; endDate: string };
    try {
      const res = await doFetch(`${base}manifest.json`);
      if (!res.ok) return err('network', `manifest: HTTP ${res.status}`);
      manifest = await res.json();
    } catch (e) {
      return err('network', String(e));
    }
    const end = parseDay(manifest.endDate ?? '');
    if (!Array.isArray(manifest.files) || end === undefined) return err('bad-manifest');
    const summaries: ImportSummary[] = [];
    for (const name of manifest.files) {
      const res = await doFetch(base + name).catch(() => undefined);
      if (!res?.ok) return err('network', `${name}: ${res ? `HTTP ${res.status}` : 'failed'}`);
      if (name === 'campaigns.json') {
        await (await importer()).importCampaigns(d, await res.json());
        continue;
      }
      const gzip = name.endsWith('.gz');
      const feed = feedFromName(name);
      if (!feed) continue;
      const size = Number(res.headers.get('content-length') ?? 0) || undefined;
      summaries.push(await (await importer()).importFeed(d, await state(), { name, ...feed, ...(size && !gzip ? { size } : {}) }, bodyChunks(res), onProgress));
    }
    await d.put('meta', end + 1, 'clockDay');
    await d.put('meta', baseUrl, 'demoLoaded');
    invalidate();
    return ok(summaries);
  }

  const engine = {
    /** Switch to another database (a store, a test, a benchmark); caches are dropped. */
    async useDatabase(name: string): Promise<void> {
      if (name === dbName) return;
      (await dbPromise)?.close();
      dbName = name;
      forgetConnection();
    },

    /** Counts of what is stored, and the store's "today". */
    async status(): Promise<EngineStatus> {
      const d = await db();
      const [members, productCount, histories] = await Promise.all([d.count('members'), d.count('products'), d.count('histories')]);
      return { members, products: productCount, histories, todayDay: await engine.today(), unsavedLists };
    },

    /** Settles when every list handed out so far is written; `unsaved`: the lists among the last 100 handed out whose
     * write failed (storage full), so the kiosk does not print a code that would not scan. */
    async settled(): Promise<{ unsaved: string[] }> {
      await db();
      return { unsaved: [...unsavedIds] };
    },

    /** Every member id, for batch work (the CLI's lists, overnight list generation). */
    async memberIds(): Promise<string[]> {
      return (await db()).getAllKeys('members');
    },

    /** The store's current day: the demo clock when demo data is loaded, else the real date. */
    async today(): Promise<Day> {
      const clock = await (clockCache ??= db().then((d) => d.get('meta', 'clockDay') as Promise<Day | undefined>));
      return clock ?? options.today?.() ?? Math.floor(Date.now() / 86_400_000);
    },

    /** Load a store's feed files from `baseUrl` (a folder with manifest.json) into the device, once. */
    async loadDemo(baseUrl: string, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary[], 'network' | 'bad-manifest'>> {
      // Several elements on one page ask for the same feeds at once: one import serves them all.
      const running = loading.get(baseUrl);
      if (running) return running;
      const job = loadFeeds(baseUrl, onProgress).finally(() => loading.delete(baseUrl));
      loading.set(baseUrl, job);
      return job;
    },

    /** Import one feed file given as text (the CLI's sibling, tests). */
    async importText(name: string, text: string, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary, 'unknown-feed'>> {
      async function* once() { yield text; }
      return importOne(name, text.length, once(), onProgress);
    },

    /** Import one feed file as the manager picked it (a File or Blob, read as a stream, not into memory at once); a
     * gzip file (`baskets.csv.gz`) is inflated on the way, recognised by its first bytes. */
    async importFile(name: string, file: Blob, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary, 'unknown-feed'>> {
      return importOne(name, name.endsWith('.gz') ? undefined : file.size, bodyChunks(new Response(file)), onProgress);
    },

    /** Find a member by a scanned or typed card code. */
    async findMember(code: string): Promise<Result<MemberView, FindMemberError>> {
      const digits = code.trim();
      if (!/^\d{13}$/.test(digits)) return err('wrong-length');
      if (!isValidEan13(digits)) return err('bad-check-digit');
      const member = await (await db()).getFromIndex('members', 'by-card', digits);
      if (!member) return err('unknown-card');
      return ok(memberView(member));
    },

    /** The member's shopping list as of a day (default: today): the current one when still fresh, else a new one. */
    async listFor(memberId: string, asOfDay?: Day): Promise<Result<ShoppingList, ListError>> {
      const d = await db();
      const day = asOfDay ?? (await engine.today());
      // One read transaction for the member's recent lists, record, history and preferences: each transaction is a
      // round trip.
      const tx = d.transaction(['lists', 'members', 'histories', 'prefs'], 'readonly');
      const [lists, member, history, prefs, catalogue] = await Promise.all([
        recentLists(tx.objectStore('lists'), memberId, day, CADENCE_DAYS), tx.objectStore('members').get(memberId), readHistory(tx.objectStore('histories'), memberId),
        readPreferences(tx.objectStore('prefs'), memberId, day), products(),
      ]);
      const made = await listFrom({ member, history, lists, prefs }, catalogue, day);
      if (!made.ok) return made;
      const { list, current } = made.value;
      if (current) return ok(list);
      // The list and its discovery items in the shown-items memory, one transaction, written once the answer is on
      // its way: the member sees the list at once, and everything the engine does next waits for the write (`db()`).
      // A failed write (storage full) is counted in `status()`; that list is made again at the next scan.
      // A list signed with a key that could not be stored (storage full on a new store) is shown, never stored.
      const stored = codes.isTransient(list.code) ? Promise.reject(new Error('storage-full: the list key could not be stored')) : new Promise((go) => setTimeout(go, 0)).then(() => storeIssuedList(d, list));
      const write = stored.catch((e: unknown) => {
        unsavedLists++;
        unsavedIds.push(list.id);
        if (unsavedIds.length > 100) unsavedIds.shift();
        console.warn(`list ${list.id} not stored: ${e instanceof Error ? e.message : String(e)}`);
      });
      listWrites = listWrites.then(() => write);
      return ok(list);
    },

    /** Lists for many members at once (the overnight batch, the CLI): as {@link listFor} for each, in chunks of
     * consecutive members. A chunk's members, histories and preferences are read as key ranges, its recent lists
     * member by member, in one read transaction; the next chunk is read while this one is composed, and this one is
     * stored (one commit, lists in packs) while the next is composed, so the worker and the database work at the same
     * time. `personalised` counts the issued lists that are personal (the others are the store-wide list). `onList`
     * (a caller in the same thread, such as the CLI) receives every list handed out, issued or current, in member
     * order. */
    async listsFor(memberIds: readonly string[], asOfDay?: Day, onList?: (list: ShoppingList) => void): Promise<{ issued: number; personalised: number; current: number; failed: Partial<Record<ListError, number>> }> {
      const d = await db();
      const day = asOfDay ?? (await engine.today());
      const catalogue = await products();
      const out = { issued: 0, personalised: 0, current: 0, failed: {} as Partial<Record<ListError, number>> };
      const fail = (e: ListError) => { out.failed[e] = (out.failed[e] ?? 0) + 1; };
      const ids = [...new Set(memberIds)].sort(); // key order: consecutive members are one key range
      const read = async (chunk: readonly string[]) => {
        const tx = d.transaction(['lists', 'members', 'histories', 'prefs'], 'readonly');
        const [members, prefs, lists, histories] = await Promise.all([
          readKeyRange(tx.objectStore('members'), chunk), readPreferencesMany(tx.objectStore('prefs'), chunk, day),
          Promise.all(chunk.map((id) => recentLists(tx.objectStore('lists'), id, day, CADENCE_DAYS))), readKeyRange(tx.objectStore('histories'), chunk),
        ]);
        return chunk.map((id, i) => {
          const stored = histories.get(id);
          return { member: members.get(id), prefs: prefs[i]!, lists: lists[i]!, history: stored && decodeHistory(stored) };
        });
      };
      let next = ids.length ? read(ids.slice(0, BATCH_CHUNK)) : undefined;
      let storing: Promise<void> = Promise.resolve();
      for (let at = 0; next; at += BATCH_CHUNK) {
        const rows = await next;
        // Created before this chunk's write: the database reads the next chunk while the worker composes this one.
        next = at + BATCH_CHUNK < ids.length ? read(ids.slice(at + BATCH_CHUNK, at + 2 * BATCH_CHUNK)) : undefined;
        const made = await Promise.all(rows.map((row) => listFrom(row, catalogue, day)));
        if (made.some((r) => r.ok && !r.value.current && codes.isTransient(r.value.list.code))) {
          // No list key could be stored: the batch stops as it does when a chunk's write finds storage full.
          const full = new Error('storage-full: the list key could not be stored');
          full.name = 'StorageFullError';
          throw full;
        }
        const issued: { list: ShoppingList; stored: Preferences['stored'] }[] = [];
        made.forEach((r, i) => {
          if (!r.ok) return fail(r.error);
          if (r.value.current) out.current++;
          else {
            issued.push({ list: r.value.list, stored: rows[i]!.prefs.stored });
            if (r.value.list.personalised) out.personalised++;
          }
          onList?.(r.value.list);
        });
        await storing;
        storing = storeIssuedLists(d, issued); // one commit for the chunk
        out.issued += issued.length;
      }
      await storing;
      return out;
    },

    /** What a checkout would redeem, without changing anything. */
    async previewCheckout(req: CheckoutRequest): Promise<Result<CheckoutReceipt, CheckoutError>> {
      return runCheckout(req, false);
    },

    /** Redeem the list's offers against the basket, add the basket to the history, queue both for headquarters and
     * issue the next list when due — all in one transaction. Idempotent by basket id. */
    async checkout(req: CheckoutRequest): Promise<Result<CheckoutReceipt, CheckoutError>> {
      return runCheckout(req, true);
    },

    /** The store's insight report (rules, activity, churn, patterns), computed once and kept until the data changes. */
    async insights(): Promise<Insights> {
      return (insightsCache ??= (async () => {
        const d = await db();
        const [histories, members, catalogue, day] = await Promise.all([readAllHistories(d), d.getAll('members'), products(), engine.today()]);
        return (await analyses()).computeInsights(histories, members, catalogue, { asOfDay: day });
      })());
    },

    /** Products frequently bought together with one product, strongest rule first. */
    async boughtTogether(productId: string, limit = 6): Promise<{ productId: string; name: string; priceCents: number; confidence: number; lift: number }[]> {
      const [catalogue, report] = await Promise.all([products(), engine.insights()]);
      const item = catalogue.find((p) => p?.id === productId);
      if (!item) return [];
      return (await analyses()).rulesFor(report.productRules, item.idx, limit).map((r) => {
        const p = catalogue[r.rhs]!;
        return { productId: p.id, name: p.name, priceCents: p.priceCents, confidence: r.confidence, lift: r.lift };
      });
    },

    /** Give or withdraw consent to personalise. Withdrawal erases the member's history and lists from this device;
     * what headquarters holds is headquarters' to erase. */
    async setConsent(memberId: string, personalise: boolean): Promise<Result<{ erased: boolean }, 'unknown-member'>> {
      const d = await db();
      const atDay = await engine.today(); // before the transaction: nothing else may be awaited inside it
      const tx = d.transaction(['members', 'histories', 'lists'], 'readwrite');
      const member = await tx.objectStore('members').get(memberId);
      if (!member) return err('unknown-member');
      void tx.objectStore('members').put({ ...member, consent: { ...member.consent, personalise, atDay } });
      if (!personalise) {
        void tx.objectStore('histories').delete(memberId);
        await deleteMemberLists(tx.objectStore('lists'), memberId);
      }
      await settle(tx);
      invalidate();
      return ok({ erased: !personalise });
    },

    /** The anonymised manufacturer report: categories × the nine segments, no ids, cells under `k` members hidden. */
    async manufacturerReport(options: { k?: number; categories?: string[] } = {}): Promise<ManufacturerReport> {
      const d = await db();
      const [{ stats, segments }, lists, redemptions, catalogue] = await Promise.all([memberSegmentsAll(), allLists(d), d.getAll('redemptions'), products()]);
      const categoryOf = new Map(catalogue.filter(Boolean).map((p) => [p.id, p.category]));
      const issued = new Map<string, number>(), redeemed = new Map<string, number>();
      for (const l of lists) for (const i of l.items) if (i.offer) issued.set(`${l.memberId}|${i.category}`, (issued.get(`${l.memberId}|${i.category}`) ?? 0) + 1);
      for (const r of redemptions) {
        const offer = lists.find((l) => l.id === r.listId)?.items.find((i) => i.offer?.id === r.offerId);
        const key = `${r.memberId}|${offer?.category ?? categoryOf.get(r.offerId.split(':').pop() ?? '') ?? ''}`;
        redeemed.set(key, (redeemed.get(key) ?? 0) + 1);
      }
      const facts: ReportFact[] = [];
      for (const st of stats) {
        for (const [category, volume] of st.categories) {
          const segment = segments.get(category)?.members.get(st.memberId);
          if (!segment) continue;
          const key = `${st.memberId}|${category}`;
          facts.push({ memberId: st.memberId, category, segment, units: volume.units, spendCents: volume.spendCents, offersIssued: issued.get(key) ?? 0, offersRedeemed: redeemed.get(key) ?? 0 });
        }
      }
      return (await analyses()).manufacturerReport(facts, options);
    },

    /** Redemptions and baskets not yet at headquarters. */
    async outboxStatus(): Promise<{ unsynced: number; conflicts: number }> {
      const d = await db();
      const queued = await d.getAllFromIndex('outbox', 'by-synced', 0);
      return { unsynced: queued.filter((r) => !r.conflict).length, conflicts: queued.filter((r) => r.conflict).length };
    },

    /** Send the outbox to headquarters now. */
    async syncOutbox(endpoint: string): Promise<DrainReport> {
      return drainOutbox(await db(), { endpoint, fetch: doFetch });
    },

    // ── feeds from headquarters (HTTP sync, rejected rows) ──

    /** Import what changed at headquarters since the last sync (`GET {baseUrl}/changes?since=…`, then each file;
     * the protocol is documented in worker/hq-feed.ts). Retries network faults with backoff; resumes a file where
     * an interrupted sync stopped. From the page, pass `onStatus` wrapped in Comlink's `proxy()`. */
    async syncFromHeadquarters(baseUrl: string, onStatus?: (s: FeedSyncStatus) => void): Promise<Result<SyncSummary, FeedSyncError>> {
      const result = await (await headquarters()).feedSyncFor(dbName).run(await db(), state, { baseUrl, fetch: doFetch, ...(onStatus ? { onStatus } : {}) });
      // A failed batch may have left ids in memory that never reached the disk: read them again next time.
      if (!result.ok) importState = undefined;
      if (!result.ok || result.value.changed) invalidate();
      return result;
    },

    /** The last headquarters sync's status (`idle` before the first one). */
    async feedSyncStatus(): Promise<FeedSyncStatus> {
      return (await headquarters()).feedSyncFor(dbName).status();
    },

    // ── shopper controls and variety memory ──

    /** "Not for me", "mute for a month" or clear, for one product, from today. Takes effect at once: every current
     * list of the member is rebuilt under its own id and code (refilled without the product); a list with offers
     * already redeemed is only filtered when read. */
    async setItemControl(memberId: string, productId: string, control: ItemControl): Promise<Result<ItemControls, 'unknown-member' | 'unknown-product'>> {
      const d = await db();
      const [member, catalogue, day] = await Promise.all([d.get('members', memberId), products(), engine.today()]);
      if (!member) return err('unknown-member');
      if (!catalogue.some((p) => p?.id === productId)) return err('unknown-product');
      const controls = await saveControl(d, memberId, productId, control, day);
      const history = await readHistory(d.transaction('histories').store, memberId);
      for (const list of await memberLists(d.transaction('lists').store, memberId)) {
        if (list.validUntilDay < day || (await d.countFromIndex('redemptions', 'by-list', list.id)) > 0) continue;
        const rebuilt = await composeList(member, history, catalogue, list.issuedDay, { id: list.id, code: list.code });
        if (!rebuilt.ok) continue;
        const tx = d.transaction('lists', 'readwrite');
        await replaceList(tx.store, rebuilt.value);
        await settle(tx);
      }
      return ok(controls);
    },

    /** The member's controls in force today (expired mutes left out). */
    async itemControls(memberId: string): Promise<ItemControls> {
      const d = await db();
      return expireControls(await loadControls(d, memberId), await engine.today());
    },

    /** "Delete my history": erases the member's purchase history, lists, controls and shown-items memory on this
     * device, keeping the member and their consent (unlike withdrawing consent); the next list is the store-wide one
     * until they shop again. Headquarters still holds the baskets and redemptions it was sent (the outbox and the
     * redemption ledger stay too): erasing those is headquarters' to do on the member's request. */
    async deleteMyHistory(memberId: string): Promise<Result<{ lists: number }, 'unknown-member'>> {
      const d = await db();
      if (!(await d.get('members', memberId))) return err('unknown-member');
      const erased = await eraseMemberHistory(d, memberId);
      invalidate();
      return ok(erased);
    },

    // ── manager: campaign results, import progress ──

    /** Every campaign measured so far: treated vs holdout members, buy rate and units uplift with 95% intervals
     * (groups under 10 members suppressed), plus offers issued and redeemed. */
    async campaignResults(): Promise<CampaignResult[]> {
      const d = await db();
      const [catalogue, day] = await Promise.all([products(), engine.today()]);
      return (await analyses()).campaignResults(d, catalogue, day);
    },

    /** Rows an import rejected (file, line, field, reason), of one import or all, in file order. */
    async rejectedRows(options: { importId?: string; limit?: number } = {}): Promise<RejectedRow[]> {
      return (await analyses()).rejectedRows(await db(), options);
    },

    /** The rejected rows as CSV, for the manager's "Export CSV". */
    async rejectedRowsCsv(importId?: string): Promise<string> {
      return (await analyses()).rejectedRowsCsv(await db(), importId);
    },

    // ── checkout safety (exposure caps, unsynced guard) ──
    /** Outbox records headquarters refused for good, for a person to look at (e.g. an offer another till redeemed first). */
    async outboxConflicts(): Promise<{ id: string; kind: OutboxRecord['kind']; reason: string; listId?: string; offerId?: string; amountCents?: number; createdAt: number }[]> {
      const queued = await (await db()).getAllFromIndex('outbox', 'by-synced', 0);
      return queued.filter((r) => r.conflict).map((r) => {
        const p = r.payload as Partial<Redemption>;
        return {
          id: r.id, kind: r.kind, reason: r.conflictReason ?? 'conflict', createdAt: r.createdAt,
          ...(typeof p.listId === 'string' ? { listId: p.listId } : {}), ...(typeof p.offerId === 'string' ? { offerId: p.offerId } : {}),
          ...(typeof p.amountCents === 'number' ? { amountCents: p.amountCents } : {}),
        };
      });
    },

    /** Erase this device's database (to start again from headquarters' feeds). Refused while redemptions or baskets
     * have not reached headquarters, conflicts included: they exist nowhere else. */
    async resetDevice(): Promise<Result<{ erased: string }, 'unsynced'>> {
      const d = await db();
      const unsynced = await d.countFromIndex('outbox', 'by-synced', 0);
      if (unsynced > 0) return err('unsynced', `${unsynced} record(s) not yet at headquarters`);
      d.close();
      forgetConnection();
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.deleteDatabase(dbName);
        req.onsuccess = () => resolve();
        req.onerror = () => reject(req.error ?? new Error('delete failed'));
        req.onblocked = () => resolve(); // other tabs close on versionchange (see store.ts); the deletion completes then
      });
      return ok({ erased: dbName });
    },
  };
  return engine;
}

/** A list's cadence: a list older than this is never current, so only the lists of the last CADENCE_DAYS are read. */
const CADENCE_DAYS = 14;

/** Members per read transaction in {@link createEngine}'s `listsFor`. */
const BATCH_CHUNK = 200;
const OFFLINE_EXPOSURE_CENTS_PER_DEAL = 20_000;
/** Loyalty coupons a list cycle may hand out, store-wide. */
const STORE_COUPON_BUDGET_CENTS = 500_000;
/** A write inside a transaction whose failure surfaces through the transaction itself (see `settle`). */
const quiet = (p: Promise<unknown>): void => void p.catch(() => {});

function receiptOf(list: ShoppingList, basketId: string, redemptions: readonly Redemption[], refusals: CheckoutPlan['refusals'], replay: boolean): CheckoutReceipt {
  const names = new Map(list.items.map((i) => [i.productId, i.name]));
  const receipt = redemptions.map((r) => {
    const offer = list.items.find((i) => i.offer?.id === r.offerId)?.offer;
    return { offerId: r.offerId, dealId: r.dealId, productId: offer?.productId ?? '', name: names.get(offer?.productId ?? '') ?? '', units: r.units, savingCents: r.amountCents };
  });
  return { listId: list.id, memberId: list.memberId, basketId, receipt, totalSavingCents: receipt.reduce((s, r) => s + r.savingCents, 0), refusals, replay };
}

function memberView(m: Member): MemberView {
  return { id: m.id, ...(m.firstName ? { firstName: m.firstName } : {}), personalise: m.consent.personalise };
}

/** The engine's type, for `Remote<Engine>` on the page side. */
export type Engine = ReturnType<typeof createEngine>;
