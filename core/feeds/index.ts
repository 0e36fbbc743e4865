// The feeds' front door: pick the parser for a file, stream it through validation, export the rejects.
import Papa from 'papaparse';
import { createCsvParser } from './csv.ts';
import { createJsonArrayParser, createNdjsonParser } from './json.ts';
import { RowSink, type FeedParser } from './rows.ts';
import type { FeedFormat, FeedKind, FeedRow, RowError } from './schemas.ts';
import type { ValidationContext } from './validate.ts';

export type { BasketRow, GroupOptions } from './baskets.ts';
export { groupBaskets } from './baskets.ts';
export { latestById, mergeMembers } from './merge.ts';
export type { FeedBatch, FeedParser } from './rows.ts';
export type { FeedFormat, FeedKind, FeedRow, FeedRowMap, FeedSchema, RowError } from './schemas.ts';
export type { RowErrorCode, RowErrorParams } from './row-errors.ts';
export { ROW_ERROR_CODES } from './row-errors.ts';
export { FEED_KINDS, SCHEMAS, feedFromName } from './schemas.ts';
export type { ValidationContext } from './validate.ts';
export { basketsAcrossFiles } from './validate.ts';

/** A streaming parser that validates one feed file; push text chunks split anywhere, then `end()`. */
export function createFeedParser<K extends FeedKind>(kind: K, format: FeedFormat, file: string, ctx?: ValidationContext): FeedParser<FeedRow<K>> {
  const sink = new RowSink(kind, file, ctx);
  if (format === 'csv') return createCsvParser(sink);
  if (format === 'ndjson') return createNdjsonParser(sink);
  return createJsonArrayParser(sink);
}

/** Every row and error of a whole text at once (tests, small files). */
export function parseFeedText<K extends FeedKind>(kind: K, format: FeedFormat, file: string, text: string, ctx?: ValidationContext): {
  rows: FeedRow<K>[]; errors: RowError[]; lines: number; rejected: number; skipped: number;
} {
  const p = createFeedParser(kind, format, file, ctx);
  const a = p.push(text);
  const b = p.end();
  return {
    rows: a.rows.concat(b.rows), errors: a.errors.concat(b.errors), lines: a.lines + b.lines,
    rejected: a.rejected + b.rejected, skipped: a.skipped + b.skipped,
  };
}

/** The rejected rows as CSV (file, line, field, message, expected, value), for the retailer to fix and resend; `messageOf`
 * gives a row's reason in words (i18n's `rowErrorText` in English, or the English a stored reject already carries). */
export function errorsToCsv<E extends RowError>(errors: readonly E[], messageOf: (e: E) => string): string {
  const rows = errors.map((e) => [e.file, e.line, e.field ?? '', messageOf(e), e.expected ?? '', e.value ?? '']);
  return `${Papa.unparse({ fields: ['file', 'line', 'field', 'message', 'expected', 'value'], data: rows }, { newline: '\n' })}\n`;
}
