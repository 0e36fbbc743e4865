// The member activity panel: what the BG/NBD fit means for the store — members who have probably stopped shopping
// here and the visits expected over the next weeks — with the four fitted parameters behind a details toggle.
import type { Insights } from '../../../core/insights/insights.ts';
import type { ManagerTranslation } from '../../../i18n/translation.ts';
import { percent } from '../../../i18n/format.ts';
import './panels.css';

/** The activity panel's body. */
export function Activity({ report, t, locale }: { report: Insights; t: ManagerTranslation; locale: string }) {
  const fit = report.activity;
  if (!fit) return <p class="manager__empty">{t.noActivity}</p>;
  const o = report.outlook;
  const w = t.insightWords.outlook;
  const shown = [['r', fit.params.r, t.params.r], ['α', fit.params.alpha, t.params.alpha], ['a', fit.params.a, t.params.a], ['b', fit.params.b, t.params.b]] as const;
  return (
    <>
      {o && (
        <div class="manager-outlook">
          <p class="manager-outlook__fact manager-outlook__lapsed"><strong>{w.lapsed(o.likelyLapsed, o.members)}</strong></p>
          <p class="manager__note">{w.lapsedHint(percent(o.lapsedBelow, locale))}</p>
          <p class="manager-outlook__fact manager-outlook__expected">
            <strong>{w.expected(o.expectedVisits, o.horizonWeeks)}</strong>
            {o.recentVisits !== undefined && <span class="manager-outlook__recent"> ({w.recent(o.recentVisits, o.horizonWeeks)})</span>}
          </p>
        </div>
      )}
      <details class="manager-fit__details">
        <summary>{w.details}</summary>
        <dl class="manager-fit">
          {shown.map(([symbol, value, meaning]) => (
            <div class="manager-fit__param">
              <dt><span class="manager-fit__symbol">{symbol}</span> <span class="manager-fit__meaning">{meaning}</span></dt>
              <dd class="manager-fit__value">{value.toPrecision(3)}</dd>
            </div>
          ))}
        </dl>
        <p class="manager__note">{t.fit(fit.members, fit.loglik, fit.converged)}</p>
      </details>
    </>
  );
}
