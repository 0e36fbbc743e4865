// The import's rejections grouped by file, field and reason: one line per reason with its count and first line
// numbers, so 571,933 rows that fail alike read as one sentence instead of a table of identical rows.
import type { ImportSummary } from '../../../worker/import.ts';
import type { Locale, ManagerTranslation } from '../../../i18n/translation.ts';
import { rowErrorText } from '../../../i18n/rows.ts';

/** Every imported file's rejection groups, largest first within each file. */
export function RejectGroupList({ summaries, locale, t }: { summaries: readonly ImportSummary[]; locale: Locale; t: ManagerTranslation }) {
  const groups = summaries.flatMap((s) => s.rejections ?? []);
  if (!groups.length) return null;
  return (
    <div class="manager-reject-groups">
      <strong class="manager-reject-groups__title">{t.rejectGroupsTitle}</strong>
      <ul class="manager-reject-groups__list">
        {groups.map((g) => (
          <li data-file={g.file} data-field={g.field ?? ''} data-count={g.count} data-code={g.code ?? ''}>
            <span class="manager-reject-groups__file">{g.file}</span>{' '}
            {t.rejectGroup(g.count, g.field, rowErrorText(g, locale), g.lines[0]!, g.value, g.lines.slice(1))}
          </li>
        ))}
      </ul>
    </div>
  );
}
