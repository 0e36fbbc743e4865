// A transaction export (one row per line bought: customer, date, product, and maybe basket, quantity, amount) turned
// into Larder's five feeds, with placeholder members and products for the ids it names. Pure: rows in, feeds out.
import { formatDay, parseDay, parseMinute } from '../core/dates.ts';
import { toEan13 } from '../core/ean.ts';
import type { Day } from '../core/types.ts';

/** How dates that are basket positions (0, 1, 2, … per customer) become days: each member's first basket on `day`
 * (`from: 'start'`) or each member's last basket on `day` (`from: 'end'`), one basket every `everyDays`. */
export interface PositionDates {
  from: 'start' | 'end';
  day: Day;
  everyDays: number;
}

/** How to read the export's values. */
export interface TransactionOptions {
  /** `amount` is the line's total in currency units (3.86) or in cents (386). */
  amountUnit: 'units' | 'cents';
  positions?: PositionDates;
  /** Shelf price of a placeholder product no line gives a price for. */
  defaultPriceCents: number;
  /** consent_personalise of every placeholder member. */
  consent: boolean;
}

/** One row of the export, by role; absent optional columns are undefined. */
export interface TransactionRow {
  customer: string;
  date: string;
  product: string;
  basket?: string;
  qty?: string;
  amount?: string;
}

/** Why a row of the export was left out. */
export type SkipReason = 'no-customer' | 'no-product' | 'not-a-date' | 'date-is-a-position' | 'not-a-position' | 'bad-qty' | 'bad-amount';

/** What the conversion made and left out. */
export interface ConvertSummary {
  rows: number;
  lines: number;
  baskets: number;
  members: number;
  products: number;
  /** Products whose shelf price is the median unit price of their lines. */
  pricedFromAmounts: number;
  /** Products at `defaultPriceCents` (no line of theirs carried an amount). */
  pricedByDefault: number;
  /** Lines written without `unit_price_cents` (the import prices them at the shelf price). */
  linesWithoutPrice: number;
  firstDay?: string;
  lastDay?: string;
  /** Rows left out, by reason, with the first line (of the export) of each. */
  skipped: Partial<Record<SkipReason, { count: number; firstLine: number; value: string }>>;
}

/** The feed files' rows, ready to write. */
export interface ConvertedFeeds {
  products: string[][];
  members: string[][];
  baskets: string[][];
  summary: ConvertSummary;
}

/** Header rows of the written feeds (the columns of docs/feeds.md). */
export const FEED_HEADERS = {
  products: ['product_id', 'name', 'category', 'brand', 'brand_type', 'price_cents'],
  members: ['member_id', 'card_code', 'consent_personalise'],
  baskets: ['basket_id', 'member_id', 'date', 'product_id', 'qty', 'unit_price_cents'],
} as const;

/** Placeholder card codes: in-store EAN-13 prefix 29, then a serial. */
export const cardCodeOf = (serial: number): string => toEan13(`29${String(serial).padStart(10, '0')}`);

const POSITION = /^\d+$/;

/** Collects an export's rows (in file order) and builds the feeds at the end. */
export class TransactionConverter {
  private readonly memberIdx = new Map<string, number>();
  private readonly memberIds: string[] = [];
  private readonly productIdx = new Map<string, number>();
  private readonly productIds: string[] = [];
  private readonly unitPrices: number[][] = [];
  /** Basket key → basket slot; per slot: member, time (day or position), minute, the basket id as exported. */
  private readonly basketIdx = new Map<string, number>();
  private readonly basketMember: number[] = [];
  private readonly basketTime: number[] = [];
  private readonly basketMinute: (number | undefined)[] = [];
  private readonly basketName: string[] = [];
  private readonly lines: { basket: number; product: number; qty: string; priceCents?: number }[] = [];
  private readonly skipped: ConvertSummary['skipped'] = {};
  private rows = 0;

  constructor(private readonly options: TransactionOptions) {}

  private skip(reason: SkipReason, line: number, value: string): void {
    const s = (this.skipped[reason] ??= { count: 0, firstLine: line, value });
    s.count++;
  }

