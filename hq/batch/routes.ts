// Where a device finds a member's list from the fortnightly batch: the member's own (`GET /v1/members/me/list`, member
// token), or a member of the device's store (`GET /v1/stores/{store}/members/{member}/list`, that store's device
// token: a kiosk scanning the card finds the list headquarters made, with the code every till of the store verifies).
// The latest batch list still valid on the day asked (`?day=yyyy-mm-dd`, default today); 404 when there is none.
import { gunzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import type { HqContext } from '../app.ts';
import { asDevice, asMember } from '../auth.ts';
import { HqError, refuse } from '../errors.ts';
import { parseDay } from '../../core/dates.ts';
import { CADENCE_DAYS } from '../../core/lists/compose.ts';
import type { Db } from '../db/db.ts';

const DAY_MS = 86_400_000;

/** The member's latest batch list issued within the cadence before `day` (inclusive), if any. */
export async function batchListOf(db: Db, memberId: string, day: number): Promise<{ storeId: string; list: unknown } | undefined> {
  const [row] = await db.query<{ store_id: string; list: Uint8Array }>(`SELECT store_id, list FROM batch_lists
    WHERE member_id = $1 AND as_of_day <= $2 AND as_of_day > $2 - $3 ORDER BY as_of_day DESC LIMIT 1`, [memberId, day, CADENCE_DAYS]);
  return row && { storeId: row.store_id, list: JSON.parse(gunzipSync(Buffer.from(row.list)).toString()) };
}

/** Mount the batch list routes. */
export function batchRoutes(app: Hono, ctx: HqContext): void {
  const dayOf = (text: string | undefined) => {
    if (text === undefined) return Math.floor(ctx.now().getTime() / DAY_MS);
    const d = parseDay(text);
    if (d === undefined) throw new HqError(400, 'bad-body', 'day must be a date, yyyy-mm-dd', 'day');
    return d;
  };
  app.get('/v1/members/me/list', async (c) => {
    const memberId = asMember(await ctx.who(c.req.header('authorization')));
    const found = await batchListOf(ctx.db, memberId, dayOf(c.req.query('day')));
    if (!found) throw refuse.notFound('no batch list for you yet');
    return c.json(found.list);
  });
  app.get('/v1/stores/:store/members/:member/list', async (c) => {
    const storeId = c.req.param('store');
    asDevice(await ctx.who(c.req.header('authorization')), storeId);
    const found = await batchListOf(ctx.db, c.req.param('member'), dayOf(c.req.query('day')));
    // Another store's member is as unknown here as no member at all.
    if (!found || found.storeId !== storeId) throw refuse.notFound('no batch list for this member in this store');
    return c.json(found.list);
  });
}
