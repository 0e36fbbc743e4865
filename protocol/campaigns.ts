// Campaigns as they travel: the `campaigns.json` file of a feed folder and of headquarters' change list (a JSON
// array of core's Campaign). One check for every reader: headquarters' import, a device's sync and a folder load.
import * as v from 'valibot';
import type { Campaign } from '../core/types.ts';
import { err, ok, type Result } from '../core/result.ts';
import { finite, id, int, issuePath, text } from './packed-arrays.ts';

const day = int(-200_000, 200_000);
const percent = v.pipe(finite, v.minValue(0), v.maxValue(100));
const SEGMENT = /^(national|store|switcher)-(low|mid|high)$/;

const CampaignSchema = v.object({
  id,
  name: text(),
  category: v.pipe(text(), v.minLength(1)),
  goal: v.picklist(['to-store-brand', 'grow-category', 'retain']),
  segments: v.pipe(v.array(v.pipe(v.string(), v.regex(SEGMENT, 'a segment is loyalty-usage, e.g. national-high'))), v.maxLength(9)),
  offerByTier: v.object({ low: percent, mid: percent, high: percent }),
  funder: v.pipe(text(200), v.minLength(1)),
  budgetCents: v.optional(int(0, Number.MAX_SAFE_INTEGER)),
  startDay: day,
  endDay: day,
  holdoutShare: v.pipe(finite, v.minValue(0), v.maxValue(1)),
});

/** Check a campaigns file's JSON; `bad-shape` names the first campaign and field that is wrong. */
export function parseCampaigns(body: unknown): Result<Campaign[], 'bad-shape'> {
  const parsed = v.safeParse(v.pipe(v.array(CampaignSchema), v.maxLength(10_000)), body);
  if (!parsed.success) return err('bad-shape', issuePath(parsed.issues));
  const ids = new Set<string>();
  for (const [i, c] of parsed.output.entries()) {
    if (c.endDay < c.startDay) return err('bad-shape', `${i}.endDay: before its startDay`);
    if (ids.has(c.id)) return err('bad-shape', `${i}.id: ${c.id} twice`);
    ids.add(c.id);
  }
  return ok(parsed.output as Campaign[]);
}
