// What `GET /v1/reports/patterns` answers (hq/routes/members.ts): a store's shopping patterns over every member and
// till of the store, aggregates only (core/insights/patterns.ts `anonymousPatterns`: no per-member rows, bands under k
// members withheld). A kiosk synced from headquarters holds packs without demographics, and baskets only of members who
// consent, so its manager screen reads the store's patterns this way when headquarters answers.
import * as v from 'valibot';
import type { ShoppingPatterns } from '../core/insights/patterns.ts';
import { err, ok, type Result } from '../core/result.ts';
import { finite, id, int, issuePath, text } from './packed-arrays.ts';

const count = int(0, Number.MAX_SAFE_INTEGER);
const row = (n: number) => v.pipe(v.array(finite), v.length(n));
const BandSchema = v.strictObject({ label: text(40), members: count, visits: count, spendCents: count, suppressed: v.optional(v.boolean()) });

const PatternsSchema = v.strictObject({
  baskets: count,
  spendCents: count,
  byWeekday: v.strictObject({ visits: row(7), spendCents: row(7) }),
  byWeekdayHour: v.strictObject({ visits: v.pipe(v.array(row(24)), v.length(7)), spendCents: v.pipe(v.array(row(24)), v.length(7)), unknownHour: row(7) }),
  byAgeBand: v.pipe(v.array(BandSchema), v.maxLength(50)),
  byHouseholdSize: v.pipe(v.array(BandSchema), v.maxLength(50)),
  categories: v.pipe(v.array(v.strictObject({ category: text(), spendCents: count, share: v.pipe(finite, v.minValue(0), v.maxValue(1)) })), v.maxLength(100_000)),
});

const PatternsReportSchema = v.strictObject({
  k: int(1, 1_000_000),
  asOf: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/)),
  storeId: id,
  /** Members of the store the patterns come from. */
  members: count,
  patterns: PatternsSchema,
});

/** A store's patterns as they travel. */
export interface PatternsReportWire { k: number; asOf: string; storeId: string; members: number; patterns: Omit<ShoppingPatterns, 'rfm'> }

/** Check a patterns report's body; `bad-shape` names the first field that is wrong. */
export function parsePatternsReport(body: unknown): Result<PatternsReportWire, 'bad-shape'> {
  const parsed = v.safeParse(PatternsReportSchema, body);
  if (!parsed.success) return err('bad-shape', issuePath(parsed.issues));
  return ok(parsed.output as PatternsReportWire);
}
