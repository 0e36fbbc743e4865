// docs/feeds.md is the feed contract a retailer's IT reads: its column tables and reasons are checked against the
// validators, so a column or a reason added to one and not the other fails here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCHEMAS, parseFeedText, type FeedKind } from '../../core/feeds/index.ts';
import { ROW_ERROR_CODES, type RowErrorCode } from '../../core/feeds/row-errors.ts';
import { rowErrorText } from '../../i18n/rows.ts';

const doc = readFileSync(fileURLToPath(new URL('../../docs/feeds.md', import.meta.url)), 'utf8');

/** The body of the section under `## <heading>` up to the next `## `. */
function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) return '';
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** Table rows of a section as cells (the header and the --- line left out). */
function tableRows(text: string): string[][] {
  return text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))
    .map((l) => l.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim())).slice(1);
}

const unquote = (cell: string) => /^`(.*)`$/.exec(cell)?.[1];

interface DocColumn { name: string; required: boolean; example: string }

function documentedColumns(kind: FeedKind): DocColumn[] {
  return tableRows(section(`\`${kind}\``)).map(([name, , required, example]) => {
    expect(['required', 'optional'], `${kind}: ${name}`).toContain(required);
    return { name: unquote(name!) ?? name!, required: required === 'required', example: unquote(example!) ?? '' };
  });
}

describe('docs/feeds.md against the validators', () => {
  it('documents exactly the five feeds', () => {
    const documented = [...doc.matchAll(/^## `([a-z]+)`$/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(SCHEMAS).sort());
  });

  for (const kind of Object.keys(SCHEMAS) as FeedKind[]) {
    it(`lists every ${kind} column, required ones as required`, () => {
      const schema = SCHEMAS[kind];
      const expected = schema.columns.map((name, i) => [name, i < schema.required]).sort();
      expect(documentedColumns(kind).map((c) => [c.name, c.required]).sort()).toEqual(expected);
    });

    it(`gives ${kind} examples that the validators accept as one row`, () => {
      const cols = documentedColumns(kind);
      const parsed = kind === 'content'
        ? parseFeedText(kind, 'json', 'content.json', `[${JSON.stringify(Object.fromEntries(cols.map((c) => [c.name, JSON.parse(c.example) as unknown])))}]`)
        : parseFeedText(kind, 'csv', `${kind}.csv`, `${cols.map((c) => c.name).join(',')}\n${cols.map((c) => c.example).join(',')}\n`);
      expect(parsed.errors).toEqual([]);
      expect(parsed.rows).toHaveLength(1);
    });
  }

  it('explains every reason a row can be rejected for, in the validators\' English words', () => {
    const rows = tableRows(section('Why a row is rejected'));
    const codes = rows.map(([code]) => unquote(code!) as RowErrorCode);
    expect([...codes].sort()).toEqual([...ROW_ERROR_CODES].sort());
    // Reasons without parameters are quoted word for word.
    for (const [code, said] of rows) {
      const english = rowErrorText({ code: unquote(code!) as RowErrorCode, params: {} });
      if (!/[A-Z]{1,2}\b|\//.test(said!)) expect([code, said]).toEqual([code, english]);
    }
  });

  it('documents the manifest\'s keys the loader reads', () => {
    const keys = tableRows(section('`manifest.json`: a folder the kiosk or widget loads')).map(([key]) => unquote(key!)).filter(Boolean);
    expect(keys).toEqual(['files', 'endDate']);
  });
});
