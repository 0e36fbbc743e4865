// What devices download (DESIGN.md "Who holds what"): the store model (public: it holds nothing per member, so a CDN
// may cache it), a signed-in member's own pack, and an enrolled kiosk's packs of its store's members since a cursor.
import type { Context, Hono } from 'hono';
import { gunzipSync } from 'node:zlib';
import type { HqContext } from '../app.ts';
import { asDevice, asMember } from '../auth.ts';
import { HqError, refuse } from '../errors.ts';
import type { PackService, StoredBody } from '../model/service.ts';
import { savePrefChanges } from '../model/prefs.ts';
import { body } from '../http.ts';
import { DeviceControlsWireSchema, PrefChangesWireSchema, type PrefsAnswer } from '../../protocol/member-prefs.ts';
import { homeStoreOf } from '../erasure.ts';

/** `If-None-Match` names this ETag (or `*`). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === etag || t === '*');
}

/** A stored body as the answer: 304 when the caller has it, gzip as stored when the caller accepts it. */
function answer(c: Context, stored: StoredBody, cacheControl: string): Response {
  const headers: Record<string, string> = { etag: stored.etag, 'cache-control': cacheControl, vary: 'Accept-Encoding, Authorization' };
  if (matches(c.req.header('if-none-match'), stored.etag)) return new Response(null, { status: 304, headers });
  const gzip = /\bgzip\b/i.test(c.req.header('accept-encoding') ?? '');
  const bytes = gzip ? stored.gzip : gunzipSync(stored.gzip);
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: { ...headers, 'content-type': 'application/json; charset=utf-8', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
  });
}

/** A `since` cursor of the packs route: `p<pack seq>.e<erasure seq>`, empty for the start. */
export function parsePackCursor(text: string | undefined): { seq: number; erasure: number } {
  if (text === undefined || text === '' || text === '0') return { seq: 0, erasure: 0 };
  const m = /^p(\d{1,15})\.e(\d{1,15})$/.exec(text);
  if (!m) throw new HqError(400, 'bad-body', 'since is the cursor of the last answer (p<n>.e<n>), or empty for the start', 'since');
  return { seq: Number(m[1]), erasure: Number(m[2]) };
}

/** Mount the model and pack routes. */
export function packRoutes(app: Hono, ctx: HqContext, packs: PackService): void {
  app.get('/v1/stores/:store/model', async (c) => {
    const stored = await packs.model(c.req.param('store'));
    if (!stored) throw refuse.notFound('no such store');
    return answer(c, stored, 'public, no-cache');
  });

  const ownPack = async (c: Context, memberId: string) => {
    const stored = await packs.pack(memberId);
    // A valid token for a member since erased: nothing to send.
    if (!stored) throw refuse.notFound('no such member');
    return answer(c, stored, 'private, no-cache');
  };

  app.get('/v1/members/me/pack', async (c) => ownPack(c, asMember(await ctx.who(c.req.header('authorization')))));

  app.get('/v1/members/:id/pack', async (c) => {
    const memberId = asMember(await ctx.who(c.req.header('authorization')));
    if (c.req.param('id') !== memberId) throw refuse.forbidden('a member token opens only its own pack');
    return ownPack(c, memberId);
  });

  // The member's own controls and shown-items memory, as idempotent changes (docs/hq-api.md says why not a PUT).
  app.post('/v1/members/me/prefs', async (c) => {
    const memberId = asMember(await ctx.who(c.req.header('authorization')));
    const { changes } = await body(c, PrefChangesWireSchema);
    await packs.pack(memberId); // the member's pack stored first, so the changes patch it
    const saved = await savePrefChanges(ctx.db, memberId, changes, ctx.now());
    if (!saved) throw refuse.notFound('no such member');
    const etag = saved.etag ?? (await packs.pack(memberId))?.etag ?? '';
    const answer: PrefsAnswer = { ok: true, etag, controls: saved.prefs.controls.filter((x) => x.kind !== 'clear').length, shown: Object.keys(saved.prefs.shown).length };
    return c.json(answer, 200, { 'cache-control': 'private, no-store' });
  });

  // A member's controls as a kiosk of their home store recorded them (its outbox sends them; the same merge rule).
  app.post('/v1/controls', async (c) => {
    const device = asDevice(await ctx.who(c.req.header('authorization')));
    const { memberId, changes } = await body(c, DeviceControlsWireSchema);
    const member = await homeStoreOf(ctx.db, memberId);
    if (!member) throw refuse.notFound('no such member');
    if (member.homeStore !== device.storeId) throw refuse.forbidden('this member belongs to another store');
    await packs.pack(memberId); // the member's pack stored first, so the changes patch it
    const saved = await savePrefChanges(ctx.db, memberId, changes, ctx.now());
    if (!saved) throw refuse.notFound('no such member');
    return c.json({ ok: true }, 200, { 'cache-control': 'private, no-store' });
  });

  app.get('/v1/stores/:store/packs', async (c) => {
    const storeId = c.req.param('store');
    asDevice(await ctx.who(c.req.header('authorization')), storeId);
    const since = parsePackCursor(c.req.query('since'));
    const changed = await packs.changes(storeId, since);
    return c.json({ storeId, cursor: `p${changed.cursor.seq}.e${changed.cursor.erasure}`, packs: changed.packs, removed: changed.removed, more: changed.more }, 200, { 'cache-control': 'private, no-store' });
  });
}
