// The web room: a shopper's browser on a retailer's page. It holds only the store model and the signed-in member's
// own pack (DESIGN.md "Who holds what"), both fetched from headquarters: the model by ETag, the pack with the
// member token the retailer's page handed over. A member id alone grants nothing: without a token headquarters
// accepts, the list is the store-wide one and the device keeps no pack.
import type { Day, Member, Product, ShoppingList } from '../../core/types.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { composeList, listEvidence, type StoreParts } from '../../core/lists/compose.ts';
import { applyControl, controlsFromList, hiddenProducts, type ItemControl, type ItemControls } from '../../core/lists/preferences.ts';
import {
  MemberPackWireSchema, memberPackFromWire, packOnCatalogue, parseStoreModel, type DeviceMemberPack, type DeviceStoreModel, type MemberPackWire, type StoreModelWire,
} from '../../protocol/packs.ts';
import * as v from 'valibot';
import { openWebStore, tokenClaims, webDbName, type WebDB } from '../web-session.ts';
import type { EngineContext } from './context.ts';

/** Sending controls to headquarters: a chunk of its own, loaded on the first control or when some wait to be sent. */
let prefsLoaded: Promise<typeof import('../web-prefs.ts')> | undefined;
const prefsChunk = () => (prefsLoaded ??= import('../web-prefs.ts'));

/** Where the shopper stands with headquarters: signed in (their pack is here), not signed in, the token refused
 * (expired, forged, another member's: nothing kept), or headquarters unreachable (the pack kept from the last
 * visit, when the token still names its member and has not expired). */
export type WebSession =
  | { state: 'signed-in'; member: { id: string; firstName?: string } }
  | { state: 'signed-out' }
  | { state: 'refused'; reason: 'expired' | 'invalid' | 'forbidden' | 'unknown-member' }
  | { state: 'offline'; member?: { id: string; firstName?: string } };

/** What the web room answers: the list, the day it is for, and the session. */
export interface WebListView {
  list: ShoppingList;
  today: Day;
  session: WebSession;
}

/** Where the widget finds headquarters, the store, and who is signed in. */
export interface WebRequest {
  /** Headquarters' base URL (absolute), e.g. `https://shop.example/hq/`. */
  hq: string;
  /** The store whose model to use. */
  storeId: string;
  /** The member token from the retailer's sign-in, if any. */
  token?: string;
  asOfDay?: Day;
}

export type WebError = 'unreachable' | 'no-such-store' | 'bad-model' | 'refused';

/** A row of "often bought together" from the store model's rules. */
export interface WebTogetherRow { productId: string; name: string; priceCents: number }

interface Session { member: string; pack: DeviceMemberPack; controls: ItemControls }

const anonymous: Member = { id: '', cardCode: '', consent: { personalise: false, contact: false } };

