// What `GET /v1/reports/campaigns` answers (hq/campaign-report.ts): every campaign in scope measured over the member
// database, aggregates only (groups under k members suppressed). A kiosk's manager screen reads its own store's this
// way when headquarters answers, so the uplift counts every till of the store and not only this one's baskets.
import * as v from 'valibot';
import type { CampaignResult } from '../core/insights/uplift.ts';
import { err, ok, type Result } from '../core/result.ts';
import { finite, id, int, issuePath, text } from './packed-arrays.ts';

const day = int(-200_000, 200_000);
const count = v.nullable(int(0, Number.MAX_SAFE_INTEGER));
const share = v.nullable(finite);
const interval = v.nullable(v.strictObject({ low: finite, high: finite }));
const group = v.strictObject({ members: count, buyers: count, buyRate: share, unitsPerMember: share, suppressed: v.boolean() });

const CampaignResultSchema = v.strictObject({
  campaignId: id,
  name: text(),
  category: text(),
  goal: v.picklist(['to-store-brand', 'grow-category', 'retain']),
  startDay: day,
  endDay: day,
  holdoutShare: v.pipe(finite, v.minValue(0), v.maxValue(1)),
  window: v.optional(v.strictObject({ fromDay: day, untilDay: day })),
  uplift: v.strictObject({
    treated: group, control: group, uplift: share, interval, relativeUplift: share, unitsUplift: share, unitsInterval: interval,
    significant: v.boolean(), k: int(1, 1_000_000),
  }),
  offersIssued: int(0, Number.MAX_SAFE_INTEGER),
  offersRedeemed: int(0, Number.MAX_SAFE_INTEGER),
});

const CampaignReportSchema = v.looseObject({
  k: int(1, 1_000_000),
  asOf: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/)),
  storeId: v.optional(id),
  funder: v.optional(id),
  campaigns: v.pipe(v.array(CampaignResultSchema), v.maxLength(10_000)),
});

/** A campaign report as it travels. */
export interface CampaignReportWire { k: number; asOf: string; storeId?: string; funder?: string; campaigns: CampaignResult[] }

/** Check a campaign report's body; `bad-shape` names the first field that is wrong. */
export function parseCampaignReport(body: unknown): Result<CampaignReportWire, 'bad-shape'> {
  const parsed = v.safeParse(CampaignReportSchema, body);
  if (!parsed.success) return err('bad-shape', issuePath(parsed.issues));
  return ok(parsed.output as CampaignReportWire);
}
