// A warning across the manager screen when no member with a history reaches the weekly spend a personal list needs:
// then every list is the store-wide one, and the cause is most often basket lines without prices.
import { getEngine } from '../../../worker/bridge.ts';
import type { Locale, ManagerTranslation } from '../../../i18n/translation.ts';
import { wholeMoney } from '../../../i18n/format.ts';
import { useEngineCall } from './use-engine.ts';

/** The below-threshold warning, or nothing while some member reaches the threshold (or nobody has a history). */
export function SpendWarning({ locale, t }: { locale: Locale; t: ManagerTranslation }) {
  const standing = useEngineCall(() => getEngine().spendStanding());
  if (!standing || standing === 'failed' || standing.members === 0 || standing.aboveThreshold > 0) return null;
  return (
    <p class="manager__warning manager-spend-warning" role="status" data-members={standing.members}>
      {t.lowSpend(standing.members, wholeMoney(standing.thresholdCentsPerWeek, locale))}
    </p>
  );
}
