// Campaign uplift over the member database: for every campaign, treated vs holdout members of its target segments,
// over the whole chain or one store. The database sums each member's units per category before the campaign and in
// its window (one aggregate query per campaign); core decides segments, groups, intervals and k-suppression
// (core/insights/uplift.ts), the same functions a kiosk's manager screen runs over its own store's histories.
import { gunzipSync } from 'node:zlib';
import type { Campaign, Day, ShoppingList } from '../core/types.ts';
import type { CategoryVolume } from '../core/lists/member-stats.ts';
import { campaignResult, categoryAncestors, measuredWindow, offersByDeal, outcomesFromVolumes, UPLIFT_MIN_CELL, type CampaignResult, type CampaignVolumes } from '../core/insights/uplift.ts';
import type { Queryable } from './db/db.ts';

/** Which members and campaigns: one store's (its members and those with no home store, as its devices hold them), or
 * the chain's; one funder's campaigns, or all. */
export interface CampaignScope {
  storeId?: string;
  funder?: string;
  /** The last day with baskets (a window ends there at the latest). */
  lastDataDay: Day;
  k?: number;
}

const data = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** Every campaign in scope measured, newest start first. */
export async function campaignReport(q: Queryable, scope: CampaignScope): Promise<CampaignResult[]> {
  const k = scope.k ?? UPLIFT_MIN_CELL;
  const campaigns = (await q.query<{ data: unknown }>('SELECT data FROM campaigns ORDER BY campaign_id'))
    .map((r) => data<Campaign>(r.data))
    .filter((c) => scope.funder === undefined || c.funder === scope.funder)
    .sort((a, b) => b.startDay - a.startDay || a.id.localeCompare(b.id));
  const [issued, redeemed] = await Promise.all([issuedOffers(q, campaigns, scope.storeId), redeemedOffers(q, scope.storeId)]);
  const out: CampaignResult[] = [];
  for (const c of campaigns) {
    const window = measuredWindow(c, scope.lastDataDay);
    const volumes = window ? await campaignVolumes(q, c, window, scope.storeId) : [];
    out.push(campaignResult(c, window, outcomesFromVolumes(c, volumes), { issued: issued.get(c.id) ?? 0, redeemed: redeemed.get(c.id) ?? 0 }, k));
  }
  return out;
}

/** Each member's units per category before the campaign (its category, those under and above it) and in its window. */
async function campaignVolumes(q: Queryable, c: Campaign, window: { fromDay: Day; untilDay: Day }, storeId: string | undefined): Promise<CampaignVolumes[]> {
  const params: unknown[] = [c.category, categoryAncestors(c.category), c.startDay, window.fromDay, window.untilDay];
  const inStore = storeId === undefined ? '' : `AND b.member_id IN (SELECT member_id FROM members WHERE home_store = $6 OR home_store IS NULL)`;
  if (storeId !== undefined) params.push(storeId);
  const rows = await q.query<{ member_id: string; category: string; units: number; national: number; in_window: number }>(`
    SELECT b.member_id, p.category,
           coalesce(sum(l.qty) FILTER (WHERE b.day < $3), 0)::float8 AS units,
           coalesce(sum(l.qty) FILTER (WHERE b.day < $3 AND p.brand_type = 'national'), 0)::float8 AS national,
           coalesce(sum(l.qty) FILTER (WHERE b.day BETWEEN $4 AND $5 AND (p.category = $1 OR p.category LIKE $1 || '/%')), 0)::float8 AS in_window
      FROM basket_lines l JOIN baskets b USING (basket_id) JOIN products p USING (product_id)
     WHERE (p.category = $1 OR p.category LIKE $1 || '/%' OR p.category = ANY($2::text[])) ${inStore}
     GROUP BY b.member_id, p.category
     ORDER BY b.member_id, p.category`, params);
  const byMember = new Map<string, { before: Map<string, CategoryVolume>; windowUnits: number }>();
  for (const r of rows) {
    let m = byMember.get(r.member_id);
    if (!m) byMember.set(r.member_id, (m = { before: new Map(), windowUnits: 0 }));
    const units = Number(r.units), national = Number(r.national);
    // Only what was bought before the start makes a segment (memberStats keeps a category once a unit is bought).
    if (units > 0) m.before.set(r.category, { units, spendCents: 0, nationalUnits: national, storeUnits: units - national });
    m.windowUnits += Number(r.in_window);
  }
  return [...byMember].map(([memberId, m]) => ({ memberId, ...m }));
}

/** Redemptions in headquarters' ledger by deal (a campaign's offers carry its id as their deal), in scope. */
async function redeemedOffers(q: Queryable, storeId: string | undefined): Promise<Map<string, number>> {
  const rows = await q.query<{ deal_id: string; n: number }>(`SELECT deal_id, count(*)::int AS n FROM redemptions WHERE reverted_at IS NULL ${storeId === undefined ? '' : 'AND store_id = $1'} GROUP BY deal_id`,
    storeId === undefined ? [] : [storeId]);
  return new Map(rows.map((r) => [r.deal_id, Number(r.n)]));
}

/** Offers of each campaign on the lists headquarters made (the batch) during that campaign, in scope: one pass over
 * the lists of every campaign's days, counted by deal (core offersByDeal) and kept for the campaigns whose dates hold
 * the list's day. (A device's own lists are not sent to headquarters: a kiosk counts those itself.) */
async function issuedOffers(q: Queryable, campaigns: readonly Campaign[], storeId: string | undefined): Promise<Map<string, number>> {
  const issued = new Map<string, number>();
  if (campaigns.length === 0) return issued;
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const from = Math.min(...campaigns.map((c) => c.startDay));
  const until = Math.max(...campaigns.map((c) => c.endDay));
  // Page by (day, member): a chain's lists never sit in memory at once.
  let after: [number, string] = [-1, ''];
  for (;;) {
    const page = await q.query<{ as_of_day: number; member_id: string; list: Uint8Array }>(`
      SELECT as_of_day, member_id, list FROM batch_lists
       WHERE as_of_day BETWEEN $1 AND $2 AND (as_of_day, member_id) > ($3, $4) ${storeId === undefined ? '' : 'AND store_id = $5'}
       ORDER BY as_of_day, member_id LIMIT 1000`, [from, until, after[0], after[1], ...(storeId === undefined ? [] : [storeId])]);
    for (const r of page) {
      const day = Number(r.as_of_day);
      const list = JSON.parse(gunzipSync(r.list).toString('utf8')) as ShoppingList;
      for (const [deal, n] of offersByDeal([list])) {
        const c = byId.get(deal);
        if (c && day >= c.startDay && day <= c.endDay) issued.set(deal, (issued.get(deal) ?? 0) + n);
      }
    }
    if (page.length < 1000) break;
    const last = page[page.length - 1]!;
    after = [Number(last.as_of_day), last.member_id];
  }
  return issued;
}
