// The manufacturer report across all stores: core/insights/report.ts over the member database, cells under k hidden.
import { manufacturerReport, type ManufacturerReport, type ReportFact } from '../core/insights/report.ts';
import { segmentOf, tertileCuts } from '../core/lists/segments.ts';
import type { Day } from '../core/types.ts';
import type { Queryable } from './db/db.ts';

/** Later than any basket: no as-of day given. */
const MAX_DAY = 2 ** 31 - 1;

/** The report for one funder: the categories its deals cover (by product, category or brand), every member who
 * bought there up to the as-of day (in one store: its members and those with no home store, as its devices hold
 * them), by segment; redemptions of the funder's deals counted from the ledger. */
export async function funderReport(q: Queryable, funder: string, scope: { k?: number; storeId?: string; asOfDay?: Day } = {}): Promise<ManufacturerReport> {
  const { k = 10, storeId, asOfDay } = scope;
  const categories = (await q.query<{ category: string }>(`
    SELECT DISTINCT p.category FROM deals d JOIN products p ON
      (d.data->>'scopeType' = 'product' AND p.product_id = d.data->>'scope')
      OR (d.data->>'scopeType' = 'category' AND (p.category = d.data->>'scope' OR p.category LIKE (d.data->>'scope') || '/%'))
      OR (d.data->>'scopeType' = 'brand' AND p.brand = d.data->>'scope')
    WHERE d.funder = $1 ORDER BY 1`, [funder])).map((r) => r.category);
  if (!categories.length) return manufacturerReport([], { k, categories: [] });
  const volumes = await q.query<{ member_id: string; category: string; units: number; spend: number; national: number; store: number }>(`
    SELECT b.member_id, p.category, sum(l.qty)::int AS units,
           sum(greatest(0, l.qty * coalesce(l.unit_price_cents, (p.data->>'priceCents')::int) - l.discount_cents))::bigint AS spend,
           sum(CASE WHEN p.brand_type = 'national' THEN l.qty ELSE 0 END)::int AS national,
           sum(CASE WHEN p.brand_type = 'store' THEN l.qty ELSE 0 END)::int AS store
      FROM basket_lines l JOIN baskets b USING (basket_id) JOIN products p USING (product_id)
     WHERE p.category = ANY($1::text[]) AND b.day <= $2
       ${storeId === undefined ? '' : 'AND b.member_id IN (SELECT member_id FROM members WHERE home_store = $3 OR home_store IS NULL)'}
     GROUP BY b.member_id, p.category`, [categories, asOfDay ?? MAX_DAY, ...(storeId === undefined ? [] : [storeId])]);
  const redeemed = await q.query<{ member_id: string; category: string; n: number }>(`
    SELECT r.member_id, p.category, count(*)::int AS n FROM redemptions r
      JOIN deals d ON d.deal_id = r.deal_id
      JOIN products p ON p.product_id = split_part(r.offer_id, ':', 3)
     WHERE d.funder = $1 AND r.reverted_at IS NULL ${storeId === undefined ? '' : 'AND r.store_id = $2'} GROUP BY 1, 2`, storeId === undefined ? [funder] : [funder, storeId]);
  const redeemedOf = new Map(redeemed.map((r) => [`${r.member_id}|${r.category}`, Number(r.n)]));
  const byCategory = new Map<string, number[]>();
  for (const v of volumes) {
    let list = byCategory.get(v.category);
    if (!list) byCategory.set(v.category, (list = []));
    if (v.units > 0) list.push(v.units);
  }
  const cuts = new Map([...byCategory].map(([c, vols]) => [c, tertileCuts(vols)]));
  const facts: ReportFact[] = [];
  for (const v of volumes) {
    const segment = segmentOf({ units: v.units, spendCents: Number(v.spend), nationalUnits: v.national, storeUnits: v.store }, cuts.get(v.category)!);
    if (!segment) continue;
    facts.push({
      memberId: v.member_id, category: v.category, segment, units: v.units, spendCents: Number(v.spend),
      offersIssued: 0, offersRedeemed: redeemedOf.get(`${v.member_id}|${v.category}`) ?? 0,
    });
  }
  return manufacturerReport(facts, { k, categories });
}
