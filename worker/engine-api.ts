// The engine: async methods the page calls through Comlink. Reads, calls core, writes, returns plain data.
import type { Day, ListItem, Member, ShoppingList } from '../core/types.ts';
import { err, ok, type Result } from '../core/result.ts';
import { isValidEan13 } from '../core/ean.ts';
import { parseDay } from '../core/dates.ts';
import { tripsOf } from '../core/history.ts';
import { dueItems } from '../core/due.ts';
import { feedFromName } from '../core/feeds/index.ts';
import { openStore, type LarderDB, type ProductRecord, type StoreEvents } from './store.ts';
import { importCampaigns, importFeed, loadImportState, type ImportProgress, type ImportState, type ImportSummary } from './import.ts';

/** Options of an engine instance. */
export interface EngineOptions {
  dbName?: string;
  fetch?: typeof fetch;
  events?: StoreEvents;
}

/** Counts and readiness, for the page's status line. */
export interface EngineStatus {
  members: number;
  products: number;
  histories: number;
  todayDay: Day;
}

/** A member as the kiosk may show them: first name only. */
export interface MemberView {
  id: string;
  firstName?: string;
  personalise: boolean;
}

export type FindMemberError = 'wrong-length' | 'bad-check-digit' | 'unknown-card';
export type ListError = 'unknown-member' | 'no-data';

/** Read a response body as text chunks, inflating gzip files. */
async function* bodyChunks(res: Response, gzip: boolean): AsyncGenerator<string> {
  if (!res.body) return;
  const stream = gzip ? res.body.pipeThrough(new DecompressionStream('gzip')) : res.body;
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    yield value;
  }
}

/** Build the engine object. `export type Engine = ReturnType<typeof createEngine>`. */
export function createEngine(options: EngineOptions = {}) {
  const dbName = options.dbName ?? 'larder';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let dbPromise: Promise<LarderDB> | undefined;
  let importState: Promise<ImportState> | undefined;
  let productsCache: Promise<ProductRecord[]> | undefined;
  const db = () => (dbPromise ??= openStore(dbName, options.events));
  const state = async () => (importState ??= loadImportState(await db()));
  const invalidate = () => { productsCache = undefined; };
  /** Products by dense index. */
  const products = async () =>
    (productsCache ??= db().then(async (d) => {
      const all = await d.getAll('products');
      const byIdx: ProductRecord[] = [];
      for (const p of all) byIdx[p.idx] = p;
      return byIdx;
    }));

  const engine = {
    /** Counts of what is stored, and the store's "today". */
    async status(): Promise<EngineStatus> {
      const d = await db();
      const [members, productCount, histories] = await Promise.all([d.count('members'), d.count('products'), d.count('histories')]);
      return { members, products: productCount, histories, todayDay: await engine.today() };
    },

    /** The store's current day: the demo clock when demo data is loaded, else the real date. */
    async today(): Promise<Day> {
      const clock = (await (await db()).get('meta', 'clockDay')) as Day | undefined;
      return clock ?? Math.floor(Date.now() / 86_400_000);
    },

    /** Load the demo store's feed files from `baseUrl` (a folder with manifest.json) on first run. */
    async loadDemo(baseUrl: string, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary[], 'network' | 'bad-manifest'>> {
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
          await importCampaigns(d, await res.json());
          continue;
        }
        const gzip = name.endsWith('.gz');
        const feed = feedFromName(gzip ? name.slice(0, -3) : name);
        if (!feed) continue;
        const size = Number(res.headers.get('content-length') ?? 0) || undefined;
        summaries.push(await importFeed(d, await state(), { name, ...feed, ...(size && !gzip ? { size } : {}) }, bodyChunks(res, gzip), onProgress));
      }
      await d.put('meta', end + 1, 'clockDay');
      await d.put('meta', baseUrl, 'demoLoaded');
      invalidate();
      return ok(summaries);
    },

    /** Import one feed file given as text (the kiosk's manager screen and the CLI's sibling). */
    async importText(name: string, text: string, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary, 'unknown-feed'>> {
      const feed = feedFromName(name);
      if (!feed) return err('unknown-feed', name);
      async function* once() { yield text; }
      const summary = await importFeed(await db(), await state(), { name, ...feed, size: text.length }, once(), onProgress);
      invalidate();
      return ok(summary);
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

    /** The member's shopping list as of a day (default: today). */
    async listFor(memberId: string, asOfDay?: Day): Promise<Result<ShoppingList, ListError>> {
      const d = await db();
      const member = await d.get('members', memberId);
      if (!member) return err('unknown-member');
      const day = asOfDay ?? (await engine.today());
      const [history, catalogue] = await Promise.all([d.get('histories', memberId), products()]);
      if (!catalogue.length) return err('no-data');
      const personalise = member.consent.personalise;
      const scored = personalise && history ? dueItems(tripsOf(history), day, 20) : [];
      const items: ListItem[] = scored.map((s) => {
        const p = catalogue[s.item]!;
        const dueText = s.dueDay === undefined ? 'You bought this before.' : `You buy this about every ${Math.round(s.intervalDays ?? 0)} days.`;
        return {
          productId: p.id, name: p.name, category: p.category, kind: 'repeat', confidence: s.confidence, score: s.score,
          ...(s.dueDay === undefined ? {} : { dueDay: s.dueDay }),
          shelfPriceCents: p.priceCents, priceCents: p.priceCents,
          reason: { code: 'due', params: {}, text: dueText },
        };
      });
      return ok({ id: `${memberId}-${day}`, code: '', memberId, issuedDay: day, validUntilDay: day + 14, personalised: personalise, items, coupons: [], rewards: [] });
    },
  };
  return engine;
}

function memberView(m: Member): MemberView {
  return { id: m.id, ...(m.firstName ? { firstName: m.firstName } : {}), personalise: m.consent.personalise };
}

/** The engine's type, for `Remote<Engine>` on the page side. */
export type Engine = ReturnType<typeof createEngine>;
