// The headquarters room: this device's enrolment, key ring and manager PIN (worker/hq-link.ts), its store's model and
// member packs from headquarters (worker/hq-store-sync.ts; a feed mirror's files by worker/hq-feed.ts) and the outbox
// of redemptions and baskets on their way there, drained by the engine itself (./outbox.ts, worker/sync.ts).
import type { Redemption } from '../../core/types.ts';
import { err, type Result } from '../../core/result.ts';
import type { OutboxRecord } from '../store.ts';
import type { DrainReport } from '../sync.ts';
import type { FeedSyncError, FeedSyncStatus, SyncSummary } from '../hq-feed.ts';
import type { StoreSyncSummary } from '../hq-store-sync.ts';
import { getMeta, putMeta } from '../meta.ts';
import { parseDay } from '../../core/dates.ts';
import { checkPin, dropFolderData, enrol, linkView, pinState, refreshLink, type EnrolError, type LinkView, type PinError, type RefreshError } from '../hq-link.ts';
import { outboxPump, type PumpState } from './outbox.ts';
import { feedSchedule } from './feed-schedule.ts';
import { headquarters, storeSync, type EngineContext } from './context.ts';

export type { EnrolError, LinkView, PinError, RefreshError } from '../hq-link.ts';
export type { PumpState } from './outbox.ts';

/** The last headquarters sync's status, and when the engine syncs next by itself (ms since the epoch), if planned. */
export type FeedSyncView = FeedSyncStatus & { nextAt?: number };

/** How often the key ring and PIN are read again from headquarters when a page asks for the link. */
const REFRESH_MS = 10 * 60_000;

/** The outbox as the till shows it. */
export interface OutboxStatus extends PumpState {
  unsynced: number;
  conflicts: number;
  enrolled: boolean;
}

/** An outbox record headquarters refused for good, as a person reads it. */
export interface OutboxConflict {
  id: string;
  kind: OutboxRecord['kind'];
  reason: string;
  listId?: string;
  offerId?: string;
  amountCents?: number;
  createdAt: number;
}

