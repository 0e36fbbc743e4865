// The redemption ledger, exactly once: UNIQUE(redemption_id) and UNIQUE(list_id, offer_id), the budget decremented in
// the same transaction with the budget rows locked (SELECT … FOR UPDATE in id order), the revert under the same locks,
// every change and every refusal appended to the audit log. A new redemption is one statement, which is its
// transaction (one round trip after the device's token check).
import { dealOf, type RedemptionBody } from '../protocol/redemption.ts';
import { audit } from './audit.ts';
import { canonicalJson, sha256 } from './crypto.ts';
import type { Db, Queryable } from './db/db.ts';
import { HqError } from './errors.ts';
import { codeVerifies } from './keys.ts';

/** Who is redeeming: the device (its store comes from its token) and when. */
export interface Till {
  deviceId: string;
  storeId: string;
  now: Date;
}

/** A 200 answer of the ledger. */
export interface LedgerOk {
  ok: true;
  replay: boolean;
}

interface BudgetRow {
  id: number;
  budget_cents: number;
  spent_cents: number;
}

/** Lock the budget rows of these deals, in id order, so two transactions never wait on each other in a cycle. */
export async function lockBudgets(tx: Queryable, dealIds: readonly string[]): Promise<Map<string, BudgetRow>> {
  if (!dealIds.length) return new Map();
  const rows = await tx.query<BudgetRow & { deal_id: string }>(
    'SELECT id, deal_id, budget_cents, spent_cents FROM budgets WHERE deal_id = ANY($1::text[]) ORDER BY id FOR UPDATE', [[...dealIds]]);
  return new Map(rows.map((r) => [r.deal_id, { id: Number(r.id), budget_cents: Number(r.budget_cents), spent_cents: Number(r.spent_cents) }]));
}

/** The hash a body is remembered by (the device's own `synced` flag left out). */
export const bodyHash = (body: RedemptionBody): string => sha256(canonicalJson({ ...body, synced: undefined }));

/** Why a redemption found its place taken, or undefined when no row holds its key or its list offer. `known` is the
 * key's row when the caller has read it. Refusals are audited. */
async function conflictOf(q: Queryable, key: string, hash: string, body: RedemptionBody, till: Till, known?: { body_hash: string; store_id: string }): Promise<LedgerOk | undefined> {
  // The key's row and the list offer's holder in one statement, so one snapshot: read apart, a row another request
  // committed with this very key between the two reads looked like another till's.
  const found = known ? [] : await q.query<{ redemption_id: string; body_hash: string; store_id: string }>(
    'SELECT redemption_id, body_hash, store_id FROM redemptions WHERE redemption_id = $1 OR (list_id = $2 AND offer_id = $3)', [key, body.listId, body.offerId]);
  const same = known ?? found.find((r) => r.redemption_id === key);
  if (same) {
    if (same.body_hash === hash && same.store_id === till.storeId) return { ok: true, replay: true };
    await audit(q, till.now, { storeId: till.storeId, actor: `device:${till.deviceId}`, action: 'redemption-refused', subject: key, detail: { reason: 'key-reused' } });
    throw new HqError(409, 'key-reused', 'this idempotency key was used before with other contents');
  }
  const other = found.find((r) => r.redemption_id !== key);
  if (!other) return undefined;
  await audit(q, till.now, { storeId: till.storeId, actor: `device:${till.deviceId}`, action: 'redemption-refused', subject: key, detail: { reason: 'offer-redeemed-elsewhere', first: other.redemption_id } });
  throw new HqError(409, 'offer-redeemed-elsewhere', 'this list offer was already redeemed at another till');
}

/** A redemption as one statement, so one transaction, in one round trip. It reads what is stored under the key and
 * the list's member (of this store); only for a new key of a list of this member (or, with an offline list's code
 * given as $15, a list headquarters does not know yet) does it lock the deal's budget row (FOR UPDATE; a deal has one
 * budget row, taken in id order as every path takes them) and insert the row, unless its key or its list offer is
 * taken meanwhile (UNIQUE, ON CONFLICT DO NOTHING) or the budget would be overspent; the budget is spent, the offline
 * list recorded and the audit entry appended only when the row went in. The lock is held for this statement alone. */
const REDEEM_SQL = `WITH stored AS (
    SELECT body_hash, store_id FROM redemptions WHERE redemption_id = $1
  ), list AS (
    SELECT member_id FROM lists WHERE list_id = $2 AND store_id = $7
  ), go AS (
    SELECT NOT EXISTS (SELECT 1 FROM stored)
      AND CASE WHEN EXISTS (SELECT 1 FROM list) THEN (SELECT member_id FROM list) = $5 ELSE $15::text IS NOT NULL END AS ok
  ), budget AS (
    SELECT id, budget_cents, spent_cents FROM budgets WHERE deal_id = $4 AND (SELECT ok FROM go) ORDER BY id FOR UPDATE
  ), fits AS (
    SELECT NOT EXISTS (SELECT 1 FROM budget WHERE spent_cents + $10 > budget_cents) AS ok
  ), inserted AS (
    INSERT INTO redemptions (redemption_id, list_id, offer_id, deal_id, member_id, basket_id, store_id, device_id, till_id, cents, units, day, at, body_hash)
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 WHERE (SELECT ok FROM go) AND (SELECT ok FROM fits)
    ON CONFLICT DO NOTHING RETURNING seq
  ), spent AS (
    UPDATE budgets SET spent_cents = budgets.spent_cents + $10 FROM budget WHERE budgets.id = budget.id AND EXISTS (SELECT 1 FROM inserted) RETURNING 1
  ), offline AS (
    INSERT INTO lists (list_id, store_id, member_id, code, source, seen_at) SELECT $2, $7, $5, $15, 'offline', $16 FROM inserted WHERE $15::text IS NOT NULL
    ON CONFLICT DO NOTHING RETURNING 1
  ), logged AS (
    INSERT INTO audit_log (at, store_id, actor, action, subject, detail) SELECT $16, $7, $17, 'redemption', $1, $18::jsonb FROM inserted RETURNING 1
  )
  SELECT (SELECT body_hash FROM stored) AS body_hash, (SELECT store_id FROM stored) AS key_store, (SELECT member_id FROM list) AS list_member,
    (SELECT ok FROM go) AS go, (SELECT ok FROM fits) AS fits, EXISTS (SELECT 1 FROM inserted) AS inserted`;

