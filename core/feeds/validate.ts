// Row validation for the five feeds: one reader per kind turns a row's values (by schema slot) into a domain object or the row's first problem.
import { parseDay, parseMinute } from '../dates.ts';
import { gs1CheckDigit } from '../ean.ts';
import type { BrandType, Content, ContentKind, Day, Deal, DealKind, DealScope, Member, Product } from '../types.ts';
import type { BasketRow } from './baskets.ts';
import type { FeedKind, FeedRow } from './schemas.ts';
import { asBool, asDecimal, asList, asPlainDay, asText, asWhole, isBlank, wholeNumber, type Fail } from './values.ts';

/** What an import already knows, for cross-feed checks; every check is optional. */
export interface ValidationContext {
  /** Whether the catalogue has this product id (baskets, product deals, recipes). */
  hasProduct?(id: string): boolean;
  /** Whether this member id exists (baskets). */
  hasMember?(id: string): boolean;
  /** Asked once per basket id per file: `new` = never imported; `same` = already imported for this member and day,
   * so its rows are skipped (a re-run import adds nothing); `conflict` = imported for another member or day (rows rejected). */
  seenBasket?(id: string, memberId: string, day: Day): 'new' | 'same' | 'conflict';
}

/** A `seenBasket` for one validation run over several files: a basket id must keep its member and day, and may
 * continue in the next file (the CLI's validate and headquarters' import). */
export function basketsAcrossFiles(): NonNullable<ValidationContext['seenBasket']> {
  const keys = new Map<string, string>();
  return (id, memberId, day) => {
    const key = `${memberId}\u0000${day}`;
    const old = keys.get(id);
    if (old === undefined) keys.set(id, key);
    return old === undefined || old === key ? 'new' : 'conflict';
  };
}

/** Returned by a reader for a row that is valid but skipped (a basket already imported). */
export const SKIP: unique symbol = Symbol('skip');

/** Reads one row given its values by schema slot (`undefined` for an absent column); reports through `fail`. */
export type RowReader<T> = (values: readonly unknown[], fail: Fail, line: number) => T | undefined | typeof SKIP;

const BRAND_TYPES: readonly BrandType[] = ['national', 'store'];
const SCOPES: readonly DealScope[] = ['product', 'category', 'brand'];
const DEAL_KINDS: readonly DealKind[] = ['percent', 'amount', 'price', 'multibuy'];
const CONTENT_KINDS: readonly ContentKind[] = ['recipe', 'meal-plan', 'tip', 'nutrition', 'service'];

const MISSING = 'missing-value';
const CENTS = 'whole cents, 0 or more';
const A_DATE = 'yyyy-mm-dd or an ISO date-time';

/** Text of a required field, or a reported failure. */
function need(v: readonly unknown[], slot: number, field: string, fail: Fail): string | undefined {
  const t = asText(v[slot]);
  return t === undefined ? (isBlank(v[slot]) ? fail(field, MISSING, 'a value') : fail(field, 'not-text', 'a value', v[slot])) : t;
}

/** Whole cents ≥ 0 of an optional field: undefined when blank, NaN after a reported failure. */
function cents(v: readonly unknown[], slot: number, field: string, fail: Fail, what: 'price' | 'discount' | 'budget'): number | undefined {
  const x = v[slot];
  if (isBlank(x)) return undefined;
  const n = asWhole(x);
  if (Number.isNaN(n)) {
    fail(field, 'not-whole-cents', CENTS, x, { what });
    return NaN;
  }
  if (n < 0) {
    fail(field, 'negative', CENTS, x, { what });
    return NaN;
  }
  return n;
}

function oneOf<T extends string>(v: readonly unknown[], slot: number, field: string, allowed: readonly T[], fail: Fail): T | undefined {
  const t = need(v, slot, field, fail);
  if (t === undefined) return undefined;
  return (allowed as readonly string[]).includes(t) ? (t as T) : fail(field, 'unknown-choice', allowed.join(' | '), t, { field });
}

