// `--demo` only: `POST /v1/demo/session {memberId}` signs a member token for the demo page's "signed in as", and
// `POST /v1/demo/enrollment` makes a one-time enrolment code for the demo store, so the demo kiosk enrols itself
// through the real `POST /v1/devices/enroll` (a real headquarters makes codes only with the admin key), and names the
// demo's day (the day after its last trading day) for the kiosk's clock.
import type { Hono } from 'hono';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import * as v from 'valibot';
import type { HqContext } from '../app.ts';
import { body } from '../http.ts';
import { createEnrolment } from '../enrol.ts';
import { DEMO_STORE, demoToday } from '../demo-data.ts';
import { formatDay } from '../../core/dates.ts';

/** A key pair made at start; its public half joins the member key set. */
export async function demoSigner(): Promise<{ publicJwk: JWK; sign(memberId: string, now: Date): Promise<string> }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'larder-demo', alg: 'ES256' };
  return {
    publicJwk,
    sign: (memberId, now) => new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'larder-demo' }).setSubject(memberId)
      .setIssuedAt(Math.floor(now.getTime() / 1000)).setExpirationTime(Math.floor(now.getTime() / 1000) + 3600).sign(privateKey),
  };
}

/** Mount the demo session route. */
export function demoRoutes(app: Hono, ctx: HqContext, signer: Awaited<ReturnType<typeof demoSigner>>): void {
  app.post('/v1/demo/session', async (c) => {
    const { memberId } = await body(c, v.object({ memberId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) }));
    return c.json({ token: await signer.sign(memberId, ctx.now()) });
  });

  app.post('/v1/demo/enrollment', async (c) => {
    const { code, storeId, expiresAt } = await createEnrolment(ctx.db, DEMO_STORE, ctx.now());
    const today = await demoToday(ctx.db);
    return c.json({ code, storeId, expiresAt, ...(today === undefined ? {} : { today: formatDay(today) }) }, 201);
  });
}
