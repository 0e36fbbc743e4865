// A store's shopping patterns for its kiosks' manager screens (`GET /v1/reports/patterns`): measured over every member
// homed at the store and every basket headquarters holds of them, then made anonymous (core/insights/patterns.ts
// `anonymousPatterns`: no per-member rows, age and household bands under k members withheld).
import type { Day } from '../core/types.ts';
import { unpackHistory } from '../core/history.ts';
import { anonymousPatterns, shoppingPatterns } from '../core/insights/patterns.ts';
import { formatDay } from '../core/dates.ts';
import type { Queryable } from './db/db.ts';
import { readStore } from './model/build.ts';
import type { PatternsReportWire } from '../protocol/patterns-report.ts';

/** The patterns report of `storeId` as of `asOfDay`, every band from ≥ `k` members. */
export async function patternsReport(q: Queryable, storeId: string, asOfDay: Day, k: number): Promise<PatternsReportWire> {
  const s = await readStore(q, storeId);
  const ids = s.catalogue.map((p) => p.id);
  const baskets = [...s.histories.values()].flatMap((h) => unpackHistory(h, ids));
  const patterns = shoppingPatterns(baskets, s.members, s.catalogue, { asOfDay });
  return { k, asOf: formatDay(asOfDay), storeId, members: s.members.length, patterns: anonymousPatterns(patterns, k) };
}