/** The headquarters room's methods. */
export function headquartersRoom(ctx: EngineContext) {
  const pump = outboxPump(ctx);
  const schedule = feedSchedule(() => sync(), ctx.options.feedSync);
  const now = () => ctx.options.clock?.() ?? Date.now();
  let lastRefresh = -Infinity;
  /** Which sync ran last here: its status is the one the manager screen shows. */
  let lastSync: 'store' | 'feeds' | undefined;
  /** A new link: new keys; after another store's code, none of the old store's data (or caches of it) remains. */
  const afterLinkChange = (wiped: boolean) => {
    lastRefresh = now(); // enrolment has just read the ring and the PIN
    ctx.codes.reload();
    if (wiped) {
      ctx.invalidate();
      ctx.forgetImportState();
    }
    pump.nudge();
  };
  return {
    /** Enrol this device at headquarters (`baseUrl`, e.g. `https://hq.example/` or the demo's `/hq`) with a one-time
     * code from `larder hq enroll`; the device token and its store are kept, then the store's key ring and PIN are
     * read. A device belongs to one store: enrolling it again is refused unless `replace` (asked of a person first),
     * and a code of another store erases this device's data instead of mixing the two. */
    async enrolDevice(baseUrl: string, code: string, options: { replace?: boolean; label?: string } = {}): Promise<Result<{ link: LinkView; wiped: boolean }, EnrolError>> {
      const result = await enrol(await ctx.db(), ctx.doFetch, baseUrl, code, { ...options, now: now() });
      if (result.ok) afterLinkChange(result.value.wiped);
      return result;
    },

    /** Demo only: ask the demo headquarters (`larder hq --demo`) for an enrolment code through its demo-only route,
     * then enrol with it as a manager would; the demo's day it names becomes this device's clock (`clockDay`).
     * Nothing happens on a device that already belongs to a store. */
    async enrolDemo(baseUrl: string): Promise<Result<{ link: LinkView; wiped: boolean }, EnrolError | 'not-demo'>> {
      const d = await ctx.db();
      const link = await getMeta(d, 'hq:link');
      if (link) return link.demo ? { ok: true, value: { link: await linkView(d), wiped: false } } : err('already-enrolled', link.storeId);
      let answer: { code?: unknown; today?: unknown };
      try {
        const res = await ctx.doFetch(`${baseUrl.replace(/\/+$/, '')}/v1/demo/enrollment`, { method: 'POST' });
        if (res.status === 404) return err('not-demo', 'headquarters is not running with --demo');
        if (!res.ok) return err(res.status >= 500 ? 'unavailable' : 'bad-response', `HTTP ${res.status}`);
        answer = ((await res.json()) ?? {}) as typeof answer;
      } catch (e) {
        return err('offline', e instanceof Error ? e.message : String(e));
      }
      const { code } = answer;
      if (typeof code !== 'string') return err('bad-response', 'no enrolment code');
      // The demo's day (the day after the demo store's last trading day): the kiosk's clock, as it was for a folder.
      const day = typeof answer.today === 'string' ? parseDay(answer.today) : undefined;
      if (answer.today !== undefined && day === undefined) return err('bad-response', `the demo's day is not a date: ${JSON.stringify(answer.today)}`);
      const result = await enrol(d, ctx.doFetch, baseUrl, code, { demo: true, label: 'demo kiosk', now: now() });
      if (!result.ok) return result;
      afterLinkChange(result.value.wiped);
      if (day !== undefined) {
        await putMeta(d, 'clockDay', day);
        ctx.invalidate();
      }
      return result;
    },

    /** Whether this device is enrolled, at which store, and whether it holds the store's key ring and PIN hash.
     * Also starts a drain of anything waiting, and now and then reads the key ring and PIN again. */
    async deviceLink(): Promise<LinkView> {
      pump.nudge();
      const d = await ctx.db();
      const view = await linkView(d);
      // A rotated key or a new PIN reaches the kiosk without anyone asking: read again in the background, at most
      // every ten minutes (offline, the stored ones stay).
      if (view.enrolled && now() - lastRefresh > REFRESH_MS) {
        lastRefresh = now();
        void refreshLink(d, ctx.doFetch).then((r) => { if (r.ok) ctx.codes.reload(); }, () => undefined);
      }
      return view;
    },

    /** Read the store's key ring and PIN hash from headquarters again (a rotation, a new PIN). */
    async refreshDeviceLink(): Promise<Result<LinkView, RefreshError>> {
      const result = await refreshLink(await ctx.db(), ctx.doFetch);
      if (result.ok) ctx.codes.reload();
      return result;
    },

    /** Check the manager PIN against the hash headquarters sent. Five wrong tries lock it for five minutes (kept on
     * the device across reloads); `detail` is the tries left, or when the lock ends (ms since the epoch). */
    async checkManagerPin(pin: string): Promise<Result<{ opened: true }, PinError>> {
      return checkPin(await ctx.db(), pin, now());
    },

    /** The PIN pad's state: whether headquarters set a PIN, a lock and until when, tries left. */
    async managerPinState(): Promise<{ pinSet: boolean; lockedUntil?: number; triesLeft: number }> {
      return pinState(await ctx.db(), now());
    },

    /** Redemptions and baskets not yet at headquarters, and where the engine's drain of them stands. */
    async outboxStatus(): Promise<OutboxStatus> {
      const d = await ctx.db();
      const queued = await d.getAllFromIndex('outbox', 'by-synced', 0);
      const unsynced = queued.filter((r) => !r.conflict).length;
      if (unsynced > 0) pump.nudge();
      return { unsynced, conflicts: queued.filter((r) => r.conflict).length, enrolled: !!(await getMeta(d, 'hq:link')), ...pump.state() };
    },

    /** Send the outbox to headquarters now (the engine also does so by itself); undefined on a device not enrolled. */
    async syncOutbox(): Promise<DrainReport | undefined> {
      return pump.kick();
    },

    /** Outbox records headquarters refused for good, for a person to look at (e.g. an offer another till redeemed first). */
    async outboxConflicts(): Promise<OutboxConflict[]> {
      const queued = await (await ctx.db()).getAllFromIndex('outbox', 'by-synced', 0);
      return queued.filter((r) => r.conflict).map((r) => {
        const p = r.payload as Partial<Redemption>;
        return {
          id: r.id, kind: r.kind, reason: r.conflictReason ?? 'conflict', createdAt: r.createdAt,
          ...(typeof p.listId === 'string' ? { listId: p.listId } : {}), ...(typeof p.offerId === 'string' ? { offerId: p.offerId } : {}),
          ...(typeof p.amountCents === 'number' ? { amountCents: p.amountCents } : {}),
        };
      });
    },

    /** An enrolled device (no `baseUrl`): its store's model and the member packs of its store changed since the last
     * sync, and the erasures (worker/hq-store-sync.ts) — never raw feeds. With a `baseUrl` (a feed mirror, tests):
     * the feed files changed there (`GET {baseUrl}/changes?since=…`, worker/hq-feed.ts). Both retry network faults
     * with backoff. From the page, pass `onStatus` wrapped in Comlink's `proxy()`. */
    syncFromHeadquarters: (baseUrl?: string, onStatus?: (s: FeedSyncStatus) => void) => sync(baseUrl, onStatus),

    /** The last headquarters sync's status (`idle` before the first one), and when the engine syncs next by itself. */
    async feedSyncStatus(): Promise<FeedSyncView> {
      const d = await ctx.db();
      const kind = lastSync ?? ((await getMeta(d, 'hq:link')) ? 'store' : 'feeds');
      const status = kind === 'store' ? (await storeSync()).storeSyncFor(ctx.dbName()).status() : (await headquarters()).feedSyncFor(ctx.dbName()).status();
      const nextAt = schedule.nextAt();
      return nextAt === undefined ? status : { ...status, nextAt };
    },
  };

  /** One sync; from the enrolled headquarters (no `baseUrl`), it plans the next one too. */
  async function sync(baseUrl?: string, onStatus?: (s: FeedSyncStatus) => void): Promise<Result<SyncSummary | StoreSyncSummary, FeedSyncError | 'not-enrolled'>> {
    const d = await ctx.db();
    const link = await getMeta(d, 'hq:link');
    if (!baseUrl && !link) return err('not-enrolled', 'this device is not enrolled at headquarters');
    // A demo kiosk's folder data (every store's members, once) never mixes with its store's packs.
    if (await dropFolderData(d)) {
      ctx.invalidate();
      ctx.forgetImportState();
    }
    const status = onStatus ? { onStatus } : {};
    let result: Result<SyncSummary | StoreSyncSummary, FeedSyncError>;
    if (baseUrl === undefined && link) {
      lastSync = 'store';
      result = await (await storeSync()).storeSyncFor(ctx.dbName()).run(d, link, { fetch: ctx.doFetch, ...status });
    } else {
      // A feed mirror's files, with the device token when there is one.
      lastSync = 'feeds';
      result = await (await headquarters()).feedSyncFor(ctx.dbName()).run(d, ctx.importState, {
        baseUrl: baseUrl!, fetch: ctx.doFetch, ...(link ? { token: link.deviceToken } : {}), ...status,
      });
    }
    // A failed batch may have left ids in memory that never reached the disk; erased members leave the card index.
    if (!result.ok || result.value.changed) {
      ctx.forgetImportState();
      ctx.invalidate();
    }
    if (link && baseUrl === undefined) {
      schedule.after(result.ok);
      // New data (the day's syncs bring other tills' baskets): the store model is read now, behind the screen, so the
      // next card scan does not wait for it.
      if (result.ok && result.value.changed) void ctx.storeModel().catch(() => undefined);
    }
    return result;
  }
}