function wholeIn(v: readonly unknown[], slot: number, field: string, lo: number, hi: number, fail: Fail): number | undefined | null {
  const x = v[slot];
  if (isBlank(x)) return undefined;
  const n = asWhole(x);
  return Number.isNaN(n) || n < lo || n > hi ? (fail(field, 'not-whole-in-range', `${lo}–${hi}`, x, { lo, hi }), null) : n;
}

function productReader(): RowReader<Product> {
  return (v, fail) => {
    const id = need(v, 0, 'product_id', fail);
    if (id === undefined) return undefined;
    const name = need(v, 1, 'name', fail);
    if (name === undefined) return undefined;
    const category = need(v, 2, 'category', fail);
    if (category === undefined) return undefined;
    const brand = need(v, 3, 'brand', fail);
    if (brand === undefined) return undefined;
    const brandType = oneOf(v, 4, 'brand_type', BRAND_TYPES, fail);
    if (brandType === undefined) return undefined;
    if (isBlank(v[5])) return fail('price_cents', MISSING, CENTS);
    const priceCents = cents(v, 5, 'price_cents', fail, 'price');
    if (priceCents === undefined || Number.isNaN(priceCents)) return undefined;
    const tags = asList(v[8]);
    if (tags === undefined) return fail('tags', 'not-a-list', 'a;b;c or a JSON array of text', v[8]);
    const p: Product = { id, name, category, brand, brandType, priceCents, tags };
    const size = asText(v[6]);
    if (size !== undefined) p.size = size;
    const unit = asText(v[7]);
    if (unit !== undefined) p.unit = unit;
    return p;
  };
}

function memberReader(): RowReader<Member> {
  return (v, fail) => {
    const id = need(v, 0, 'member_id', fail);
    if (id === undefined) return undefined;
    const card = need(v, 1, 'card_code', fail);
    if (card === undefined) return undefined;
    if (!/^\d{13}$/.test(card)) return fail('card_code', 'not-ean13', '13 digits', card);
    const check = gs1CheckDigit(card.slice(0, 12));
    if (check !== card.charCodeAt(12) - 48) return fail('card_code', 'wrong-check-digit', `last digit ${check}`, card);
    if (isBlank(v[2])) return fail('consent_personalise', MISSING, 'true or false');
    const personalise = asBool(v[2]);
    if (personalise === undefined) return fail('consent_personalise', 'not-boolean', 'true or false', v[2]);
    const contact = isBlank(v[9]) ? false : asBool(v[9]);
    if (contact === undefined) return fail('consent_contact', 'not-boolean', 'true or false', v[9]);
    const m: Member = { id, cardCode: card, consent: { personalise, contact } };
    const firstName = asText(v[3]);
    if (firstName !== undefined) m.firstName = firstName;
    const birthYear = wholeIn(v, 4, 'birth_year', 1900, 2030, fail);
    if (birthYear === null) return undefined;
    if (birthYear !== undefined) m.birthYear = birthYear;
    const gender = asText(v[5]);
    if (gender !== undefined) m.gender = gender;
    const household = wholeIn(v, 6, 'household_size', 1, 20, fail);
    if (household === null) return undefined;
    if (household !== undefined) m.householdSize = household;
    const homeStore = asText(v[7]);
    if (homeStore !== undefined) m.homeStore = homeStore;
    if (!isBlank(v[8])) {
      const t = asText(v[8]) ?? '';
      const joined = asPlainDay(t);
      if (joined === undefined) return fail('joined', 'not-a-date', 'yyyy-mm-dd', v[8]);
      m.joinedDay = joined;
    }
    const email = asText(v[10]);
    if (email !== undefined) {
      if (email.length > 254 || !/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(email)) return fail('email', 'not-email', 'name@domain', v[10]);
      m.email = email;
    }
    if (!isBlank(v[11])) {
      const locale = oneOf(v, 11, 'locale', ['en', 'zh-CN'] as const, fail);
      if (locale === undefined) return undefined;
      m.locale = locale;
    }
    return m;
  };
}

