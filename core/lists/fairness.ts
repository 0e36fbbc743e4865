// The fairness guard every list passes through (DESIGN.md "Fairness invariants" 1–5): it refuses with an
// explanation and never adjusts a list silently; `checkCampaignRule` refuses unfair deal and campaign rules up front.
import type { Campaign, Deal, Member, ShoppingList } from '../types.ts';
import { err, ok, type Result } from '../result.ts';
import { dealValid } from './deals.ts';
import { NON_PERSONAL_REASONS, reasonComplete } from './reasons.ts';

/** Who a rule is restricted to, beyond segments. Conditions that single out less loyal members are unfair. */
export interface Audience {
  /** Only members whose churn risk is at least this (0..1): "a discount for members about to leave". */
  churnRiskAtLeast?: number;
  /** Only members doing less than this share of their shopping here. */
  shareOfWalletBelow?: number;
  /** Only members who joined fewer than this many days ago: a newcomer promotion that shuts out existing members. */
  tenureDaysBelow?: number;
  /** Only members with fewer visits than this. */
  visitsBelow?: number;
  /** The promotion is advertised to new members (sign-up offers). */
  openToNewMembers?: boolean;
  /** Existing members are left out. */
  excludeExistingMembers?: boolean;
}

/** A deal or campaign with its audience. */
export type CampaignRule = (Campaign | Deal) & { audience?: Audience };

/** Why a rule is refused. */
export type RuleRefusal = 'rewards-leaving' | 'excludes-existing-members' | 'bad-offer';

/** Check a deal or campaign rule against invariants 2 and 3; the detail explains a refusal to the manager. */
export function checkCampaignRule(rule: CampaignRule): Result<true, RuleRefusal> {
  const a = rule.audience ?? {};
  if (a.churnRiskAtLeast !== undefined || a.shareOfWalletBelow !== undefined || a.visitsBelow !== undefined)
    return err('rewards-leaving', 'This rule gives the offer only to less loyal members (about to leave, shopping elsewhere or rarely); a more loyal member must get at least the same offer value. Use a non-price reminder for members at risk instead.');
  if (a.excludeExistingMembers || a.tenureDaysBelow !== undefined)
    return err('excludes-existing-members', 'This promotion is open to new members but leaves existing members out; offer it to every member, or make it a welcome gift that is not a price advantage.');
  if ('offerByTier' in rule) {
    for (const v of Object.values(rule.offerByTier)) if (!(v >= 0 && v <= 100)) return err('bad-offer', `Percent off per usage tier must be between 0 and 100 (got ${v}).`);
  } else if (!dealValid(rule.kind, rule.value)) {
    return err('bad-offer', `A ${rule.kind} deal of ${rule.value} would not lower the price.`);
  }
  return ok(true);
}

/** Why a list is refused. */
export type FairnessError = 'price-above-shelf' | 'bad-price' | 'loyalty-penalised' | 'unfair-rule' | 'no-consent' | 'missing-reason';

/** The member's loyalty and how the list's loyalty-dependent value follows it. */
export interface LoyaltyProbe {
  shareOfWallet: number;
  tenureDays: number;
  /** Loyalty-dependent offer value (coupons) the list builder gives at a loyalty level, all else equal. */
  valueAt: (shareOfWallet: number, tenureDays: number) => number;
}

/** What the guard checks a list against. */
export interface GuardContext {
  member: Pick<Member, 'id' | 'consent'>;
  /** The catalogue's shelf price of a product, in cents. */
  shelfPriceOf: (productId: string) => number | undefined;
  /** Rules behind the offers, by deal or campaign id (an offer whose rule is missing is only checked on price and reason). */
  rules?: ReadonlyMap<string, CampaignRule>;
  loyalty?: LoyaltyProbe;
}

/** Total offer value of a list: per-unit savings of its offers plus its coupons, in cents. */
export function listOfferValue(list: Pick<ShoppingList, 'items' | 'coupons'>): number {
  let v = 0;
  for (const i of list.items) if (i.offer) v += i.offer.savingCents;
  for (const c of list.coupons) v += c.valueCents;
  return v;
}

/** Loyalty variants at or above (share, tenure) on a fixed grid, for the monotonicity check. */
function moreLoyal(share: number, tenure: number): [number, number][] {
  const out: [number, number][] = [];
  for (const ds of [0, 0.05, 0.1, 0.25, 0.5, 1]) for (const dt of [0, 30, 180, 365, 1825]) out.push([Math.min(1, share + ds), tenure + dt]);
  return out;
}

