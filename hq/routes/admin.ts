// Admin routes (the admin key): enrolment codes, revocation, PINs, key rotation, funder keys.
import type { Hono } from 'hono';
import * as v from 'valibot';
import type { HqContext } from '../app.ts';
import { asAdmin } from '../auth.ts';
import { createEnrolment, createFunderKey, revokeDevice } from '../enrol.ts';
import { refuse } from '../errors.ts';
import { body } from '../http.ts';
import { rotateKey } from '../keys.ts';
import { audit } from '../audit.ts';
import { isPin, setPin } from '../pin.ts';

const name = v.pipe(v.string(), v.regex(/^[\w.-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64'));

/** Mount the admin routes. */
export function adminRoutes(app: Hono, ctx: HqContext): void {
  const admin = async (h: string | undefined) => asAdmin(await ctx.who(h));

  app.post('/v1/admin/enrollments', async (c) => {
    await admin(c.req.header('authorization'));
    const { storeId } = await body(c, v.object({ storeId: name }));
    return c.json(await createEnrolment(ctx.db, storeId, ctx.now()), 201);
  });

  app.post('/v1/admin/devices/:device/revoke', async (c) => {
    await admin(c.req.header('authorization'));
    const device = c.req.param('device');
    if (!(await revokeDevice(ctx.db, device, ctx.now()))) throw refuse.notFound(`no device ${device}`);
    return c.json({ ok: true, deviceId: device });
  });

  app.put('/v1/admin/stores/:store/pin', async (c) => {
    await admin(c.req.header('authorization'));
    const store = c.req.param('store');
    const { pin } = await body(c, v.object({ pin: v.pipe(v.string(), v.check(isPin, 'a PIN is 4 to 12 digits')) }));
    await ctx.db.transaction(async (tx) => {
      await setPin(tx, store, pin, ctx.now());
      await audit(tx, ctx.now(), { storeId: store, actor: 'admin', action: 'pin-set', subject: store });
    });
    return c.json({ ok: true, storeId: store });
  });

  app.post('/v1/admin/stores/:store/keys/rotate', async (c) => {
    await admin(c.req.header('authorization'));
    const store = c.req.param('store');
    const current = await ctx.db.transaction(async (tx) => {
      const id = await rotateKey(tx, store, ctx.now());
      await audit(tx, ctx.now(), { storeId: store, actor: 'admin', action: 'list-key-rotated', subject: String(id) });
      return id;
    });
    return c.json({ ok: true, storeId: store, current });
  });

  app.post('/v1/admin/funders', async (c) => {
    await admin(c.req.header('authorization'));
    const { funder } = await body(c, v.object({ funder: v.pipe(v.string(), v.minLength(1), v.maxLength(100)) }));
    return c.json({ funder, apiKey: await createFunderKey(ctx.db, funder, ctx.now()) }, 201);
  });
}
