// Exactly once, as a model: any sequence of redemptions from several tills (duplicates, retries, a key reused with
// other contents, two tills on one offer, a budget running out) gets the answers a simple model predicts; sent
// concurrently, the same invariants hold: one ledger row per list offer, one first answer per key, budgets never
// overspent.
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from './test-support/dbs.ts';
import { testHq } from './test-support/client.ts';

interface Cmd { list: number; offer: number; till: number; variant: number; amount: number }
const cmd = fc.record({ list: fc.nat(3), offer: fc.nat(2), till: fc.nat(2), variant: fc.nat(1), amount: fc.constantFrom(50, 120, 200) });
const BUDGET = 600;

describeEachDb('ledger model', (getDb) => {
  let hq: Awaited<ReturnType<typeof testHq>>;
  const tills: string[] = [];
  let run = 0;
  beforeAll(async () => {
    hq = await testHq(getDb());
    for (let i = 0; i < 3; i++) tills.push((await hq.enrol('S01')).token);
  }, 120_000);

  /** A fresh deal with a budget and four lists headquarters knows, for one run. */
  const setUp = async () => {
    const r = ++run;
    await getDb().query('INSERT INTO budgets (deal_id, budget_cents) VALUES ($1, $2)', [`deal${r}`, BUDGET]);
    for (let l = 0; l < 4; l++) {
      await getDb().query("INSERT INTO lists (list_id, store_id, member_id, code, source, seen_at) VALUES ($1, 'S01', 'M1', $2, 'issued', now())", [`run${r}-L${l}`, `code-${r}-${l}`]);
    }
    return r;
  };
  // The key is the till's record id: the same till, list, offer and variant resend the same key. Its contents are the
  // amount, so the same key with another amount is a reused key.
  const keyOf = (r: number, c: Cmd) => `run${r}-${c.list}-${c.offer}-t${c.till}-v${c.variant}`;
  const send = (r: number, c: Cmd) => {
    const listId = `run${r}-L${c.list}`;
    return hq.json(hq.request('POST', '/v1/redemptions', {
      token: tills[c.till]!, headers: { 'idempotency-key': keyOf(r, c) },
      body: { id: keyOf(r, c), listId, offerId: `${listId}:deal${r}:P${c.offer}`, memberId: 'M1', basketId: `b-${c.till}`, amountCents: c.amount },
    }));
  };
  const stateOf = async (r: number) => {
    const rows = await getDb().query<{ redemption_id: string; list_id: string; offer_id: string; cents: number }>(
      'SELECT redemption_id, list_id, offer_id, cents::int AS cents FROM redemptions WHERE deal_id = $1', [`deal${r}`]);
    const [b] = await getDb().query<{ spent: number }>('SELECT spent_cents::int AS spent FROM budgets WHERE deal_id = $1', [`deal${r}`]);
    return { rows, spent: b!.spent };
  };

  it('answers every sequence as the model does', async () => {
    await fc.assert(fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 30 }), async (cmds) => {
      const r = await setUp();
      const keys = new Map<string, number>();
      const taken = new Set<string>();
      let spent = 0;
      for (const c of cmds) {
        const key = keyOf(r, c);
        const offer = `${c.list}:${c.offer}`;
        let expected: { status: number; reason?: string; replay?: boolean };
        if (keys.has(key)) expected = keys.get(key) === c.amount ? { status: 200, replay: true } : { status: 409, reason: 'key-reused' };
        else if (taken.has(offer)) expected = { status: 409, reason: 'offer-redeemed-elsewhere' };
        else if (spent + c.amount > BUDGET) expected = { status: 409, reason: 'budget-exhausted' };
        else {
          expected = { status: 200, replay: false };
          keys.set(key, c.amount);
          taken.add(offer);
          spent += c.amount;
        }
        const got = await send(r, c);
        expect({ status: got.status, ...(got.body.reason ? { reason: got.body.reason } : {}), ...(got.status === 200 ? { replay: got.body.replay } : {}) }).toEqual(expected);
      }
      const state = await stateOf(r);
      expect(state.rows.length).toBe(keys.size);
      expect(state.spent).toBe(spent);
    }), { numRuns: 25 });
  });

  it('keeps the invariants when tills send at once', async () => {
    await fc.assert(fc.asyncProperty(fc.array(cmd, { minLength: 2, maxLength: 40 }), async (cmds) => {
      const r = await setUp();
      const answers = await Promise.all(cmds.map(async (c) => ({ c, a: await send(r, c) })));
      const { rows, spent } = await stateOf(r);
      // One row per list offer, and the budget is what the rows add up to, never more than the budget.
      expect(new Set(rows.map((x) => `${x.list_id}|${x.offer_id}`)).size).toBe(rows.length);
      expect(spent).toBe(rows.reduce((s, x) => s + x.cents, 0));
      expect(spent).toBeLessThanOrEqual(BUDGET);
      const stored = new Map(rows.map((x) => [x.redemption_id, x.cents]));
      for (const { c, a } of answers) {
        const key = keyOf(r, c);
        if (a.status === 200) expect(stored.get(key)).toBe(c.amount);
        else {
          // A refused body is never the one stored under its key; each refusal is true of the end state too.
          expect(a.status).toBe(409);
          expect(stored.get(key)).not.toBe(c.amount);
          const listId = `run${r}-L${c.list}`;
          const holder = rows.find((x) => x.list_id === listId && x.offer_id === `${listId}:deal${r}:P${c.offer}`);
          if (a.body.reason === 'key-reused') expect(stored.has(key)).toBe(true);
          else if (a.body.reason === 'offer-redeemed-elsewhere') expect(holder && holder.redemption_id !== key).toBe(true);
          else expect([a.body.reason, spent + c.amount > BUDGET]).toEqual(['budget-exhausted', true]);
        }
      }
      // Each stored key was answered "new" exactly once; every other 200 for it was a replay.
      for (const key of stored.keys()) {
        const firsts = answers.filter(({ c, a }) => keyOf(r, c) === key && a.status === 200 && a.body.replay === false);
        expect(firsts.length).toBe(1);
      }
    }), { numRuns: 20 });
  });
});
