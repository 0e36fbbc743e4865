// The manager screen's reads: campaign results (treated vs holdout, from stored histories, lists and redemptions) and
// the rows an import rejected. Reads the database, calls core, returns plain data.
import type { Day } from '../core/types.ts';
import { unpackHistory } from '../core/history.ts';
import { productMap, type MemberStats } from '../core/lists/member-stats.ts';
import { DEFAULT_LIST_SETTINGS } from '../core/lists/list.ts';
import { measureCampaign, offersByDeal, type CampaignResult, type MemberBaskets } from '../core/insights/uplift.ts';
import { errorsToCsv } from '../core/feeds/index.ts';
import { allLists } from './lists.ts';
import type { LarderDB, ProductRecord, RejectRecord } from './store.ts';
import { readAllPacks } from './packs.ts';

/** Every stored campaign measured up to `today`, newest start first. */
export async function campaignResults(d: LarderDB, catalogue: readonly ProductRecord[], today: Day): Promise<CampaignResult[]> {
  const [campaigns, { histories, members }, lists, redemptions] = await Promise.all([
    d.getAll('campaigns'), readAllPacks(d), allLists(d), d.getAll('redemptions'),
  ]);
  if (!campaigns.length) return [];
  const ids = catalogue.map((p) => p?.id ?? '');
  const byId = productMap(catalogue.filter(Boolean));
  const memberById = new Map(members.map((m) => [m.id, m]));
  // Members without a stored history (new, or consent withdrawn) count too: eligible ones are non-buyers.
  const historyOf = new Map(histories.map((h) => [h.memberId, h]));
  const people: MemberBaskets[] = [...memberById.values()].map((member) => {
    const h = historyOf.get(member.id);
    return { member, baskets: h ? unpackHistory(h, ids) : [] };
  });
  const issued = offersByDeal(lists), redeemed = new Map<string, number>();
  for (const r of redemptions) redeemed.set(r.dealId, (redeemed.get(r.dealId) ?? 0) + 1);
  return campaigns
    .sort((a, b) => b.startDay - a.startDay || a.id.localeCompare(b.id))
    .map((c) => measureCampaign(c, people, byId, today, { issued: issued.get(c.id) ?? 0, redeemed: redeemed.get(c.id) ?? 0 }));
}

/** How the members with a history stand against the weekly spend a personal list needs. */
export interface SpendStanding {
  /** Members with a history. */
  members: number;
  /** Of them, those spending at least the threshold a week (over the list's weeks). */
  aboveThreshold: number;
  thresholdCentsPerWeek: number;
}

/** Count the members at or above the spend threshold (a store where none is needs a warning: nobody gets a personal
 * list, most often because the basket lines carried no prices). */
export function spendStanding(stats: readonly Pick<MemberStats, 'avgWeeklySpendCents'>[], thresholdCentsPerWeek = DEFAULT_LIST_SETTINGS.thresholdCentsPerWeek): SpendStanding {
  let above = 0;
  for (const s of stats) if (s.avgWeeklySpendCents >= thresholdCentsPerWeek) above++;
  return { members: stats.length, aboveThreshold: above, thresholdCentsPerWeek };
}

/** A rejected row as the manager screen lists it. */
export type RejectedRow = Omit<RejectRecord, 'id'>;

/** Rejected rows, of one import or all, in file order (at most `limit`). */
export async function rejectedRows(d: LarderDB, options: { importId?: string; limit?: number } = {}): Promise<RejectedRow[]> {
  const limit = options.limit ?? Infinity;
  const rows = options.importId
    ? await d.getAllFromIndex('rejects', 'by-import', options.importId, Number.isFinite(limit) ? limit : undefined)
    : await d.getAll('rejects', undefined, Number.isFinite(limit) ? limit : undefined);
  return rows.map(({ id: _id, ...row }) => row);
}

/** The rejected rows as CSV (file, line, field, message, expected, value), for IT to fix the feed. */
export async function rejectedRowsCsv(d: LarderDB, importId?: string): Promise<string> {
  return errorsToCsv(await rejectedRows(d, importId ? { importId } : {}), (r) => r.message);
}
