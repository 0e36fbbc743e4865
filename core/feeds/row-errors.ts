// Why a feed row (or a whole file) was rejected, as a code with parameters: i18n/ turns it into words, in English
// for `larder validate` and the rejected-rows CSV, in the kiosk's language on the manager screen.

/** Every reason a feed row can be rejected for. */
export const ROW_ERROR_CODES = [
  'missing-value', 'not-text', 'not-a-list', 'not-ean13', 'wrong-check-digit', 'not-boolean', 'not-a-date',
  'basket-reused', 'basket-imported-elsewhere', 'basket-belongs-elsewhere', 'unknown-member', 'unknown-product',
  'not-positive-qty', 'deal-ends-before-start', 'not-whole-cents', 'negative', 'unknown-choice', 'not-whole-in-range',
  'bad-deal-value', 'duplicate-column', 'unknown-column', 'missing-columns', 'field-count', 'not-json-object',
  'malformed-json', 'not-json-array', 'text-after-json-array', 'json-array-not-closed', 'empty-file', 'not-utf8',
  'quote-not-closed', 'malformed-quotes', 'row-rejected', 'not-email',
] as const;

/** A reason a feed row was rejected. */
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

/** The values a row error's words need: an amount's name (`what`: price, discount, budget), a column (`field`),
 * bounds (`lo`, `hi`), a deal kind (`kind`), columns (`columns`, `count`), field counts (`fields`, `header`),
 * the JSON parser's own words (`detail`), a basket id and what it already belongs to (`basket`, `owner`: member, date). */
export type RowErrorParams = Readonly<Record<string, string | number>>;
