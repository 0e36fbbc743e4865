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
    const encoder = new TextEncoder();
    if (file.whole) {
      // A small file goes whole, with its Content-Length: a device tells it from one cut at a line break by that.
      let text = '';
      for await (const piece of file.chunks()) text += piece;
      const bytes = encoder.encode(text);
      return c.body(bytes, 200, { 'content-type': file.type, etag: file.etag, 'content-length': String(bytes.byteLength) });
    }
    // The baskets stream a page of members at a time (chunked): a failure midway breaks the chunked encoding, which a
    // device's fetch rejects, so it never takes a cut file for a whole one.
    const pieces = file.chunks()[Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await pieces.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() { await pieces.return?.(); },
    });
    return c.body(body, 200, { 'content-type': file.type, etag: file.etag });
  });
}
