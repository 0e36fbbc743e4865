// Shopping patterns for the manager's charts: visits and spend by weekday × hour, by age band and household size,
// RFM quintile scores (Hughes 1994, "Strategic Database Marketing") and category spend shares; plain data out.
import type { Basket, Day, Member, Product } from '../types.ts';
import { formatDay, weekday } from '../dates.ts';

/** Window and grouping of {@link shoppingPatterns}. */
export interface PatternOptions {
  /** Baskets after this day are ignored; recency and ages are measured from it. */
  asOfDay: Day;
  /** Baskets before this day are ignored (default: all). */
  fromDay?: Day;
  /** Category path levels to group by (default 1: `health/analgesics` → `health`). */
  categoryDepth?: number;
}

/** Visits and spend of one group of members. */
export interface Band {
  label: string;
  /** Members in the group (from the member list). */
  members: number;
  visits: number;
  spendCents: number;
  /** Fewer than k members (an anonymous report, {@link anonymousPatterns}): the counts are withheld as 0. */
  suppressed?: boolean;
}

/** A member's recency, frequency and monetary value with their quintile scores (5 = best). */
export interface RfmScore {
  memberId: string;
  recencyDays: number;
  frequency: number;
  monetaryCents: number;
  r: number;
  f: number;
  m: number;
  /** `${r}${f}${m}`, e.g. `545`. */
  code: string;
}

/** A category's share of spend. */
export interface CategoryShare {
  category: string;
  spendCents: number;
  share: number;
}

/** Everything the manager's pattern charts show. */
export interface ShoppingPatterns {
  baskets: number;
  spendCents: number;
  /** Index 0 = Monday … 6 = Sunday. */
  byWeekday: { visits: number[]; spendCents: number[] };
  /** [weekday][hour]; baskets without a time count in `unknownHour` of their weekday only. */
  byWeekdayHour: { visits: number[][]; spendCents: number[][]; unknownHour: number[] };
  byAgeBand: Band[];
  byHouseholdSize: Band[];
  rfm: RfmScore[];
  categories: CategoryShare[];
}

/** Age bands in years: label and lower bound. */
export const AGE_BANDS: readonly (readonly [string, number])[] = [['<25', 0], ['25-34', 25], ['35-44', 35], ['45-54', 45], ['55-64', 55], ['65+', 65]];
const HOUSEHOLDS = ['1', '2', '3', '4', '5+'];

/** What a basket line costs the shopper: quantity × unit price less the line's discount (a line total). */
const lineSpend = (qty: number, unitPriceCents: number, discountCents: number) => Math.round(qty * unitPriceCents - discountCents);

/** The age band of a member born in `birthYear` in `year`, or `unknown`. */
export function ageBand(birthYear: number | undefined, year: number): string {
  if (birthYear === undefined || !(birthYear > 1850) || birthYear > year) return 'unknown';
  const age = year - birthYear;
  let label = AGE_BANDS[0]![0];
  for (const [l, from] of AGE_BANDS) if (age >= from) label = l;
  return label;
}

/** The household-size group of a member, or `unknown`. */
export function householdBand(size: number | undefined): string {
  if (size === undefined || !(size >= 1)) return 'unknown';
  return size >= 5 ? '5+' : String(Math.floor(size));
}

/** Quintile scores 1..5 of `values` (higher value = higher score) from mid-rank percentiles, so ties share a score. */
export function quintileScores(values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Uint8Array(n);
  for (let k = 0; k < n;) {
    let end = k + 1;
    while (end < n && values[order[end]!] === values[order[k]!]) end++;
    const score = Math.min(5, 1 + Math.floor((5 * (k + end) / 2) / n)); // mid-rank share (k + (end-k)/2) / n
    for (let q = k; q < end; q++) out[order[q]!] = score;
    k = end;
  }
  return out;
}

