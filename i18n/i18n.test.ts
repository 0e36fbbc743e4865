// Every code core emits has words in both languages, and the Chinese words are Chinese: the code lists come from
// core's own const arrays, so a code added there without a sentence here fails.
import { describe, expect, it } from 'vitest';
import { REASON_CODES, type ReasonCode } from '../core/lists/reasons.ts';
import { CHURN_REASON_CODES } from '../core/insights/churn.ts';
import { ROW_ERROR_CODES, type RowErrorParams } from '../core/feeds/row-errors.ts';
import type { ReasonParams } from '../core/types.ts';
import { parseDay } from '../core/dates.ts';
import { TRANSLATIONS, reasonText, rowErrorText } from './index.ts';

const day = parseDay('2026-11-23')!;
/** Latin words a Chinese sentence may hold: feed contract words and currency prefixes, not prose. */
const TECHNICAL = new Set(['JSON', 'UTF', 'EAN', 'true', 'false', 'US']);
const CJK = /[\u4e00-\u9fff]/;

/** The Latin words left in a text once the parameter values are taken out. */
function latinWords(text: string, params: Readonly<Record<string, string | number>>): string[] {
  let rest = text;
  // Longest first, so a value inside another ('price' in 'price_cents') does not leave the rest of it behind.
  const values = Object.values(params).filter((v): v is string => typeof v === 'string' && v !== '').sort((a, b) => b.length - a.length);
  for (const v of values) rest = rest.split(v).join(' ');
  return (rest.match(/[A-Za-z]+/g) ?? []).filter((w) => !TECHNICAL.has(w));
}

// Parameter values as product names and titles would be: Latin words, allowed in a Chinese sentence as values.
const REASON_PARAMS: ReasonParams = {
  name: 'Organic whole milk', category: 'breakfast cereal', tag: 'gluten free', usual: 'Acme ibuprofen', title: 'Pasta bake',
  example: 'penne pasta', interval: 12, count: 3, dueCount: 2, dueDay: day + 3, asOfDay: day, endDay: day + 30, from: day,
  until: day + 14, percent: 20, sharePct: 90, valueCents: 3500, minSpendCents: 17500, value: 20, kind: 'percent',
};
const reasonCases = (code: ReasonCode): ReasonParams[] => [
  ...['percent', 'amount', 'price', 'multibuy'].map((kind): ReasonParams => ({ ...REASON_PARAMS, kind, value: kind === 'multibuy' ? 3 : 150 })),
  ...(code === 'due' ? [{ ...REASON_PARAMS, dueDay: day - 1 }, { ...REASON_PARAMS, dueDay: day + 20 }] : []),
];

const ROW_PARAMS: RowErrorParams[] = [
  { what: 'price', field: 'brand_type', lo: 1900, hi: 2030, kind: 'percent', columns: 'price_cents, brand', count: 2, fields: 7, header: 9, detail: 'Unexpected token } in JSON at position 12', basket: 'B-77', owner: 'member' },
  { what: 'discount', field: 'scope_type', kind: 'multibuy', columns: 'price_cents', count: 1, owner: 'date', basket: 'B-78' },
  { what: 'budget', field: 'kind', kind: 'amount' },
];

describe('one translation layer', () => {
  it('has a sentence for every list reason code in both languages, and nothing else', () => {
    for (const t of Object.values(TRANSLATIONS)) expect(Object.keys(t.reasons.templates).sort(), t.locale).toEqual([...REASON_CODES].sort());
  });

  it('has a sentence for every churn reason and every row-error code in both languages', () => {
    for (const t of Object.values(TRANSLATIONS)) {
      expect(Object.keys(t.kiosk.manager.reasons).sort(), t.locale).toEqual([...CHURN_REASON_CODES].sort());
      expect(Object.keys(t.rows).sort(), t.locale).toEqual([...ROW_ERROR_CODES].sort());
    }
  });

  it('says every reason, offer line and reward in Chinese, Latin letters only in the values', () => {
    for (const code of REASON_CODES) {
      for (const params of reasonCases(code)) {
        const zh = reasonText({ code, params }, 'zh-CN');
        const en = reasonText({ code, params }, 'en');
        expect(zh, code).toMatch(CJK);
        expect(latinWords(zh, params), `${code}: ${zh}`).toEqual([]);
        expect(en, code).not.toMatch(CJK);
        expect(latinWords(en, params).length, `${code}: ${en}`).toBeGreaterThan(2);
      }
    }
  });

  it('says every churn reason in Chinese', () => {
    const params = { gapDays: 40, typicalDays: 7, factor: 2, fromPercent: 80, toPercent: 30, days: 28, percent: 12 };
    for (const code of CHURN_REASON_CODES) {
      const zh = TRANSLATIONS['zh-CN'].kiosk.manager.reasons[code](params);
      expect(zh, code).toMatch(CJK);
      expect(latinWords(zh, {}), zh).toEqual([]);
      expect(TRANSLATIONS.en.kiosk.manager.reasons[code](params)).not.toMatch(CJK);
    }
  });

  it('says every row error in Chinese, keeping the values it names', () => {
    for (const code of ROW_ERROR_CODES) {
      for (const params of ROW_PARAMS) {
        const zh = rowErrorText({ code, params }, 'zh-CN');
        const en = rowErrorText({ code, params }, 'en');
        expect(zh, code).toMatch(CJK);
        // Column names (brand_type, price_cents) are values too: the person fixing the file searches for them.
        expect(latinWords(zh, params), `${code}: ${zh}`).toEqual([]);
        expect(en, code).not.toMatch(CJK);
        for (const n of en.match(/\d+/g) ?? []) expect(zh, `${code}: ${en}`).toContain(n);
      }
    }
  });

  it('shows the English a stored reject was kept with when it carries no code', () => {
    expect(rowErrorText({ code: undefined as never, message: 'unknown product' }, 'zh-CN')).toBe('unknown product');
  });
});