/** Find a pair of loyalty levels where the more loyal one gets less; undefined when the value never falls. */
export function loyaltyCounterexample(p: LoyaltyProbe, actualCents: number): string | undefined {
  const base = Math.max(actualCents, p.valueAt(p.shareOfWallet, p.tenureDays));
  for (const [s, t] of moreLoyal(p.shareOfWallet, p.tenureDays)) {
    const v = p.valueAt(s, t);
    if (v < base) return `A more loyal member (share ${Math.round(s * 100)}%, ${t} days) would get ${v} cents of coupons, less than this member's ${base}.`;
  }
  return undefined;
}

/** Pass a list through the fairness guard: the list unchanged, or a refusal with an explanation. */
export function guardList(list: ShoppingList, ctx: GuardContext): Result<ShoppingList, FairnessError> {
  const personalise = ctx.member.consent.personalise;
  // 4: without consent, no history-based content at all.
  if (!personalise) {
    if (list.personalised) return err('no-consent', 'The member has not consented, but the list is marked personalised.');
    if (list.coupons.length > 0) return err('no-consent', 'Loyalty coupons use the member\'s history; this member has not consented.');
    for (const i of list.items) {
      if (i.kind !== 'cold-start' || !NON_PERSONAL_REASONS.has(i.reason.code))
        return err('no-consent', `"${i.name}" is based on the member's history; this member has not consented.`);
      if (i.offer && !NON_PERSONAL_REASONS.has(i.offer.reason.code))
        return err('no-consent', `The offer on "${i.name}" is personal; this member has not consented.`);
      const rule = i.offer && ctx.rules?.get(i.offer.dealId);
      if (rule && 'segments' in rule && rule.segments && rule.segments.length > 0)
        return err('no-consent', `The offer on "${i.name}" targets segments; this member has not consented.`);
    }
    for (const r of list.rewards) if (!NON_PERSONAL_REASONS.has(r.reason.code)) return err('no-consent', `The reward "${r.title}" is personal; this member has not consented.`);
  }
  for (const i of list.items) {
    // 1: never above the shelf price, never negative, the shelf price being the catalogue's.
    const shelf = ctx.shelfPriceOf(i.productId);
    if (shelf === undefined || i.shelfPriceCents !== shelf) return err('bad-price', `"${i.name}" shows a shelf price of ${i.shelfPriceCents} cents, the catalogue says ${shelf}.`);
    if (i.priceCents > shelf) return err('price-above-shelf', `"${i.name}" would cost ${i.priceCents} cents, above its shelf price of ${shelf}.`);
    if (!(i.priceCents >= 0) || (i.offer && !(i.offer.savingCents >= 0))) return err('bad-price', `"${i.name}" has a negative price or saving.`);
    // 5: every item and offer explains itself.
    if (!reasonComplete(i.reason)) return err('missing-reason', `"${i.name}" has no reason.`);
    if (i.offer) {
      if (!reasonComplete(i.offer.reason)) return err('missing-reason', `The offer on "${i.name}" has no reason.`);
      // 2 and 3: the rule behind the offer must itself be fair.
      const rule = ctx.rules?.get(i.offer.dealId);
      if (rule) {
        const checked = checkCampaignRule(rule);
        if (!checked.ok) return err('unfair-rule', `The offer on "${i.name}" comes from ${i.offer.dealId}: ${checked.detail ?? checked.error}`);
      }
    }
  }
  for (const c of list.coupons) {
    if (!reasonComplete(c.reason)) return err('missing-reason', `Coupon ${c.id} has no reason.`);
    if (!(c.valueCents > 0) || c.minSpendCents < c.valueCents) return err('bad-price', `Coupon ${c.id} is worth ${c.valueCents} cents on a ${c.minSpendCents} cents shop.`);
  }
  for (const r of list.rewards) if (!reasonComplete(r.reason)) return err('missing-reason', `Reward "${r.title}" has no reason.`);
  // 2: the loyalty-dependent value never falls as loyalty grows.
  if (ctx.loyalty && personalise) {
    const coupons = list.coupons.reduce((s, c) => s + c.valueCents, 0);
    const bad = loyaltyCounterexample(ctx.loyalty, coupons);
    if (bad) return err('loyalty-penalised', bad);
  }
  return ok(list);
}
