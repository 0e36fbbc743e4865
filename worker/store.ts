// IndexedDB schema, open and migrations for the engine. What the device holds about one member is one record, the
// member's pack (schema v5; before it, three stores): their record, their history (every array in the narrowest type
// that holds it, core/history-codec.ts), controls and, on a kiosk synced from headquarters, the neighbour term
// headquarters summed. Read and written through worker/packs.ts. The one part every issued list changes, the
// shown-items memory, is a small record of its own (`shown`): a batch of 50,000 lists would otherwise rewrite every
// member's whole history (86 s against 25 s, bench/README.md).
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Campaign, Content, Deal, Member, Product, Redemption, ShoppingList } from '../core/types.ts';
import { decodeHistory, encodeHistory, type StoredHistory } from '../core/history-codec.ts';
import type { RowError } from '../core/feeds/index.ts';
import type { ItemControls } from '../core/lists/preferences.ts';
import type { ShownMemory } from '../core/lists/variety.ts';
import type { NeighbourVector } from '../core/lists/neighbours.ts';
import { packOf, type ListPack } from './lists.ts';
import { StorageFullError } from './errors.ts';

/** A product as stored: with its dense index, which histories refer to. */
export interface ProductRecord extends Product {
  idx: number;
}

/** A rejected feed row kept aside with its reason. */
export interface RejectRecord extends RowError {
  id?: number;
  /** The reason in English, as `larder validate` prints it (the manager screen renders `code` and `params`). */
  message: string;
  importId: string;
}

/** A redemption, basket, consent change or control waiting to reach headquarters (`POST /v1/{kind}s`). */
export interface OutboxRecord {
  id: string;
  kind: 'redemption' | 'basket' | 'consent' | 'control';
  payload: unknown;
  createdAt: number;
  attempts: number;
  synced: 0 | 1;
  /** Headquarters refused it for good (same id, other contents): flagged for a person, not resent. */
  conflict?: boolean;
  /** Headquarters' reason for the conflict, e.g. `offer-redeemed-elsewhere` (another till sent the same offer first). */
  conflictReason?: string;
}

/** A member's shopper controls and shown-items memory (worker/preferences.ts). */
export interface PrefsRecord {
  controls?: ItemControls;
  shown?: ShownMemory;
}

/** One member's pack, keyed by member id: what this device holds about them but the shown-items memory (a list, a
 * checkout, an erasure read or write this one record; the memory is beside it in `shown`). */
export interface PackRecord {
  id: string;
  controls?: ItemControls;
  member: Member;
  history?: StoredHistory;
  /** From headquarters (a kiosk's synced packs): the neighbour term summed over ≥ k members, never their histories;
   * items as product indexes. */
  neighbour?: NeighbourVector;
  /** The ETag of headquarters' pack this record was last written from. */
  etag?: string;
}

/** The engine's database. */
export interface LarderSchema extends DBSchema {
  products: { key: string; value: ProductRecord; indexes: { 'by-category': string; 'by-idx': number } };
  /** Member packs; `by-history` holds only the packs with a history (a sparse index: it counts histories). */
  packs: { key: string; value: PackRecord; indexes: { 'by-card': string; 'by-history': string } };
  /** Each member's shown-items memory (core/lists/variety.ts), by member id: written with every personal list. */
  shown: { key: string; value: ShownMemory };
  deals: { key: string; value: Deal };
  campaigns: { key: string; value: Campaign };
  content: { key: string; value: Content };
  /** Lists in packs (worker/lists.ts), by each list's code and (member, issued day). */
  lists: { key: string; value: ListPack; indexes: { 'by-code': string; 'by-member-day': [string, number] } };
  redemptions: { key: string; value: Redemption; indexes: { 'by-list': string; 'by-synced': 0 | 1 } };
  outbox: { key: string; value: OutboxRecord; indexes: { 'by-synced': 0 | 1 } };
  rejects: { key: number; value: RejectRecord; indexes: { 'by-import': string } };
  /** Settings, the product index counter, sync cursors, budgets, the persisted store model. */
  meta: { key: string; value: unknown };
}

