// What every room of the engine shares: the database connection, the caches read through it and the rules that
// drop them, the store's "today", list codes and serials, and the lists handed out but not yet written.
import type { Day } from '../../core/types.ts';
import type { MemberStats } from '../../core/lists/member-stats.ts';
import { summarisePacked } from '../../core/lists/member-summary.ts';
import { segmentCategories, type CategorySegments } from '../../core/lists/segments.ts';
import type { Insights } from '../../core/insights/insights.ts';
import { buildEngineModel, dropPersistedModel, loadHqModel, loadListContext, loadPersistedModel, persistModel, type EngineModel, type ListContext } from '../list-context.ts';
import { openStore, type LarderDB, type ProductRecord, type StoreEvents } from '../store.ts';
import { createCodes, createSerials } from '../codes.ts';
import { getMeta } from '../meta.ts';
import { readAllPacks } from '../packs.ts';
import type { ImportState } from '../import.ts';
import type { PumpOptions } from './outbox.ts';
import type { FeedScheduleOptions } from './feed-schedule.ts';

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
  /** The clock of the manager PIN's lock (ms since the epoch); default Date.now. */
  clock?: () => number;
  /** How patient the engine's own outbox drain is (worker/engine/outbox.ts). */
  outbox?: PumpOptions;
  /** How often an enrolled device syncs its store from headquarters by itself (worker/engine/feed-schedule.ts). */
  feedSync?: FeedScheduleOptions;
}

// Loaded on first use, as separate chunks: what a kiosk needs to answer a scan or a checkout loads with the worker;
// importing feeds (papaparse), the manager's analyses and headquarters sync load when first asked for.
export const importer = () => import('../import.ts');
export const headquarters = () => import('../hq-feed.ts');
export const storeSync = () => import('../hq-store-sync.ts');
export const analyses = () => Promise.all([import('../../core/insights/insights.ts'), import('../../core/insights/rules.ts'), import('../../core/insights/report.ts'), import('../manager.ts')])
  .then(([insights, rules, report, manager]) => ({ ...insights, ...rules, ...report, ...manager }));

/** Every member's statistics and their segments per category (the manufacturer report's input). */
export interface MemberSegments { stats: MemberStats[]; segments: Map<string, CategorySegments> }

/** Create the shared context of one engine. */
export function createContext(options: EngineOptions) {
  let dbName = options.dbName ?? 'larder';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let dbPromise: Promise<LarderDB> | undefined;
  let importState: Promise<ImportState> | undefined;
  let productsCache: Promise<ProductRecord[]> | undefined;
  let insightsCache: Promise<Insights> | undefined;
  /** The demo clock as stored (read once, like the catalogue: only an import sets it). */
  let clockCache: Promise<Day | undefined> | undefined;
  let modelCache: Promise<EngineModel> | undefined;
  let contextCache: Promise<ListContext> | undefined;
  let segmentsCache: Promise<MemberSegments> | undefined;
  /** Bumped whenever the data changes, so a model built from older data is not persisted over a newer drop. */
  let generation = 0;
  /** The persisted model was found to come from a store of another size: the next build ignores it. */
  let staleModel = false;
  /** Lists are handed out before they are written (see the lists room); this settles when every write so far has. */
  let listWrites: Promise<void> = Promise.resolve();
  const unsaved = { count: 0, ids: [] as string[] };

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
  /** The database, once the lists handed out so far are written: whatever the engine does next sees them. */
  const db = async () => {
    await listWrites;
    return connection();
  };
  /** The data changed (an import, a sync, consent, an erased history): every cache goes. */
  const invalidate = () => {
    productsCache = undefined; insightsCache = undefined; modelCache = undefined; contextCache = undefined; segmentsCache = undefined;
    clockCache = undefined;
    generation++;
    staleModel = false;
    // The data changed: the persisted model goes too (not on a switch of database, when there is no connection yet).
    void dbPromise?.then(dropPersistedModel).catch(() => undefined);
  };
  const codes = createCodes(db);
  const serials = createSerials(db);

  /** The store's current day: the demo clock when demo data is loaded, else the real date. */
  const today = async (): Promise<Day> => {
    const clock = await (clockCache ??= db().then((d) => getMeta(d, 'clockDay')));
    return clock ?? options.today?.() ?? Math.floor(Date.now() / 86_400_000);
  };
  /** Products by dense index. */
  const products = async () =>
    (productsCache ??= db().then(async (d) => {
      const all = await d.getAll('products');
      const byIdx: ProductRecord[] = [];
      for (const p of all) byIdx[p.idx] = p;
      return byIdx;
    }));
  /** The scorer's store-wide model and segment cuts: read from `meta` when one was persisted, else built from the
   * histories (a sample past 5,000 members, see worker/list-context.ts) and persisted for the next start. A persisted
   * model built from a store of another size (written past the engine) serves until the rebuild is due: the next call. */
  const storeModel = (): Promise<EngineModel> => {
    if (modelCache) return modelCache;
    const job = (async () => {
      const d = await db();
      const [catalogue, day] = await Promise.all([products(), today()]);
      // An enrolled kiosk's model is headquarters': read, never built here.
      const fromHq = await loadHqModel(d, catalogue);
      if (fromHq) return fromHq;
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

  return {
    options, doFetch, db, connection, forgetConnection, invalidate, codes, serials, today, products, storeModel,
    /** The database's name. */
    dbName: () => dbName,
    /** Use another database from now on (the connection and caches are dropped by the caller's `forgetConnection`). */
    renameDb: (name: string) => { dbName = name; },
    /** The open connection, if any (to close it). */
    openConnection: () => dbPromise,
    /** The importer's indexes of products and members, read once per connection. */
    importState: async () => (importState ??= importer().then(async (m) => m.loadImportState(await db()))),
    /** Read the importer's indexes again next time (a failed batch may have left ids in memory only). */
    forgetImportState: () => { importState = undefined; },
    /** After a checkout: budgets moved; the store model is kept (one basket hardly moves it). */
    invalidateModel: () => { insightsCache = undefined; contextCache = undefined; segmentsCache = undefined; },
    /** Deals, campaigns, content and budgets left, shared by every list until an import or a checkout. */
    listContext: async () => (contextCache ??= loadListContext(await db())),
    /** The store's insight report, computed once and kept until the data changes. */
    insights: (compute: () => Promise<Insights>) => (insightsCache ??= compute()),
    /** Every member's statistics and segments, for the manufacturer report only (it reads every history). */
    memberSegments: () =>
      (segmentsCache ??= (async () => {
        const d = await db();
        const [{ histories, members }, catalogue, day] = await Promise.all([readAllPacks(d), products(), today()]);
        const memberById = new Map(members.map((m) => [m.id, m]));
        const stats = histories.filter((h) => memberById.has(h.memberId)).map((h) => summarisePacked(memberById.get(h.memberId)!, h, catalogue, day).stats);
        return { stats, segments: segmentCategories(stats) };
      })()),
    /** Lists handed out whose write then failed: how many since start, and the ids of the last 100. */
    unsaved,
    /** Chain a list's write after the earlier ones: `db()` waits for it. */
    afterWrite: (write: Promise<void>) => { listWrites = listWrites.then(() => write); },
  };
}

/** The engine's shared context. */
export type EngineContext = ReturnType<typeof createContext>;
