// Rejected rows grouped by file, field and reason, so 571,933 rows that fail the same way read as one line with a
// count and the first line numbers instead of a table of identical rows (the CSV export still keeps every row).
import type { RowError } from '../core/feeds/index.ts';

/** One reason many rows were rejected for: how many, and where the first ones are. */
export interface RejectGroup {
  file: string;
  field?: string;
  /** The validators' code for the reason, when they give one (grouping key then); else the message is the key. */
  code?: string;
  /** The first row's English sentence, when the row carries one (rows with a code are rendered from code and params). */
  message?: string;
  params?: RowError['params'];
  expected?: string;
  count: number;
  /** Line numbers of the first rows (at most {@link GROUP_LINES}), in file order. */
  lines: number[];
  /** The first row's offending text. */
  value?: string;
}

/** Line numbers kept per group. */
export const GROUP_LINES = 5;

/** A row error with a reason code and its parameters, or an English sentence, or both. */
type CodedError = RowError & { code?: string; message?: string };

const keyOf = (e: CodedError) => `${e.file}\u0000${e.field ?? ''}\u0000${e.code === undefined ? `m:${e.message ?? ''}` : `c:${e.code}`}`;

/** Collects rejected rows into groups, in order of each group's first row. */
export class RejectGroups {
  private readonly groups = new Map<string, RejectGroup>();

  /** Count one rejected row (or file-level problem). */
  add(error: RowError): void {
    const e = error as CodedError;
    const key = keyOf(e);
    const g = this.groups.get(key);
    if (g) {
      g.count++;
      if (g.lines.length < GROUP_LINES) g.lines.push(e.line);
      return;
    }
    const group: RejectGroup = { file: e.file, count: 1, lines: [e.line] };
    if (e.message !== undefined) group.message = e.message;
    if (e.field !== undefined) group.field = e.field;
    if (e.code !== undefined) group.code = e.code;
    if (e.params !== undefined) group.params = e.params;
    if (e.expected !== undefined) group.expected = e.expected;
    if (e.value !== undefined) group.value = e.value;
    this.groups.set(key, group);
  }

  /** The groups, largest first (ties in order of first appearance). */
  list(): RejectGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count);
  }
}

/** Group a list of rejected rows. */
export function groupRejects(errors: Iterable<RowError>): RejectGroup[] {
  const g = new RejectGroups();
  for (const e of errors) g.add(e);
  return g.list();
}