function basketReader(ctx: ValidationContext): RowReader<BasketRow> {
  // Baskets seen in this file: id → slot in the parallel arrays (member, day, ctx verdict).
  const seen = new Map<string, number>();
  const members: string[] = [];
  const days: number[] = [];
  const verdicts: Array<'new' | 'same' | 'conflict'> = [];
  let lastId = '';
  let lastSlot = -1;
  // Lines of one basket share a date text: parse it once.
  let lastDateText = '';
  let lastDay = 0;
  let lastMinute: number | undefined;
  const { hasProduct, hasMember, seenBasket } = ctx;
  return (v, fail, line) => {
    const basketId = need(v, 0, 'basket_id', fail);
    if (basketId === undefined) return undefined;
    const memberId = need(v, 1, 'member_id', fail);
    if (memberId === undefined) return undefined;
    const dateText = need(v, 2, 'date', fail);
    if (dateText === undefined) return undefined;
    if (dateText !== lastDateText) {
      const d = parseDay(dateText);
      if (d === undefined) return fail('date', 'not-a-date', A_DATE, dateText);
      lastDateText = dateText;
      lastDay = d;
      lastMinute = parseMinute(dateText);
    }
    const day = lastDay;
    const minute = lastMinute;
    let slot = basketId === lastId ? lastSlot : (seen.get(basketId) ?? -1);
    if (slot < 0) {
      slot = members.length;
      seen.set(basketId, slot);
      members.push(memberId);
      days.push(day);
      verdicts.push(seenBasket ? seenBasket(basketId, memberId, day) : 'new');
    }
    lastId = basketId;
    lastSlot = slot;
    if (members[slot] !== memberId || days[slot] !== day) {
      return fail('basket_id', 'basket-reused', `member ${members[slot]} on the basket's first date`, basketId);
    }
    if (verdicts[slot] === 'conflict') return fail('basket_id', 'basket-imported-elsewhere', 'a new basket id', basketId);
    if (hasMember && !hasMember(memberId)) return fail('member_id', 'unknown-member', 'a member_id of the members feed', memberId);
    const productId = need(v, 3, 'product_id', fail);
    if (productId === undefined) return undefined;
    if (hasProduct && !hasProduct(productId)) return fail('product_id', 'unknown-product', 'a product_id of the products feed', productId);
    let qty = 1;
    const q = v[4];
    if (!isBlank(q)) {
      qty = typeof q === 'string' ? wholeNumber(q) : NaN;
      if (Number.isNaN(qty)) qty = asDecimal(q);
      if (!(qty > 0)) return fail('qty', 'not-positive-qty', 'a number above 0', q);
    }
    const unitPriceCents = cents(v, 5, 'unit_price_cents', fail, 'price');
    if (Number.isNaN(unitPriceCents)) return undefined;
    const discountCents = cents(v, 6, 'discount_cents', fail, 'discount') ?? 0;
    if (Number.isNaN(discountCents)) return undefined;
    if (verdicts[slot] === 'same') return SKIP;
    const storeId = asText(v[7]);
    return { basketId, memberId, day, minute, productId, qty, unitPriceCents, discountCents, storeId, line };
  };
}

