// The device room: which database this engine uses, what it holds, and erasing it to start again.
import type { Day } from '../../core/types.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { EngineContext } from './context.ts';
import { getMeta, type MetaKey } from '../meta.ts';

/** What erasing the device keeps: that it belongs to its store. */
const KEPT: MetaKey[] = ['hq:link', 'listKeys', 'hq:pin', 'pin:lock'];

/** Counts and readiness, for the page's status line. */
export interface EngineStatus {
  members: number;
  products: number;
  histories: number;
  todayDay: Day;
  /** Lists handed out whose write then failed (storage full): each is made again at the member's next scan. */
  unsavedLists: number;
}

/** The device room's methods. */
export function deviceRoom(ctx: EngineContext) {
  return {
    /** Switch to another database (a store, a test, a benchmark); caches are dropped. */
    async useDatabase(name: string): Promise<void> {
      if (name === ctx.dbName()) return;
      (await ctx.openConnection())?.close();
      ctx.renameDb(name);
      ctx.forgetConnection();
    },

    /** Counts of what is stored, and the store's "today". */
    async status(): Promise<EngineStatus> {
      const d = await ctx.db();
      const [members, products, histories] = await Promise.all([d.count('packs'), d.count('products'), d.countFromIndex('packs', 'by-history')]);
      return { members, products, histories, todayDay: await ctx.today(), unsavedLists: ctx.unsaved.count };
    },

    /** The store's current day: the demo clock when demo data is loaded, else the real date. */
    async today(): Promise<Day> {
      return ctx.today();
    },

    /** Erase this device's database (to start again from headquarters' feeds); it stays enrolled at its store.
     * Refused while redemptions or baskets have not reached headquarters, conflicts included: they exist nowhere else. */
    async resetDevice(): Promise<Result<{ erased: string }, 'unsynced'>> {
      const d = await ctx.db();
      const unsynced = await d.countFromIndex('outbox', 'by-synced', 0);
      if (unsynced > 0) return err('unsynced', `${unsynced} record(s) not yet at headquarters`);
      // The device stays enrolled: its link, the store's key ring and PIN hash (and the PIN's lock) come back into
      // the new database, so it starts again from headquarters' feeds without a new code.
      // A demo kiosk keeps the demo's day too (headquarters names it only at enrolment).
      const keys: MetaKey[] = (await getMeta(d, 'hq:link'))?.demo ? [...KEPT, 'clockDay'] : KEPT;
      const kept = await Promise.all(keys.map(async (key) => [key, await getMeta(d, key)] as const));
      d.close();
      ctx.forgetConnection();
      const name = ctx.dbName();
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.deleteDatabase(name);
        req.onsuccess = () => resolve();
        req.onerror = () => reject(req.error ?? new Error('delete failed'));
        req.onblocked = () => resolve(); // other tabs close on versionchange (see store.ts); the deletion completes then
      });
      const fresh = await ctx.db();
      const tx = fresh.transaction('meta', 'readwrite');
      for (const [key, value] of kept) if (value !== undefined) void tx.store.put(value, key);
      await tx.done;
      ctx.codes.reload();
      return ok({ erased: name });
    },
  };
}
