// The store's list-code keys (Web Crypto HMAC), kept in the database, and the MAC function core/list-code.ts uses.
import type { LarderDB } from './store.ts';
import { err, type Result } from '../core/result.ts';
import { issueListCode, parseListCode, verifyListCode, type ListCodeError, type ListCodeParts } from '../core/list-code.ts';


/** Key ring: the key new lists are signed with, and older keys still accepted so printed lists stay valid. */
export interface ListKeys {
  current: number;
  keys: Record<number, Uint8Array>;
}

const META_KEY = 'listKeys';

/** Load the key ring, creating a first random key when the store has none. */
export async function loadKeys(db: LarderDB): Promise<ListKeys> {
  const stored = (await db.get('meta', META_KEY)) as ListKeys | undefined;
  if (stored) return stored;
  const ring: ListKeys = { current: 1, keys: { 1: crypto.getRandomValues(new Uint8Array(32)) } };
  await db.put('meta', ring, META_KEY);
  return ring;
}

/** Add a new key and sign new lists with it; older keys keep verifying lists already printed. */
export async function rotateKey(db: LarderDB, keyId: number, secret: Uint8Array): Promise<ListKeys> {
  const ring = await loadKeys(db);
  const next: ListKeys = { current: keyId, keys: { ...ring.keys, [keyId]: secret } };
  await db.put('meta', next, META_KEY);
  return next;
}

/** HMAC-SHA-256 of a message with one key of the ring. */
export function hmacWith(ring: () => Promise<ListKeys>) {
  const imported = new Map<number, Promise<CryptoKey>>();
  return async (keyId: number, message: Uint8Array): Promise<Uint8Array> => {
    const secret = (await ring()).keys[keyId];
    if (!secret) return new Uint8Array(0);
    let key = imported.get(keyId);
    if (!key) imported.set(keyId, (key = crypto.subtle.importKey('raw', secret as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])));
    return new Uint8Array(await crypto.subtle.sign('HMAC', await key, message as BufferSource));
  };
}

/** Issue and verify list codes with the store's key ring. */
export function createCodes(db: () => Promise<LarderDB>) {
  let ring: Promise<ListKeys> | undefined;
  const keys = () => (ring ??= db().then(loadKeys));
  const mac = hmacWith(keys);
  return {
    /** A new list code for a list issued on `day` with a serial number. */
    async issue(day: number, serial: number): Promise<string> {
      return issueListCode({ keyId: (await keys()).current, day, serial }, mac);
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
