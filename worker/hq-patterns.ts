// The manager screen's shopping patterns from headquarters: a kiosk synced from it holds packs without demographics,
// and baskets only of members who consent, so its visits, spend, age bands and household sizes are headquarters'
// (`GET /v1/reports/patterns?store=…&as_of=…`, protocol/patterns-report.ts: every member and till of the store, bands
// under k members withheld). Unreachable, refused or not synced: the caller keeps what it measured on the device.
import { formatDay } from '../core/dates.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { Day } from '../core/types.ts';
import { parsePatternsReport, type PatternsReportWire } from '../protocol/patterns-report.ts';
import { getMeta, keptStoreModel } from './meta.ts';
import { getAtHq } from './hq-link.ts';
import type { LarderDB } from './store.ts';

/** Why the patterns came from the device instead. */
export type PatternsError = 'not-synced' | 'unreachable' | 'refused' | 'bad-report';

/** The enrolled store's patterns from headquarters as of `day`, when this device holds its store as headquarters sent it. */
export async function patternsFromHeadquarters(d: LarderDB, doFetch: typeof fetch, day: Day): Promise<Result<PatternsReportWire, PatternsError>> {
  const [link, model] = await Promise.all([getMeta(d, 'hq:link'), keptStoreModel(d)]);
  if (!link || !model) return err('not-synced', 'this device does not hold its store from headquarters');
  const answer = await getAtHq(doFetch, link, `/v1/reports/patterns?store=${encodeURIComponent(link.storeId)}&as_of=${formatDay(day)}`, { accept: 'application/json' });
  if (!answer.ok) return err('unreachable', answer.detail);
  const res = answer.value;
  if (res.status >= 500) return err('unreachable', `HTTP ${res.status} for the patterns report`);
  if (!res.ok) return err('refused', `HTTP ${res.status} for the patterns report`);
  const body = await res.json().catch(() => undefined);
  const parsed = parsePatternsReport(body);
  if (!parsed.ok) return err('bad-report', parsed.detail ?? 'not a patterns report');
  if (parsed.value.storeId !== link.storeId) return err('bad-report', `headquarters sent store ${parsed.value.storeId}'s patterns for ${link.storeId}`);
  return ok(parsed.value);
}
