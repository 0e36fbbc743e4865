// Why a feed row was rejected, in English: the words `larder validate` and the rejected-rows CSV have always printed.
import type { RowErrorParams } from '../../core/feeds/row-errors.ts';
import type { RowErrorTranslation } from '../translation.ts';

const s = (p: RowErrorParams, k: string) => String(p[k] ?? '');

/** The English reason of every row-error code. */
export const rows: RowErrorTranslation = {
  'missing-value': () => 'missing value',
  'not-text': () => 'not text',
  'not-a-list': () => 'not a list',
  'not-ean13': () => 'not an EAN-13 card code',
  'wrong-check-digit': () => 'wrong check digit',
  'not-boolean': () => 'not true or false',
  'not-email': () => 'not an e-mail address',
  'not-a-date': () => 'not a real date',
  'basket-reused': () => 'basket id already used for another member or date',
  'basket-imported-elsewhere': () => 'basket id already imported for another member or date',
  'basket-belongs-elsewhere': (p) => `basket ${s(p, 'basket')} already belongs to another ${s(p, 'owner')}`,
  'unknown-member': () => 'unknown member',
  'unknown-product': () => 'unknown product',
  'not-positive-qty': () => 'not a positive quantity',
  'deal-ends-before-start': () => 'deal ends before it starts',
  'not-whole-cents': (p) => `${s(p, 'what')} is not a whole number of cents`,
  negative: (p) => `negative ${s(p, 'what')}`,
  'unknown-choice': (p) => `unknown ${s(p, 'field').replace('_', ' ')}`,
  'not-whole-in-range': (p) => `not a whole number from ${s(p, 'lo')} to ${s(p, 'hi')}`,
  'bad-deal-value': (p) => `not a valid ${s(p, 'kind')} value`,
  'duplicate-column': () => 'duplicate column',
  'unknown-column': () => 'unknown column',
  'missing-columns': (p) => `missing required column${Number(p.count) > 1 ? 's' : ''} ${s(p, 'columns')}: no row can be read`,
  'field-count': (p) => `${s(p, 'fields')} fields where the header has ${s(p, 'header')}`,
  'not-json-object': () => 'not a JSON object',
  'malformed-json': (p) => `malformed JSON (${s(p, 'detail')})`,
  'not-json-array': () => 'not a JSON array',
  'text-after-json-array': () => 'text after the end of the JSON array',
  'json-array-not-closed': () => 'JSON array is never closed',
  'empty-file': () => 'empty file',
  'not-utf8': () => 'not UTF-8',
  'quote-not-closed': () => 'quoted field is never closed',
  'malformed-quotes': () => 'malformed quotes',
  'row-rejected': () => 'row rejected',
};
