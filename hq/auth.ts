// Who is asking: the admin key, a device token, a funder's API key or a member's JWT, from `Authorization: Bearer`.
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Queryable } from './db/db.ts';
import { refuse } from './errors.ts';
import { sameSecret, sha256 } from './crypto.ts';

/** An authenticated caller. */
export type Principal =
  | { kind: 'admin' }
  | { kind: 'device'; deviceId: string; storeId: string }
  | { kind: 'member'; memberId: string }
  | { kind: 'funder'; funder: string };

/** How member JWTs are checked: the retailer's JWKS URL or a key set given to headquarters. */
export interface MemberKeyOptions {
  jwks?: JSONWebKeySet;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

/** Device tokens are `ldev.<device id>.<secret>`; funder keys `lfun.<secret>`. */
export const DEVICE_PREFIX = 'ldev.';
export const FUNDER_PREFIX = 'lfun.';

/** A checker of `Authorization` headers. */
export function createAuth(options: { db: Queryable; adminKey: string; members: MemberKeyOptions; now: () => Date }) {
  const keySets: JWTVerifyGetKey[] = [];
  if (options.members.jwks?.keys.length) keySets.push(createLocalJWKSet(options.members.jwks));
  if (options.members.jwksUrl) keySets.push(createRemoteJWKSet(new URL(options.members.jwksUrl)));

  async function member(token: string): Promise<Principal> {
    let lastError: unknown = new Error('no member key set is configured');
    for (const keys of keySets) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          currentDate: options.now(), requiredClaims: ['exp', 'sub'],
          ...(options.members.issuer ? { issuer: options.members.issuer } : {}),
          ...(options.members.audience ? { audience: options.members.audience } : {}),
        });
        return { kind: 'member', memberId: payload.sub! };
      } catch (e) {
        lastError = e;
        if (e instanceof joseErrors.JWTExpired) break;
      }
    }
    if (lastError instanceof joseErrors.JWTExpired) throw refuse.unauthenticated('expired-credential', 'the member token has expired: sign in again');
    throw refuse.unauthenticated('bad-credential', 'the member token is not valid');
  }

  async function device(token: string): Promise<Principal> {
    const [deviceId, secret] = token.slice(DEVICE_PREFIX.length).split('.', 2);
    const [row] = deviceId && secret
      ? await options.db.query<{ store_id: string; token_hash: string; expires_at: Date | string; revoked_at: Date | null }>(
        'SELECT store_id, token_hash, expires_at, revoked_at FROM devices WHERE device_id = $1', [deviceId])
      : [];
    if (!row || !sameSecret(row.token_hash, sha256(secret!))) throw refuse.unauthenticated('bad-credential', 'the device token is not valid');
    if (row.revoked_at) throw refuse.unauthenticated('revoked-device', 'this device was revoked: enrol it again');
    if (new Date(row.expires_at) <= options.now()) throw refuse.unauthenticated('expired-credential', 'the device token has expired: enrol the device again');
    return { kind: 'device', deviceId: deviceId!, storeId: row.store_id };
  }

  return {
    /** The caller of a request, or a 401 refusal. Checked at every request, so a revoked device is refused at once. */
    async identify(header: string | undefined): Promise<Principal> {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
      if (!m) throw refuse.unauthenticated();
      const token = m[1]!;
      if (sameSecret(token, options.adminKey)) return { kind: 'admin' };
      if (token.startsWith(DEVICE_PREFIX)) return device(token);
      if (token.startsWith(FUNDER_PREFIX)) {
        const [row] = await options.db.query<{ funder: string }>('SELECT funder FROM funders WHERE key_hash = $1', [sha256(token)]);
        if (!row) throw refuse.unauthenticated('bad-credential', 'the funder API key is not valid');
        return { kind: 'funder', funder: row.funder };
      }
      return member(token);
    },
  };
}

/** The admin, or 403. */
export function asAdmin(p: Principal): void {
  if (p.kind !== 'admin') throw refuse.forbidden('this needs the headquarters admin key');
}

/** A device of `storeId` (any store when not given), or 403. */
export function asDevice(p: Principal, storeId?: string): { deviceId: string; storeId: string } {
  if (p.kind !== 'device') throw refuse.forbidden('this needs an enrolled device token');
  if (storeId !== undefined && p.storeId !== storeId) throw refuse.forbidden(`this device belongs to another store than ${storeId}`);
  return p;
}

/** A signed-in member, or 403. */
export function asMember(p: Principal): string {
  if (p.kind !== 'member') throw refuse.forbidden('this needs a member token');
  return p.memberId;
}

/** The funder `funder` itself, or 403. */
export function asFunder(p: Principal, funder: string): void {
  if (p.kind !== 'funder') throw refuse.forbidden('this needs a funder API key');
  if (p.funder !== funder) throw refuse.forbidden(`this API key is not ${funder}'s`);
}
