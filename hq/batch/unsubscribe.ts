// The unsubscribe link of a delivered list: `{public url}/v1/unsubscribe/{token}`, the token the member id signed with
// headquarters' delivery secret (HMAC-SHA256, 128 bits kept), so nobody can make one for another member. GET answers a
// page with one button; POST (the button, or a mail client's one-click unsubscribe, RFC 8058) withdraws the member's
// consent to contact at headquarters: recorded in `contact_withdrawals` (which a later members feed does not undo) and
// in the member's stored consent. Idempotent: a second POST finds it withdrawn and says so again.
import { createHmac, randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import type { HqContext } from '../app.ts';
import { audit } from '../audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { sameSecret } from '../crypto.ts';
import { refuse } from '../errors.ts';
import { deliveryWords } from '../../i18n/delivery.ts';
import type { Locale } from '../../i18n/translation.ts';

const secrets = new WeakMap<Db, Promise<string>>();

/** Headquarters' delivery secret: made at random by the first process that needs it, the same for all. */
export function deliverySecret(db: Db): Promise<string> {
  let s = secrets.get(db);
  if (!s) {
    s = (async () => {
      await db.query('INSERT INTO delivery_secrets (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [randomBytes(32).toString('hex')]);
      const [row] = await db.query<{ secret: string }>('SELECT secret FROM delivery_secrets WHERE id = 1');
      return row!.secret;
    })();
    s.catch(() => secrets.delete(db));
    secrets.set(db, s);
  }
  return s;
}

const macOf = (secret: string, memberId: string) => createHmac('sha256', secret).update(`larder-unsubscribe\n${memberId}`).digest().subarray(0, 16).toString('base64url');

/** The member's unsubscribe token. */
export const unsubscribeToken = (secret: string, memberId: string): string => `${Buffer.from(memberId).toString('base64url')}.${macOf(secret, memberId)}`;

/** The member a token was made for, or undefined for a token headquarters did not sign. */
export function tokenMember(secret: string, token: string): string | undefined {
  const m = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return undefined;
  const memberId = Buffer.from(m[1]!, 'base64url').toString();
  return sameSecret(macOf(secret, memberId), m[2]!) ? memberId : undefined;
}

/** Withdraw a member's consent to contact; whether it was given until now. */
export async function withdrawContact(q: Queryable, memberId: string, at: Date): Promise<boolean> {
  const added = await q.query('INSERT INTO contact_withdrawals (member_id, withdrawn_at) VALUES ($1, $2) ON CONFLICT (member_id) DO NOTHING RETURNING 1', [memberId, at.toISOString()]);
  await q.query(`UPDATE members SET data = jsonb_set(data, '{consent,contact}', 'false') WHERE member_id = $1 AND (data->'consent'->>'contact') IS DISTINCT FROM 'false'`, [memberId]);
  return added.length > 0;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (locale: Locale, body: string) => `<!doctype html><html lang="${locale}"><meta charset="utf-8"><meta name="viewport" content="width=device-width">`
  + `<title>${escapeHtml(deliveryWords(locale).unsubscribe)}</title><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">${body}</body></html>`;

/** Mount `GET` and `POST /v1/unsubscribe/{token}`. */
export function unsubscribeRoutes(app: Hono, ctx: HqContext): void {
  const member = async (token: string) => {
    const memberId = tokenMember(await deliverySecret(ctx.db), token);
    if (memberId === undefined) throw refuse.forbidden('this unsubscribe link was not made by headquarters');
    const [row] = await ctx.db.query<{ locale: string | null }>("SELECT data->>'locale' AS locale FROM members WHERE member_id = $1", [memberId]);
    // An erased member's link: nothing is left to withdraw, and nothing will be sent.
    if (!row) throw refuse.notFound('no such member (erased?)');
    return { memberId, locale: (row.locale === 'zh-CN' ? 'zh-CN' : 'en') as Locale };
  };
  app.get('/v1/unsubscribe/:token', async (c) => {
    const { locale } = await member(c.req.param('token'));
    const w = deliveryWords(locale);
    return c.html(page(locale, `<p>${escapeHtml(w.unsubscribeConfirm)}</p><form method="post"><button type="submit">${escapeHtml(w.unsubscribeButton)}</button></form>`));
  });
  app.post('/v1/unsubscribe/:token', async (c) => {
    const { memberId, locale } = await member(c.req.param('token'));
    const now = ctx.now();
    const withdrawn = await ctx.db.transaction(async (tx) => {
      const changed = await withdrawContact(tx, memberId, now);
      if (changed) await audit(tx, now, { actor: 'member-link', action: 'contact-withdrawn', subject: memberId });
      return changed;
    });
    c.header('x-larder-withdrawn', withdrawn ? 'now' : 'already');
    return c.html(page(locale, `<p>${escapeHtml(deliveryWords(locale).unsubscribed)}</p>`));
  });
}
