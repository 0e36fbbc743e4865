// IndexedDB schema, open and migrations for the engine. Histories are packed per member (one record each), every array
// in the narrowest type that holds it (core/history-codec.ts): read and written only through readHistory/writeHistory.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Campaign, Content, Deal, Member, Product, Redemption, ShoppingList } from '../core/types.ts';
import type { PackedHistory } from '../core/history.ts';
import { decodeHistory, encodeHistory, type StoredHistory } from '../core/history-codec.ts';
import type { RowError } from '../core/feeds/index.ts';
import type { ItemControls } from '../core/lists/preferences.ts';
import type { ShownMemory } from '../core/lists/variety.ts';
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

/** A redemption or basket waiting to reach headquarters. */
export interface OutboxRecord {
  id: string;
  kind: 'redemption' | 'basket';
  payload: unknown;
  createdAt: number;
  attempts: number;
  synced: 0 | 1;
  /** Headquarters refused it for good (same id, other contents): flagged for a person, not resent. */
  conflict?: boolean;
  /** Headquarters' reason for the conflict, e.g. `offer-redeemed-elsewhere` (another till sent the same offer first). */
  conflictReason?: string;
}

/** A member's shopper controls and shown-items memory (worker/preferences.ts), keyed by member id. */
export interface PrefsRecord {
  controls?: ItemControls;
  shown?: ShownMemory;
}

/** The engine's database. */
export interface LarderSchema extends DBSchema {
  products: { key: string; value: ProductRecord; indexes: { 'by-category': string; 'by-idx': number } };
  members: { key: string; value: Member; indexes: { 'by-card': string } };
  histories: { key: string; value: StoredHistory };
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
  prefs: { key: string; value: PrefsRecord };
}

export type LarderDB = IDBPDatabase<LarderSchema>;
export type StoreName = StoreNames<LarderSchema>;
export type LarderTx<S extends StoreName[], M extends IDBTransactionMode> = IDBPTransaction<LarderSchema, S, M>;

export const DB_VERSION = 4;
/** The `lists` store of versions 1 to 3 while version 4 converts it. */
const OLD_LISTS = 'lists-v3';

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
        db.createObjectStore('members', { keyPath: 'id' }).createIndex('by-card', 'cardCode', { unique: true });
        db.createObjectStore('histories', { keyPath: 'memberId' });
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
        if (db.objectStoreNames.contains('histories')) {
          for (let cursor = await tx.objectStore('histories').openCursor(); cursor; cursor = await cursor.continue()) {
            void cursor.update(encodeHistory(decodeHistory(cursor.value)));
          }
        }
        // Shopper controls and shown-items memory: one record per member in their own store (a list read them as two
        // `meta` keys, in the store that also holds the large persisted model).
        const prefs = db.createObjectStore('prefs');
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

/** A member's history, read from the `histories` store (or an index-less handle on it inside a transaction). */
export async function readHistory(store: { get(key: string): Promise<StoredHistory | undefined> }, memberId: string): Promise<PackedHistory | undefined> {
  const stored = await store.get(memberId);
  return stored && decodeHistory(stored);
}

/** Every history in the store (the manager's analyses, small stores' model builds). */
export async function readAllHistories(d: LarderDB): Promise<PackedHistory[]> {
  return (await d.getAll('histories')).map(decodeHistory);
}

/** Write a member's history in its stored form; the request's promise, for the caller's transaction to settle. */
export function writeHistory(store: { put(value: StoredHistory): Promise<unknown> }, history: PackedHistory): Promise<unknown> {
  return store.put(encodeHistory(history));
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
