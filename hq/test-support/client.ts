// An in-process headquarters for tests: the app over a database, a member key pair, and helpers to call it as an
// admin, a device, a member or a funder would.
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createHq, type HqOptions } from '../app.ts';
import type { Db } from '../db/db.ts';

/** Options of {@link testHq}. */
export type TestHqOptions = Partial<Omit<HqOptions, 'db'>>;

/** A headquarters in process. */
export async function testHq(db: Db, options: TestHqOptions = {}) {
  const adminKey = options.adminKey ?? 'ladm.test-admin-key';
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'retailer-1', alg: 'ES256' };
  const app = await createHq({ db, adminKey, members: { jwks: { keys: [jwk] } }, ...options });
  const request = (method: string, path: string, init: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) =>
    app.request(path, {
      method,
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined || init.raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  const json = async (res: Response | Promise<Response>) => {
    const r = await res;
    return { status: r.status, body: (await r.json().catch(() => undefined)) as Record<string, unknown> };
  };
  return {
    app,
    adminKey,
    request,
    json,
    /** Enrol a new device of a store; its token. */
    async enrol(storeId: string): Promise<{ token: string; deviceId: string }> {
      const made = await json(request('POST', '/v1/admin/enrollments', { token: adminKey, body: { storeId } }));
      if (made.status !== 201) throw new Error(`enrolment code: ${JSON.stringify(made)}`);
      const enrolled = await json(request('POST', '/v1/devices/enroll', { body: { code: made.body.code } }));
      if (enrolled.status !== 201) throw new Error(`enrol: ${JSON.stringify(enrolled)}`);
      return { token: String(enrolled.body.deviceToken), deviceId: String(enrolled.body.deviceId) };
    },
    /** A member token signed by the retailer's key (`expiresIn` seconds, negative for an expired one). */
    memberToken: (memberId: string, expiresIn = 600, key = privateKey) =>
      new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'retailer-1' }).setSubject(memberId)
        .setIssuedAt().setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn).sign(key),
    /** A token signed by a key headquarters does not trust. */
    async forgedMemberToken(memberId: string) {
      const other = await generateKeyPair('ES256');
      return new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'retailer-1' }).setSubject(memberId).setExpirationTime('10m').sign(other.privateKey);
    },
    /** A funder's API key. */
    async funderKey(funder: string): Promise<string> {
      const r = await json(request('POST', '/v1/admin/funders', { token: adminKey, body: { funder } }));
      return String(r.body.apiKey);
    },
  };
}
