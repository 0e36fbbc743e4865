// Campaign results: offered members vs the held-out control group, the uplift in buyers with its 95% interval drawn
// as a whisker on a shared axis through zero, and a plain "real effect / not significant" label.
import type { CampaignResult, GroupResult } from '../../../core/insights/uplift.ts';
import { getEngine } from '../../../worker/api.ts';
import type { ManagerTranslation } from '../../../i18n/translation.ts';
import { mediumDate, percent } from '../../../i18n/format.ts';
import { categoryName } from './format.ts';
import { useEngineCall } from './use-engine.ts';
import './panels.css';

type T = ManagerTranslation;

/** The campaign results panel's body. */
export function CampaignResults({ t, locale }: { t: T; locale: string }) {
  const report = useEngineCall(() => getEngine().campaignResults());
  if (!report) return <p class="kiosk-status" role="status">{t.loading}</p>;
  if (report === 'failed') return <p class="manager__error" role="alert">{t.failed}</p>;
  const { results } = report;
  const source = report.source === 'headquarters' ? t.campaignSource.headquarters : report.fallback ? t.campaignSource.fallback : t.campaignSource.device;
  if (!results.length) return <p class="manager__empty">{t.noCampaigns}</p>;
  // One axis for every campaign, always through zero, so whiskers compare at a glance.
  const ends = results.flatMap((r) => (r.uplift.interval ? [r.uplift.interval.low, r.uplift.interval.high] : []));
  const lo = Math.min(0, ...ends), hi = Math.max(0, ...ends);
  const pad = (hi - lo || 0.1) * 0.08;
  const axis = { lo: lo - pad, hi: hi + pad };
  return (
    <>
      <div class="manager-campaigns">
        {results.map((r) => <CampaignRow key={r.campaignId} r={r} t={t} locale={locale} axis={axis} chain={report.source === 'headquarters'} />)}
      </div>
      <p class="manager__note">{t.campaignNote(results[0]!.uplift.k)}</p>
      <p class="manager__note manager__source" data-source={report.source}>{source}</p>
    </>
  );
}

function Group({ label, g, k, t, locale, kind }: { label: string; g: GroupResult; k: number; t: T; locale: string; kind: string }) {
  return (
    <div class={`manager-campaign__group manager-campaign__group--${kind}`}>
      <span class="manager-campaign__label">{label}</span>
      {g.suppressed
        ? <span class="manager-campaign__hidden">{t.hiddenGroup(k)}</span>
        : <>
            <span class="manager-campaign__rate">{t.groupRate(percent(g.buyRate!, locale))}</span>
            <span class="manager-campaign__count">{t.groupCount(g.buyers!, g.members!)}</span>
          </>}
    </div>
  );
}

function CampaignRow({ r, t, locale, axis, chain }: { r: CampaignResult; t: T; locale: string; axis: { lo: number; hi: number }; chain: boolean }) {
  const u = r.uplift;
  const at = (v: number) => `${(100 * (v - axis.lo)) / (axis.hi - axis.lo)}%`;
  const window = r.window ? t.campaignWindow(mediumDate(r.window.fromDay, locale), mediumDate(r.window.untilDay, locale), percent(r.holdoutShare, locale)) : t.notStarted;
  return (
    <article class="manager-campaign" data-campaign={r.campaignId} data-significant={String(u.significant)}>
      <header class="manager-campaign__head">
        <strong class="manager-campaign__name">{r.name}</strong>
        <span class="manager-campaign__meta">{categoryName(r.category)} · {window}</span>
      </header>
      <div class="manager-campaign__body">
        <Group label={t.campaignCols.treated} g={u.treated} k={u.k} t={t} locale={locale} kind="treated" />
        <Group label={t.campaignCols.control} g={u.control} k={u.k} t={t} locale={locale} kind="control" />
        <div class="manager-campaign__uplift">
          <span class="manager-campaign__label">{t.campaignCols.uplift}</span>
          {u.uplift === null || !u.interval
            ? <span class="manager-campaign__hidden">{r.window ? t.hiddenGroup(u.k) : t.notStarted}</span>
            : <>
                <span class="manager-campaign__value">
                  {t.points(u.uplift)}{' '}
                  <span class={u.significant ? 'manager-campaign__verdict manager-campaign__verdict--yes' : 'manager-campaign__verdict'}>
                    {u.significant ? t.significant : t.notSignificant}
                  </span>
                </span>
                <span class="manager-campaign__interval">{t.interval(t.points(u.interval.low), t.points(u.interval.high))}</span>
                <span class="manager-campaign__whisker" role="img" aria-label={`${t.points(u.uplift)}, ${t.interval(t.points(u.interval.low), t.points(u.interval.high))}`}>
                  <span class="manager-campaign__zero" style={{ left: at(0) }} />
                  <span class="manager-campaign__range" style={{ left: at(u.interval.low), width: `calc(${at(u.interval.high)} - ${at(u.interval.low)})` }} />
                  <span class="manager-campaign__dot" style={{ left: at(u.uplift) }} />
                </span>
                <small class="manager-campaign__extra">
                  {u.relativeUplift !== null && t.relative(`${u.relativeUplift >= 0 ? '+' : ''}${percent(u.relativeUplift, locale)}`)}
                  {u.unitsUplift !== null && u.unitsInterval && <><br />{t.unitsUplift(signed(u.unitsUplift), signed(u.unitsInterval.low), signed(u.unitsInterval.high))}</>}
                </small>
              </>}
        </div>
        <div class="manager-campaign__offers">
          <span class="manager-campaign__label">{chain ? t.campaignCols.offersChain : t.campaignCols.offers}</span>
          <span class="manager-campaign__issued">{t.insightWords.offersOnLists(r.offersIssued, r.offersRedeemed)}</span>
        </div>
      </div>
    </article>
  );
}

const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;
