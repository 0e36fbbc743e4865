// The store models and member packs headquarters serves, kept in `store_models` and `member_packs` (005-packs.sql) and
// rebuilt lazily: each request compares the data's state (the feed change list, to which every import, till basket
// and erasure appends) with the state the stored model was built from, and a store behind is rebuilt once (concurrent
// requests wait for the same build). The ETag is the content's hash, so a rebuild that changes nothing keeps it.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Member } from '../../core/types.ts';
import { emptyHistory } from '../../core/history.ts';
import type { ScorerParams } from '../../core/lists/scorer-params.ts';
import type { ShownMemory } from '../../core/lists/variety.ts';
import { tripsOf } from '../../core/history.ts';
import { memberPackToWire, storeModelToWire, type DeviceMemberPack, type MemberPackWire, type StoreModelWire } from '../../protocol/packs.ts';
import { sha256 } from '../crypto.ts';
import { byteaArray, type Db, type Queryable } from '../db/db.ts';
import { buildAggregates, fitParams, readStore } from './build.ts';
import { readCatalogue } from '../batch/context.ts';
import { readPacked } from '../batch/packs.ts';
import type { KeptControl } from '../../core/lists/pref-merge.ts';
import { dayOf, packEtag, patchPack, prefsForPack } from './prefs.ts';

/** A stored body: its ETag and gzipped JSON. */
export interface StoredBody {
  etag: string;
  gzip: Uint8Array;
}

/** Refit the weights when the store's member count moved by more than this share since the last fit. */
const REFIT_SHARE = 0.1;
/** ...or when the last fit is older than this. */
const REFIT_MS = 24 * 3600 * 1000;

/** The models and packs of a headquarters. With `serveStale` (the default), a request for a store whose stored model
 * is behind the data gets the stored one at once while the rebuild runs (a shopper's first visit must not wait for a
 * store's fit); the next request after it gets the new one. Without it, the request waits for the rebuild. */
