// The store's list-code keys (Web Crypto HMAC), kept in the database, and the MAC function core/list-code.ts uses.
import type { LarderDB } from './store.ts';
import { err, type Result } from '../core/result.ts';
import { gs1CheckDigit } from '../core/ean.ts';

// Provisional list-code format until core/list-code.ts lands: 9 · key id (1) · day (5) · serial (6) · MAC (6) · check.
type ListCodeError = 'wrong-length' | 'bad-check-digit' | 'not-a-list-code';
interface ListCodeParts { keyId: number; day: number; serial: number; mac: string; body: string }
type Mac = (keyId: number, message: Uint8Array) => Promise<Uint8Array>;
const macDigits = async (mac: Mac, keyId: number, body: string) => {
  const bytes = await mac(keyId, new TextEncoder().encode(body));
  return String(new DataView(bytes.buffer).getUint32(0) % 1_000_000).padStart(6, '0');
};
async function issueListCode(p: { keyId: number; day: number; serial: number }, mac: Mac): Promise<string> {
  const body = `9${p.keyId % 10}${String(p.day % 100_000).padStart(5, '0')}${String(p.serial % 1_000_000).padStart(6, '0')}`;
  const payload = body + (await macDigits(mac, p.keyId % 10, body));
  return payload + gs1CheckDigit(payload);
}
function parseListCode(text: string): Result<ListCodeParts, ListCodeError> {
  const t = text.trim();
  if (!/^\d+$/.test(t) || t[0] !== '9') return err('not-a-list-code');
  if (t.length !== 20) return err('wrong-length');
  if (gs1CheckDigit(t.slice(0, 19)) !== Number(t[19])) return err('bad-check-digit');
  return { ok: true, value: { keyId: Number(t[1]), day: Number(t.slice(2, 7)), serial: Number(t.slice(7, 13)), mac: t.slice(13, 19), body: t.slice(0, 13) } };
}
const verifyListCode = async (p: ListCodeParts, mac: Mac) => (await macDigits(mac, p.keyId, p.body)) === p.mac;

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
