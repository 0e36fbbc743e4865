// The headquarters room: feeds from headquarters (HTTP sync, worker/hq-feed.ts) and the outbox of redemptions and
// baskets on their way there (worker/sync.ts).
import type { Redemption } from '../../core/types.ts';
import type { Result } from '../../core/result.ts';
import type { OutboxRecord } from '../store.ts';
import { drainOutbox, type DrainReport } from '../sync.ts';
import type { FeedSyncError, FeedSyncStatus, SyncSummary } from '../hq-feed.ts';
import { headquarters, type EngineContext } from './context.ts';

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
  return {
    /** Redemptions and baskets not yet at headquarters. */
    async outboxStatus(): Promise<{ unsynced: number; conflicts: number }> {
      const queued = await (await ctx.db()).getAllFromIndex('outbox', 'by-synced', 0);
      return { unsynced: queued.filter((r) => !r.conflict).length, conflicts: queued.filter((r) => r.conflict).length };
    },

    /** Send the outbox to headquarters now. */
    async syncOutbox(endpoint: string): Promise<DrainReport> {
      return drainOutbox(await ctx.db(), { endpoint, fetch: ctx.doFetch });
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

    /** Import what changed at headquarters since the last sync (`GET {baseUrl}/changes?since=…`, then each file;
     * the protocol is documented in worker/hq-feed.ts). Retries network faults with backoff; resumes a file where
     * an interrupted sync stopped. From the page, pass `onStatus` wrapped in Comlink's `proxy()`. */
    async syncFromHeadquarters(baseUrl: string, onStatus?: (s: FeedSyncStatus) => void): Promise<Result<SyncSummary, FeedSyncError>> {
      const result = await (await headquarters()).feedSyncFor(ctx.dbName()).run(await ctx.db(), ctx.importState, { baseUrl, fetch: ctx.doFetch, ...(onStatus ? { onStatus } : {}) });
      // A failed batch may have left ids in memory that never reached the disk: read them again next time.
      if (!result.ok) ctx.forgetImportState();
      if (!result.ok || result.value.changed) ctx.invalidate();
      return result;
    },

    /** The last headquarters sync's status (`idle` before the first one). */
    async feedSyncStatus(): Promise<FeedSyncStatus> {
      return (await headquarters()).feedSyncFor(ctx.dbName()).status();
    },
  };
}
