// Campaigns: segment targeting, an offer per usage tier, timing matched to the member's predicted repurchase, and a
// deterministic random holdout (hash of member id + campaign id) so uplift is measured against a control group.
import type { Campaign, Day, Product, SegmentKey } from '../types.ts';
import { err, ok, type Result } from '../result.ts';
import { hashString } from '../random.ts';
import { splitSegment } from './segments.ts';
import { checkCampaignRule, type CampaignRule, type RuleRefusal } from './fairness.ts';

/** Days before the due day a campaign offer opens. */
export const CAMPAIGN_LEAD_DAYS = 2;
/** Days after the due day a campaign offer stays valid. */
export const CAMPAIGN_GRACE_DAYS = 5;

/** Why a member gets no offer from a campaign on this list. */
export type CampaignSkip = 'inactive' | 'not-targeted' | 'holdout' | 'not-due' | 'no-product' | 'no-offer';

/** A campaign offer for one member: the product, percent off and the days it is valid. */
export interface CampaignOffer {
  campaign: Campaign;
  product: Product;
  /** The national product the member usually buys, for a switch campaign. */
  usual?: Product;
  segment: SegmentKey;
  percent: number;
  fromDay: Day;
  untilDay: Day;
}

/** What a member brings to a campaign. */
export interface CampaignMember {
  memberId: string;
  /** The member's segment in the campaign's category. */
  segment?: SegmentKey;
  /** Predicted next purchase day in the category (from the list scorer). */
  dueDay?: Day;
  /** The product the member buys most in the category. */
  usual?: Product;
  asOfDay: Day;
  /** Last day of the list being built: offers due later wait for a later list. */
  listUntilDay: Day;
}

/** True when the member is in the campaign's control group: uniform in [0,1) from a hash, compared with the share.
 * FNV-1a alone barely moves its top bits when only the last characters differ (M000001, M000002, …), which made a
 * 10% holdout anywhere from 4% to 12% of a store; murmur3's finaliser spreads every input bit over the output. */
export function inHoldout(memberId: string, campaignId: string, holdoutShare: number): boolean {
  if (!(holdoutShare > 0)) return false;
  return mix32(hashString(`${campaignId}\u0000${memberId}`)) / 4294967296 < holdoutShare;
}

/** murmur3's 32-bit finaliser (fmix32): full avalanche of a hash. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** True when the campaign runs on the day. */
export const campaignActive = (c: Pick<Campaign, 'startDay' | 'endDay'>, day: Day): boolean => day >= c.startDay && day <= c.endDay;

/** True when the product lies in the campaign's category (path prefix). */
export const inCategory = (category: string, p: Product): boolean => p.category === category || p.category.startsWith(category + '/');

/** The product a campaign offers: the cheapest store-brand product next to the usual one for a switch, else the usual. */
export function campaignProduct(c: Campaign, products: readonly Product[], usual?: Product): Product | undefined {
  if (c.goal !== 'to-store-brand') return usual ?? products.find((p) => inCategory(c.category, p));
  let best: Product | undefined;
  let bestRank = Infinity;
  for (const p of products) {
    if (p.brandType !== 'store' || !inCategory(c.category, p)) continue;
    // Same leaf category as the usual product first, then price.
    const rank = (usual && p.category !== usual.category ? 1e9 : 0) + p.priceCents;
    if (rank < bestRank) [best, bestRank] = [p, rank];
  }
  return best;
}

/** The campaign's offer for one member on this list, or why there is none. */
export function campaignOffer(c: Campaign, products: readonly Product[], m: CampaignMember): Result<CampaignOffer, CampaignSkip> {
  if (m.asOfDay > c.endDay || m.listUntilDay < c.startDay) return err('inactive');
  if (!m.segment || !c.segments.includes(m.segment)) return err('not-targeted');
  if (inHoldout(m.memberId, c.id, c.holdoutShare)) return err('holdout');
  const percent = c.offerByTier[splitSegment(m.segment).usage];
  if (!(percent > 0 && percent <= 100)) return err('no-offer');
  const due = m.dueDay;
  if (due !== undefined && due - CAMPAIGN_LEAD_DAYS > m.listUntilDay) return err('not-due');
  const product = campaignProduct(c, products, m.usual);
  if (!product) return err('no-product');
  // Valid around the due day: opens a little before, stays open a few days after, within the campaign's dates.
  const fromDay = Math.max(m.asOfDay, c.startDay, due === undefined ? m.asOfDay : due - CAMPAIGN_LEAD_DAYS);
  const untilDay = Math.min(c.endDay, due === undefined ? m.listUntilDay : Math.max(due, m.asOfDay) + CAMPAIGN_GRACE_DAYS);
  if (untilDay < fromDay) return err('inactive');
  const offer: CampaignOffer = { campaign: c, product, segment: m.segment, percent, fromDay, untilDay };
  if (m.usual && m.usual.id !== product.id) offer.usual = m.usual;
  return ok(offer);
}

/** Check a campaign before it goes live: the fairness guard's rule check plus its own shape. */
export function validateCampaign(c: CampaignRule & Campaign): Result<Campaign, RuleRefusal | 'bad-campaign'> {
  if (c.endDay < c.startDay) return err('bad-campaign', 'The campaign ends before it starts.');
  if (!(c.holdoutShare >= 0 && c.holdoutShare < 1)) return err('bad-campaign', 'The control group share must be at least 0 and below 1.');
  if (c.segments.length === 0) return err('bad-campaign', 'The campaign targets no segment.');
  const checked = checkCampaignRule(c);
  return checked.ok ? ok(c) : checked;
}

/** Conversions of a campaign's treated and control groups. */
export interface CampaignCounts {
  treated: number;
  treatedBuyers: number;
  control: number;
  controlBuyers: number;
}

/** Uplift: treated conversion minus control conversion, with both rates (NaN rates when a group is empty). A point
 * estimate only: the manager screen uses core/uplift.ts, which adds the 95% interval and small-group suppression. */
export function campaignUplift(c: CampaignCounts): { treatedRate: number; controlRate: number; uplift: number } {
  const treatedRate = c.treated > 0 ? c.treatedBuyers / c.treated : NaN;
  const controlRate = c.control > 0 ? c.controlBuyers / c.control : NaN;
  return { treatedRate, controlRate, uplift: treatedRate - controlRate };
}