/** The web room's methods. */
export function webRoom(ctx: EngineContext) {
  let dbPromise: Promise<WebDB> | undefined;
  const db = () => (dbPromise ??= openWebStore(webDbName(ctx.dbName())));
  /** Decoded models by ETag (decoding a 30,000-product model takes a while: once per page). */
  const decoded = new Map<string, { model: DeviceStoreModel; index: Map<string, number> }>();
  /** Local controls per member (the pack's controls plus what the shopper did here). */
  let session: Session | undefined;

  const base = (hq: string) => (hq.endsWith('/') ? hq : `${hq}/`);

  /** Model reads in flight, by store: the elements of a page (list, rows, the page's shelf) share one request. */
  const modelJobs = new Map<string, Promise<Result<{ model: DeviceStoreModel; index: Map<string, number> }, WebError>>>();

  function storeModel(hq: string, storeId: string): Promise<Result<{ model: DeviceStoreModel; index: Map<string, number> }, WebError>> {
    const key = `${hq} ${storeId}`;
    let job = modelJobs.get(key);
    if (!job) {
      job = readStoreModel(hq, storeId).finally(() => modelJobs.delete(key));
      modelJobs.set(key, job);
    }
    return job;
  }

  /** The store model: the one kept, confirmed by its ETag (304), or the new one headquarters sends; the kept one when
   * headquarters is unreachable. */
  async function readStoreModel(hq: string, storeId: string): Promise<Result<{ model: DeviceStoreModel; index: Map<string, number> }, WebError>> {
    const d = await db();
    const stored = await d.get('models', storeId);
    let wire: StoreModelWire | undefined = stored?.wire;
    try {
      const res = await ctx.doFetch(new URL(`v1/stores/${encodeURIComponent(storeId)}/model`, base(hq)), { headers: stored ? { 'if-none-match': stored.etag } : {} });
      if (res.status === 404) return err('no-such-store');
      if (res.status === 200) {
        const body = (await res.json()) as StoreModelWire;
        const parsed = parseStoreModel(body);
        if (!parsed.ok) return err('bad-model', parsed.detail);
        wire = body;
        await d.put('models', { storeId, etag: parsed.value.etag, wire: body });
        decoded.set(parsed.value.etag, { model: parsed.value, index: new Map(parsed.value.catalogue.map((p, i) => [p.id, i])) });
      } else if (res.status !== 304 || !stored) return err('unreachable', `HTTP ${res.status}`);
    } catch (e) {
      if (!wire) return err('unreachable', e instanceof Error ? e.message : String(e));
    }
    const etag = wire!.etag;
    let hit = decoded.get(etag);
    if (!hit) {
      const parsed = parseStoreModel(wire);
      if (!parsed.ok) return err('bad-model', parsed.detail);
      hit = { model: parsed.value, index: new Map(parsed.value.catalogue.map((p, i) => [p.id, i])) };
      decoded.set(etag, hit);
    }
    return ok(hit);
  }

  /** Forget the member's pack: on this device nothing of them stays. */
  async function forget(): Promise<void> {
    session = undefined;
    const d = await db();
    await Promise.all([d.delete('pack', 'me'), d.clear('outbox')]);
  }

  /** Where the member's control changes go. */
  const prefsTarget = async (hq: string, token: string | undefined, memberId: string) =>
    ({ d: await db(), url: new URL('v1/members/me/prefs', base(hq)), ...(token ? { token } : {}), memberId, doFetch: ctx.doFetch });

  /** The session of `pack`: its controls (as headquarters keeps them) with the changes still queued here on top; the
   * queued ones sent when headquarters answered. Kept while the pack is the same. */
  async function sessionOf(pack: DeviceMemberPack, hq: string, token: string | undefined, reachable: boolean): Promise<void> {
    const same = session?.member === pack.member.id && session.pack.etag === pack.etag;
    const queued = await (await db()).count('outbox');
    if (same && !queued) return;
    let controls = same ? session!.controls : controlsFromList(pack.controls);
    if (queued) controls = await (await prefsChunk()).resume(await prefsTarget(hq, reachable ? token : undefined, pack.member.id), controls);
    session = { member: pack.member.id, pack, controls };
  }

  /** The member's pack for `token`: fetched (or confirmed by ETag) from headquarters and kept; refused → forgotten. */
  async function memberPack(hq: string, token: string | undefined): Promise<{ session: WebSession; pack?: DeviceMemberPack }> {
    if (!token) {
      await forget();
      return { session: { state: 'signed-out' } };
    }
    const d = await db();
    const stored = await d.get('pack', 'me');
    let res: Response;
    try {
      res = await ctx.doFetch(new URL('v1/members/me/pack', base(hq)), {
        headers: { authorization: `Bearer ${token}`, ...(stored ? { 'if-none-match': stored.etag } : {}) },
      });
    } catch {
      // Unreachable: the pack from the last visit only while the token still names its member and has not expired.
      const claims = tokenClaims(token);
      const usable = stored && claims?.sub === stored.memberId && (claims.exp ?? 0) * 1000 > Date.now();
      if (!usable) {
        await forget();
        return { session: { state: 'offline' } };
      }
      const pack = decodePack(stored.wire);
      return pack ? { session: { state: 'offline', member: view(pack.member) }, pack } : { session: { state: 'offline' } };
    }
    if (res.status === 401 || res.status === 403 || res.status === 404) {
      await forget();
      const reason = res.status === 404 ? 'unknown-member' : res.status === 403 ? 'forbidden'
        : ((await res.json().catch(() => ({}))) as { reason?: string }).reason === 'expired-credential' ? 'expired' : 'invalid';
      return { session: { state: 'refused', reason } };
    }
    let wire: MemberPackWire;
    if (res.status === 304 && stored) wire = stored.wire;
    else if (res.status === 200) {
      const parsed = v.safeParse(MemberPackWireSchema, await res.json().catch(() => undefined));
      if (!parsed.success) {
        await forget();
        return { session: { state: 'refused', reason: 'invalid' } };
      }
      wire = parsed.output;
    } else {
      await forget();
      return { session: { state: 'offline' } };
    }
    const pack = decodePack(wire);
    if (!pack) {
      await forget();
      return { session: { state: 'refused', reason: 'invalid' } };
    }
    // Another member than the pack kept: the previous one is replaced, never kept beside it.
    if (res.status === 200) await d.put('pack', { memberId: pack.member.id, etag: pack.etag, wire }, 'me');
    return { session: { state: 'signed-in', member: view(pack.member) }, pack };
  }

  const controlsOf = (pack: DeviceMemberPack): ItemControls | undefined => (session?.member === pack.member.id ? session.controls : undefined);

  function compose(m: { model: DeviceStoreModel; index: Map<string, number> }, pack: DeviceMemberPack | undefined, day: Day): Result<ShoppingList, 'refused'> {
    const dm = m.model;
    const catalogue: Product[] = dm.catalogue;
    const budgets = new Map<string, number>();
    for (const deal of dm.deals) if (deal.budgetCents !== undefined) budgets.set(deal.id, deal.budgetCents);
    const store: StoreParts = {
      model: dm.model, position: new Map(), popular: dm.popular.slice(0, 12), segmentCuts: dm.segmentCuts, productIndex: m.index,
      deals: dm.deals, campaigns: dm.campaigns, content: dm.content, dealBudgetLeftCents: budgets,
    };
    if (!pack) return composeList({ member: anonymous, history: undefined, hidden: new Set(), shown: {} }, store, catalogue, day, { listId: `web-${day}`, code: '' }, { scored: [] });
    const { history, neighbour } = packOnCatalogue(pack, m.index);
    const member = pack.member;
    const who = { member, history, neighbour, hidden: hiddenProducts(controlsOf(pack), day), shown: pack.shown };
    return composeList(who, store, catalogue, day, { listId: `web-${member.id}-${day}`, code: '' }, listEvidence(who, store, catalogue, day));
  }

  /** Elements of one page ask at once (the list and its rows): one fetch of the model and the pack for all of them. */
  const pending = new Map<string, Promise<Result<WebListView, WebError>>>();

  const today = (asOf?: Day) => asOf ?? ctx.options.today?.() ?? Math.floor(Date.now() / 86_400_000);

  /** The list of one request (see `webList`). */
  async function listOnce(request: WebRequest): Promise<Result<WebListView, WebError>> {
    const [model, who] = await Promise.all([storeModel(request.hq, request.storeId), memberPack(request.hq, request.token)]);
    if (!model.ok) return model;
    if (who.pack) await sessionOf(who.pack, request.hq, request.token, who.session.state === 'signed-in');
    const day = today(request.asOfDay);
    const list = compose(model.value, who.pack, day);
    if (!list.ok) return err('refused', list.detail);
    return ok({ list: list.value, today: day, session: who.session });
  }

  return {
    /** The shopper's list on a retailer's page: the signed-in member's own, from the store model and their pack, or
     * the store-wide one (not signed in, token refused). Concurrent asks with the same request share one answer. */
    webList(request: WebRequest): Promise<Result<WebListView, WebError>> {
      const key = JSON.stringify([request.hq, request.storeId, request.token ?? '', request.asOfDay ?? null]);
      let job = pending.get(key);
      if (!job) {
        job = listOnce(request).finally(() => pending.delete(key));
        pending.set(key, job);
      }
      return job;
    },

    /** Sign out: the member's pack leaves this device. */
    async webSignOut(): Promise<void> {
      // Changes on their way to headquarters arrive first (they are the member's, sent with their token).
      if (prefsLoaded) await (await prefsLoaded).idle();
      await forget();
    },

    /** "Not for me", "mute" or clear on the signed-in member's list: in force here at once, and saved at headquarters
     * (queued on this device until headquarters confirms it), so it comes back in the member's pack on any device;
     * answers with the list as it now is. */
    async webItemControl(request: WebRequest, memberId: string, productId: string, control: ItemControl): Promise<Result<WebListView, WebError | 'not-signed-in'>> {
      const day = today(request.asOfDay);
      if (!session || session.member !== memberId) return err('not-signed-in');
      session.controls = applyControl(session.controls, productId, control, day);
      // Queued before answering (a page closed now keeps it), sent in the background: signed in, so to headquarters.
      await (await prefsChunk()).controlMade(await prefsTarget(request.hq, request.token, memberId), productId, control, day);
      const model = await storeModel(request.hq, request.storeId);
      if (!model.ok) return model;
      const list = compose(model.value, session.pack, day);
      if (!list.ok) return err('refused', list.detail);
      return ok({ list: list.value, today: day, session: { state: 'signed-in', member: view(session.pack.member) } });
    },

    /** Products of the store model's catalogue (public, as the model is): `ids` in their order, then every
     * `every`-th product up to `limit` (a page's shelf). */
    async webProducts(request: Pick<WebRequest, 'hq' | 'storeId'>, pick: { ids?: string[]; every?: number; limit?: number } = {}): Promise<Result<Product[], WebError>> {
      const model = await storeModel(request.hq, request.storeId);
      if (!model.ok) return model;
      const catalogue = model.value.model.catalogue;
      const named = (pick.ids ?? []).map((id) => catalogue[model.value.index.get(id) ?? -1]).filter((p): p is Product => !!p);
      const every = Math.max(1, pick.every ?? 1);
      const shelf = catalogue.filter((_, i) => i % every === 0).slice(0, Math.max(0, pick.limit ?? 0));
      return ok([...named, ...shelf]);
    },

    /** Products often bought with `productId`, from the store model's rules (each from ≥ k members). */
    async webBoughtTogether(request: WebRequest, productId: string, limit = 6): Promise<Result<WebTogetherRow[], WebError>> {
      const model = await storeModel(request.hq, request.storeId);
      if (!model.ok) return model;
      const item = model.value.index.get(productId);
      if (item === undefined) return ok([]);
      return ok((await import('../web-rows.ts')).boughtTogether(model.value.model, item, limit));
    },
  };
}

function decodePack(wire: MemberPackWire): DeviceMemberPack | undefined {
  const r = memberPackFromWire(wire);
  return r.ok ? r.value : undefined;
}

const view = (m: Member) => ({ id: m.id, ...(m.firstName ? { firstName: m.firstName } : {}) });
