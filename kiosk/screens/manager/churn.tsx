// Members at risk of leaving, by id (never by name), with the reasons and a suggested action — plain text, not a
// button: the kiosk sends nothing, the store reaches the member its usual way.
import type { Insights } from '../../../core/insights/insights.ts';
import type { ManagerTranslation } from '../../../i18n/translation.ts';
import { mediumDate as date, wholeMoney as money } from '../../../i18n/format.ts';
import './panels.css';

/** The churn panel's body: the `rows` most valuable members at risk. */
export function ChurnTable({ report, t, locale, rows }: { report: Insights; t: ManagerTranslation; locale: string; rows: number }) {
  if (!report.churn.length) return <p class="manager__empty">{t.noChurn}</p>;
  return (
    <>
      <table class="manager-table manager-churn">
        <thead>
          <tr><th>{t.cols.member}</th><th class="manager-table__num">{t.cols.value}</th><th>{t.cols.lastVisit}</th><th>{t.cols.reason}</th><th>{t.insightWords.suggested}</th></tr>
        </thead>
        <tbody>
          {report.churn.slice(0, rows).map((w) => (
            <tr key={w.memberId} data-member={w.memberId}>
              <td class="manager-churn__member">{w.memberId}</td>
              <td class="manager-table__num">{money(w.spendCents, locale)}</td>
              <td class="manager-churn__last">{date(w.lastDay, locale)}<br /><small>{t.daysAgo(w.gapDays)}</small></td>
              <td class="manager-churn__reason">{w.reasons.map((r) => t.reasons[r.code](r.params)).join(' ')}</td>
              <td><span class={`manager-churn__action manager-churn__action--${w.action}`}>{t.actions[w.action] ?? w.action}</span></td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="manager__note">{t.insightWords.suggestedNote}</p>
    </>
  );
}
