// The redemption ledger, exactly once: UNIQUE(redemption_id) and UNIQUE(list_id, offer_id), the budget decremented in
// the same transaction with the budget rows locked (SELECT … FOR UPDATE in id order), the revert under the same locks,
// every change and every refusal appended to the audit log.
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

/** Why an insert found its place taken, looked up after the rollback. */
async function conflictOf(q: Queryable, key: string, hash: string, body: RedemptionBody, till: Till): Promise<LedgerOk> {
  const [same] = await q.query<{ body_hash: string; store_id: string }>('SELECT body_hash, store_id FROM redemptions WHERE redemption_id = $1', [key]);
  if (same) {
    if (same.body_hash === hash && same.store_id === till.storeId) return { ok: true, replay: true };
    await audit(q, till.now, { storeId: till.storeId, actor: `device:${till.deviceId}`, action: 'redemption-refused', subject: key, detail: { reason: 'key-reused' } });
    throw new HqError(409, 'key-reused', 'this idempotency key was used before with other contents');
  }
  const [other] = await q.query<{ redemption_id: string }>('SELECT redemption_id FROM redemptions WHERE list_id = $1 AND offer_id = $2', [body.listId, body.offerId]);
  if (!other) throw new Error(`redemption ${key}: insert refused but no conflicting row found`);
  await audit(q, till.now, { storeId: till.storeId, actor: `device:${till.deviceId}`, action: 'redemption-refused', subject: key, detail: { reason: 'offer-redeemed-elsewhere', first: other.redemption_id } });
  throw new HqError(409, 'offer-redeemed-elsewhere', 'this list offer was already redeemed at another till');
}

/** Check the list: one headquarters knows (of this store and member), or one issued offline whose code verifies
 * against the store's key ring (then recorded). */
async function checkList(db: Db, body: RedemptionBody, till: Till): Promise<boolean> {
  const [known] = await db.query<{ member_id: string }>('SELECT member_id FROM lists WHERE list_id = $1 AND store_id = $2', [body.listId, till.storeId]);
  if (known) {
    if (known.member_id !== body.memberId) throw new HqError(422, 'bad-body', 'this list belongs to another member', 'memberId');
    return false;
  }
  if (!body.listCode) throw new HqError(422, 'unknown-list', 'headquarters does not know this list: send its listCode so it can be verified', 'listCode');
  if (!(await codeVerifies(db, till.storeId, body.listCode, till.now))) throw new HqError(422, 'forged-code', "the list code does not verify against the store's key ring", 'listCode');
  return true;
}

/** Record one redemption with its idempotency key: 200 new or replay; 409 key-reused, offer-redeemed-elsewhere or
 * budget-exhausted; 422 for a list that cannot be verified. */
export async function redeem(db: Db, key: string, body: RedemptionBody, till: Till): Promise<LedgerOk> {
  const hash = bodyHash(body);
  if (body.storeId !== undefined && body.storeId !== till.storeId) throw new HqError(403, 'forbidden', `this device belongs to ${till.storeId}, not ${body.storeId}`);
  // A retry is answered without a write (the common case after a lost answer).
  const [seen] = await db.query<{ redemption_id: string }>('SELECT redemption_id FROM redemptions WHERE redemption_id = $1', [key]);
  if (seen) return conflictOf(db, key, hash, body, till);
  const offline = await checkList(db, body, till);
  const dealId = dealOf(body);
  const outcome = await db.transaction(async (tx): Promise<'done' | 'taken' | 'budget'> => {
    const budgets = await lockBudgets(tx, dealId ? [dealId] : []);
    if (offline) {
      await tx.query(`INSERT INTO lists (list_id, store_id, member_id, code, source, seen_at) VALUES ($1, $2, $3, $4, 'offline', $5)
        ON CONFLICT DO NOTHING`, [body.listId, till.storeId, body.memberId, body.listCode, till.now.toISOString()]);
    }
    const inserted = await tx.query(`INSERT INTO redemptions
      (redemption_id, list_id, offer_id, deal_id, member_id, basket_id, store_id, device_id, till_id, cents, units, day, at, body_hash)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING RETURNING seq`,
    [key, body.listId, body.offerId, dealId ?? null, body.memberId, body.basketId, till.storeId, till.deviceId, body.tillId ?? null,
      body.amountCents, body.units ?? 1, body.day ?? null, (body.at ? new Date(body.at) : till.now).toISOString(), hash]);
    if (!inserted.length) return 'taken';
    const budget = dealId ? budgets.get(dealId) : undefined;
    if (budget) {
      if (budget.spent_cents + body.amountCents > budget.budget_cents) return 'budget';
      await tx.query('UPDATE budgets SET spent_cents = spent_cents + $2 WHERE id = $1', [budget.id, body.amountCents]);
    }
    await audit(tx, till.now, { storeId: till.storeId, actor: `device:${till.deviceId}`, action: 'redemption', subject: key, detail: { dealId: dealId ?? null, cents: body.amountCents, ...(offline ? { offlineList: true } : {}) } });
    return 'done';
  }, { rollbackOn: (r) => r !== 'done' });
  if (outcome === 'done') return { ok: true, replay: false };
  if (outcome === 'taken') return conflictOf(db, key, hash, body, till);
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
