// What a shopper's browser holds (DESIGN.md "Who holds what"): the store model of one store and the signed-in
// member's own pack, both from headquarters, in a database of their own (`<engine db>-web`). Nothing else about any
// member ever comes in. The pack is kept only while a token headquarters accepted says whose it is: no token, a
// refused token or another member's pack replaces it or drops it.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { MemberPackWire, StoreModelWire } from '../protocol/packs.ts';
import type { PrefChange } from '../protocol/member-prefs.ts';

interface WebSchema extends DBSchema {
  /** The store model as headquarters sent it, by store, with its ETag. */
  models: { key: string; value: { storeId: string; etag: string; wire: StoreModelWire } };
  /** The signed-in member's pack (one record, key `me`) as headquarters sent it. */
  pack: { key: string; value: { memberId: string; etag: string; wire: MemberPackWire } };
  /** The signed-in member's control changes not yet confirmed by headquarters (worker/web-prefs.ts), in order. */
  outbox: { key: number; value: { memberId: string; change: PrefChange } };
}

export type WebDB = IDBPDatabase<WebSchema>;

/** The web database beside the engine's `dbName`. */
export const webDbName = (dbName: string) => `${dbName}-web`;

/** Open (and create) the web database. */
export function openWebStore(name: string): Promise<WebDB> {
  return openDB<WebSchema>(name, 2, {
    upgrade(db, from) {
      if (from < 1) {
        db.createObjectStore('models', { keyPath: 'storeId' });
        db.createObjectStore('pack');
      }
      if (from < 2) db.createObjectStore('outbox', { autoIncrement: true });
    },
  });
}

/** The JWT's subject and expiry as the token says them (not verified: only headquarters can; this decides only
 * whether a pack already on the device may be shown while headquarters is unreachable). */
export function tokenClaims(token: string): { sub?: string; exp?: number } | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const claims = JSON.parse(json) as { sub?: unknown; exp?: unknown };
    return { ...(typeof claims.sub === 'string' ? { sub: claims.sub } : {}), ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}) };
  } catch {
    return undefined;
  }
}
