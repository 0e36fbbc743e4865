// This device's link to headquarters: enrolment by a one-time code (one store per device), the store's list-code key
// ring and manager PIN hash read with the device token, and the PIN check with its lock — all kept in `meta`, so they
// hold offline and across reloads.
import { err, ok, type Result } from '../core/result.ts';
import { keyRingFromWire, type EnrollAnswer, type KeyRingWire, type PinWire } from '../protocol/devices.ts';
import { settle, type LarderDB, type StoreName } from './store.ts';
import { getMeta, keptStoreModel, putMeta } from './meta.ts';

/** What enrolment leaves on the device. */
export interface DeviceLink {
  /** Headquarters' base URL (routes are `{baseUrl}/v1/…`). */
  baseUrl: string;
  deviceToken: string;
  deviceId: string;
  storeId: string;
  enrolledAt: number;
  /** Enrolled with a code from the demo headquarters' demo-only route: the demo's feed folder may load into it. */
  demo?: boolean;
}

/** The link as a page may see it (never the token). */
export interface LinkView {
  enrolled: boolean;
  storeId?: string;
  deviceId?: string;
  baseUrl?: string;
  demo?: boolean;
  /** Whether the store's key ring and PIN hash from headquarters are on the device. */
  keyRing: boolean;
  pin: boolean;
  /** The device holds its store as headquarters sent it (model and packs): feed files are imported there, not here. */
  fromHq?: boolean;
}

/** Wrong PIN tries since the last right one, and until when the pad is locked (ms since the epoch). */
export interface PinLock {
  failures: number;
  lockedUntil?: number;
}

/** Why an enrolment did not happen. `bad-code`: unknown or already used; `already-enrolled`: the device belongs to a
 * store (enrolling again must be asked for: `replace`); `unsynced`: records exist only here, so nothing is replaced. */
export type EnrolError = 'bad-code' | 'expired-code' | 'offline' | 'unavailable' | 'bad-response' | 'already-enrolled' | 'unsynced';

/** Why the key ring or PIN could not be read. `revoked`: headquarters refuses this device's token. */
export type RefreshError = 'not-enrolled' | 'offline' | 'unavailable' | 'revoked' | 'bad-response';

/** Why a PIN does not open the manager screen. */
export type PinError = 'wrong-pin' | 'locked' | 'no-pin';

/** Wrong tries before the pad locks, and for how long. */
export const PIN_TRIES = 5;
export const PIN_LOCK_MS = 5 * 60_000;

/** Every store of a store's data: what enrolling into another store erases (a device never mixes two stores). */
const STORE_DATA: StoreName[] = ['products', 'packs', 'shown', 'deals', 'campaigns', 'content', 'lists', 'redemptions', 'outbox', 'rejects', 'meta'];

const trimBase = (url: string) => url.replace(/\/+$/, '');
const bearer = (link: DeviceLink) => ({ authorization: `Bearer ${link.deviceToken}` });

/** The link as pages see it. */
export async function linkView(db: LarderDB): Promise<LinkView> {
  const [link, ring, pin, model] = await Promise.all([getMeta(db, 'hq:link'), getMeta(db, 'listKeys'), getMeta(db, 'hq:pin'), keptStoreModel(db)]);
  if (!link) return { enrolled: false, keyRing: false, pin: false };
  return {
    enrolled: true, storeId: link.storeId, deviceId: link.deviceId, baseUrl: link.baseUrl, ...(link.demo ? { demo: true } : {}),
    keyRing: ring?.storeId === link.storeId, pin: pin?.storeId === link.storeId, ...(model ? { fromHq: true } : {}),
  };
}

/** Whether the device holds a store's data that a folder of feeds must not be loaded into: data synced from
 * headquarters, or data already on a device enrolled at a store (not the demo's). An enrolled device still empty may
 * be seeded from files. */
export async function holdsStore(db: LarderDB): Promise<string | undefined> {
  const link = await getMeta(db, 'hq:link');
  if ((await getMeta(db, 'hq:cursor')) || (await getMeta(db, 'hq:packsCursor')) || (await getMeta(db, 'hq:storeModel'))) return link?.storeId ?? 'headquarters';
  if (link && !link.demo && ((await db.count('packs')) > 0 || (await db.count('products')) > 0)) return link.storeId;
  return undefined;
}

/** A demo kiosk that once loaded a folder of feeds (the old public demo folder held every store's members) and has
 * not synced yet: that data is erased before its first sync, so it holds its store's members only, as synced.
 * Redemptions and the outbox stay (they still go to headquarters). Whether anything was erased. */
