// The checkout room: a basket at the till against a list code or a member card. The plan (which offers apply) and
// the receipt are core's (core/checkout/); this room finds the list, reads budgets and exposure, and commits it all in
// one transaction.
import type { Day, Redemption, ShoppingList } from '../../core/types.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { emptyHistory, mergeBaskets } from '../../core/history.ts';
import { planCheckout } from '../../core/checkout/checkout.ts';
import { basketLine, previewReceipt, receiptOf, type CheckoutReceipt } from '../../core/checkout/receipt.ts';
import { CADENCE_DAYS } from '../../core/lists/compose.ts';
import { settle, type LarderDB } from '../store.ts';
import { historyOf, withHistory } from '../packs.ts';
import { outboxRecord } from '../sync.ts';
import { listByCode, putLists } from '../lists.ts';
import type { ListCodeParts } from '../../core/checkout/list-code.ts';
import { getMeta, metaKey, putMeta } from '../meta.ts';
import { isStorageFull } from '../errors.ts';
import { issueList, makeList, memberByCard } from './lists.ts';
import type { EngineContext } from './context.ts';
import { outboxPump } from './outbox.ts';

export type { CheckoutReceipt };

/** A basket presented at the till against a list code or a member card. */
export interface CheckoutRequest {
  /** The list code or the member card, as scanned. */
  code: string;
  /** The member card, when both were scanned. */
  card?: string;
  /** The POS basket id: retrying with the same id is idempotent. */
  basketId: string;
  lines: { productId: string; qty: number }[];
}

export type CheckoutError =
  | 'wrong-length' | 'bad-check-digit' | 'not-a-list-code' | 'forged-code' | 'unknown-card' | 'unknown-list'
  | 'list-expired' | 'other-member' | 'empty-basket' | 'bad-basket' | 'storage-full' | 'no-list';

const OFFLINE_EXPOSURE_CENTS_PER_DEAL = 20_000;
/** A write inside a transaction whose failure surfaces through the transaction itself (see `settle`). */
const quiet = (p: Promise<unknown>): void => void p.catch(() => {});

/** Find the list a scanned code points at, checking card, check digit, MAC and dates. */
async function resolveList(ctx: EngineContext, d: LarderDB, req: CheckoutRequest, day: Day): Promise<Result<ShoppingList, CheckoutError>> {
  const code = req.code.trim();
  let list: ShoppingList | undefined;
  if (/^\d{13}$/.test(code)) {
    const found = await memberByCard(ctx, code);
    if (!found.ok) return found;
    const issued = await issueList(ctx, found.value.id, day);
    if (!issued.ok) return err('no-list');
    list = issued.value.list;
  } else {
    const checked = await ctx.codes.verify(code);
    if (!checked.ok) return err(checked.error);
    list = await listByCode(d.transaction('lists').store, code);
    if (!list && req.card) list = await listOfAnotherTill(ctx, d, req.card, code, checked.value);
    if (!list) return err('unknown-list');
    if (day > list.validUntilDay) return err('list-expired');
  }
  if (req.card) {
    const card = await memberByCard(ctx, req.card);
    if (!card.ok) return card;
    if (card.value.id !== list.memberId) return err('other-member');
  }
  return ok(list);
}

/** A list printed at another kiosk of this store: its code verified against the store's key ring (every till holds
 * it), and the member's card says whose it is. The list is made again for its issue day under the id and code that
 * kiosk gave it (`<member>-<day>-<serial>`, from the code), so its offers carry the same ids at every till, and
 * headquarters' one redemption per list offer holds across tills. Stored here, so the next scan finds it. */
async function listOfAnotherTill(ctx: EngineContext, d: LarderDB, card: string, code: string, parts: ListCodeParts): Promise<ShoppingList | undefined> {
  const found = await memberByCard(ctx, card);
  if (!found.ok) return undefined;
  const [pack, catalogue] = await Promise.all([d.get('packs', found.value.id), ctx.products()]);
  if (!pack) return undefined;
  const member = pack.member;
  const made = await makeList(ctx, member, historyOf(pack), catalogue, parts.day, { id: `${member.id}-${parts.day}-${parts.serial}`, code }, undefined, pack.neighbour);
  if (!made.ok) return undefined;
  const tx = d.transaction('lists', 'readwrite');
  quiet(putLists(tx.store, [made.value]));
  await settle(tx);
  return made.value;
}

