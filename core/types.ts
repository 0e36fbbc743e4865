// Domain types shared across core, worker, widget and kiosk (DESIGN.md "Data model").
// Money is integer cents; dates are day numbers (days since 1970-01-01 UTC) inside, ISO strings at the edges.
import type { ReasonCode } from './lists/reasons.ts';

/** Days since 1970-01-01 (UTC). */
export type Day = number;

/** Whether a product is a national (manufacturer) brand or the store's own brand. */
export type BrandType = 'national' | 'store';

/** A catalogue product. */
export interface Product {
  id: string;
  name: string;
  /** Category path, e.g. `health/analgesics`. */
  category: string;
  brand: string;
  brandType: BrandType;
  priceCents: number;
  size?: string;
  unit?: string;
  /** Affinity tags such as `pet`, `baby`, `vegetable`. */
  tags: string[];
}

/** What the member allowed. */
export interface Consent {
  personalise: boolean;
  contact: boolean;
  atDay?: Day;
}

/** A loyalty-club member. Names are personal data: only the first name is kept, for the kiosk greeting. */
export interface Member {
  id: string;
  /** EAN-13 with check digit. */
  cardCode: string;
  consent: Consent;
  firstName?: string;
  birthYear?: number;
  gender?: string;
  householdSize?: number;
  homeStore?: string;
  joinedDay?: Day;
  /** Where headquarters e-mails the member's list (only with `consent.contact`); never sent to a device. */
  email?: string;
  /** The language the member reads: `en` or `zh-CN` (the delivered list's words). */
  locale?: 'en' | 'zh-CN';
}

/** One line of a basket. */
export interface BasketLine {
  productId: string;
  qty: number;
  unitPriceCents: number;
  discountCents: number;
}

/** A transaction at the till. */
export interface Basket {
  id: string;
  memberId: string;
  storeId?: string;
  day: Day;
  /** Minute of the day (0..1439) when known, for shopping-pattern charts. */
  minute?: number;
  lines: BasketLine[];
}

/** How a deal changes the price. `value` means: percent off (percent), cents off a unit (amount),
 * a unit price in cents (price), or N where every N-th unit is free (multibuy, "buy N pay N-1"). */
export type DealKind = 'percent' | 'amount' | 'price' | 'multibuy';
export type DealScope = 'product' | 'category' | 'brand';

/** A deal from headquarters. */
export interface Deal {
  id: string;
  scopeType: DealScope;
  /** A product id, a category path (prefix match), or a brand name. */
  scope: string;
  kind: DealKind;
  value: number;
  startDay: Day;
  endDay: Day;
  /** `store` or the manufacturer's name. */
  funder: string;
  budgetCents?: number;
  perMemberLimit?: number;
  /** Segment keys this deal is targeted at; absent means open to everyone. */
  segments?: string[];
}

export type BrandLoyalty = 'national' | 'store' | 'switcher';
export type UsageTier = 'low' | 'mid' | 'high';
/** `${loyalty}-${usage}`, e.g. `national-high`. */
export type SegmentKey = `${BrandLoyalty}-${UsageTier}`;

/** A headquarters campaign over one category. */
export interface Campaign {
  id: string;
  name: string;
  category: string;
  goal: 'to-store-brand' | 'grow-category' | 'retain';
  segments: SegmentKey[];
  /** Percent off the first purchase per usage tier. */
  offerByTier: Record<UsageTier, number>;
  funder: string;
  budgetCents?: number;
  startDay: Day;
  endDay: Day;
  /** Share of eligible members held out as a control group (0..1). */
  holdoutShare: number;
}

export type ContentKind = 'recipe' | 'meal-plan' | 'tip' | 'nutrition' | 'service';

/** What a piece of content says, in English and, when the content feed carries them (`title_zh`, `body_zh`), in
 * Simplified Chinese. */
export interface ContentText {
  id: string;
  kind: ContentKind;
  title: string;
  body: string;
  titleZh?: string;
  bodyZh?: string;
}

/** Non-price content from headquarters: recipes, tips, services (express lane, home delivery). */
export interface Content extends ContentText {
  /** Category paths it relates to (prefix match). */
  categories: string[];
  /** Products a recipe uses, when known. */
  productIds?: string[];
}

/** The values a reason's sentence needs: names, counts, days, cents. */
export type ReasonParams = Record<string, string | number>;

/** Why something is on a list (or a member is at risk), as a code plus parameters: never a sentence, which every
 * surface renders in its own language through i18n/. */
export interface Reason<C extends string = ReasonCode> {
  code: C;
  params: ReasonParams;
}

/** An offer attached to a list item (a deal or campaign applied to one member). */
export interface ListOffer {
  /** Unique within the list. */
  id: string;
  dealId: string;
  productId: string;
  kind: DealKind;
  value: number;
  funder: string;
  /** Saving on one unit (or one multibuy set) at today's shelf price. */
  savingCents: number;
  /** Units the offer may be used on. */
  limit: number;
  reason: Reason;
}

/** One item of a shopping list. */
export interface ListItem {
  productId: string;
  name: string;
  category: string;
  /** `repeat`: the member bought it before; `explore`: new to them; `cold-start`: from store-wide patterns. */
  kind: 'repeat' | 'explore' | 'cold-start';
  dueDay?: Day;
  /** 0..1 */
  confidence: number;
  score: number;
  shelfPriceCents: number;
  /** Price after the offer, never above the shelf price. */
  priceCents: number;
  offer?: ListOffer;
  reason: Reason;
}

/** A store coupon that rewards loyalty. */
export interface Coupon {
  id: string;
  valueCents: number;
  minSpendCents: number;
  reason: Reason;
}

/** A non-price reward: recipe, meal plan, tip, service. */
export interface Reward extends ContentText {
  reason: Reason;
}

/** A personalised shopping list. */
export interface ShoppingList {
  id: string;
  /** The printable, scannable list code. */
  code: string;
  memberId: string;
  issuedDay: Day;
  validUntilDay: Day;
  /** False when the list is store-wide only (no consent, or not enough shopping here yet for a personal list). */
  personalised: boolean;
  /** Why a list is store-wide: the member did not consent, or is below the spend threshold (new members too). */
  basis?: 'no-consent' | 'below-threshold';
  items: ListItem[];
  coupons: Coupon[];
  rewards: Reward[];
}

/** A redemption of one list offer against one basket. */
export interface Redemption {
  /** Random id, unique per redemption. */
  id: string;
  /** Idempotency key: `${listId}|${offerId}|${basketId}`. */
  key: string;
  listId: string;
  offerId: string;
  dealId: string;
  memberId: string;
  basketId: string;
  /** Units the offer was applied to. */
  units: number;
  amountCents: number;
  day: Day;
  synced: 0 | 1;
}

/** A trip in compact form for the algorithms: a day and the dense product indexes bought (unique). */
export interface Trip {
  day: Day;
  items: readonly number[];
}

/** A scored candidate for a member's next trip, as the list scorer returns it. */
export interface ScoredItem {
  /** Dense product index. */
  item: number;
  score: number;
  kind: 'repeat' | 'explore';
  /** Predicted next purchase day (repeat items with enough history). */
  dueDay?: Day;
  /** 0..1, how sure the due day is. */
  confidence: number;
  /** Typical days between purchases used for the prediction. */
  intervalDays?: number;
  lastDay?: Day;
  /** Trips in which the member bought it. */
  count: number;
}