export async function dropFolderData(db: LarderDB): Promise<boolean> {
  const [link, folder, cursor, packs] = await Promise.all([getMeta(db, 'hq:link'), getMeta(db, 'demoLoaded'), getMeta(db, 'hq:cursor'), getMeta(db, 'hq:packsCursor')]);
  if (!link?.demo || !folder || cursor || packs) return false;
  const names: StoreName[] = ['products', 'packs', 'shown', 'deals', 'campaigns', 'content', 'lists', 'rejects'];
  const tx = db.transaction([...names, 'meta'] as StoreName[], 'readwrite');
  for (const name of names) void tx.objectStore(name).clear();
  void tx.objectStore('meta').delete('demoLoaded');
  await settle(tx);
  return true;
}

/** Enrol this device with a one-time code at `baseUrl`; then read the store's key ring and PIN. A device already
 * enrolled is refused unless `replace`; replacing needs every record sent, and a code of another store erases this
 * device's data first (never merged). `wiped` says whether the data went. */
export async function enrol(
  db: LarderDB, doFetch: typeof fetch, baseUrl: string, code: string,
  options: { replace?: boolean; demo?: boolean; label?: string; now?: number } = {},
): Promise<Result<{ link: LinkView; wiped: boolean }, EnrolError>> {
  const before = await getMeta(db, 'hq:link');
  if (before && !options.replace) return err('already-enrolled', before.storeId);
  if (before && (await db.countFromIndex('outbox', 'by-synced', 0)) > 0) return err('unsynced', 'records not yet at headquarters');
  const base = trimBase(baseUrl);
  let res: Response;
  try {
    res = await doFetch(`${base}/v1/devices/enroll`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code.trim(), ...(options.label ? { label: options.label } : {}) }),
    });
  } catch (e) {
    return err('offline', e instanceof Error ? e.message : String(e));
  }
  const body = (await res.json().catch(() => undefined)) as (Partial<EnrollAnswer> & { reason?: string; error?: string }) | undefined;
  if (!res.ok) {
    if (res.status >= 500) return err('unavailable', `HTTP ${res.status}`);
    if (body?.reason === 'expired-credential') return err('expired-code', body.error);
    if (res.status === 401 || res.status === 400 || res.status === 422) return err('bad-code', body?.error);
    return err('bad-response', `HTTP ${res.status}`);
  }
  if (typeof body?.deviceToken !== 'string' || typeof body.storeId !== 'string' || typeof body.deviceId !== 'string') return err('bad-response', 'not an enrolment answer');
  const link: DeviceLink = {
    baseUrl: base, deviceToken: body.deviceToken, deviceId: body.deviceId, storeId: body.storeId, enrolledAt: options.now ?? Date.now(),
    ...(options.demo ? { demo: true } : {}),
  };
  // Another store's code: this device's data goes, in the same transaction that stores the new link.
  const wiped = before !== undefined && before.storeId !== link.storeId;
  const tx = db.transaction(wiped ? STORE_DATA : ['meta'], 'readwrite');
  if (wiped) for (const name of STORE_DATA) void tx.objectStore(name).clear();
  else {
    // A first enrolment: a key made on this device before it had a store would sign lists no other till accepts.
    const ring = await getMeta(tx.objectStore('meta'), 'listKeys');
    if (ring && ring.storeId !== link.storeId) void tx.objectStore('meta').delete('listKeys');
  }
  void putMeta(tx.objectStore('meta'), 'hq:link', link);
  await settle(tx);
  await refreshLink(db, doFetch);
  return ok({ link: await linkView(db), wiped });
}

/** GET `path` (`/v1/…`) at the headquarters this device is enrolled at, with its device token unless `token: false`
 * (a public route): the answer whatever its status, or `offline` and why when none came. */
export async function getAtHq(doFetch: typeof fetch, link: DeviceLink, path: string, headers: Record<string, string> = {}, options: { token?: boolean } = {}): Promise<Result<Response, 'offline'>> {
  try {
    return ok(await doFetch(`${link.baseUrl}${path}`, { headers: { ...headers, ...(options.token === false ? {} : bearer(link)) } }));
  } catch (e) {
    return err('offline', e instanceof Error ? e.message : String(e));
  }
}

/** GET a route with the device token: the JSON, or why not. */
async function getJson<T>(doFetch: typeof fetch, link: DeviceLink, path: string): Promise<Result<T | undefined, RefreshError>> {
  const answer = await getAtHq(doFetch, link, path, { accept: 'application/json' });
  if (!answer.ok) return answer;
  const res = answer.value;
  if (res.status === 404) return ok(undefined);
  if (res.status === 401 || res.status === 403) return err('revoked', `HTTP ${res.status}`);
  if (!res.ok) return err(res.status >= 500 ? 'unavailable' : 'bad-response', `HTTP ${res.status}`);
  const body = (await res.json().catch(() => undefined)) as T | undefined;
  return body === undefined ? err('bad-response', `${path}: not JSON`) : ok(body);
}

