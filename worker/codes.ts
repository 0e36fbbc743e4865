// The store's list-code keys (Web Crypto HMAC), kept in the database, and the MAC function core/checkout/list-code.ts uses.
import { settle, type LarderDB } from './store.ts';
import { getMeta, putMeta } from './meta.ts';
import { isStorageFull } from './errors.ts';
import { err, type Result } from '../core/result.ts';
import { issueListCode, parseListCode, verifyListCode, type ListCodeError, type ListCodeParts } from '../core/checkout/list-code.ts';


/** Key ring: the key new lists are signed with, and older keys still accepted so printed lists stay valid. */
export interface ListKeys {
  current: number;
  keys: Record<number, Uint8Array>;
  /** The store whose ring headquarters sent (worker/hq-link.ts); absent for a key made on this device before it was
   * enrolled, which no other till shares. */
  storeId?: string;
}

/** A key ring that could not be stored (storage full on a store that had none): lists signed with it are shown but
 * never stored or printed, since no later start could verify them. Its key id (0) is one a first ring never uses. */
export interface TransientKeys extends ListKeys {
  transient: true;
}

/** Load the key ring, creating a first random key when the store has none; when that key cannot be stored (storage
 * full), a {@link TransientKeys} ring. */
export async function loadKeys(db: LarderDB): Promise<ListKeys | TransientKeys> {
  const stored = await getMeta(db, 'listKeys');
  if (stored) return stored;
  // Read again and create in one readwrite transaction: two engines starting on a new store (two tabs, the widget's
  // worker and the kiosk's) would otherwise each make a key, and the lists signed with the overwritten one would no
  // longer verify.
  const tx = db.transaction('meta', 'readwrite');
  const raced = await getMeta(tx.store, 'listKeys');
  const ring: ListKeys = raced ?? { current: 1, keys: { 1: crypto.getRandomValues(new Uint8Array(32)) } };
  if (!raced) void putMeta(tx.store, 'listKeys', ring);
  try {
    await settle(tx);
  } catch (e) {
    if (!isStorageFull(e)) throw e;
    return { current: 0, keys: { 0: crypto.getRandomValues(new Uint8Array(32)) }, transient: true };
  }
  return ring;
}

/** Add a new key and sign new lists with it; older keys keep verifying lists already printed. */
export async function rotateKey(db: LarderDB, keyId: number, secret: Uint8Array): Promise<ListKeys> {
  const ring = await loadKeys(db);
  const next: ListKeys = { current: keyId, keys: { ...('transient' in ring ? {} : ring.keys), [keyId]: secret } };
  await putMeta(db, 'listKeys', next);
  return next;
}

/** HMAC-SHA-256 of a message with one key of the ring. Imported keys are kept by secret, not by key id: an id may
 * come to stand for another secret (a rotation that reuses it, a transient ring replaced by a stored one). */
export function hmacWith(ring: () => Promise<ListKeys>) {
  const imported = new WeakMap<Uint8Array, Promise<CryptoKey>>();
  return async (keyId: number, message: Uint8Array): Promise<Uint8Array> => {
    const secret = (await ring()).keys[keyId];
    if (!secret) return new Uint8Array(0);
    let key = imported.get(secret);
    if (!key) imported.set(secret, (key = crypto.subtle.importKey('raw', secret as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])));
    return new Uint8Array(await crypto.subtle.sign('HMAC', await key, message as BufferSource));
  };
}

/** Issue and verify list codes with the store's key ring. */
export function createCodes(db: () => Promise<LarderDB>) {
  let ring: Promise<ListKeys | TransientKeys> | undefined;
  let transient: TransientKeys | undefined;
  const keys = () => (ring ??= db().then(loadKeys).then((r) => {
    if ('transient' in r) {
      // Kept for this engine's lists until a ring is stored; asked again at the next list.
      transient ??= r;
      ring = undefined;
      return transient;
    }
    transient = undefined;
    return r;
  }));
  const mac = hmacWith(keys);
  /** Codes signed with a transient ring (bounded: only while storage is full). */
  const unsigned = new Set<string>();
  return {
    /** A new list code for a list issued on `day` with a serial number. */
    async issue(day: number, serial: number): Promise<string> {
      const r = await keys();
      const code = await issueListCode({ keyId: r.current, day, serial }, mac);
      if ('transient' in r) {
        if (unsigned.size >= 1000) unsigned.clear();
        unsigned.add(code);
      }
      return code;
    },
    /** Whether a code was signed with a key that could not be stored: its list must not be stored or printed. */
    isTransient(code: string): boolean {
      return unsigned.has(code);
    },
    /** Check a scanned list code: shape, check digit, then the MAC. */
    async verify(text: string): Promise<Result<ListCodeParts, ListCodeError | 'forged-code'>> {
      const parsed = parseListCode(text);
      if (!parsed.ok) return parsed;
      return (await verifyListCode(parsed.value, mac)) ? parsed : err('forged-code');
    },
    /** Forget cached keys (after a rotation). */
    reload() {
      ring = undefined;
    },
  };
}

/** Serials a device reserves at a time for one issue day. */
export const SERIAL_BLOCK = 1_000;
/** Days a serial counter is kept (a list is issued for today, the day after a checkout, or a day replayed in a test). */
const SERIAL_DAYS_KEPT = 400;

/** Serial numbers for list codes, unique per issue day across every engine of the device (tabs, kiosk and widget
 * workers): a code is (key, day, serial, MAC), and a by-code index refuses a second list with the same one. Each engine
 * reserves blocks of {@link SERIAL_BLOCK} from a counter per day in `meta` (transactions on `meta` serialise the
 * engines); a day's first block starts at a random serial, so another device's lists of that day (headquarters may
 * hand a list to another till) start elsewhere in the million. When the counter cannot be written (storage full) the
 * block is random and kept in memory: the member still gets the list, whose own write will tell. */
export function createSerials(db: () => Promise<LarderDB>, block = SERIAL_BLOCK) {
  const blocks = new Map<number, { next: number; end: number }>();
  const pending = new Map<number, Promise<void>>();
  const reserve = async (day: number) => {
    let start: number;
    try {
      const tx = (await db()).transaction('meta', 'readwrite');
      const stored = (await getMeta(tx.store, 'listSerials')) ?? {};
      start = stored[day] ?? randomSerial();
      const kept = Object.fromEntries(Object.entries(stored).filter(([d]) => Number(d) > day - SERIAL_DAYS_KEPT && Number(d) < day + SERIAL_DAYS_KEPT));
      void putMeta(tx.store, 'listSerials', { ...kept, [day]: start + block });
      await settle(tx);
    } catch (e) {
      console.warn(`list serials not reserved: ${e instanceof Error ? e.message : String(e)}`);
      start = randomSerial();
    }
    blocks.set(day, { next: start, end: start + block });
  };
  return {
    /** The next serial for a list issued on `day` (0 .. 999,999). */
    async take(day: number): Promise<number> {
      for (;;) {
        const b = blocks.get(day);
        if (b && b.next < b.end) return b.next++ % 1_000_000;
        let p = pending.get(day);
        if (!p) pending.set(day, (p = reserve(day).finally(() => pending.delete(day))));
        await p;
      }
    },
  };
}

const randomSerial = () => crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000;
