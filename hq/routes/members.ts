// Members and what is reported about them: erasure (by the member or a manager of their store), the manufacturer
// report (by the funder's API key), campaign uplift (the admin: the chain or a store; a device: its store; a funder: its
// campaigns), a store's shopping patterns (the admin, or a device of that store), the audit log (a manager sees their
// store's, the admin everyone's).
import type { Context, Hono } from 'hono';
import type { HqContext } from '../app.ts';
import { asDevice, asFunder, asMember } from '../auth.ts';
import { auditSince } from '../audit.ts';
import { eraseMember, homeStoreOf } from '../erasure.ts';
import { HqError, refuse } from '../errors.ts';
import { funderReport } from '../reports.ts';
import { campaignReport } from '../campaign-report.ts';
import { patternsReport } from '../patterns-report.ts';
import { formatDay, parseDay } from '../../core/dates.ts';

/** A report's `?store=` (checked, if given) and `?as_of=` day (default today), or 400. */
function reportQuery(c: Context, ctx: HqContext): { asked?: string; day: number } {
  const asked = c.req.query('store') || undefined;
  if (asked !== undefined && !/^[\w.-]{1,64}$/.test(asked)) throw new HqError(400, 'bad-body', 'store is a store id', 'store');
  const asOfText = c.req.query('as_of');
  const day = asOfText === undefined ? Math.floor(ctx.now().getTime() / 86_400_000) : /^\d{4}-\d{2}-\d{2}$/.test(asOfText) ? parseDay(asOfText) : undefined;
  if (day === undefined) throw new HqError(400, 'bad-body', 'as_of is a day, yyyy-mm-dd', 'as_of');
  return { ...(asked !== undefined ? { asked } : {}), day };
}

/** Mount the member, report and audit routes. */
export function memberRoutes(app: Hono, ctx: HqContext): void {
  app.delete('/v1/members/me', async (c) => {
    const memberId = asMember(await ctx.who(c.req.header('authorization')));
    const erased = await eraseMember(ctx.db, memberId, { actor: 'member', storeId: null }, ctx.now());
    return c.json({ ok: true, erased });
  });

  app.post('/v1/members/:id/erase', async (c) => {
    const who = await ctx.who(c.req.header('authorization'));
    const device = asDevice(who);
    const memberId = c.req.param('id');
    const member = await homeStoreOf(ctx.db, memberId);
    // A manager of another store learns nothing, not even whether the member exists.
    if (!member || member.homeStore !== device.storeId) {
      if (member) throw refuse.forbidden('this member belongs to another store');
      throw refuse.notFound('no such member');
    }
    await eraseMember(ctx.db, memberId, { actor: `device:${device.deviceId}`, storeId: device.storeId }, ctx.now());
    return c.json({ ok: true, erased: true });
  });

  app.get('/v1/reports/manufacturer/:funder', async (c) => {
    const funder = c.req.param('funder');
    asFunder(await ctx.who(c.req.header('authorization')), funder);
    return c.json(await funderReport(ctx.db, funder, { k: ctx.k }));
  });

  app.get('/v1/reports/campaigns', async (c) => {
    const who = await ctx.who(c.req.header('authorization'));
    const { asked, day: lastDataDay } = reportQuery(c, ctx);
    let scope: { storeId?: string; funder?: string };
    if (who.kind === 'admin') scope = asked === undefined ? {} : { storeId: asked };
    else if (who.kind === 'funder') scope = { funder: who.funder, ...(asked === undefined ? {} : { storeId: asked }) };
    else scope = { storeId: asDevice(who, asked).storeId }; // a device: its own store only; a member: 403
    return c.json({ k: ctx.k, asOf: formatDay(lastDataDay), ...scope, campaigns: await campaignReport(ctx.db, { ...scope, lastDataDay, k: ctx.k }) });
  });

  app.get('/v1/reports/patterns', async (c) => {
    const who = await ctx.who(c.req.header('authorization'));
    const { asked, day: asOfDay } = reportQuery(c, ctx);
    let storeId: string;
    if (who.kind === 'admin') {
      if (asked === undefined) throw new HqError(400, 'bad-body', 'store names the store whose patterns to report', 'store');
      storeId = asked;
    } else storeId = asDevice(who, asked).storeId; // a device: its own store only; a member or a funder: 403
    return c.json(await patternsReport(ctx.db, storeId, asOfDay, ctx.k), 200, { 'cache-control': 'private, no-store' });
  });

  app.get('/v1/audit', async (c) => {
    const who = await ctx.who(c.req.header('authorization'));
    const since = Number(c.req.query('since') ?? 0);
    if (!Number.isSafeInteger(since) || since < 0) throw new HqError(400, 'bad-body', 'since is the seq of the last entry read (0 for the start)', 'since');
    const store = who.kind === 'admin' ? null : asDevice(who).storeId;
    const entries = await auditSince(ctx.db, since, store);
    return c.json({ entries, next: entries.length ? entries[entries.length - 1]!.seq : since });
  });
}
