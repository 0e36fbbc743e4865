// The shared back end of the feed parsers: maps a CSV row or a JSON object onto schema slots, validates it, collects a batch.
import { SCHEMAS, type FeedKind, type FeedRow, type RowError } from './schemas.ts';
import { SKIP, createRowReader, type ValidationContext } from './validate.ts';
import { shown, type Fail } from './values.ts';
import type { RowErrorCode, RowErrorParams } from './row-errors.ts';

/** What one push (or the end) of a feed parser yields: the valid rows, the problems, and how far it got. */
export interface FeedBatch<T> {
  rows: T[];
  errors: RowError[];
  /** Physical lines consumed by this batch (header and blank lines included). */
  lines: number;
  /** Data rows rejected in this batch (file-level problems are errors but not rows). */
  rejected: number;
  /** Valid rows skipped because they were already imported (`ValidationContext.seenBasket` said `same`). */
  skipped: number;
}

/** A streaming parser: feed it text chunks of any size, then call `end()` once. */
export interface FeedParser<T> {
  push(chunk: string): FeedBatch<T>;
  end(): FeedBatch<T>;
}

const NOT_UTF8 = 'not-utf8';
const UTF8_WORDS = 'text encoded as UTF-8 (the row holds U+FFFD replacement characters)';

/** Collects one file's rows: header checks for CSV, key checks for JSON, then the kind's row reader. */
export class RowSink<K extends FeedKind> {
  readonly columns: readonly string[];
  private readonly required: number;
  private readonly read;
  private readonly values: unknown[];
  private batch: FeedBatch<FeedRow<K>> = emptyBatch();
  private line = 0;
  private first: RowError | undefined;
  private readonly fail: Fail;
  /** CSV: column index of each slot (-1 when absent), the header names, and whether the header made the file unusable. */
  private slotColumn: Int32Array;
  private header: string[] | undefined;
  private fatal = false;
  private readonly reportedKeys = new Set<string>();
  /** Whether anything (a header, a row, an error) arrived: an empty file is itself an error. */
  sawContent = false;

  constructor(readonly kind: K, readonly file: string, ctx: ValidationContext = {}) {
    const schema = SCHEMAS[kind];
    this.columns = schema.columns;
    this.required = schema.required;
    this.read = createRowReader(kind, ctx);
    this.values = new Array<unknown>(this.columns.length).fill(undefined);
    this.slotColumn = new Int32Array(this.columns.length).fill(-1);
    this.fail = (field, code, expected, value, params) => {
      this.first ??= { file: this.file, line: this.line, field, code, ...(params ? { params } : {}), expected, value: shown(value) };
      return undefined;
    };
  }

  /** Hand over what was collected since the last call. */
  take(): FeedBatch<FeedRow<K>> {
    const b = this.batch;
    this.batch = emptyBatch();
    return b;
  }

  /** Count physical lines consumed. */
  addLines(n: number): void {
    this.batch.lines += n;
  }

  /** A problem with the file or with one row (then `row` says so and the row counts as rejected). */
  error(line: number, code: RowErrorCode, fields: Omit<RowError, 'file' | 'line' | 'code'> = {}, row = true): void {
    this.sawContent = true;
    this.batch.errors.push({ file: this.file, line, ...fields, code });
    if (row) this.batch.rejected++;
  }

  /** Whether the CSV header has been read. */
  get hasHeader(): boolean {
    return this.header !== undefined;
  }

  /** The CSV header: unknown columns are errors (unless `x_`), missing required columns make every row unusable. */
  csvHeader(names: readonly string[], line: number): void {
    this.sawContent = true;
    this.header = names.map((n) => n.trim().toLowerCase());
    this.slotColumn.fill(-1);
    const expected = `columns ${this.columns.join(', ')} (or x_… columns)`;
    this.header.forEach((name, col) => {
      if (name.includes('\uFFFD')) return this.error(line, NOT_UTF8, { field: name, expected: UTF8_WORDS }, false);
      const slot = this.columns.indexOf(name);
      if (slot >= 0) {
        if (this.slotColumn[slot]! >= 0) this.error(line, 'duplicate-column', { field: name, expected: 'each column once' }, false);
        else this.slotColumn[slot] = col;
      } else if (!name.startsWith('x_')) this.error(line, 'unknown-column', { field: name || `(column ${col + 1})`, expected }, false);
    });
    const missing = this.columns.slice(0, this.required).filter((_, slot) => this.slotColumn[slot]! < 0);
    if (missing.length) {
      this.fatal = true;
      this.error(line, 'missing-columns', { field: missing.join(','), params: { columns: missing.join(', '), count: missing.length }, expected }, false);
    }
  }

  /** One CSV data row; `quoteProblem` when papaparse could not close a quote; `checkUtf8` when the chunk holds U+FFFD. */
  csvRow(fields: readonly string[], line: number, quoteProblem: 'quote-not-closed' | 'malformed-quotes' | undefined, checkUtf8: boolean): void {
    if (this.fatal) {
      this.batch.rejected++;
      return;
    }
    const header = this.header!;
    if (quoteProblem) return this.error(line, quoteProblem, { expected: 'a closing " right before a comma or the line end' });
    if (fields.length !== header.length) {
      return this.error(line, 'field-count', {
        params: { fields: fields.length, header: header.length }, expected: `${header.length} comma-separated fields`,
      });
    }
    if (checkUtf8) {
      for (let c = 0; c < fields.length; c++) {
        if (fields[c]!.includes('\uFFFD')) return this.error(line, NOT_UTF8, { field: header[c]!, expected: UTF8_WORDS, value: shown(fields[c]) });
      }
    }
    const v = this.values;
    const sc = this.slotColumn;
    for (let s = 0; s < v.length; s++) {
      const c = sc[s]!;
      v[s] = c >= 0 ? fields[c] : undefined;
    }
    this.accept(line);
  }

  /** One JSON object (an NDJSON line or an array element); unknown keys are reported once per file. */
  jsonRow(obj: unknown, line: number): void {
    this.sawContent = true;
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      return this.error(line, 'not-json-object', { expected: `an object with keys ${this.columns.join(', ')}`, value: shown(obj) });
    }
    const rec = obj as Record<string, unknown>;
    for (const key in rec) {
      if (this.columns.includes(key) || key.startsWith('x_') || this.reportedKeys.has(key)) continue;
      this.reportedKeys.add(key);
      this.error(line, 'unknown-column', { field: key, expected: `keys ${this.columns.join(', ')} (or x_… keys)` }, false);
    }
    const v = this.values;
    for (let s = 0; s < v.length; s++) v[s] = rec[this.columns[s]!];
    this.accept(line);
  }

  private accept(line: number): void {
    this.line = line;
    this.first = undefined;
    const row = this.read(this.values, this.fail, line);
    if (row === SKIP) this.batch.skipped++;
    else if (row !== undefined) this.batch.rows.push(row);
    else {
      this.batch.errors.push(this.first ?? { file: this.file, line, code: 'row-rejected' });
      this.batch.rejected++;
    }
  }

  /** Report an empty file once at the end. */
  finish(): void {
    if (!this.sawContent) {
      this.error(1, 'empty-file', { expected: `a header line (${this.columns.join(', ')}) and rows` }, false);
    }
  }
}

function emptyBatch<T>(): FeedBatch<T> {
  return { rows: [], errors: [], lines: 0, rejected: 0, skipped: 0 };
}