/** Shopping patterns of a store from its baskets, members and products. */
export function shoppingPatterns(
  baskets: readonly Basket[], members: readonly Member[], products: readonly Product[], opts: PatternOptions,
): ShoppingPatterns {
  const { asOfDay } = opts;
  const fromDay = opts.fromDay ?? -Infinity, depth = opts.categoryDepth ?? 1;
  const year = Number(formatDay(asOfDay).slice(0, 4));
  const categoryOf = new Map<string, string>();
  for (const p of products) categoryOf.set(p.id, p.category.split('/').slice(0, depth).join('/'));

  const byMember = new Map<string, Member>();
  const age = new Map<string, Band>(), household = new Map<string, Band>();
  const band = (groups: Map<string, Band>, label: string): Band => {
    let b = groups.get(label);
    if (!b) { b = { label, members: 0, visits: 0, spendCents: 0 }; groups.set(label, b); }
    return b;
  };
  for (const [label] of AGE_BANDS) band(age, label);
  for (const label of HOUSEHOLDS) band(household, label);
  for (const m of members) {
    byMember.set(m.id, m);
    band(age, ageBand(m.birthYear, year)).members++;
    band(household, householdBand(m.householdSize)).members++;
  }

  const zeros = (n: number) => new Array<number>(n).fill(0);
  const wdVisits = zeros(7), wdSpend = zeros(7), unknownHour = zeros(7);
  const hVisits = Array.from({ length: 7 }, () => zeros(24)), hSpend = Array.from({ length: 7 }, () => zeros(24));
  const catSpend = new Map<string, number>();
  const rfm = new Map<string, { last: Day; baskets: number; spend: number }>();
  let count = 0, total = 0;
  for (const b of baskets) {
    if (b.day > asOfDay || b.day < fromDay) continue;
    let spend = 0;
    for (const l of b.lines) {
      const s = lineSpend(l.qty, l.unitPriceCents, l.discountCents);
      spend += s;
      const c = categoryOf.get(l.productId) ?? 'unknown';
      catSpend.set(c, (catSpend.get(c) ?? 0) + s);
    }
    count++; total += spend;
    const wd = weekday(b.day);
    wdVisits[wd]!++; wdSpend[wd]! += spend;
    if (b.minute !== undefined && b.minute >= 0 && b.minute < 1440) {
      const h = Math.floor(b.minute / 60);
      hVisits[wd]![h]!++; hSpend[wd]![h]! += spend;
    } else unknownHour[wd]!++;
    const m = byMember.get(b.memberId);
    const a = band(age, ageBand(m?.birthYear, year)), hh = band(household, householdBand(m?.householdSize));
    a.visits++; a.spendCents += spend; hh.visits++; hh.spendCents += spend;
    const r = rfm.get(b.memberId);
    if (r) { r.baskets++; r.spend += spend; if (b.day > r.last) r.last = b.day; } else rfm.set(b.memberId, { last: b.day, baskets: 1, spend });
  }

  const ids = [...rfm.keys()];
  const rows = ids.map((id) => rfm.get(id)!);
  // Recency: fewer days since the last visit is better, so score its negative.
  const rs = quintileScores(rows.map((x) => -(asOfDay - x.last)));
  const fs = quintileScores(rows.map((x) => x.baskets));
  const ms = quintileScores(rows.map((x) => x.spend));
  const rfmOut: RfmScore[] = ids.map((memberId, i) => ({
    memberId, recencyDays: asOfDay - rows[i]!.last, frequency: rows[i]!.baskets, monetaryCents: rows[i]!.spend,
    r: rs[i]!, f: fs[i]!, m: ms[i]!, code: `${rs[i]}${fs[i]}${ms[i]}`,
  }));

  const categories = [...catSpend].map(([category, spendCents]) => ({ category, spendCents, share: total > 0 ? spendCents / total : 0 }))
    .sort((p, q) => q.spendCents - p.spendCents || (p.category < q.category ? -1 : 1));
  const ordered = (groups: Map<string, Band>, labels: readonly string[]) => {
    const out = labels.map((l) => groups.get(l)!);
    const unknown = groups.get('unknown');
    return unknown ? [...out, unknown] : out;
  };
  return {
    baskets: count, spendCents: total,
    byWeekday: { visits: wdVisits, spendCents: wdSpend },
    byWeekdayHour: { visits: hVisits, spendCents: hSpend, unknownHour },
    byAgeBand: ordered(age, AGE_BANDS.map(([l]) => l)),
    byHouseholdSize: ordered(household, HOUSEHOLDS),
    rfm: rfmOut,
    categories,
  };
}

/** The patterns without anything per member, for a report that leaves headquarters (a kiosk's manager screen): no RFM
 * scores (one row per member), and every age or household band of fewer than `k` members withheld (its counts 0,
 * `suppressed`). Visits by weekday and hour and category shares are sums over the whole store. */
export function anonymousPatterns(p: ShoppingPatterns, k: number): Omit<ShoppingPatterns, 'rfm'> {
  const hide = (bands: readonly Band[]): Band[] => bands.map((b) => (b.members > 0 && b.members < k ? { label: b.label, members: 0, visits: 0, spendCents: 0, suppressed: true } : { ...b }));
  const { rfm: _rfm, ...rest } = p;
  return { ...rest, byAgeBand: hide(p.byAgeBand), byHouseholdSize: hide(p.byHouseholdSize) };
}