async function runCheckout(ctx: EngineContext, req: CheckoutRequest, commit: boolean): Promise<Result<CheckoutReceipt, CheckoutError>> {
  const d = await ctx.db();
  const day = await ctx.today();
  if (!req.lines.length) return err('empty-basket');
  const catalogue = await ctx.products();
  const byId = new Map(catalogue.map((p) => [p.id, p]));
  // Every line checked: the detail names each product code the catalogue does not know (space-separated), so the till
  // can say which line is wrong instead of refusing the whole basket with one sentence.
  const unknown = [...new Set(req.lines.filter((l) => !byId.has(l.productId)).map((l) => l.productId))];
  if (unknown.length || req.lines.some((l) => !Number.isInteger(l.qty) || l.qty <= 0)) return err('bad-basket', unknown.join(' '));
  const resolved = await resolveList(ctx, d, req, day);
  if (!resolved.ok) return resolved;
  const list = resolved.value;
  const lines = req.lines.map((l) => ({ productId: l.productId, qty: l.qty, unitPriceCents: byId.get(l.productId)!.priceCents, discountCents: 0 }));
  // What the printed slip needs besides the redemptions: the day, the basket with names, the member's first name.
  const member = (await d.get('packs', list.memberId))?.member;
  const till = {
    day, basket: lines.map((l) => basketLine(l.productId, byId.get(l.productId)!.name, l.qty, l.unitPriceCents)),
    ...(member?.firstName ? { memberName: member.firstName } : {}),
  };
  // readwrite even for a preview: checkouts of one list serialise, so two kiosks never redeem the same offer twice.
  const tx = d.transaction(['lists', 'redemptions', 'packs', 'outbox', 'meta', 'deals'], 'readwrite');
  const meta = tx.objectStore('meta');
  try {
    const done = await tx.objectStore('redemptions').index('by-list').getAll(list.id);
    const mine = done.filter((r) => r.basketId === req.basketId);
    if (mine.length) {
      // The same basket again (a retry, a second scan): the receipt it already had, nothing redeemed twice.
      await tx.done;
      return ok(receiptOf(list, req.basketId, mine, [], true, till));
    }
    const budgetLeftCents = new Map<string, number>();
    for (const item of list.items) {
      if (!item.offer || budgetLeftCents.has(item.offer.dealId)) continue;
      const deal = await tx.objectStore('deals').get(item.offer.dealId);
      if (deal?.budgetCents === undefined) continue;
      const spent = (await getMeta(meta, metaKey.budget(deal.id))) ?? 0;
      budgetLeftCents.set(deal.id, deal.budgetCents - spent);
    }
    // Offline exposure: savings given here that headquarters has not confirmed yet, per deal.
    const cap = ctx.options.offlineExposureCentsPerDeal ?? OFFLINE_EXPOSURE_CENTS_PER_DEAL;
    const unconfirmed = new Map<string, number>();
    for (const r of await tx.objectStore('outbox').index('by-synced').getAll(0)) {
      if (r.kind !== 'redemption') continue;
      const p = r.payload as Redemption;
      unconfirmed.set(p.dealId, (unconfirmed.get(p.dealId) ?? 0) + p.amountCents);
    }
    const exposureLeftCents = new Map(list.items.flatMap((i) => (i.offer ? [[i.offer.dealId, cap - (unconfirmed.get(i.offer.dealId) ?? 0)] as const] : [])));
    const plan = planCheckout({ list, basketId: req.basketId, lines, day, redeemedOffers: new Set(done.map((r) => r.offerId)), budgetLeftCents, exposureLeftCents });
    if (!commit) {
      await tx.done;
      return ok(previewReceipt(list, req.basketId, plan, till));
    }
    const now = Date.now();
    const redemptions = plan.redemptions.map((r) => ({ ...r, id: crypto.randomUUID() }));
    for (const r of redemptions) {
      quiet(tx.objectStore('redemptions').put(r));
      // With the list code: headquarters accepts a list issued offline when the code verifies against the store's ring.
      quiet(tx.objectStore('outbox').put(outboxRecord('redemption', r.id, { ...r, listCode: list.code }, now)));
      if (budgetLeftCents.has(r.dealId)) {
        const spent = (await getMeta(meta, metaKey.budget(r.dealId))) ?? 0;
        quiet(putMeta(meta, metaKey.budget(r.dealId), spent + r.amountCents));
      }
    }
    const basket = { id: req.basketId, memberId: list.memberId, day, lines };
    // The member's pack gets the basket (a member erased meanwhile has none: the basket still goes to headquarters).
    const pack = await tx.objectStore('packs').get(list.memberId);
    const merged = mergeBaskets(historyOf(pack) ?? emptyHistory(list.memberId), [basket], (pid) => byId.get(pid)!.idx);
    if (merged.added) {
      if (pack) quiet(tx.objectStore('packs').put(withHistory(pack, merged.history)));
      quiet(tx.objectStore('outbox').put(outboxRecord('basket', `basket-${req.basketId}`, basket, now)));
    }
    await settle(tx);
    ctx.invalidateModel();
    // The engine sends what this checkout queued, whatever screen is open (nothing happens on a device not enrolled).
    void outboxPump(ctx).kick().catch(() => undefined);
    // The next list, when this one is past its cadence: issued after the checkout commits, from the new history.
    let nextListCode: string | undefined;
    if (day >= list.issuedDay + CADENCE_DAYS - 1) {
      const next = await issueList(ctx, list.memberId, day + 1);
      if (next.ok) nextListCode = next.value.list.code;
    }
    return ok({ ...receiptOf(list, req.basketId, redemptions, plan.refusals, false, till), ...(nextListCode ? { nextListCode } : {}) });
  } catch (e) {
    // Whatever failed midway, nothing of this checkout may commit: abort what was already written in it.
    try { tx.abort(); } catch { /* already finished or aborted */ }
    quiet(tx.done);
    if (isStorageFull(e)) return err('storage-full');
    throw e;
  }
}

/** The checkout room's methods. */
export function checkoutRoom(ctx: EngineContext) {
  return {
    /** What a checkout would redeem, without changing anything. */
    async previewCheckout(req: CheckoutRequest): Promise<Result<CheckoutReceipt, CheckoutError>> {
      return runCheckout(ctx, req, false);
    },

    /** Redeem the list's offers against the basket, add the basket to the history, queue both for headquarters and
     * issue the next list when due — all in one transaction. Idempotent by basket id. */
    async checkout(req: CheckoutRequest): Promise<Result<CheckoutReceipt, CheckoutError>> {
      return runCheckout(ctx, req, true);
    },
  };
}
