// Feeds to devices: the change list since a cursor, and each file with its ETag (If-None-Match → 304).
import type { Hono } from 'hono';
import type { HqContext } from '../app.ts';
import { asDevice } from '../auth.ts';
import { changesSince, feedFile, parseCursor } from '../changes.ts';

/** Mount the feed routes. */
export function feedRoutes(app: Hono, ctx: HqContext): void {
  app.get('/v1/changes', async (c) => {
    const device = asDevice(await ctx.who(c.req.header('authorization')));
    return c.json(await changesSince(ctx.db, device.storeId, parseCursor(c.req.query('since'))));
  });

  app.get('/v1/files/:name', async (c) => {
    const device = asDevice(await ctx.who(c.req.header('authorization')));
    const file = await feedFile(ctx.db, device.storeId, c.req.param('name'));
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304, { etag: file.etag });
    const bytes = new TextEncoder().encode(await file.text());
    // Content-Length always: a device tells a whole file from one cut at a line break by it (worker/hq-feed.ts).
    return c.body(bytes, 200, { 'content-type': file.type, etag: file.etag, 'content-length': String(bytes.byteLength) });
  });
}
