// Bought together: product pairs and category rules, each saying something the others do not (core/insights/
// rule-digest.ts drops restatements and keeps at most two rules per aisle).
import type { Insights, NamedRule } from '../../../core/insights/insights.ts';
import type { ManagerTranslation } from '../../../i18n/translation.ts';
import { percent } from '../../../i18n/format.ts';
import { categoryName } from './format.ts';
import './panels.css';

function Rules({ rules, name, t, locale, kind }: { rules: readonly NamedRule[]; name: (s: string) => string; t: ManagerTranslation; locale: string; kind: string }) {
  return (
    <table class={`manager-table manager-rules manager-rules--${kind}`}>
      <thead><tr><th>{t.ruleCols.rule}</th><th class="manager-table__num">{t.ruleCols.confidence}</th><th class="manager-table__num">{t.ruleCols.lift}</th></tr></thead>
      <tbody>
        {rules.map((r) => (
          <tr>
            <td class="manager-rules__rule">{r.lhsNames.map(name).join(' + ')} <span aria-hidden="true">⇒</span> <strong>{name(r.rhsName)}</strong></td>
            <td class="manager-table__num">{percent(r.confidence, locale)}</td>
            <td class="manager-table__num">×{r.lift.toFixed(2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The rules panel's body. */
export function RuleTables({ report, t, locale }: { report: Insights; t: ManagerTranslation; locale: string }) {
  const { products, categories } = report.topRules;
  if (!products.length && !categories.length) return <p class="manager__empty">{t.noRules}</p>;
  return (
    <>
      <div class="manager-rules__pair">
        {products.length > 0 && <section><h3>{t.insightWords.productRules}</h3><Rules rules={products} name={(s) => s} t={t} locale={locale} kind="products" /></section>}
        {categories.length > 0 && <section><h3>{t.insightWords.categoryRules}</h3><Rules rules={categories} name={categoryName} t={t} locale={locale} kind="categories" /></section>}
      </div>
      <p class="manager__note">{t.insightWords.rulesNote}</p>
    </>
  );
}
