// What tills send: redemptions (exactly once, by Idempotency-Key), their reverts, baskets, and members' consent changes.
import type { Hono } from 'hono';
import { BasketBodySchema, ConsentBodySchema } from '../../protocol/basket.ts';
import { RedemptionBodySchema, normaliseRedemption } from '../../protocol/redemption.ts';
import type { HqContext } from '../app.ts';
import { asDevice } from '../auth.ts';
import { HqError, refuse } from '../errors.ts';
import { recordConsent } from '../consent.ts';
import { body } from '../http.ts';
import { redeem, revert } from '../ledger.ts';
import { receiveBasket } from '../till-baskets.ts';

/** The Idempotency-Key header, or 400. */
function idempotencyKey(header: string | undefined): string {
  const key = header?.trim();
  if (!key) throw new HqError(400, 'missing-key', 'an Idempotency-Key header is required', 'Idempotency-Key');
  if (key.length > 200) throw new HqError(400, 'bad-body', 'the Idempotency-Key is longer than 200 characters', 'Idempotency-Key');
  return key;
}

/** Mount the till routes. */
export function ledgerRoutes(app: Hono, ctx: HqContext): void {
  app.post('/v1/redemptions', async (c) => {
    const device = asDevice(await ctx.who(c.req.header('authorization')));
    const key = idempotencyKey(c.req.header('idempotency-key'));
    const r = await body(c, RedemptionBodySchema, normaliseRedemption);
    return c.json(await redeem(ctx.db, key, r, { ...device, now: ctx.now() }));
  });

  app.post('/v1/redemptions/:id/revert', async (c) => {
    const device = asDevice(await ctx.who(c.req.header('authorization')));
    return c.json(await revert(ctx.db, c.req.param('id'), { ...device, now: ctx.now() }));
  });

  app.post('/v1/consents', async (c) => {
    const device = asDevice(await ctx.who(c.req.header('authorization')));
    const change = await body(c, ConsentBodySchema);
    const done = await recordConsent(ctx.db, change, device, ctx.now());
    if (done === 'unknown') throw refuse.notFound('no such member');
    if (done === 'other-store') throw refuse.forbidden('this member belongs to another store');
    return c.json({ ok: true, replay: !done.changed });
  });

  app.post('/v1/baskets', async (c) => {
    const device = asDevice(await ctx.who(c.req.header('authorization')));
    const b = await body(c, BasketBodySchema);
    return c.json(await receiveBasket(ctx.db, b, device, ctx.now()));
  });
}
