// The feed files devices import (worker/hq-feed.ts), generated from the database: NDJSON with the feed columns of
// DESIGN.md, each store's devices getting that store's members and their baskets only.
import { formatDay } from '../core/dates.ts';
import type { Content, Deal, Member, Product } from '../core/types.ts';
import type { FeedKind } from '../core/feeds/schemas.ts';
import type { Queryable } from './db/db.ts';

/** The file name a kind is served under. */
export const FEED_FILE: Readonly<Record<FeedKind, string>> = {
  products: 'products.ndjson', members: 'members.ndjson', deals: 'deals.ndjson', content: 'content.ndjson', baskets: 'baskets.ndjson',
};

const data = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A product as a feed row. */
export const productRow = (p: Product) => defined({
  product_id: p.id, name: p.name, category: p.category, brand: p.brand, brand_type: p.brandType, price_cents: p.priceCents, size: p.size, unit: p.unit, tags: p.tags,
});

/** A member as a feed row (what a device of the member's store holds). */
export const memberRow = (m: Member) => defined({
  member_id: m.id, card_code: m.cardCode, consent_personalise: m.consent.personalise, consent_contact: m.consent.contact, first_name: m.firstName,
  birth_year: m.birthYear, gender: m.gender, household_size: m.householdSize, home_store: m.homeStore, joined: m.joinedDay === undefined ? undefined : formatDay(m.joinedDay),
});

/** A deal as a feed row. */
export const dealRow = (d: Deal) => defined({
  deal_id: d.id, scope_type: d.scopeType, scope: d.scope, kind: d.kind, value: d.value, start: formatDay(d.startDay), end: formatDay(d.endDay), funder: d.funder,
  budget_cents: d.budgetCents, per_member_limit: d.perMemberLimit, segments: d.segments,
});

/** Content as a feed row. */
export const contentRow = (c: Content) => defined({
  id: c.id, kind: c.kind, title: c.title, body: c.body, categories: c.categories, product_ids: c.productIds, title_zh: c.titleZh, body_zh: c.bodyZh,
});

/** Members a store's devices hold: those of the store, and those with no home store. */
const STORE_MEMBERS = 'SELECT member_id FROM members WHERE home_store = $1 OR home_store IS NULL';

/** The text of one kind's file for one store, in pieces: the baskets a page of members at a time (a store's two years
 * of baskets never sit in memory at once), every other kind whole. Every piece ends with a line break. */
export async function* feedFileChunks(q: Queryable, kind: FeedKind, storeId: string, membersPerPage = 500): AsyncGenerator<string> {
  if (kind === 'baskets') {
    yield* basketChunks(q, storeId, membersPerPage);
    return;
  }
  const lines: string[] = [];
  const rows = async (sql: string, params: unknown[] = []) => (await q.query<{ data: unknown }>(sql, params)).map((r) => data(r.data));
  if (kind === 'products') for (const p of await rows('SELECT data FROM products ORDER BY product_id')) lines.push(JSON.stringify(productRow(p as Product)));
  if (kind === 'members') for (const m of await rows(`SELECT data FROM members WHERE member_id IN (${STORE_MEMBERS}) ORDER BY member_id`, [storeId])) lines.push(JSON.stringify(memberRow(m as Member)));
  if (kind === 'deals') for (const d of await rows('SELECT data FROM deals ORDER BY deal_id')) lines.push(JSON.stringify(dealRow(d as Deal)));
  if (kind === 'content') for (const c of await rows('SELECT data FROM content ORDER BY content_id')) lines.push(JSON.stringify(contentRow(c as Content)));
  if (lines.length) yield `${lines.join('\n')}\n`;
}

/** One basket line as its NDJSON feed row, made by the database (DESIGN.md's basket columns; no nulls). Made there,
 * a page of rows comes back as one text instead of a row object a line: the demo's S01 file, 3.6 s a page of 500
 * members on PGlite instead of 5.9 s. */
const BASKET_LINE = `json_strip_nulls(json_build_object('basket_id', b.basket_id, 'member_id', b.member_id,
  'date', to_char(date '1970-01-01' + b.day, 'YYYY-MM-DD')
    || CASE WHEN b.minute IS NULL THEN '' ELSE 'T' || lpad((b.minute / 60)::text, 2, '0') || ':' || lpad((b.minute % 60)::text, 2, '0') END,
  'product_id', l.product_id, 'qty', l.qty, 'unit_price_cents', l.unit_price_cents, 'discount_cents', l.discount_cents, 'store_id', b.store_id))::text`;

/** The baskets of a store's members, member by member (keyset pages by member id), each basket's lines together. */
async function* basketChunks(q: Queryable, storeId: string, membersPerPage: number): AsyncGenerator<string> {
  let after = '';
  for (;;) {
    const page = await q.query<{ member_id: string }>(
      'SELECT member_id FROM members WHERE (home_store = $1 OR home_store IS NULL) AND member_id > $2 ORDER BY member_id LIMIT $3', [storeId, after, membersPerPage]);
    if (!page.length) return;
    after = page.at(-1)!.member_id;
    const [rows] = await q.query<{ text: string | null }>(
      `SELECT string_agg(${BASKET_LINE}, E'\\n' ORDER BY b.member_id, b.day, b.basket_id, l.product_id) AS text
         FROM baskets b JOIN basket_lines l USING (basket_id) WHERE b.member_id = ANY($1::text[])`, [page.map((m) => m.member_id)]);
    if (rows?.text) yield `${rows.text}\n`;
  }
}

/** Whether a store's file of this kind has any row (an empty body is no feed file to a device). */
export async function feedFileHasRows(q: Queryable, kind: FeedKind, storeId: string): Promise<boolean> {
  const sql: Record<FeedKind, string> = {
    products: 'SELECT 1 FROM products LIMIT 1',
    members: `SELECT 1 FROM members WHERE home_store = $1 OR home_store IS NULL LIMIT 1`,
    deals: 'SELECT 1 FROM deals LIMIT 1',
    content: 'SELECT 1 FROM content LIMIT 1',
    baskets: `SELECT 1 FROM baskets b WHERE b.member_id IN (${STORE_MEMBERS}) AND EXISTS (SELECT 1 FROM basket_lines l WHERE l.basket_id = b.basket_id) LIMIT 1`,
  };
  return (await q.query(sql[kind], sql[kind].includes('$1') ? [storeId] : [])).length > 0;
}
