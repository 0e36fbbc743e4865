// The manager room: the store's insights, frequently bought together, the manufacturer report, campaign results and
// the rows an import rejected. The analyses load on first use (a kiosk that only scans never loads them).
import type { Insights } from '../../core/insights/insights.ts';
import type { ManufacturerReport } from '../../core/insights/report.ts';
import type { CampaignReport } from '../hq-campaigns.ts';
import { reportFacts } from '../../core/insights/report-facts.ts';
import { readAllPacks } from '../packs.ts';
import { allLists } from '../lists.ts';
import type { RejectedRow, SpendStanding } from '../manager.ts';
import { analyses, type EngineContext } from './context.ts';

/** The store's insights, and where their visits, spend, age bands and household sizes were measured: at
 * headquarters over every member of the store (a kiosk synced from it, online), or on this device's own data. */
export type StoreInsights = Insights & { patternsFrom: 'headquarters' | 'device'; patternsFallback?: 'unreachable' | 'refused' | 'bad-report' };

/** A product bought together with another, for the recommendations row. */
export interface TogetherRow { productId: string; name: string; priceCents: number; confidence: number; lift: number }

/** The manager room's methods. */
export function managerRoom(ctx: EngineContext) {
  /** The store's insight report (rules, activity, churn, patterns), computed once and kept until the data changes. */
  const insights = (): Promise<Insights> => ctx.insights(async () => {
    const d = await ctx.db();
    const [{ histories, members }, catalogue, day] = await Promise.all([readAllPacks(d), ctx.products(), ctx.today()]);
    return (await analyses()).computeInsights(histories, members, catalogue, { asOfDay: day });
  });
  return {
    /** The store's insight report (rules, activity, churn, patterns), computed once and kept until the data changes;
     * on a kiosk synced from headquarters, the patterns are headquarters' when it answers (worker/hq-patterns.ts). */
    async insights(): Promise<StoreInsights> {
      const [local, day, d] = await Promise.all([insights(), ctx.today(), ctx.db()]);
      const remote = await (await import('../hq-patterns.ts')).patternsFromHeadquarters(d, ctx.doFetch, day);
      if (remote.ok) return { ...local, patterns: { ...remote.value.patterns, rfm: local.patterns.rfm }, patternsFrom: 'headquarters' };
      if (remote.error !== 'not-synced') console.warn(`store patterns from this device: ${remote.error} ${remote.detail ?? ''}`);
      return { ...local, patternsFrom: 'device', ...(remote.error !== 'not-synced' ? { patternsFallback: remote.error } : {}) };
    },

    /** Products frequently bought together with one product, strongest rule first. */
    async boughtTogether(productId: string, limit = 6): Promise<TogetherRow[]> {
      const [catalogue, report] = await Promise.all([ctx.products(), insights()]);
      const item = catalogue.find((p) => p?.id === productId);
      if (!item) return [];
      return (await analyses()).rulesFor(report.productRules, item.idx, limit).map((r) => {
        const p = catalogue[r.rhs]!;
        return { productId: p.id, name: p.name, priceCents: p.priceCents, confidence: r.confidence, lift: r.lift };
      });
    },

    /** The anonymised manufacturer report: categories × the nine segments, no ids, cells under `k` members hidden. */
    async manufacturerReport(options: { k?: number; categories?: string[] } = {}): Promise<ManufacturerReport> {
      const d = await ctx.db();
      const [{ stats, segments }, lists, redemptions, catalogue] = await Promise.all([ctx.memberSegments(), allLists(d), d.getAll('redemptions'), ctx.products()]);
      const categoryOf = new Map(catalogue.filter(Boolean).map((p) => [p.id, p.category]));
      return (await analyses()).manufacturerReport(reportFacts(stats, segments, lists, redemptions, categoryOf), options);
    },

    /** Every campaign measured so far: treated vs holdout members, buy rate and units uplift with 95% intervals
     * (groups under 10 members suppressed), plus offers issued and redeemed. An enrolled kiosk asks headquarters,
     * which measures over every till of the store (worker/hq-campaigns.ts); offline, it measures on its own data. */
    async campaignResults(): Promise<CampaignReport> {
      const d = await ctx.db();
      const day = await ctx.today();
      return (await import('../hq-campaigns.ts')).campaignReport(d, ctx.doFetch, day, async () => (await analyses()).campaignResults(d, await ctx.products(), day));
    },

    /** Rows an import rejected (file, line, field, reason), of one import or all, in file order. */
    async rejectedRows(options: { importId?: string; limit?: number } = {}): Promise<RejectedRow[]> {
      return (await analyses()).rejectedRows(await ctx.db(), options);
    },

    /** How many members with a history reach the weekly spend a personal list needs (the manager's warning when none do). */
    async spendStanding(): Promise<SpendStanding> {
      const { stats } = await ctx.memberSegments();
      return (await analyses()).spendStanding(stats);
    },

    /** The rejected rows as CSV, for the manager's "Export CSV". */
    async rejectedRowsCsv(importId?: string): Promise<string> {
      return (await analyses()).rejectedRowsCsv(await ctx.db(), importId);
    },
  };
}
