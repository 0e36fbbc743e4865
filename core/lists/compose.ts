// What a member's list holds: the list still current, or a new one from their history and the store's model, with
// the store-wide list as the fallback below the threshold. Pure: the engine reads, signs and stores around it.
import type { Campaign, Content, Day, Deal, Member, Product, ScoredItem, ShoppingList } from '../types.ts';
import { err, ok, type Result } from '../result.ts';
import { tripsUntil, type PackedHistory } from '../history.ts';
import { scoreMember, type StoreModel } from './next-basket.ts';
import { buildList, DEFAULT_LIST_SETTINGS } from './list.ts';
import { summarisePacked, type MemberSummary } from './member-summary.ts';
import { filterList } from './preferences.ts';
import { shownMap, type ShownMemory } from './variety.ts';
import type { NeighbourVector } from './neighbours.ts';

/** A list's cadence: a list older than this is never current, so only the lists of the last CADENCE_DAYS are read. */
export const CADENCE_DAYS = 14;
/** Loyalty coupons a list cycle may hand out, store-wide. */
export const STORE_COUPON_BUDGET_CENTS = 500_000;

/** The list among a member's lists that is still current on `day` (issued within the cadence, not expired), if any:
 * the latest issued. */
export function currentOf(lists: readonly ShoppingList[], day: Day, cadenceDays = CADENCE_DAYS): ShoppingList | undefined {
  return lists
    .filter((l) => l.issuedDay <= day && day < l.issuedDay + cadenceDays && day <= l.validUntilDay)
    .sort((a, b) => b.issuedDay - a.issuedDay)[0];
}

/** The current list as the member sees it today: without the products they hid since it was issued. */
export function currentList(lists: readonly ShoppingList[], hidden: ReadonlySet<string>, day: Day): ShoppingList | undefined {
  const current = currentOf(lists, day);
  return current && filterList(current, hidden);
}

/** The store-wide part every list shares (worker/list-context.ts builds and keeps it). */
export interface StoreParts {
  model: StoreModel;
  /** Member id → index in the model's member-neighbour index. */
  position: ReadonlyMap<string, number>;
  popular: readonly number[];
  segmentCuts: ReadonlyMap<string, readonly [number, number]>;
  productIndex: ReadonlyMap<string, number>;
  deals: readonly Deal[];
  campaigns: readonly Campaign[];
  content: readonly Content[];
  dealBudgetLeftCents: ReadonlyMap<string, number>;
}

/** What is known about one member when their list is made. */
export interface MemberParts {
  member: Member;
  history: PackedHistory | undefined;
  /** Products the member hid (controls in force on the day). */
  hidden: ReadonlySet<string>;
  /** What the member was shown before. */
  shown: ShownMemory;
}

/** The member's evidence for a list: the scorer's candidates and the summary of their baskets (none without consent
 * or history). The costly part of a list, computed while its code is being signed. */
export interface ListEvidence {
  scored: ScoredItem[];
  memberSummary?: MemberSummary;
}

/** Score and summarise a member's history as of `day` (consent required; two trips at least to score). */
export function listEvidence(who: Pick<MemberParts, 'member' | 'history'> & { neighbour?: NeighbourVector }, store: Pick<StoreParts, 'model' | 'position'>, catalogue: readonly (Product | undefined)[], day: Day): ListEvidence {
  const { member, history } = who;
  const personalise = member.consent.personalise;
  const trips = personalise && history ? tripsUntil(history, day) : [];
  // The neighbour term: the model's member index (a device that built its own model), else the vector headquarters
  // summed into the member's pack (a shopper's browser, a kiosk synced from headquarters).
  const position = store.position.get(member.id);
  const neighbour = position !== undefined ? { member: position } : who.neighbour && who.neighbour.neighbours > 0 ? { neighbour: who.neighbour } : {};
  const scored = trips.length >= 2 ? scoreMember(trips, store.model, day, { limit: 16 + 6, exploreLimit: 3 + 6, ...neighbour }) : [];
  // The member's baskets summarised straight from the packed history (no Basket objects): statistics, usual
  // products and affinities for buildList, in one pass.
  const memberSummary = personalise && history ? summarisePacked(member, history, catalogue, day, { weeks: DEFAULT_LIST_SETTINGS.weeks }) : undefined;
  return { scored, ...(memberSummary ? { memberSummary } : {}) };
}

/** A new list for a member on `day` under the given id and code: personal when they consent and are above the
 * threshold, else the same store-wide list everyone gets (`basis` says which). `refused` when the fairness guard
 * stops both. */
export function composeList(
  who: MemberParts, store: StoreParts, catalogue: readonly Product[], day: Day, id: { listId: string; code: string },
  evidence: ListEvidence = listEvidence(who, store, catalogue, day),
): Result<ShoppingList, 'refused'> {
  const { member } = who;
  const personalise = member.consent.personalise;
  const input = {
    member, baskets: [], ...(evidence.memberSummary ? { memberSummary: evidence.memberSummary } : {}), scored: evidence.scored, products: catalogue,
    deals: store.deals, campaigns: store.campaigns, content: store.content, asOfDay: day, listId: id.listId, code: id.code,
    settings: { cadenceDays: CADENCE_DAYS }, storeBudgetLeftCents: STORE_COUPON_BUDGET_CENTS, dealBudgetLeftCents: store.dealBudgetLeftCents,
    segmentCuts: store.segmentCuts, popular: store.popular, productIndex: store.productIndex,
    // 3 discovery slots among 16 candidates, as the scorer alone would pick; the 6 extra explore candidates rotate in.
    hidden: who.hidden, discovery: { slots: 3, limit: 16 }, ...(personalise ? { shownBefore: shownMap(who.shown, day) } : {}),
  };
  const built = buildList(input);
  if (built.ok) return ok(personalise ? built.value : { ...built.value, basis: 'no-consent' });
  if (built.error !== 'not-eligible') return err('refused', built.detail);
  // Below the threshold (new members too): the same store-wide list everyone gets, never less than a newcomer.
  const storeWide = buildList({ ...input, member: { ...member, consent: { ...member.consent, personalise: false } }, baskets: [], scored: [] });
  return storeWide.ok ? ok({ ...storeWide.value, basis: 'below-threshold' }) : err('refused', storeWide.detail);
}