function dealReader(ctx: ValidationContext): RowReader<Deal> {
  return (v, fail) => {
    const id = need(v, 0, 'deal_id', fail);
    if (id === undefined) return undefined;
    const scopeType = oneOf(v, 1, 'scope_type', SCOPES, fail);
    if (scopeType === undefined) return undefined;
    const scope = need(v, 2, 'scope', fail);
    if (scope === undefined) return undefined;
    if (scopeType === 'product' && ctx.hasProduct && !ctx.hasProduct(scope)) {
      return fail('scope', 'unknown-product', 'a product_id of the products feed', scope);
    }
    const kind = oneOf(v, 3, 'kind', DEAL_KINDS, fail);
    if (kind === undefined) return undefined;
    if (isBlank(v[4])) return fail('value', MISSING, 'a number');
    const value = kind === 'percent' ? asDecimal(v[4]) : asWhole(v[4]);
    const [lo, hi, words] =
      kind === 'percent' ? [0.01, 100, 'a percentage above 0, at most 100']
      : kind === 'amount' ? [1, Infinity, 'whole cents off, 1 or more']
      : kind === 'price' ? [0, Infinity, 'a price in whole cents, 0 or more']
      : [2, 1000, 'a whole N ≥ 2 (buy N, pay N-1)'];
    if (!(value >= lo && value <= hi)) return fail('value', 'bad-deal-value', words, v[4], { kind });
    const startText = need(v, 5, 'start', fail);
    if (startText === undefined) return undefined;
    const startDay = parseDay(startText);
    if (startDay === undefined) return fail('start', 'not-a-date', A_DATE, startText);
    const endText = need(v, 6, 'end', fail);
    if (endText === undefined) return undefined;
    const endDay = parseDay(endText);
    if (endDay === undefined) return fail('end', 'not-a-date', A_DATE, endText);
    if (endDay < startDay) return fail('end', 'deal-ends-before-start', `a date on or after ${startText}`, endText);
    const funder = need(v, 7, 'funder', fail);
    if (funder === undefined) return undefined;
    const deal: Deal = { id, scopeType, scope, kind, value, startDay, endDay, funder };
    const budget = cents(v, 8, 'budget_cents', fail, 'budget');
    if (Number.isNaN(budget)) return undefined;
    if (budget !== undefined) deal.budgetCents = budget;
    const limit = wholeIn(v, 9, 'per_member_limit', 1, 1_000_000, fail);
    if (limit === null) return undefined;
    if (limit !== undefined) deal.perMemberLimit = limit;
    if (!isBlank(v[10])) {
      const segments = asList(v[10]);
      if (segments === undefined) return fail('segments', 'not-a-list', 'a;b or a JSON array of text', v[10]);
      if (segments.length) deal.segments = segments;
    }
    return deal;
  };
}

function contentReader(ctx: ValidationContext): RowReader<Content> {
  return (v, fail) => {
    const id = need(v, 0, 'id', fail);
    if (id === undefined) return undefined;
    const kind = oneOf(v, 1, 'kind', CONTENT_KINDS, fail);
    if (kind === undefined) return undefined;
    const title = need(v, 2, 'title', fail);
    if (title === undefined) return undefined;
    const body = need(v, 3, 'body', fail);
    if (body === undefined) return undefined;
    if (v[4] === undefined || v[4] === null || v[4] === '') return fail('categories', MISSING, 'a list of category paths');
    const categories = asList(v[4]);
    if (categories === undefined) return fail('categories', 'not-a-list', 'a JSON array of category paths', v[4]);
    const c: Content = { id, kind, title, body, categories };
    // The Chinese of the title and body, when headquarters sends it; a surface shows the original where it is missing.
    const titleZh = asText(v[6]);
    if (titleZh !== undefined) c.titleZh = titleZh;
    const bodyZh = asText(v[7]);
    if (bodyZh !== undefined) c.bodyZh = bodyZh;
    if (!isBlank(v[5])) {
      const productIds = asList(v[5]);
      if (productIds === undefined) return fail('product_ids', 'not-a-list', 'a JSON array of product ids', v[5]);
      const unknown = ctx.hasProduct ? productIds.find((p) => !ctx.hasProduct!(p)) : undefined;
      if (unknown !== undefined) return fail('product_ids', 'unknown-product', 'product_ids of the products feed', unknown);
      c.productIds = productIds;
    }
    return c;
  };
}

/** A fresh reader for one file of a feed (baskets readers remember the file's basket ids). */
export function createRowReader<K extends FeedKind>(kind: K, ctx: ValidationContext = {}): RowReader<FeedRow<K>> {
  const readers: { [P in FeedKind]: () => RowReader<FeedRow<P>> } = {
    products: () => productReader(),
    members: () => memberReader(),
    baskets: () => basketReader(ctx),
    deals: () => dealReader(ctx),
    content: () => contentReader(ctx),
  };
  return readers[kind]() as RowReader<FeedRow<K>>;
}
