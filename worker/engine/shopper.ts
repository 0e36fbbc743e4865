// The shopper room: what a member decides about their own data — consent, "not for me" and "mute" on an item,
// "delete my history".
import type { Day, ShoppingList } from '../../core/types.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { expireControls, type ItemControl, type ItemControls } from '../../core/lists/preferences.ts';
import { settle } from '../store.ts';
import { outboxRecord } from '../sync.ts';
import { outboxPump } from './outbox.ts';
import { historyOf, withHistory } from '../packs.ts';
import { deleteMemberLists, memberLists, replaceList } from '../lists.ts';
import { eraseMemberHistory, loadControls, saveControl } from '../preferences.ts';
import { currentListOf, makeList } from './lists.ts';
import type { EngineContext } from './context.ts';

/** What a shopper control did: the controls in force, and the member's current list with it applied (absent when
 * the member has no current list on that day: none is made here, the page asks for one). */
export interface ControlResult {
  controls: ItemControls;
  list?: ShoppingList;
}

/** The shopper room's methods. */
export function shopperRoom(ctx: EngineContext) {
  return {
    /** Give or withdraw consent to personalise. Withdrawal erases the member's history and lists from this device.
     * The change goes to headquarters through the outbox (`POST /v1/consents`), so the member's pack there, and on
     * every device of the store, says the same; until it is delivered, a newer pack from headquarters keeps it. */
    async setConsent(memberId: string, personalise: boolean): Promise<Result<{ erased: boolean }, 'unknown-member'>> {
      const d = await ctx.db();
      const atDay = await ctx.today(); // before the transaction: nothing else may be awaited inside it
      const now = Date.now();
      const tx = d.transaction(['packs', 'lists', 'outbox'], 'readwrite');
      const pack = await tx.objectStore('packs').get(memberId);
      if (!pack) return err('unknown-member');
      const consented = { ...pack, member: { ...pack.member, consent: { ...pack.member.consent, personalise, atDay } } };
      // Withdrawn: the history goes, and the neighbour term headquarters derived from it.
      const { neighbour: _n, ...withdrawn } = withHistory(consented, undefined);
      void tx.objectStore('packs').put(personalise ? consented : withdrawn);
      void tx.objectStore('outbox').put(outboxRecord('consent', `consent-${memberId}-${now}`, { memberId, personalise, atDay, at: now }, now));
      if (!personalise) await deleteMemberLists(tx.objectStore('lists'), memberId);
      await settle(tx);
      ctx.invalidate();
      void outboxPump(ctx).kick().catch(() => undefined);
      return ok({ erased: !personalise });
    },

    /** "Not for me", "mute for a month" or clear, for one product, from today. Takes effect at once: every current
     * list of the member is rebuilt under its own id and code (refilled without the product); a list with offers
     * already redeemed is only filtered when read. Answers with the member's list current on `asOfDay` (default:
     * today) as it now is, so the page shows it without asking again. */
    async setItemControl(memberId: string, productId: string, control: ItemControl, asOfDay?: Day): Promise<Result<ControlResult, 'unknown-member' | 'unknown-product'>> {
      const d = await ctx.db();
      const [pack, catalogue, day] = await Promise.all([d.get('packs', memberId), ctx.products(), ctx.today()]);
      if (!pack) return err('unknown-member');
      const member = pack.member;
      if (!catalogue.some((p) => p?.id === productId)) return err('unknown-product');
      const controls = await saveControl(d, memberId, productId, control, day);
      const history = historyOf(pack);
      for (const list of await memberLists(d.transaction('lists').store, memberId)) {
        if (list.validUntilDay < day || (await d.countFromIndex('redemptions', 'by-list', list.id)) > 0) continue;
        const rebuilt = await makeList(ctx, member, history, catalogue, list.issuedDay, { id: list.id, code: list.code }, undefined, pack.neighbour);
        if (!rebuilt.ok) continue;
        const tx = d.transaction('lists', 'readwrite');
        await replaceList(tx.store, rebuilt.value);
        await settle(tx);
      }
      const list = await currentListOf(ctx, memberId, asOfDay ?? day);
      return ok({ controls, ...(list ? { list } : {}) });
    },

    /** The member's controls in force today (expired mutes left out). */
    async itemControls(memberId: string): Promise<ItemControls> {
      return expireControls(await loadControls(await ctx.db(), memberId), await ctx.today());
    },

    /** "Delete my history": erases the member's purchase history, lists, controls and shown-items memory on this
     * device, keeping the member and their consent (unlike withdrawing consent); the next list is the store-wide one
     * until they shop again. Headquarters still holds the baskets and redemptions it was sent (the outbox and the
     * redemption ledger stay too): erasing those is headquarters' to do on the member's request. */
    async deleteMyHistory(memberId: string): Promise<Result<{ lists: number }, 'unknown-member'>> {
      const d = await ctx.db();
      if (!(await d.getKey('packs', memberId))) return err('unknown-member');
      const erased = await eraseMemberHistory(d, memberId);
      ctx.invalidate();
      return ok(erased);
    },
  };
}
