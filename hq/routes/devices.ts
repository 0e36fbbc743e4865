// Device routes: enrolment by code, the store's list-code key ring, the store's manager PIN hash.
import type { Hono } from 'hono';
import { EnrollBodySchema } from '../../protocol/devices.ts';
import type { HqContext } from '../app.ts';
import { asDevice } from '../auth.ts';
import { enrolDevice } from '../enrol.ts';
import { refuse } from '../errors.ts';
import { body } from '../http.ts';
import { keyRingWire } from '../keys.ts';
import { pinWire } from '../pin.ts';

/** Mount the device routes. */
export function deviceRoutes(app: Hono, ctx: HqContext): void {
  app.post('/v1/devices/enroll', async (c) => {
    const { code, label } = await body(c, EnrollBodySchema);
    return c.json(await enrolDevice(ctx.db, code, label, ctx.now()), 201);
  });

  app.get('/v1/stores/:store/keys', async (c) => {
    const store = c.req.param('store');
    asDevice(await ctx.who(c.req.header('authorization')), store);
    const ring = await ctx.db.transaction((tx) => keyRingWire(tx, store, ctx.now()));
    c.header('cache-control', 'no-store');
    return c.json(ring);
  });

  app.get('/v1/stores/:store/pin', async (c) => {
    const store = c.req.param('store');
    asDevice(await ctx.who(c.req.header('authorization')), store);
    const pin = await pinWire(ctx.db, store);
    if (!pin) throw refuse.notFound(`no manager PIN is set for ${store}: set one with larder hq set-pin --store ${store}`);
    c.header('cache-control', 'no-store');
    return c.json(pin);
  });
}
