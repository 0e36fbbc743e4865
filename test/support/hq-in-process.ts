// The real headquarters (hq/app.ts) in the test process, on PGlite in a temporary folder, reached by the engine
// through MSW: requests to `base` go to the Hono app, so fault handlers put in front of it (drops, 5xx, cut bodies)
// disturb the network between a device and the real ledger.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http } from 'msw';
import { migrate } from '../../hq/db/migrate.ts';
import { openPglite } from '../../hq/db/pglite.ts';
import { testHq, type TestHqOptions } from '../../hq/test-support/client.ts';

/** A headquarters in process at `base` (default `http://hq.test/hq`). */
export async function inProcessHq(base = 'http://hq.test/hq', options: TestHqOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'larder-hq-'));
  const db = await openPglite(join(dir, 'pglite'));
  await migrate(db);
  const hq = await testHq(db, options);
  const prefix = new URL(base).pathname.replace(/\/+$/, '');
  const seen: { method: string; path: string; status: number }[] = [];
  /** MSW handler: every request under `base` answered by the app. */
  const handler = http.all(`${base}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const path = url.pathname.slice(prefix.length) + url.search;
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    const res = await hq.app.request(path, { method: request.method, headers: request.headers, ...(body ? { body } : {}) });
    seen.push({ method: request.method, path: url.pathname.slice(prefix.length), status: res.status });
    return res;
  });
  return {
    ...hq,
    db,
    base,
    handler,
    /** Requests the app answered, in order. */
    seen,
    /** A one-time enrolment code for a store, as `larder hq enroll --store` prints it. */
    async enrolmentCode(storeId: string): Promise<string> {
      const made = await hq.json(hq.request('POST', '/v1/admin/enrollments', { token: hq.adminKey, body: { storeId } }));
      if (made.status !== 201) throw new Error(`enrolment code: ${JSON.stringify(made)}`);
      return String(made.body.code);
    },
    /** Set a store's manager PIN, as `larder hq set-pin` does. */
    async setPin(storeId: string, pin: string): Promise<void> {
      const r = await hq.request('PUT', `/v1/admin/stores/${storeId}/pin`, { token: hq.adminKey, body: { pin } });
      if (!r.ok) throw new Error(`set-pin: HTTP ${r.status}`);
    },
    /** Rows of a table (for counting what reached the ledger). */
    rows: <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => db.query<T>(sql, params),
    async close() {
      await db.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An in-process headquarters. */
export type InProcessHq = Awaited<ReturnType<typeof inProcessHq>>;
