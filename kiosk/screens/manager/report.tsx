// The manufacturer report as the manager sees it: categories × the nine segments (brand loyalty × usage tier), member
// counts per cell, small cells hidden ("<10") exactly as the report that leaves the device hides them.
import type { ReportCell } from '../../../core/insights/report.ts';
import { splitSegment } from '../../../core/lists/segments.ts';
import { getEngine } from '../../../worker/api.ts';
import type { ManagerTranslation } from '../../../i18n/translation.ts';
import { wholeMoney } from '../../../i18n/format.ts';
import { categoryName } from './format.ts';
import { useEngineCall } from './use-engine.ts';

type T = ManagerTranslation;

/** The manufacturer report panel's body. */
export function ManufacturerTable({ t, locale, k = 10 }: { t: T; locale: string; k?: number }) {
  const report = useEngineCall(() => getEngine().manufacturerReport({ k }));
  if (!report) return <p class="kiosk-status" role="status">{t.loading}</p>;
  if (report === 'failed') return <p class="manager__error" role="alert">{t.failed}</p>;
  if (!report.rows.length) return <p class="manager__empty">{t.noReport}</p>;
  const loyalties = [...new Set(report.segments.map((s) => splitSegment(s).loyalty))];
  const cell = (c: ReportCell, cls = '') => (
    <td
      class={`manager-table__num manager-report__cell${c.suppressed ? ' manager-report__cell--hidden' : ''}${cls}`}
      title={c.suppressed ? t.reportNote(report.k) : t.cellDetail(c.units!, wholeMoney(c.spendCents!, locale), c.offersIssued!, c.offersRedeemed!)}
    >
      {c.suppressed ? `<${report.k}` : c.members!.toLocaleString(locale)}
    </td>
  );
  return (
    <>
      <div class="manager-report__scroll">
        <table class="manager-table manager-report">
          <thead>
            <tr>
              <th rowSpan={2}>{t.reportCols.category}</th>
              {loyalties.map((l) => <th colSpan={3} class="manager-report__group">{t.loyalty[l] ?? l}</th>)}
              <th rowSpan={2} class="manager-table__num">{t.reportCols.total}</th>
            </tr>
            <tr>{report.segments.map((s) => <th class="manager-table__num manager-report__tier" data-segment={s}>{t.usage[splitSegment(s).usage]}</th>)}</tr>
          </thead>
          <tbody>
            {report.rows.map((row) => (
              <tr data-category={row.category}>
                <td class="manager-report__category">{categoryName(row.category)}</td>
                {row.cells.map((c) => cell(c))}
                {cell(row.total, ' manager-report__total')}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th>{t.totalRow}</th>
              {report.columnTotals.map((c) => cell(c))}
              {cell(report.total, ' manager-report__total')}
            </tr>
          </tfoot>
        </table>
      </div>
      <p class="manager__note">{t.reportNote(report.k)}</p>
    </>
  );
}
