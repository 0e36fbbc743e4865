// The `meta` store's keys and what each holds: one map, so a value is read as its type instead of being cast at each
// use. Every read and write of `meta` goes through `getMeta` / `putMeta` (or their typed store handle).
import type { Day } from '../core/types.ts';
import type { ListKeys } from './codes.ts';
import type { PersistedModel } from './list-context.ts';
import type { FileProgress } from './hq-feed.ts';
import type { DeviceLink, PinLock } from './hq-link.ts';
import type { PinWire } from '../protocol/devices.ts';
import type { KeptStoreModel } from './hq-store-sync.ts';

/** Key → value of every `meta` entry. */
export interface MetaValues {
  /** The demo clock: the store's "today" once demo feeds were loaded. */
  clockDay: Day;
  /** The feed folder loaded by `loadDemo` (loaded once). */
  demoLoaded: string;
  /** Products indexed so far: the next product's dense index. */
  productCount: number;
  /** The list-code key ring. */
  listKeys: ListKeys;
  /** Per issue day, the next free list serial (worker/codes.ts). */
  listSerials: Record<string, number>;
  /** The scorer's store model, persisted for the next start. */
  storeModel: PersistedModel;
  /** Savings given so far against a deal's budget, in cents. */
  [deal: `budget:${string}`]: number;
  /** This device's enrolment at headquarters: where it is, the device token, the one store it belongs to. */
  'hq:link': DeviceLink;
  /** The store's manager PIN as headquarters sent it (a salted PBKDF2 hash; absent: no PIN set at headquarters). */
  'hq:pin': PinWire;
  /** Wrong manager PIN tries in a row, and the lock they set (kept across reloads). */
  'pin:lock': PinLock;
  /** The last change set of headquarters fully imported (the feed protocol, worker/hq-feed.ts). */
  'hq:cursor': string;
  /** The enrolled store's model from headquarters (worker/hq-store-sync.ts): the kiosk's lists rank with it. */
  'hq:storeModel': KeptStoreModel;
  /** The cursor of the last page of the store's member packs stored. */
  'hq:packsCursor': string;
  /** The ETag of the last imported version of a feed file. */
  [file: `hq:etag:${string}`]: string;
  /** How far the import of one file version got. */
  [file: `hq:progress:${string}`]: FileProgress;
}

/** A `meta` key. */
export type MetaKey = keyof MetaValues & string;

/** Keys made from a name. */
export const metaKey = {
  budget: (dealId: string) => `budget:${dealId}` as const,
  hqEtag: (name: string) => `hq:etag:${name}` as const,
  hqProgress: (name: string) => `hq:progress:${name}` as const,
};

/** The `meta` store inside a transaction, or the database (whose `get`/`put` name the store first). */
interface MetaStore {
  get(key: string): Promise<unknown>;
  put(value: unknown, key: string): Promise<unknown>;
}
interface MetaDb {
  objectStoreNames: DOMStringList;
  get(store: 'meta', key: string): Promise<unknown>;
  put(store: 'meta', value: unknown, key: string): Promise<unknown>;
}
const isDb = (t: MetaStore | MetaDb): t is MetaDb => 'objectStoreNames' in t;

/** Read a `meta` entry as its type. */
export function getMeta<K extends MetaKey>(target: MetaStore | MetaDb, key: K): Promise<MetaValues[K] | undefined> {
  return (isDb(target) ? target.get('meta', key) : target.get(key)) as Promise<MetaValues[K] | undefined>;
}

/** Write a `meta` entry; the request's promise (inside a transaction, for the caller to settle). */
export function putMeta<K extends MetaKey>(target: MetaStore | MetaDb, key: K, value: MetaValues[K]): Promise<unknown> {
  return isDb(target) ? target.put('meta', value, key) : target.put(value, key);
}

/** The store model headquarters sent (worker/hq-store-sync.ts), when it is the model of the store this device is
 * enrolled at: such a device holds its store as headquarters sent it. */
export async function keptStoreModel(target: MetaDb): Promise<MetaValues['hq:storeModel'] | undefined> {
  const [link, kept] = await Promise.all([getMeta(target, 'hq:link'), getMeta(target, 'hq:storeModel')]);
  return link && kept?.storeId === link.storeId ? kept : undefined;
}