export function createPackService(options: { db: Db; k: number; now: () => Date; serveStale?: boolean }) {
  const { db, k, now } = options;
  const serveStale = options.serveStale ?? true;
  const building = new Map<string, Promise<void>>();

  /** The state of the data a store's model and packs are built from: the last feed change for every store (an
   * import) or for this one (a till basket or an erasure of one of its members). A member's preferences do not
   * rebuild the store: saving them patches that member's pack (prefs.ts). */
  async function sourceOf(q: Queryable, storeId: string): Promise<string> {
    const [row] = await q.query<{ f: string }>('SELECT coalesce(max(seq), 0)::text AS f FROM feed_changes WHERE store_id IS NULL OR store_id = $1', [storeId]);
    return row!.f;
  }

  async function rebuild(storeId: string, source: string): Promise<void> {
    const s = await readStore(db, storeId);
    const [old] = await db.query<{ version: number; hash: string; params: ScorerParams; fitted_members: number; fitted_at: Date | string; etag: string }>(
      'SELECT version, hash, params, fitted_members, fitted_at, etag FROM store_models WHERE store_id = $1', [storeId]);
    const withHistory = s.members.filter((m) => s.histories.has(m.id)).length;
    const at = now();
    const refit = !old || Math.abs(withHistory - Number(old.fitted_members)) > REFIT_SHARE * Math.max(1, Number(old.fitted_members))
      || at.getTime() - new Date(old.fitted_at).getTime() > REFIT_MS;
    const params = refit ? fitParams(s.members.flatMap((m) => (s.histories.has(m.id) ? [tripsOf(s.histories.get(m.id)!)] : [])), s.catalogue.length) : old.params;
    const agg = buildAggregates(s, params, k);
    const builtAt = at.toISOString();
    const content = storeModelToWire({
      storeId, version: 1, etag: 'pending', builtAt: '', k, members: agg.members, catalogue: s.catalogue, deals: s.deals, campaigns: s.campaigns,
      content: s.content, model: agg.model, rules: agg.rules, segmentCuts: agg.segmentCuts, popular: agg.popular, forYou: agg.forYou,
    });
    const hash = sha256(JSON.stringify(content));
    const same = old?.hash === hash;
    const version = same ? Number(old.version) : Number(old?.version ?? 0) + 1;
    const etag = same ? old.etag : `"m-${storeId}-${version}-${hash.slice(0, 16)}"`;
    const wire: StoreModelWire = { ...content, version, etag, builtAt };
    const prefsSql = 'SELECT p.member_id, p.controls, p.shown, p.changed_seq::text AS changed_seq FROM member_prefs p JOIN members m USING (member_id) WHERE m.home_store = $1';
    const prefs = new Map((await db.query<{ member_id: string; controls: KeptControl[]; shown: ShownMemory; changed_seq: string }>(prefsSql, [storeId])).map((r) => [r.member_id, r]));
    const productIds = s.catalogue.map((p) => p.id);
    const packs = s.members.map((m) => packOf(m, productIds, s.histories.get(m.id), agg.neighbours.get(m.id), prefsForPack(m, prefs.get(m.id), dayOf(at)), builtAt));
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO store_models (store_id, version, etag, source, hash, params, fitted_members, fitted_at, body, built_at)
        VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10)
        ON CONFLICT (store_id) DO UPDATE SET version = EXCLUDED.version, etag = EXCLUDED.etag, source = EXCLUDED.source, hash = EXCLUDED.hash,
          params = EXCLUDED.params, fitted_members = EXCLUDED.fitted_members, fitted_at = EXCLUDED.fitted_at, body = EXCLUDED.body, built_at = EXCLUDED.built_at`,
      [storeId, version, etag, source, hash, JSON.stringify(params), refit ? withHistory : Number(old!.fitted_members), refit ? builtAt : new Date(old!.fitted_at).toISOString(),
        same ? await currentBody(tx, storeId) ?? gzipSync(JSON.stringify(wire)) : gzipSync(JSON.stringify(wire)), builtAt]);
      // A pack's seq moves only when its content (and so its ETag) changed.
      for (let at = 0; at < packs.length; at += 500) {
        const page = packs.slice(at, at + 500);
        await tx.query(`INSERT INTO member_packs (member_id, store_id, seq, etag, body, built_at)
          SELECT m, $1, nextval('member_packs_seq'), e, b, $2 FROM unnest($3::text[], $4::text[], ${byteaArray(5, page.length)}) AS t(m, e, b)
          ON CONFLICT (member_id) DO UPDATE SET store_id = EXCLUDED.store_id, seq = EXCLUDED.seq, etag = EXCLUDED.etag, body = EXCLUDED.body, built_at = EXCLUDED.built_at
          WHERE member_packs.etag <> EXCLUDED.etag OR member_packs.store_id <> EXCLUDED.store_id`,
        [storeId, builtAt, page.map((p) => p.member.id), page.map((p) => p.etag), ...page.map((p) => gzipSync(JSON.stringify(p)))]);
      }
      // Prefs saved while this build ran: its packs were made with the older ones, so patch those again.
      for (const r of await tx.query<{ member_id: string; changed_seq: string }>(prefsSql, [storeId])) {
        if (prefs.get(r.member_id)?.changed_seq !== r.changed_seq) await patchPack(tx, r.member_id, at);
      }
    });
  }

  async function currentBody(q: Queryable, storeId: string): Promise<Uint8Array | undefined> {
    const [row] = await q.query<{ body: Uint8Array }>('SELECT body FROM store_models WHERE store_id = $1', [storeId]);
    return row?.body;
  }

  /** Bring a store's model and packs up to date with the data (one build at a time per store); with `serveStale`,
   * return at once when a model is stored and let the rebuild run on. */
  async function ensure(storeId: string): Promise<void> {
    for (;;) {
      const source = await sourceOf(db, storeId);
      const [row] = await db.query<{ source: string }>('SELECT source FROM store_models WHERE store_id = $1', [storeId]);
      if (row?.source === source) return;
      const running = building.get(storeId);
      if (running) {
        if (row && serveStale) return;
        await running;
        continue;
      }
      const job = rebuild(storeId, source).finally(() => building.delete(storeId));
      building.set(storeId, job);
      if (row && serveStale) {
        job.catch((e: unknown) => console.error(`store model of ${storeId}: rebuild failed`, e));
        return;
      }
      await job;
      return;
    }
  }

  return {
    ensure,
    /** The rebuild of a store under way, if any (tests and benches wait for it). */
    settled: (storeId: string): Promise<void> => building.get(storeId)?.catch(() => undefined) ?? Promise.resolve(),
    /** The store's model (built now if the data moved since), or undefined for a store no member or device names. */
    async model(storeId: string): Promise<StoredBody | undefined> {
      const [known] = await db.query('SELECT 1 FROM stores WHERE store_id = $1 UNION ALL SELECT 1 FROM members WHERE home_store = $1 LIMIT 1', [storeId]);
      if (!known) return undefined;
      await ensure(storeId);
      const [row] = await db.query<{ etag: string; body: Uint8Array }>('SELECT etag, body FROM store_models WHERE store_id = $1', [storeId]);
      return row ? { etag: row.etag, gzip: row.body } : undefined;
    },
    /** One member's pack, or undefined for an unknown member. A member without a home store gets their own history
     * and no neighbour term (there is no store to find neighbours in). */
    async pack(memberId: string): Promise<StoredBody | undefined> {
      const [m] = await db.query<{ data: Member; home_store: string | null }>('SELECT data, home_store FROM members WHERE member_id = $1', [memberId]);
      if (!m) return undefined;
      if (m.home_store) {
        await ensure(m.home_store);
        const [row] = await db.query<{ etag: string; body: Uint8Array }>('SELECT etag, body FROM member_packs WHERE member_id = $1', [memberId]);
        if (row) return { etag: row.etag, gzip: row.body };
      }
      const catalogue = await readCatalogue(db);
      const history = (await readPacked(db, [memberId], Infinity, { index: new Map(catalogue.map((p, i) => [p.id, i])), products: catalogue })).get(memberId);
      const [kept] = await db.query<{ controls: KeptControl[]; shown: ShownMemory }>('SELECT controls, shown FROM member_prefs WHERE member_id = $1', [memberId]);
      const pack = packOf(m.data, catalogue.map((p) => p.id), history, undefined, prefsForPack(m.data, kept, dayOf(now())), now().toISOString());
      return { etag: pack.etag, gzip: gzipSync(JSON.stringify(pack)) };
    },
    /** Packs of a store's members changed after `seq`, members erased after `erasureSeq`, and the next cursor. */
    async changes(storeId: string, since: { seq: number; erasure: number }, limit = 2000): Promise<{ packs: MemberPackWire[]; removed: string[]; cursor: { seq: number; erasure: number }; more: boolean }> {
      await ensure(storeId);
      const rows = await db.query<{ seq: string; body: Uint8Array }>('SELECT p.seq::text AS seq, p.body FROM member_packs p WHERE p.store_id = $1 AND p.seq > $2 ORDER BY p.seq LIMIT $3', [storeId, since.seq, limit]);
      const erased = await db.query<{ seq: string; member_id: string }>('SELECT e.seq::text AS seq, e.member_id FROM erasures e WHERE e.store_id = $1 AND e.seq > $2 ORDER BY e.seq', [storeId, since.erasure]);
      return {
        packs: rows.map((r) => JSON.parse(gunzipSync(r.body).toString('utf8')) as MemberPackWire),
        removed: erased.map((r) => r.member_id),
        cursor: { seq: rows.length ? Number(rows[rows.length - 1]!.seq) : since.seq, erasure: erased.length ? Number(erased[erased.length - 1]!.seq) : since.erasure },
        more: rows.length === limit,
      };
    },
  };
}

/** The service's type. */
export type PackService = ReturnType<typeof createPackService>;

function packOf(member: Member, productIds: readonly string[], history: ReturnType<typeof emptyHistory> | undefined, neighbour: DeviceMemberPack['neighbour'] | undefined,
  prefs: { controls: DeviceMemberPack['controls']; shown: ShownMemory } | undefined, builtAt: string): MemberPackWire {
  // Without consent to personalise, a device holds no personal data to personalise with (DESIGN.md fairness 4): the
  // pack keeps the member's record and consent only, and the device shows store-wide content.
  if (!member.consent.personalise) {
    history = undefined;
    neighbour = undefined;
    prefs = undefined;
  }
  const body = memberPackToWire({
    etag: 'pending', builtAt: '', member, productIds, history: history ?? emptyHistory(member.id), controls: prefs?.controls ?? [], shown: prefs?.shown ?? {},
    neighbour: neighbour ?? { items: new Int32Array(0), values: new Float32Array(0), neighbours: 0 },
  });
  return { ...body, etag: packEtag(body), builtAt };
}
