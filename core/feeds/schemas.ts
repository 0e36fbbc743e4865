// The feed contracts of DESIGN.md ("Contracts"): which columns each feed has, which are required, and file naming.
import type { Content, Deal, Member, Product } from '../types.ts';
import type { BasketRow } from './baskets.ts';
import type { RowErrorCode, RowErrorParams } from './row-errors.ts';

/** The five feeds headquarters sends. */
export type FeedKind = 'products' | 'members' | 'baskets' | 'deals' | 'content';

/** How a feed file is encoded. */
export type FeedFormat = 'csv' | 'ndjson' | 'json';

/** One rejected row (or a file-level problem, then on line 1 or the line where it showed). `expected` stays English: it is
 * the feed contract's wording for whoever fixes the file (the CLI and the CSV print it; the kiosk does not). */
export interface RowError {
  file: string;
  /** Physical line of the file, 1 = the header of a CSV. */
  line: number;
  /** Column (key) at fault, when one is. */
  field?: string;
  /** Why, as a code; its words come from i18n/ (`rowErrorText`). */
  code: RowErrorCode;
  params?: RowErrorParams;
  /** What the field should have held, in words. */
  expected?: string;
  /** The offending text, cut to 80 characters. */
  value?: string;
}

/** The value each feed's rows become. */
export interface FeedRowMap {
  products: Product;
  members: Member;
  baskets: BasketRow;
  deals: Deal;
  content: Content;
}

/** The row type of a feed kind. */
export type FeedRow<K extends FeedKind> = FeedRowMap[K];

/** A feed's columns, required ones first; `x_` columns are always allowed and ignored. */
export interface FeedSchema {
  columns: readonly string[];
  /** How many of `columns` (from the start) are required. */
  required: number;
}

/** Column lists per feed, in the order of DESIGN.md. */
export const SCHEMAS: Readonly<Record<FeedKind, FeedSchema>> = {
  products: { columns: ['product_id', 'name', 'category', 'brand', 'brand_type', 'price_cents', 'size', 'unit', 'tags'], required: 6 },
  members: {
    columns: ['member_id', 'card_code', 'consent_personalise', 'first_name', 'birth_year', 'gender', 'household_size', 'home_store', 'joined', 'consent_contact', 'email', 'locale'],
    required: 3,
  },
  baskets: { columns: ['basket_id', 'member_id', 'date', 'product_id', 'qty', 'unit_price_cents', 'discount_cents', 'store_id'], required: 4 },
  deals: {
    columns: ['deal_id', 'scope_type', 'scope', 'kind', 'value', 'start', 'end', 'funder', 'budget_cents', 'per_member_limit', 'segments'],
    required: 8,
  },
  content: { columns: ['id', 'kind', 'title', 'body', 'categories', 'product_ids', 'title_zh', 'body_zh'], required: 5 },
};

/** Every feed kind, in the order a cross-checking import reads them (ids before the rows that refer to them). */
export const FEED_KINDS: readonly FeedKind[] = ['products', 'members', 'deals', 'content', 'baskets'];

/** The kind and format of a feed file from its name (`products*.csv`, `baskets-2025.ndjson.gz`, `content.json`), or undefined. */
export function feedFromName(fileName: string): { kind: FeedKind; format: FeedFormat } | undefined {
  const base = (fileName.split(/[\\/]/).pop() ?? '').toLowerCase().replace(/\.gz$/, '');
  const m = /\.(csv|ndjson|jsonl|json)$/.exec(base);
  if (!m) return undefined;
  const format: FeedFormat = m[1] === 'csv' ? 'csv' : m[1] === 'json' ? 'json' : 'ndjson';
  const kind = FEED_KINDS.find((k) => base.startsWith(k));
  return kind ? { kind, format } : undefined;
}