export type LarderDB = IDBPDatabase<LarderSchema>;
export type StoreName = StoreNames<LarderSchema>;
export type LarderTx<S extends StoreName[], M extends IDBTransactionMode> = IDBPTransaction<LarderSchema, S, M>;

export const DB_VERSION = 5;
/** The `lists` store of versions 1 to 3 while version 4 converts it. */
const OLD_LISTS = 'lists-v3';

/** The stores of versions 1 to 4 that version 5 folds into `packs` (the upgrade transaction still sees them). */
type OldStore = { openCursor(): Promise<{ value: unknown; continue(): Promise<unknown> } | null>; get(key: string): Promise<unknown> };

/** What the page should know about the database's life. */
export interface StoreEvents {
  /** Another tab holds an older version open: our upgrade waits. */
  onBlocked?(): void;
  /** Another tab wants to upgrade: we closed our connection. */
  onVersionChange?(): void;
  /** The browser closed the connection abnormally (e.g. the database was deleted). */
  onTerminated?(): void;
}

/** Open (and create or migrate) the engine's database. */
export function openStore(name: string, events: StoreEvents = {}): Promise<LarderDB> {
  return openDB<LarderSchema>(name, DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        const products = db.createObjectStore('products', { keyPath: 'id' });
        products.createIndex('by-category', 'category');
        products.createIndex('by-idx', 'idx', { unique: true });
        (db as unknown as IDBPDatabase).createObjectStore('members', { keyPath: 'id' }).createIndex('by-card', 'cardCode', { unique: true });
        (db as unknown as IDBPDatabase).createObjectStore('histories', { keyPath: 'memberId' });
        db.createObjectStore('deals', { keyPath: 'id' });
        db.createObjectStore('campaigns', { keyPath: 'id' });
        db.createObjectStore('content', { keyPath: 'id' });
        // (`lists` from v4 on; versions 1 to 3 stored one list per record.)
        db.createObjectStore('meta');
      }
      if (oldVersion < 2) {
        // v2: checkout and import bookkeeping.
        const redemptions = db.createObjectStore('redemptions', { keyPath: 'key' });
        redemptions.createIndex('by-list', 'listId');
        redemptions.createIndex('by-synced', 'synced');
        db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('by-synced', 'synced');
        db.createObjectStore('rejects', { keyPath: 'id', autoIncrement: true }).createIndex('by-import', 'importId');
      }
      if (oldVersion < 3) {
        // v3: histories in their narrow stored form (about a third of the bytes).
        // (A database another page created empty at an older version has no stores to change.)
        if (db.objectStoreNames.contains('histories' as never)) {
          const histories = (tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>).objectStore('histories');
          for (let cursor = await histories.openCursor(); cursor; cursor = await cursor.continue()) {
            void cursor.update(encodeHistory(decodeHistory(cursor.value as StoredHistory)));
          }
        }
        // Shopper controls and shown-items memory: one record per member in their own store (a list read them as two
        // `meta` keys, in the store that also holds the large persisted model).
        const prefs = (db as unknown as IDBPDatabase).createObjectStore('prefs');
        if (db.objectStoreNames.contains('meta')) {
          const meta = tx.objectStore('meta');
          for (const [prefix, field] of [['controls:', 'controls'], ['shown:', 'shown']] as const) {
            const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
            for (let cursor = await meta.openCursor(range); cursor; cursor = await cursor.continue()) {
              const memberId = (cursor.key as string).slice(prefix.length);
              const record = (await prefs.get(memberId)) ?? {};
              void prefs.put({ ...record, [field]: cursor.value }, memberId);
              void cursor.delete();
            }
          }
        }
      }
      if (oldVersion < 4) {
        // v4: lists in packs (worker/lists.ts) by code and by (member, issued day). Earlier versions' lists, one per
        // record, become packs of one: the old store is renamed and walked with a cursor (a store's lists can be
        // hundreds of megabytes; nothing is read into memory at once), then deleted.
        const had = db.objectStoreNames.contains('lists');
        if (had) tx.objectStore('lists').name = OLD_LISTS;
        const lists = db.createObjectStore('lists', { keyPath: 'id' });
        lists.createIndex('by-code', 'codes', { unique: true, multiEntry: true });
        lists.createIndex('by-member-day', 'memberDays', { multiEntry: true });
        if (had) {
          const old = tx.objectStore(OLD_LISTS as never) as unknown as { openCursor(): Promise<{ value: ShoppingList; continue(): Promise<unknown> } | null> };
          for (let cursor = await old.openCursor(); cursor; cursor = (await cursor.continue()) as typeof cursor) void lists.put(packOf([cursor.value]));
          db.deleteObjectStore(OLD_LISTS as never);
        }
      }
      if (oldVersion < 5) {
        // v5: one record per member pack. Each member's record, history and preferences become one pack, walked with
        // a cursor over the members; a history or preferences record of no member (none is written without one) has
        // nothing to show and goes with its store.
        const packs = db.createObjectStore('packs', { keyPath: 'id' });
        const shown = db.createObjectStore('shown');
        packs.createIndex('by-card', 'member.cardCode', { unique: true });
        packs.createIndex('by-history', 'history.memberId');
        const old = (name: string) => (db.objectStoreNames.contains(name as never) ? tx.objectStore(name as never) as unknown as OldStore : undefined);
        const [members, histories, prefs] = [old('members'), old('histories'), old('prefs')];
        if (members) {
          for (let cursor = await members.openCursor(); cursor; cursor = (await cursor.continue()) as typeof cursor) {
            const member = cursor.value as Member;
            const [history, pref] = await Promise.all([histories?.get(member.id), prefs?.get(member.id)]) as [StoredHistory | undefined, PrefsRecord | undefined];
            void packs.put({ id: member.id, member, ...(history ? { history } : {}), ...(pref?.controls ? { controls: pref.controls } : {}) });
            if (pref?.shown) void shown.put(pref.shown, member.id);
          }
        }
        for (const name of ['members', 'histories', 'prefs']) if (db.objectStoreNames.contains(name as never)) db.deleteObjectStore(name as never);
      }
    },
    blocked() {
      events.onBlocked?.();
    },
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      events.onVersionChange?.();
    },
    terminated() {
      events.onTerminated?.();
    },
  });
}