  /** Take one row (`line`: its physical line in the export, for the summary). */
  add(row: TransactionRow, line: number): void {
    this.rows++;
    const customer = row.customer.trim();
    if (!customer) return this.skip('no-customer', line, row.customer);
    const product = row.product.trim();
    if (!product) return this.skip('no-product', line, row.product);
    const dateText = row.date.trim();
    let time: number | undefined;
    if (this.options.positions) {
      if (!POSITION.test(dateText)) return this.skip('not-a-position', line, dateText);
      time = Number(dateText);
    } else if (POSITION.test(dateText)) return this.skip('date-is-a-position', line, dateText);
    else if ((time = parseDay(dateText)) === undefined) return this.skip('not-a-date', line, dateText);
    let qty = '1';
    if (row.qty !== undefined && row.qty.trim() !== '') {
      qty = row.qty.trim();
      if (!(Number(qty) > 0)) return this.skip('bad-qty', line, row.qty);
    }
    let priceCents: number | undefined;
    if (row.amount !== undefined && row.amount.trim() !== '') {
      const amount = Number(row.amount.trim());
      if (!(amount >= 0)) return this.skip('bad-amount', line, row.amount);
      priceCents = Math.round((this.options.amountUnit === 'units' ? amount * 100 : amount) / Number(qty));
    }
    let m = this.memberIdx.get(customer);
    if (m === undefined) {
      this.memberIdx.set(customer, (m = this.memberIds.length));
      this.memberIds.push(customer);
    }
    let p = this.productIdx.get(product);
    if (p === undefined) {
      this.productIdx.set(product, (p = this.productIds.length));
      this.productIds.push(product);
      this.unitPrices.push([]);
    }
    if (priceCents !== undefined && priceCents > 0) this.unitPrices[p]!.push(priceCents);
    // A basket is the export's basket id for this customer and date, or the customer's visit on that date.
    const basket = row.basket?.trim() || `${customer}-${dateText}`;
    const key = `${basket}\u0000${m}\u0000${time}`;
    let b = this.basketIdx.get(key);
    if (b === undefined) {
      this.basketIdx.set(key, (b = this.basketMember.length));
      this.basketMember.push(m);
      this.basketTime.push(time);
      this.basketMinute.push(this.options.positions ? undefined : parseMinute(dateText));
      this.basketName.push(basket);
    }
    this.lines.push({ basket: b, product: p, qty, ...(priceCents === undefined ? {} : { priceCents }) });
  }

  /** The feeds: baskets in date order with each basket's lines together (the import commits a basket whole). */
  finish(): ConvertedFeeds {
    const day = this.basketDays();
    const order = Array.from(day.keys()).sort((a, b) => day[a]! - day[b]! || a - b);
    const byBasket: number[][] = day.map(() => []);
    this.lines.forEach((l, i) => byBasket[l.basket]!.push(i));
    // A basket id the export reuses for another customer or date gets a suffix: feed basket ids are unique.
    const used = new Map<string, number>();
    const ids = this.basketName.map((name) => {
      const n = used.get(name) ?? 0;
      used.set(name, n + 1);
      return n === 0 ? name : `${name}~${n}`;
    });
    const baskets: string[][] = [];
    let linesWithoutPrice = 0;
    for (const b of order) {
      const minute = this.basketMinute[b];
      const date = minute === undefined ? formatDay(day[b]!) : `${formatDay(day[b]!)}T${hhmm(minute)}`;
      for (const i of byBasket[b]!) {
        const l = this.lines[i]!;
        if (l.priceCents === undefined) linesWithoutPrice++;
        baskets.push([ids[b]!, this.memberIds[this.basketMember[b]!]!, date, this.productIds[l.product]!, l.qty, l.priceCents === undefined ? '' : String(l.priceCents)]);
      }
    }
    let pricedFromAmounts = 0;
    const products = this.productIds.map((id, p) => {
      const prices = this.unitPrices[p]!;
      if (prices.length) pricedFromAmounts++;
      const price = prices.length ? median(prices) : this.options.defaultPriceCents;
      return [id, `Product ${id}`, 'uncategorised', 'unknown', 'national', String(price)];
    });
    const members = this.memberIds.map((id, m) => [id, cardCodeOf(m + 1), String(this.options.consent)]);
    const days = order.map((b) => day[b]!);
    return {
      products, members, baskets,
      summary: {
        rows: this.rows, lines: this.lines.length, baskets: order.length, members: members.length, products: products.length,
        pricedFromAmounts, pricedByDefault: products.length - pricedFromAmounts, linesWithoutPrice,
        ...(days.length ? { firstDay: formatDay(days[0]!), lastDay: formatDay(days[days.length - 1]!) } : {}),
        skipped: this.skipped,
      },
    };
  }

  /** Each basket's day: its date, or its position turned into a day. */
  private basketDays(): number[] {
    const pos = this.options.positions;
    if (!pos) return this.basketTime;
    const last = new Array<number>(this.memberIds.length).fill(0);
    this.basketTime.forEach((t, b) => { if (t > last[this.basketMember[b]!]!) last[this.basketMember[b]!] = t; });
    return this.basketTime.map((t, b) => (pos.from === 'start' ? pos.day + t * pos.everyDays : pos.day - (last[this.basketMember[b]!]! - t) * pos.everyDays));
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** One CSV line (RFC 4180 quoting where needed). */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\n\r]/.test(f) || f !== f.trim() ? `"${f.replaceAll('"', '""')}"` : f)).join(',');
}
