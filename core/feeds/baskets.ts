// Basket feed rows (one per line item) and their grouping into baskets.
import type { Basket, Day } from '../types.ts';
import type { RowError } from './schemas.ts';

/** One validated line of the baskets feed. */
export interface BasketRow {
  basketId: string;
  memberId: string;
  day: Day;
  /** Minute of the day when the date carried a time. */
  minute?: number;
  productId: string;
  qty: number;
  unitPriceCents?: number;
  discountCents: number;
  storeId?: string;
  /** Physical line in the source file, when known, for error reports. */
  line?: number;
}

/** Options for grouping: the file name for errors and the shelf price for lines that carry none. */
export interface GroupOptions {
  file?: string;
  priceOf?(productId: string): number | undefined;
}

/** Baskets from basket rows in order of first appearance; a row whose member or day differs from its basket's first row is an error. */
export function groupBaskets(rows: readonly BasketRow[], options: GroupOptions = {}): { baskets: Basket[]; errors: RowError[] } {
  const byId = new Map<string, Basket>();
  const errors: RowError[] = [];
  const file = options.file ?? '';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    let b = byId.get(r.basketId);
    if (!b) {
      b = { id: r.basketId, memberId: r.memberId, day: r.day, lines: [] };
      if (r.storeId !== undefined) b.storeId = r.storeId;
      if (r.minute !== undefined) b.minute = r.minute;
      byId.set(r.basketId, b);
    } else if (b.memberId !== r.memberId || b.day !== r.day) {
      const field = b.memberId !== r.memberId ? 'member_id' : 'date';
      errors.push({
        file, line: r.line ?? i + 2, field, value: r.basketId,
        code: 'basket-belongs-elsewhere', params: { basket: r.basketId, owner: field === 'member_id' ? 'member' : 'date' },
        expected: field === 'member_id' ? `member ${b.memberId}` : 'the basket\'s first date',
      });
      continue;
    }
    b.lines.push({
      productId: r.productId, qty: r.qty, discountCents: r.discountCents,
      unitPriceCents: r.unitPriceCents ?? options.priceOf?.(r.productId) ?? 0,
    });
  }
  return { baskets: [...byId.values()], errors };
}
