// The manager screen's campaign results from headquarters: an enrolled kiosk that syncs from it asks for its own store's report
// (`GET /v1/reports/campaigns?store=…&as_of=…`, protocol/campaign-report.ts), measured over every member and till of
// the store, and adds what only this device knows: the offers on its own lists (a device's lists stay on it) and its
// redemptions not yet sent. Unreachable or refused: the caller measures on the device's own data instead.
import { formatDay } from '../core/dates.ts';
import { offersByDeal, type CampaignResult } from '../core/insights/uplift.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { Day } from '../core/types.ts';
import { parseCampaignReport } from '../protocol/campaign-report.ts';
import { allLists } from './lists.ts';
import { getMeta } from './meta.ts';
import { getAtHq } from './hq-link.ts';
import type { LarderDB } from './store.ts';

/** Why the report came from the device instead. */
export type CampaignReportError = 'not-enrolled' | 'not-synced' | 'unreachable' | 'refused' | 'bad-report';

/** Where the manager screen's campaign results were measured. */
export interface CampaignReport {
  source: 'headquarters' | 'device';
  results: CampaignResult[];
  /** Why not from headquarters (absent when from there, or on a device never enrolled). */
  fallback?: Exclude<CampaignReportError, 'not-enrolled' | 'not-synced'>;
}

/** Offers on this device's own lists, and its redemptions headquarters has not received yet, by deal. */
export async function deviceOfferCounts(d: LarderDB): Promise<{ issued: Map<string, number>; unsent: Map<string, number> }> {
  const [lists, queued] = await Promise.all([allLists(d), d.getAllFromIndex('outbox', 'by-synced', 0)]);
  const waiting = new Map<string, number>();
  // Waiting in the outbox, not refused for good (a conflict is another till's redemption, counted at headquarters).
  for (const r of queued) {
    const dealId = (r.payload as { dealId?: unknown }).dealId;
    if (r.kind === 'redemption' && !r.conflict && typeof dealId === 'string') waiting.set(dealId, (waiting.get(dealId) ?? 0) + 1);
  }
  return { issued: offersByDeal(lists), unsent: waiting };
}

/** The enrolled store's campaign results from headquarters as of `day`, with this device's own offers added. */
export async function campaignsFromHeadquarters(d: LarderDB, doFetch: typeof fetch, day: Day): Promise<Result<CampaignResult[], CampaignReportError>> {
  const link = await getMeta(d, 'hq:link');
  if (!link) return err('not-enrolled', 'this device is not enrolled at headquarters');
  // Headquarters measures what it holds: a device fed from files (the manager's import) measures its own data.
  if (!(await getMeta(d, 'hq:cursor')) && !(await getMeta(d, 'hq:packsCursor'))) return err('not-synced', 'this device has not synced from headquarters');
  const answer = await getAtHq(doFetch, link, `/v1/reports/campaigns?store=${encodeURIComponent(link.storeId)}&as_of=${formatDay(day)}`, { accept: 'application/json' });
  if (!answer.ok) return err('unreachable', answer.detail);
  const res = answer.value;
  if (res.status >= 500) return err('unreachable', `HTTP ${res.status} for the campaign report`);
  if (!res.ok) return err('refused', `HTTP ${res.status} for the campaign report`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return err('bad-report', 'the campaign report is not JSON');
  }
  const parsed = parseCampaignReport(body);
  if (!parsed.ok) return err('bad-report', parsed.detail);
  if (parsed.value.storeId !== link.storeId) return err('bad-report', `headquarters sent store ${parsed.value.storeId ?? '(chain)'}'s report for ${link.storeId}`);
  const mine = await deviceOfferCounts(d);
  return ok(parsed.value.campaigns.map((c) => ({
    ...c,
    offersIssued: c.offersIssued + (mine.issued.get(c.campaignId) ?? 0),
    offersRedeemed: c.offersRedeemed + (mine.unsent.get(c.campaignId) ?? 0),
  })));
}

/** The manager screen's campaign results: from headquarters when this device is enrolled and it answers, else
 * `measureHere()` over the device's own data, saying why. */
export async function campaignReport(d: LarderDB, doFetch: typeof fetch, day: Day, measureHere: () => Promise<CampaignResult[]>): Promise<CampaignReport> {
  const remote = await campaignsFromHeadquarters(d, doFetch, day);
  if (remote.ok) return { source: 'headquarters', results: remote.value };
  // Not enrolled, or fed from files: the device's own data is the answer, nothing went wrong.
  if (remote.error === 'not-enrolled' || remote.error === 'not-synced') return { source: 'device', results: await measureHere() };
  console.warn(`campaign results from this device: ${remote.error} ${remote.detail ?? ''}`);
  return { source: 'device', results: await measureHere(), fallback: remote.error };
}