interface Outcome {
  body_hash: string | null;
  key_store: string | null;
  list_member: string | null;
  go: boolean;
  fits: boolean;
  inserted: boolean;
}

/** Record one redemption with its idempotency key: 200 new or replay; 409 key-reused, offer-redeemed-elsewhere or
 * budget-exhausted; 422 for a list that cannot be verified. */
export async function redeem(db: Db, key: string, body: RedemptionBody, till: Till): Promise<LedgerOk> {
  const hash = bodyHash(body);
  if (body.storeId !== undefined && body.storeId !== till.storeId) throw new HqError(403, 'forbidden', `this device belongs to ${till.storeId}, not ${body.storeId}`);
  const dealId = dealOf(body);
  const attempt = async (offlineCode: string | null) => (await db.query<Outcome>(REDEEM_SQL, [
    key, body.listId, body.offerId, dealId ?? null, body.memberId, body.basketId, till.storeId, till.deviceId, body.tillId ?? null,
    body.amountCents, body.units ?? 1, body.day ?? null, (body.at ? new Date(body.at) : till.now).toISOString(), hash,
    offlineCode, till.now.toISOString(), `device:${till.deviceId}`,
    JSON.stringify({ dealId: dealId ?? null, cents: body.amountCents, ...(offlineCode ? { offlineList: true } : {}) }),
  ]))[0]!;
  let r = await attempt(null);
  // A retry is answered from what is stored, without a write (the common case after a lost answer).
  if (r.body_hash !== null) return (await conflictOf(db, key, hash, body, till, { body_hash: r.body_hash, store_id: r.key_store! }))!;
  if (r.list_member !== null && r.list_member !== body.memberId) throw new HqError(422, 'bad-body', 'this list belongs to another member', 'memberId');
  if (r.list_member === null) {
    // A list issued offline: accepted once its code verifies against the store's key ring, then recorded.
    if (!body.listCode) throw new HqError(422, 'unknown-list', 'headquarters does not know this list: send its listCode so it can be verified', 'listCode');
    if (!(await codeVerifies(db, till.storeId, body.listCode, till.now))) throw new HqError(422, 'forged-code', "the list code does not verify against the store's key ring", 'listCode');
    r = await attempt(body.listCode);
    if (r.body_hash !== null) return (await conflictOf(db, key, hash, body, till, { body_hash: r.body_hash, store_id: r.key_store! }))!;
    if (r.list_member !== null && r.list_member !== body.memberId) throw new HqError(422, 'bad-body', 'this list belongs to another member', 'memberId');
  }
  if (r.inserted) return { ok: true, replay: false };
  // Not inserted: the key or the list offer was taken meanwhile (answered first, as a retry or a second till), else
  // the budget.
  const taken = await conflictOf(db, key, hash, body, till);
  if (taken) return taken;
  if (r.fits) throw new Error(`redemption ${key}: insert refused but no conflicting row found`);
  await audit(db, till.now, { storeId: till.storeId, actor: `device:${till.deviceId}`, action: 'redemption-refused', subject: key, detail: { reason: 'budget-exhausted', dealId } });
  throw new HqError(409, 'budget-exhausted', "the deal's budget is spent: this redemption would overspend it");
}

/** Undo one redemption (a returned basket): the budget gets its cents back, under the same locks as a redemption.
 * Reverting twice is a replay. */
export async function revert(db: Db, key: string, till: Till): Promise<LedgerOk> {
  const [row] = await db.query<{ deal_id: string | null; store_id: string }>('SELECT deal_id, store_id FROM redemptions WHERE redemption_id = $1', [key]);
  if (!row) throw new HqError(404, 'not-found', 'no redemption with this id');
  if (row.store_id !== till.storeId) throw new HqError(403, 'forbidden', 'this redemption was made at another store');
  return db.transaction(async (tx) => {
    const budgets = await lockBudgets(tx, row.deal_id ? [row.deal_id] : []);
    const [r] = await tx.query<{ cents: number; reverted_at: Date | null }>('SELECT cents, reverted_at FROM redemptions WHERE redemption_id = $1 FOR UPDATE', [key]);
    if (r!.reverted_at) return { ok: true, replay: true } as const;
    await tx.query('UPDATE redemptions SET reverted_at = $2 WHERE redemption_id = $1', [key, till.now.toISOString()]);
    const budget = row.deal_id ? budgets.get(row.deal_id) : undefined;
    if (budget) await tx.query('UPDATE budgets SET spent_cents = spent_cents - $2 WHERE id = $1', [budget.id, Number(r!.cents)]);
    await audit(tx, till.now, { storeId: till.storeId, actor: `device:${till.deviceId}`, action: 'redemption-reverted', subject: key, detail: { dealId: row.deal_id, cents: Number(r!.cents) } });
    return { ok: true, replay: false } as const;
  });
}
