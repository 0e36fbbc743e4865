// The headquarters HTTP service as a Hono app over one database: `createHq` is what `larder hq` serves and what the
// tests call in process. Hono, because it is built on the web-standard Request/Response (the same objects the worker
// and MSW use), is small, typed, and runs on Node through @hono/node-server.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createAuth, type MemberKeyOptions, type Principal } from './auth.ts';
import type { Db } from './db/db.ts';
import { HqError } from './errors.ts';
import { errorAnswer } from './http.ts';
import { adminRoutes } from './routes/admin.ts';
import { deviceRoutes } from './routes/devices.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { feedRoutes } from './routes/feeds.ts';
import { memberRoutes } from './routes/members.ts';
import { demoRoutes, demoSigner } from './routes/demo.ts';
import { packRoutes } from './routes/packs.ts';
import { createPackService } from './model/service.ts';
import { batchRoutes } from './batch/routes.ts';
import { unsubscribeRoutes } from './batch/unsubscribe.ts';

/** What a headquarters needs. */
export interface HqOptions {
  db: Db;
  /** The admin key (`LARDER_ADMIN_KEY`, or the data folder's `admin-key`). */
  adminKey: string;
  /** How member JWTs are verified. */
  members?: MemberKeyOptions;
  /** Adds `POST /v1/demo/session`, signing member tokens with a key made at start. */
  demo?: boolean;
  now?: () => Date;
  /** Largest body accepted (default 1 MiB): larger ones get 413. */
  bodyLimitBytes?: number;
  /** Smallest cell of a manufacturer report (default 10). */
  k?: number;
  /** false: a model or pack request waits for its store's rebuild instead of getting the stored one meanwhile. */
  serveStalePacks?: boolean;
}

/** Everything a route file needs. */
export interface HqContext {
  db: Db;
  now: () => Date;
  k: number;
  /** The caller, or a 401. */
  who(authorization: string | undefined): Promise<Principal>;
}

/** Build the app. */
export async function createHq(options: HqOptions): Promise<Hono> {
  const now = options.now ?? (() => new Date());
  const signer = options.demo ? await demoSigner() : undefined;
  const jwks = { keys: [...(options.members?.jwks?.keys ?? []), ...(signer ? [signer.publicJwk] : [])] };
  const auth = createAuth({ db: options.db, adminKey: options.adminKey, members: { ...options.members, jwks }, now });
  const ctx: HqContext = { db: options.db, now, k: options.k ?? 10, who: (h) => auth.identify(h) };
  const app = new Hono();
  const maxSize = options.bodyLimitBytes ?? 1024 * 1024;
  const tooLarge = (c: Context) => c.json({ error: 'the body is larger than headquarters accepts', reason: 'too-large' }, 413);
  const limit = bodyLimit({ maxSize, onError: tooLarge });
  app.use('*', async (c, next) => {
    // A declared length is checked from the header, which keeps the node adapter's fast body read (Hono's bodyLimit
    // builds a web Request with a stream for every request); a chunked body goes through bodyLimit, which counts it.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) return Number(length) > maxSize ? tooLarge(c) : next();
    return limit(c, next);
  });
  app.get('/v1/health', async (c) => {
    await options.db.query('SELECT 1');
    return c.json({ ok: true, db: options.db.kind });
  });
  adminRoutes(app, ctx);
  deviceRoutes(app, ctx);
  ledgerRoutes(app, ctx);
  feedRoutes(app, ctx);
  packRoutes(app, ctx, createPackService({ db: options.db, k: ctx.k, now, ...(options.serveStalePacks === false ? { serveStale: false } : {}) }));
  memberRoutes(app, ctx);
  batchRoutes(app, ctx);
  unsubscribeRoutes(app, ctx);
  if (signer) demoRoutes(app, ctx, signer);
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${new URL(c.req.url).pathname}`, reason: 'not-found' }, 404));
  app.onError((e, c) => {
    const { status, body } = errorAnswer(e);
    if (status === 500) console.error(e);
    return c.json(body, status as 500);
  });
  return app;
}

export { HqError };
