// Load and fault, bounded and on loopback only: 50 tills post 20,000 redemptions (duplicates, retries, conflicting
// tills) to a headquarters child process on a real PostgreSQL server, which is killed with SIGKILL mid-run and
// started again. Afterwards: one ledger row per list offer, every retry of a stored key a replay, every conflict
// refused, no budget overspent, the audit log with one entry per row.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgres } from './db/postgres.ts';
import type { Db } from './db/db.ts';
import { startPostgres, type TestPostgres } from './test-support/postgres.ts';
import { freePort, runTills, spawnHq, workload, type HqProcess } from './test-support/tills.ts';

const TILLS = 50;
const DEALS = 5;
const BUDGET = 200_000; // below the 2,400 × ~100 cents (≈ 239,000) each deal is asked for: budgets run out mid-run
const ADMIN = 'ladm.load-test';

let pg: TestPostgres;
let db: Db;
let hq: HqProcess | undefined;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  hq?.child.kill('SIGKILL');
  await db?.close();
  await pg?.stop();
}, 60_000);

it('keeps exactly once through duplicates, retries, conflicting tills and a kill -9', async () => {
  const port = await freePort();
  const start = () => spawnHq(['--db', pg.url, '--port', String(port)], { LARDER_ADMIN_KEY: ADMIN });
  hq = await start();
  const url = hq.url;
  db = await openPostgres(pg.url, { max: 2 });
  const w = workload({ pairs: 12_000, duplicates: 4_000, conflicts: 4_000, tills: TILLS, deals: DEALS, seed: 19 });
  const listIds = Array.from({ length: w.lists }, (_, i) => `L${i}`);
  await db.query(`INSERT INTO lists (list_id, store_id, member_id, code, source, seen_at)
    SELECT id, 'S01', 'M' || ((n - 1) % 997), 'code-' || id, 'issued', now() FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)`, [listIds]);
  await db.query('INSERT INTO budgets (deal_id, budget_cents) SELECT d, $2 FROM unnest($1::text[]) AS t(d)', [Array.from({ length: DEALS }, (_, i) => `D${i}`), BUDGET]);
  const tokens: string[] = [];
  for (let t = 0; t < TILLS; t++) {
    const made = await (await fetch(`${url}/v1/admin/enrollments`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ storeId: 'S01' }) })).json() as { code: string };
    const enrolled = await (await fetch(`${url}/v1/devices/enroll`, { method: 'POST', body: JSON.stringify({ code: made.code }) })).json() as { deviceToken: string };
    tokens.push(enrolled.deviceToken);
  }
  const total = w.queues.reduce((n, q) => n + q.length, 0);
  expect(total).toBe(20_000);

  let killed: Promise<void> | undefined;
  const answers = await runTills(() => url, tokens, w.queues, (done) => {
    if (done === 6_000 && !killed) {
      // Mid-run: SIGKILL, then start again on the same port; tills see refused connections and resend meanwhile.
      const dying = hq!;
      dying.child.kill('SIGKILL');
      killed = dying.exited.then(async () => { hq = await start(); });
    }
  });
  await killed;
  expect(answers.length).toBe(total);
  expect(answers.filter((a) => a.lostTries > 0).length).toBeGreaterThan(0);

  const rows = await db.query<{ redemption_id: string; list_id: string; offer_id: string; deal_id: string; cents: number }>(
    'SELECT redemption_id, list_id, offer_id, deal_id, cents::int AS cents FROM redemptions');
  const stored = new Map(rows.map((r) => [r.redemption_id, r]));
  // Exactly one row per list offer.
  expect(new Set(rows.map((r) => `${r.list_id}|${r.offer_id}`)).size).toBe(rows.length);
  for (const a of answers) {
    const mine = stored.get(a.record.key);
    if (a.status === 200) {
      expect(mine?.cents).toBe(a.record.body.amountCents);
      // A duplicate of a stored key is a replay; a retry after a lost answer is one too, unless the lost try never
      // reached the database (then this answer is the first).
      if (a.record.kind === 'duplicate') expect(a.replay).toBe(true);
      else if (a.replay) expect(a.lostTries).toBeGreaterThan(0);
    } else {
      expect(a.status).toBe(409);
      expect(mine).toBeUndefined();
      expect(['offer-redeemed-elsewhere', 'budget-exhausted']).toContain(a.reason);
    }
    // Every conflict is flagged: a second till's key on a list offer another key holds is refused.
    if (a.record.kind === 'conflict' && [...stored.values()].length && rows.some((r) => r.list_id === a.record.body.listId && r.offer_id === a.record.body.offerId && r.redemption_id !== a.record.key)) {
      expect([a.status, a.reason]).toEqual([409, 'offer-redeemed-elsewhere']);
    }
  }
  // Each stored key was answered "new" at most once (zero times when that answer was lost to the kill).
  const firsts = new Map<string, number>();
  for (const a of answers) if (a.status === 200 && a.replay === false) firsts.set(a.record.key, (firsts.get(a.record.key) ?? 0) + 1);
  expect(Math.max(...firsts.values())).toBe(1);
  for (const [key, n] of firsts) expect([key, n, stored.has(key)]).toEqual([key, 1, true]);
  // No budget overspent, and what is spent is exactly what the rows add up to.
  const budgets = await db.query<{ deal_id: string; spent: number; budget: number }>('SELECT deal_id, spent_cents::int AS spent, budget_cents::int AS budget FROM budgets ORDER BY deal_id');
  for (const b of budgets) {
    expect(b.spent).toBeLessThanOrEqual(b.budget);
    expect(b.spent).toBe(rows.filter((r) => r.deal_id === b.deal_id).reduce((s, r) => s + r.cents, 0));
  }
  expect(answers.some((a) => a.reason === 'budget-exhausted')).toBe(true);
  const [audited] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'redemption'");
  expect(audited!.n).toBe(rows.length);
}, 400_000);