/** A store's records for each of `ids` (sorted ascending, as IndexedDB orders keys), read as one key range: two
 * requests instead of one per id, for batches of consecutive members. When other records lie between the ids (the ids
 * are a sparse subset), the range stops at twice the ids' count and the rest are read one by one. */
export async function readKeyRange<V>(
  store: { getAll(q: IDBKeyRange, count?: number): Promise<V[]>; getAllKeys(q: IDBKeyRange, count?: number): Promise<IDBValidKey[]>; get(key: string): Promise<V | undefined> },
  ids: readonly string[],
): Promise<Map<string, V>> {
  const found = new Map<string, V>();
  if (!ids.length) return found;
  const range = IDBKeyRange.bound(ids[0]!, ids[ids.length - 1]!);
  const limit = ids.length * 2;
  const [keys, values] = await Promise.all([store.getAllKeys(range, limit), store.getAll(range, limit)]);
  const wanted = new Set(ids);
  keys.forEach((k, i) => {
    if (wanted.has(k as string)) found.set(k as string, values[i]!);
  });
  if (keys.length === limit) {
    const last = keys[keys.length - 1] as string;
    const rest = ids.filter((id) => id > last);
    const more = await Promise.all(rest.map((id) => store.get(id)));
    rest.forEach((id, i) => { if (more[i] !== undefined) found.set(id, more[i]!); });
  }
  return found;
}

/** Why a write failed, for people. */
export type WriteError = 'storage-full' | 'aborted';

/** Settle a transaction: resolves on complete; rejects with a named error on abort or error.
 * Chrome fires `abort` (not `error`) for QuotaExceededError, so `tx.done` alone could leave the cause unclear. */
export function settle(tx: { done: Promise<void>; error: DOMException | null }): Promise<void> {
  return tx.done.catch((e: unknown) => {
    const cause = tx.error ?? (e as DOMException | null);
    const quota = cause?.name === 'QuotaExceededError';
    if (quota) throw new StorageFullError();
    const error = new Error(`aborted${cause?.message ? `: ${cause.message}` : ''}`);
    error.name = 'AbortError';
    throw error;
  });
}