const isB64 = (s: unknown): s is string => typeof s === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(s);

/** Read the store's key ring and manager PIN hash from headquarters and keep them. A ring replaces the stored one
 * (headquarters keeps retired keys in it while their lists are valid); no PIN at headquarters removes the stored one. */
export async function refreshLink(db: LarderDB, doFetch: typeof fetch): Promise<Result<LinkView, RefreshError>> {
  const link = await getMeta(db, 'hq:link');
  if (!link) return err('not-enrolled');
  const store = encodeURIComponent(link.storeId);
  const keys = await getJson<KeyRingWire>(doFetch, link, `/v1/stores/${store}/keys`);
  if (!keys.ok) return keys;
  const wire = keys.value;
  if (!wire || wire.storeId !== link.storeId || !Number.isInteger(wire.current) || typeof wire.keys !== 'object' || !Object.values(wire.keys).every(isB64) || !(String(wire.current) in wire.keys)) {
    return err('bad-response', 'not a key ring of this store');
  }
  const pin = await getJson<PinWire>(doFetch, link, `/v1/stores/${store}/pin`);
  if (!pin.ok) return pin;
  const p = pin.value;
  if (p && (p.storeId !== link.storeId || p.algorithm !== 'PBKDF2-SHA-256' || !Number.isInteger(p.iterations) || p.iterations < 1 || !isB64(p.salt) || !isB64(p.hash))) {
    return err('bad-response', 'not a PIN hash of this store');
  }
  const tx = db.transaction('meta', 'readwrite');
  void putMeta(tx.store, 'listKeys', { ...keyRingFromWire(wire), storeId: link.storeId });
  if (p) void putMeta(tx.store, 'hq:pin', p);
  else void tx.store.delete('hq:pin');
  await settle(tx);
  return ok(await linkView(db));
}

const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Whether a PIN matches the stored hash (PBKDF2-SHA-256 with Web Crypto, compared without an early exit). */
export async function pinMatches(stored: PinWire, pin: string): Promise<boolean> {
  const expected = fromB64(stored.hash);
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: fromB64(stored.salt), iterations: stored.iterations }, material, expected.length * 8));
  let diff = bits.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= bits[i]! ^ expected[i]!;
  return diff === 0;
}

/** Check the manager PIN against headquarters' hash. Five wrong tries in a row lock the pad for five minutes; the
 * count and the lock are kept in `meta`, so a reload does not reset them. */
export async function checkPin(db: LarderDB, pin: string, now: number): Promise<Result<{ opened: true }, PinError>> {
  const lock = (await getMeta(db, 'pin:lock')) ?? { failures: 0 };
  if (lock.lockedUntil !== undefined && now < lock.lockedUntil) return err('locked', String(lock.lockedUntil));
  const stored = await getMeta(db, 'hq:pin');
  const link = await getMeta(db, 'hq:link');
  if (!stored || !link || stored.storeId !== link.storeId) return err('no-pin');
  const right = /^\d{1,12}$/.test(pin) && (await pinMatches(stored, pin));
  // Read again inside the write: two pads (two tabs) counting at once must not lose a wrong try.
  const tx = db.transaction('meta', 'readwrite');
  const current = (await getMeta(tx.store, 'pin:lock')) ?? { failures: 0 };
  const failures = right ? 0 : (current.lockedUntil !== undefined && now >= current.lockedUntil ? 0 : current.failures) + 1;
  const next: PinLock = failures >= PIN_TRIES ? { failures: 0, lockedUntil: now + PIN_LOCK_MS } : { failures };
  void putMeta(tx.store, 'pin:lock', next);
  await settle(tx);
  if (right) return ok({ opened: true });
  return next.lockedUntil !== undefined ? err('locked', String(next.lockedUntil)) : err('wrong-pin', String(PIN_TRIES - failures));
}

/** The pad's state without a try: locked until when, and tries left. */
export async function pinState(db: LarderDB, now: number): Promise<{ pinSet: boolean; lockedUntil?: number; triesLeft: number }> {
  const [lock, stored, link] = await Promise.all([getMeta(db, 'pin:lock'), getMeta(db, 'hq:pin'), getMeta(db, 'hq:link')]);
  const locked = lock?.lockedUntil !== undefined && now < lock.lockedUntil;
  const failures = lock && !(lock.lockedUntil !== undefined && now >= lock.lockedUntil) ? lock.failures : 0;
  return { pinSet: !!stored && !!link && stored.storeId === link.storeId, ...(locked ? { lockedUntil: lock!.lockedUntil! } : {}), triesLeft: PIN_TRIES - failures };
}
